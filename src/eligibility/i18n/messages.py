"""Sentences the code writes itself (findings, test failures, audit reports), in every language.

A sentence is written once, in English, with named placeholders
(``Message("rule {rule} never holds: {why}", rule=..., why=...)``), and translated by
:data:`FRENCH`, keyed by that English template, so French can put the words in its own
order. A :class:`Message` *is* its English text (a ``str``), so the JSON reports, which
are the English contract, and every caller comparing or joining strings keep working;
only the text renderers ask for it in another language with :meth:`Message.text` (or
:func:`localized` on a value that may be a plain string).

The words of the renderers (headings, status words) stay in
:data:`eligibility.i18n.words.FRENCH`; this table holds whole sentences. One cohesive module
although over 400 lines: most of it is that table.
"""

from __future__ import annotations

from typing import Any, TypeVar, overload

from eligibility.display import Sentence
from eligibility.i18n.typography import french

#: French templates, keyed by the English template they translate (same placeholders).
FRENCH: dict[str, str] = {
    # audit list, show
    "No records.": "Aucun enregistrement.",
    "Audit record #{seq}": "Enregistrement d'audit n° {seq}",
    "eligibility {tool}, durable-rules {durable}, engine {engine}": (
        "eligibility {tool}, durable-rules {durable}, moteur {engine}"
    ),
    # evaluate --record
    "Recorded decision {decision} as record #{seq} in {store}": (
        "Décision {decision} enregistrée sous le n° {seq} dans {store}"
    ),
    # batch --record
    "Recorded {count} decisions in {store}": "{count} décisions enregistrées dans {store}",
    # audit replay
    "missing answers": "réponses manquantes",
    "was decided by: {rules}": "décidé avant par : {rules}",
    "now decided by: {rules}": "décidé maintenant par : {rules}",
    "Record #{seq} (decision {decision}, {product})": (
        "Enregistrement n° {seq} (décision {decision}, {product})"
    ),
    "Under its recorded rules ({version}, {hash}): identical": (
        "Avec ses règles enregistrées ({version}, {hash}) : identique"
    ),
    "Under its recorded rules ({version}, {hash}): DIFFERENT "
    "(the tool or engine no longer reproduces it)": (
        "Avec ses règles enregistrées ({version}, {hash}) : DIFFÉRENT "
        "(l'outil ou le moteur ne la reproduit plus)"
    ),
    "(reasons or trace only)": "(raisons ou trace seulement)",
    "Under {against}: the same rules, same decision": (
        "Avec {against} : les mêmes règles, la même décision"
    ),
    "Under {against}: same decision": "Avec {against} : même décision",
    "Under {against}: 1 change": "Avec {against} : 1 changement",
    "Under {against}: {count} changes": "Avec {against} : {count} changements",
    # audit replay --all
    "Replayed 1 record under {against}": "1 enregistrement rejoué avec {against}",
    "Replayed {count} records under {against}": ("{count} enregistrements rejoués avec {against}"),
    "same decision: {count}": "même décision : {count}",
    "changed: {count}": "décision changée : {count}",
    "not replayable: {count}": "impossibles à rejouer : {count}",
    "NOT reproduced under their own rules: {records}": (
        "NON reproduits avec leurs propres règles : {records}"
    ),
    "Changes (records affected, then the rules deciding now):": (
        "Changements (enregistrements touchés, puis les règles qui décident maintenant) :"
    ),
    # audit verify
    "OK: {location}: {records}, {rulesets}": "OK : {location} : {records}, {rulesets}",
    "1 record chained and intact": "1 enregistrement chaîné et intact",
    "{count} records chained and intact": "{count} enregistrements chaînés et intacts",
    "1 kept ruleset intact": "1 jeu de règles conservé intact",
    "{count} kept rulesets intact": "{count} jeux de règles conservés intacts",
    "1 record": "1 enregistrement",
    "{count} records": "{count} enregistrements",
    "TAMPERED: {location}: {problem}": "ALTÉRÉ : {location} : {problem}",
    "record #{seq} (decision {decision})": "l'enregistrement n° {seq} (décision {decision})",
    "kept ruleset {hash} was changed: its rules no longer match its hash": (
        "le jeu de règles conservé {hash} a été modifié : ses règles ne correspondent plus "
        "à son empreinte"
    ),
    "{record} was changed: its content does not match its hash": (
        "{record} a été modifié : son contenu ne correspond pas à son empreinte"
    ),
    "{record} was changed: its content is not valid JSON": (
        "{record} a été modifié : son contenu n'est pas du JSON valide"
    ),
    "{record} was changed: its {column} column says {value}, its content {stored}": (
        "{record} a été modifié : sa colonne {column} indique {value}, son contenu {stored}"
    ),
    "{record} is out of order: it was recorded after record #{after}": (
        "{record} n'est pas à sa place : il a été enregistré après l'enregistrement n° {after}"
    ),
    "records were removed before {record}{gap}: its link points to no record of the store": (
        "des enregistrements ont été supprimés avant {record}{gap} : son lien ne pointe vers "
        "aucun enregistrement du magasin"
    ),
    " (#{first} to #{last})": " (n° {first} à n° {last})",
    "{record}: its ruleset {hash} is not kept in the store": (
        "{record} : son jeu de règles {hash} n'est pas conservé dans le magasin"
    ),
    "the last records were removed: the store's head is record #{head}, "
    "the chain ends at #{last}": (
        "les derniers enregistrements ont été supprimés : la tête du magasin est "
        "l'enregistrement n° {head}, la chaîne s'arrête au n° {last}"
    ),
    "the store's head is missing: its metadata was changed": (
        "la tête du magasin manque : ses métadonnées ont été modifiées"
    ),
    "kept ruleset {hash} was changed: it holds more than its rules": (
        "le jeu de règles conservé {hash} a été modifié : il contient plus que ses règles"
    ),
    "kept ruleset {hash} was changed: its stored text is not the one written": (
        "le jeu de règles conservé {hash} a été modifié : son texte stocké n'est pas celui "
        "qui a été écrit"
    ),
    "kept ruleset {hash} was changed: its {column} column says {value}, its rules {stored}": (
        "le jeu de règles conservé {hash} a été modifié : sa colonne {column} indique "
        "{value}, ses règles {stored}"
    ),
    "the record at position {index} is numbered {seq}, not a number": (
        "l'enregistrement en position {index} porte le numéro {seq}, qui n'est pas un nombre"
    ),
    "{record} was changed: its content is not text": (
        "{record} a été modifié : son contenu n'est pas du texte"
    ),
    "{record} is not a valid record: {problem}": (
        "{record} n'est pas un enregistrement valide : {problem}"
    ),
    "{record} is numbered #{seq} but is record {index} of the chain: records were renumbered": (
        "{record} porte le n° {seq} mais est l'enregistrement {index} de la chaîne : des "
        "enregistrements ont été renumérotés"
    ),
    "{record} does not follow record #{before}: it links to record #{linked}": (
        "{record} ne suit pas l'enregistrement n° {before} : son lien pointe vers "
        "l'enregistrement n° {linked}"
    ),
    "the store's metadata was changed: its head is {seq}, {hash}": (
        "les métadonnées du magasin ont été modifiées : sa tête est {seq}, {hash}"
    ),
    "records #{first} to #{last} come after the store's head (#{head}): they were added "
    "outside eligibility, or the head was changed": (
        "les enregistrements n° {first} à n° {last} viennent après la tête du magasin "
        "(n° {head}) : ils ont été ajoutés hors d'eligibility, ou la tête a été modifiée"
    ),
    "the store's head does not match its last record #{last}: the head or the record was changed": (
        "la tête du magasin ne correspond pas à son dernier enregistrement n° {last} : la "
        "tête ou l'enregistrement a été modifié"
    ),
    "the store's id is missing: its metadata was changed": (
        "l'identifiant du magasin manque : ses métadonnées ont été modifiées"
    ),
    # audit verify --checkpoint, audit checkpoint, audit keygen
    "no audit store is left here ({detail}), but the checkpoint covers {size} records": (
        "il ne reste ici aucun magasin d'audit ({detail}), mais le point de contrôle couvre "
        "{size} enregistrements"
    ),
    "the checkpoint is of another store ({checkpointed}); this store is {store}: it was "
    "replaced or made anew": (
        "le point de contrôle est celui d'un autre magasin ({checkpointed}) ; ce magasin est "
        "{store} : il a été remplacé ou recréé"
    ),
    "the checkpoint covers {size} records, the store has {count}: records were removed "
    "and the chain recomputed": (
        "le point de contrôle couvre {size} enregistrements, le magasin en a {count} : des "
        "enregistrements ont été supprimés et la chaîne recalculée"
    ),
    "record #{size} is not the one the checkpoint signed: records up to #{size} were "
    "changed and the chain recomputed": (
        "l'enregistrement n° {size} n'est pas celui que le point de contrôle a signé : des "
        "enregistrements jusqu'au n° {size} ont été modifiés et la chaîne recalculée"
    ),
    "It extends the checkpoint of {records} signed {signed_at} with key {key}.": (
        "Il prolonge le point de contrôle de {records} signé le {signed_at} avec la clé {key}."
    ),
    "Signed a checkpoint of {location}: {records}, head {head}, key {key}": (
        "Point de contrôle de {location} signé : {records}, tête {head}, clé {key}"
    ),
    "Wrote the signing key {key} (keep it private) and its public key {public} (key {id})": (
        "Clé de signature écrite dans {key} (à garder privée) et sa clé publique dans "
        "{public} (clé {id})"
    ),
    # audit promote
    "Wrote {path}": "Écrit : {path}",
    # rules diff
    "moved to {file}": "déplacée dans {file}",
    "order": "ordre",
    "+ journey {journey}": "+ parcours {journey}",
    "- journey {journey}": "- parcours {journey}",
    "+ step {step}": "+ étape {step}",
    "- step {step}": "- étape {step}",
    "~ journey {journey}: catalogue entry changed": (
        "~ parcours {journey} : entrée du catalogue modifiée"
    ),
    # rules test: failures, and conditions in words (explain says them too)
    "{rule} should decide, but it held but was not used": (
        "{rule} devrait décider, mais elle s'est appliquée sans être utilisée"
    ),
    "{rule} should decide, but it did not hold": (
        "{rule} devrait décider, mais elle ne s'est pas appliquée"
    ),
    "{rule} should decide, but it could not be evaluated": (
        "{rule} devrait décider, mais elle n'a pas pu être évaluée"
    ),
    "{rule} should not decide, but it did": "{rule} ne devrait pas décider, mais elle a décidé",
    "{target}: expected {want}, got {got}": "{target} : attendu {want}, obtenu {got}",
    "fact {fact} is true": "le fait {fact} est vrai",
    "fact {fact} is false": "le fait {fact} est faux",
    "{field} is empty": "{field} est vide",
    "{field} is not empty": "{field} n'est pas vide",
    "{field} is {value}": "{field} vaut {value}",
    "{field} in {value}": "{field} est l'une des valeurs {value}",
    "{field} contains {value}": "{field} contient {value}",
    "{field} contains any {value}": "{field} contient l'une des valeurs {value}",
    "{field} gte {value}": "{field} vaut au moins {value}",
    "{field} lte {value}": "{field} vaut au plus {value}",
    "true": "vrai",
    "false": "faux",
    # batch: the summary on stderr
    "{rows} rows read: {decided} decided, {errors} with errors": (
        "{rows} lignes lues : {decided} décidées, {errors} en erreur"
    ),
    # explain: what each rule did
    "decides": "décide",
    "overridden by {rule}, which comes first": "écartée par {rule}, qui vient avant",
    "unknown, but {rule} decided first": "inconnue, mais {rule} a décidé avant",
    "unknown: keeps its conclusion open": "inconnue : laisse sa conclusion ouverte",
    "the journey {journey} does not apply, so it says nothing": (
        "le parcours {journey} ne s'applique pas, donc elle ne dit rien"
    ),
    "its condition does not hold": "sa condition n'est pas remplie",
    # explain
    "fact {fact}": "fait {fact}",
    "{target} cannot become {outcome} by changing one or two answers": (
        "{target} : impossible d'obtenir « {outcome} » en changeant une ou deux réponses"
    ),
    # evaluate: the short view (render.brief)
    "{journey} needs {needs}, which does not apply to the product as described.": (
        "Le parcours « {journey} » a besoin du parcours « {needs} », qui ne s'applique pas au "
        "produit tel que décrit."
    ),
    "Why {journey} does not apply: {reason}": (
        "Pourquoi « {journey} » ne s'applique pas : {reason}"
    ),
    "Check these answers: {answers}": "Vérifiez ces réponses : {answers}",
    "needs {journey}, still undetermined": (
        "a besoin du parcours « {journey} », encore indéterminé"
    ),
    "(and {more})": "(et {more})",
    "See the conflict above": "Voir le conflit plus haut",
    "Check the answers (eligibility evaluate names them).": (
        "Vérifiez les réponses (eligibility evaluate les nomme)."
    ),
    "Rules: {name} {version}.": "Règles : {name} {version}.",
    "Every step, its reasons and advice: --details.": (
        "Chaque étape, ses raisons et conseils : --details."
    ),
    "Why an outcome:": "Pourquoi un résultat :",
    "The questions one by one:": "Les questions une à une :",
    'The questions one by one, "don\'t know" answers included:': (
        "Les questions une à une, réponses « je ne sais pas » comprises :"
    ),
    # batch: the reports for people (render.portfolio.html, markdown)
    "{products}: {decided}, {errors}; {conflicts}; {open} with open questions.": (
        "{products} : {decided}, {errors} ; {conflicts} ; {open} avec des questions ouvertes."
    ),
    "{steps} in the journeys that apply.": "{steps} dans les parcours qui s'appliquent.",
    # explain: the sentences (render.explanation)
    "the variant would be: {outcome}": "la variante serait : {outcome}",
    "the INSi operations would be: {outcome}": "les opérations INSi seraient : {outcome}",
    "{answer} to {question}": "{answer} à {question}",
    "If you answered {answers}, {outcome}.": "Si vous répondiez {answers}, {outcome}.",
    "the journey {name}": "le parcours « {name} »",
    "step {number} of {journey}": "étape {number} du parcours « {journey} »",
    "a prerequisite of {journey}": "un prérequis du parcours « {journey} »",
    "the variant of {journey}": "la variante du parcours « {journey} »",
    "the INSi operations of {journey}": "les opérations INSi du parcours « {journey} »",
    "For {product}: {outcome}.": "Pour {product} : {outcome}.",
    "The journey itself: {status}.": "Le parcours lui-même : {status}.",
    "source ({confidence}): {source}": "source ({confidence}) : {source}",
    "No change of one or two answers gives: {outcomes}.": (
        "Aucun changement d'une ou deux réponses ne donne : {outcomes}."
    ),
    "Each rule's condition, value and answers: --logic.": (
        "La condition de chaque règle, sa valeur et les réponses lues : --logic."
    ),
    # rules docs
    "{field} is one of {values}": "{field} vaut l'une des valeurs {values}",
    "{field} contains any of {values}": "{field} contient l'une des valeurs {values}",
    "{field} is at least {value}": "{field} vaut au moins {value}",
    "{field} is at most {value}": "{field} vaut au plus {value}",
    "fact {fact} holds": "le fait {fact} est établi",
    "fact {fact} does not hold": "le fait {fact} n'est pas établi",
    "not ({condition})": "non ({condition})",
    "{journey} variant → {variant}": "{journey} variante → {variant}",
    "{journey} operations → {operations}": "{journey} opérations → {operations}",
    "advice on {steps}: “{advice}”": "conseil pour {steps} : « {advice} »",
    "Generated by {command} (make docs) from rules/: do not edit.": (
        "Généré par {command} depuis rules/ : ne pas modifier."
    ),
    "Rules hash: {hash}. {journeys} journeys, {rules} rules. For every outcome the first "
    "rule (in the order below) whose condition holds wins; when none holds, a journey does "
    "not apply, a step is to do (or optional), a prerequisite is not met. An unknown answer "
    "leaves what depends on it undetermined.": (
        "Empreinte des règles : {hash}. {journeys} parcours, {rules} règles. Pour chaque "
        "résultat, la première règle (dans l'ordre ci-dessous) dont la condition est remplie "
        "l'emporte ; quand aucune ne l'est, un parcours ne s'applique pas, une étape est à "
        "faire (ou facultative), un prérequis n'est pas rempli. Une réponse inconnue laisse "
        "indéterminé ce qui en dépend."
    ),
    "(in {file})": "(dans {file})",
    "out of date: {path} (run: {command})": "pas à jour : {path} (lancez : {command})",
    "wrote {path}": "écrit : {path}",
    # rules check: the findings
    "{journey}: {size} answer sets is over the limit of {limit}; its rules were not analysed": (
        "{journey} : {size} jeux de réponses dépassent la limite de {limit} ; ses règles "
        "n'ont pas été analysées"
    ),
    "its condition holds only where the journey surely does not apply": (
        "sa condition n'est remplie que là où le parcours ne s'applique sûrement pas"
    ),
    "no answer set makes its condition hold": ("aucun jeu de réponses ne remplit sa condition"),
    "rule {rule} never holds: {why}": "la règle {rule} ne s'applique jamais : {why}",
    "fact {fact} is concluded but no rule reads it": (
        "le fait {fact} est conclu mais aucune règle ne le lit"
    ),
    "{journey} requires {needs} ({dependency}), which no rule makes apply": (
        "{journey} exige {needs} ({dependency}), qu'aucune règle ne rend applicable"
    ),
    "dependency {dependency} is never in force: no rule sets variant {variant} of {journey}": (
        "la dépendance {dependency} n'est jamais en vigueur : aucune règle ne fixe la "
        "variante {variant} de {journey}"
    ),
    "steps wait for each other in a cycle (tour order, prerequisites, dependencies): {cycle}": (
        "des étapes s'attendent en cercle (ordre des parcours, prérequis, dépendances) : {cycle}"
    ),
    # eligibility fields, docs/profile.md
    "The product's stable identifier in a portfolio: letters, digits, '.', '_', '-'.": (
        "L'identifiant stable du produit dans un portefeuille : lettres, chiffres, « . », "
        "« _ », « - »."
    ),
    "The product's commercial name.": "Le nom commercial du produit.",
    "Identification": "Identification",
    "integer from {lo} to {hi}": "entier de {lo} à {hi}",
    "Profile fields ({count}). A field left out or null is unknown. Details: {doc}": (
        "Champs du profil ({count}). Un champ absent ou null est inconnu. Détails : {doc}"
    ),
    "A *profile* describes one software product: a YAML or JSON file (`eligibility "
    "evaluate`, `plan`, `explain`), one row or record of a portfolio (`eligibility "
    "batch`), or the answers to `eligibility ask`. This page is generated from the "
    "profile model, `rules/questions.yaml` and the rules by `eligibility rules docs`; "
    "`eligibility fields` prints the same list.": (
        "Un *profil* décrit un produit logiciel : un fichier YAML ou JSON (`eligibility "
        "evaluate`, `plan`, `explain`), une ligne ou un enregistrement d'un portefeuille "
        "(`eligibility batch`), ou les réponses à `eligibility ask`. Cette page est produite "
        "à partir du modèle de profil, de `rules/questions.yaml` et des règles par "
        "`eligibility rules docs` ; `eligibility fields` affiche la même liste."
    ),
    "A field left out or `null` is **unknown**: whatever depends on it is "
    "`undetermined` and the field is listed in `missing`; it is never read as false.": (
        "Un champ absent ou `null` est **inconnu** : ce qui en dépend est `undetermined` et "
        "le champ figure dans `missing` ; il n'est jamais lu comme faux."
    ),
    "An unknown field name, a wrong type or a value that is not allowed is an error "
    "naming the field (and the row, in a portfolio); a misspelt name gets the "
    "closest field suggested.": (
        "Un nom de champ inconnu, un type erroné ou une valeur non permise est une erreur "
        "qui nomme le champ (et la ligne, dans un portefeuille) ; pour un nom mal orthographié, "
        "le champ le plus proche est suggéré."
    ),
    "In a CSV portfolio, a list holds its values separated by `;` "
    "(`own_domain;other_domains`) and `[]` is an explicit empty list; booleans are "
    "`true`/`false` (also `yes`/`no`, `1`/`0`); an empty cell is unknown.": (
        "Dans un portefeuille CSV, une liste sépare ses valeurs par `;` "
        "(`own_domain;other_domains`) et `[]` est une liste vide explicite ; les booléens "
        "s'écrivent `true`/`false` (ou `yes`/`no`, `1`/`0`) ; une cellule vide est inconnue."
    ),
    "`{schema}` is the JSON Schema of a profile file: an editor with the YAML "
    "language server checks and completes a profile that starts with "
    "`# yaml-language-server: $schema=<path to>/docs/{schema}`.": (
        "`{schema}` est le schéma JSON d'un fichier de profil : un éditeur doté du serveur "
        "de langage YAML vérifie et complète un profil qui commence par "
        "`# yaml-language-server: $schema=<chemin vers>/docs/{schema}`."
    ),
    "Example profiles: `fixtures/profiles/`.": "Des profils d'exemple : `fixtures/profiles/`.",
    "status": "le statut",
    "variant": "la variante",
    "prerequisite": "le prérequis",
    "{journey}: no rule decides the {what} of {target} in {count} answer set(s); "
    "the catalogue default is used": (
        "{journey} : aucune règle ne décide {what} de {target} dans {count} jeu(x) de "
        "réponses ; la valeur par défaut du catalogue s'applique"
    ),
    "rules {winner} and {loser} both hold and give {target} different values; "
    "{winner} comes first and wins": (
        "les règles {winner} et {loser} s'appliquent toutes deux et donnent à {target} des "
        "valeurs différentes ; {winner} vient avant et l'emporte"
    ),
    "rule {rule} ({confidence}) makes step {step} {status}, against the catalogue, which sets "
    "it {default} on a source of higher confidence; declare why in the rule's precedence "
    "field, or give advice instead": (
        "la règle {rule} ({confidence}) rend l'étape {step} {status}, contre le catalogue, qui "
        "la fixe à {default} sur une source de plus grande confiance ; déclarez pourquoi dans "
        "le champ precedence de la règle, ou donnez plutôt un conseil"
    ),
    "rule {rule} ({confidence}) decides {target} against rule {other} ({other_confidence}), "
    "which holds there too; declare why in the rule's precedence field, or change the rule": (
        "la règle {rule} ({confidence}) décide {target} contre la règle {other} "
        "({other_confidence}), qui s'applique là aussi ; déclarez pourquoi dans le champ "
        "precedence de la règle, ou changez la règle"
    ),
    "rule {rule} ({confidence}), when it cannot be evaluated, leaves {target} undetermined "
    "where rule {other} ({other_confidence}) decides it; declare why in the rule's precedence "
    "field, or change the rule": (
        "la règle {rule} ({confidence}), quand elle ne peut être évaluée, laisse {target} "
        "indéterminé là où la règle {other} ({other_confidence}) en décide ; déclarez pourquoi "
        "dans le champ precedence de la règle, ou changez la règle"
    ),
    "rule {rule} declares precedence over {over}, but never decides against it; drop it "
    "from the declaration": (
        "la règle {rule} déclare l'emporter sur {over}, mais ne décide jamais contre elle ; "
        "retirez-la de la déclaration"
    ),
    # rules check: provenance
    "journey {id}": "le parcours {id}",
    "step {id}": "l'étape {id}",
    "dependency {id}": "la dépendance {id}",
    "shared step {id}": "l'étape partagée {id}",
    "rule {id}": "la règle {id}",
    "{where} is tagged {tag}, but {why}": "{where} porte l'étiquette {tag}, mais {why}",
    "it does not point to the seed statement it rests on "
    "('seed: <tour> <statement>', see rules/seed.yaml)": (
        "sa source ne désigne pas l'énoncé du seed sur lequel elle repose "
        "(« seed: <parcours> <énoncé> », voir rules/seed.yaml)"
    ),
    "{source} is not 'seed: <tour> <statement>'": (
        "{source} n'est pas de la forme « seed: <parcours> <énoncé> »"
    ),
    "the seed has no tour {tour} (tours: {tours})": (
        "le seed n'a pas de parcours {tour} (parcours : {tours})"
    ),
    "{source} names a tour but not its statement": (
        "{source} nomme un parcours mais pas son énoncé"
    ),
    "tour {tour} of the seed has no statement {statement} (it has: {known})": (
        "le parcours {tour} du seed n'a pas d'énoncé {statement} (il a : {known})"
    ),
    "seed.yaml, the index of the seed's statements, cannot be read": (
        "seed.yaml, l'index des énoncés du seed, est illisible"
    ),
    "seed.yaml is not a valid index of the seed's statements": (
        "seed.yaml n'est pas un index valide des énoncés du seed"
    ),
    "it has no note saying what the inference rests on": (
        "aucune note ne dit sur quoi repose l'inférence"
    ),
    "its source is not a page of an official body (ANS, G_NIUS, CNDA, Assurance Maladie, "
    "GIE SESAM-Vitale, HAS, ANSM, Légifrance, the ministry)": (
        "sa source n'est pas une page d'un organisme officiel (ANS, G_NIUS, CNDA, Assurance "
        "Maladie, GIE SESAM-Vitale, HAS, ANSM, Légifrance, le ministère)"
    ),
    "its source is the page of journey {journey}: cite the page that states this claim, or "
    "tag it inference with a note": (
        "sa source est la page du parcours {journey} : citez la page qui énonce ce point, ou "
        "marquez-le inference avec une note"
    ),
    "{journey} never applies, so none of its steps is ever required or optional": (
        "{journey} ne s'applique jamais, donc aucune de ses étapes n'est jamais à faire ni "
        "facultative"
    ),
    "step {step} is never required nor optional where {journey} applies (it is {status})": (
        "l'étape {step} n'est jamais à faire ni facultative là où {journey} s'applique "
        "(elle est {status})"
    ),
    "rule {rule} changes no outcome: dropping it leaves every decision of {journey} as it is "
    "(earlier rules win wherever it holds, or it restates the default)": (
        "la règle {rule} ne change aucun résultat : la retirer laisse chaque décision de "
        "{journey} telle quelle (des règles antérieures l'emportent partout où elle "
        "s'applique, ou elle répète la valeur par défaut)"
    ),
    # the errors of a bad profile (profile/problems.py, portfolio.py), on stderr
    "Error: {message}": "Erreur : {message}",
    "{where}: invalid profile": "{where} : profil invalide",
    "{source}, row {row}": "{source}, ligne {row}",
    "{loc}: {message} (got {value})": "{loc} : {message} (valeur reçue : {value})",
    "{loc}: {message}": "{loc} : {message}",
    "(profile)": "(profil)",
    "(line)": "(ligne)",
    "and {more:,} more problems": "et {more} autres problèmes",
    "an id holds only letters, digits, '.', '_' and '-', no spaces": (
        "un identifiant ne contient que des lettres, des chiffres, « . », « _ » et « - », "
        "sans espace"
    ),
    "must not be empty": "ne doit pas être vide",
    "longer than {max_length} characters": "plus de {max_length} caractères",
    "not text": "pas du texte",
    "not yes or no; write true or false": "ni oui ni non ; écrivez true ou false",
    "not a whole number": "pas un nombre entier",
    "above {le}, the largest value allowed": "au-dessus de {le}, la plus grande valeur permise",
    "below {ge}, the smallest value allowed": ("en dessous de {ge}, la plus petite valeur permise"),
    "not a list; write the values between brackets, [a, b], or [] for none": (
        "pas une liste ; écrivez les valeurs entre crochets, [a, b], ou [] pour aucune"
    ),
    "unknown field; did you mean {guess}? (every field: `eligibility fields`, {doc})": (
        "champ inconnu ; vouliez-vous dire {guess} ? (tous les champs : "
        "`eligibility fields`, {doc})"
    ),
    "unknown field (every field: `eligibility fields`, {doc})": (
        "champ inconnu (tous les champs : `eligibility fields`, {doc})"
    ),
    "not an allowed value; allowed: {allowed}": (
        "valeur non autorisée ; valeurs possibles : {allowed}"
    ),
    "{values} or {last}": "{values} ou {last}",
    "field required": "champ obligatoire",
    "a profile must be a mapping of field names to values": (
        "un profil doit associer chaque nom de champ à sa valeur"
    ),
    "holds a value that is nested too deeply": "contient une valeur trop imbriquée",
    "holds a value that is not plain data: {detail}": (
        "contient une valeur qui n'est pas une donnée simple : {detail}"
    ),
    "not a boolean; write true/false, yes/no or 1/0": (
        "ni vrai ni faux ; écrivez true/false, yes/no ou 1/0"
    ),
    "not a whole number (digits 0-9)": "pas un nombre entier (chiffres 0 à 9)",
    "a list with no value; write [] for an empty list": (
        "une liste sans valeur ; écrivez [] pour une liste vide"
    ),
    "written twice in this profile": "écrit deux fois dans ce profil",
    "malformed {kind}: {detail}": "{kind} mal formé : {detail}",
    "has {cells} cells where the header has {columns} columns": (
        "la ligne a {cells} cellules là où l'en-tête a {columns} colonnes"
    ),
    "{detail} (column {column})": "{detail} (colonne {column})",
    "longer than {chars:,} characters, the most a row may hold": (
        "plus de {chars} caractères, le maximum pour une ligne"
    ),
    "not valid YAML: {detail}": "YAML invalide : {detail}",
    "',' expected after '\"'": "une virgule doit suivre le guillemet qui ferme une cellule",
    "unexpected end of data": "fin des données inattendue",
    # a file that cannot be read (profile/textfile.py, files.py, portfolio.py)
    "{path}: {detail}": "{path} : {detail}",
    "no such file": "fichier introuvable",
    "file": "fichier",
    "profile file": "fichier de profil",
    "rule file": "fichier de règles",
    "portfolio file": "fichier de portefeuille",
    "is a directory, not a {what}": "est un dossier, pas un {what}",
    "cannot be read: {reason}": "illisible : {reason}",
    "is larger than {limit:,} bytes, the most a {what} may hold": (
        "dépasse {limit} octets, le maximum pour un {what}"
    ),
    "is not UTF-8 text (byte {byte})": "n'est pas du texte UTF-8 (octet {byte})",
    "is not valid JSON: {detail}": "n'est pas du JSON valide : {detail}",
    "is not valid YAML: {detail}": "n'est pas du YAML valide : {detail}",
    "is empty": "est vide",
    "line {line}, column {column}: {problem}": "ligne {line}, colonne {column} : {problem}",
    # batch: a row's errors on stderr
    "duplicate product id: row {row} has it already": (
        "identifiant de produit en double : la ligne {row} l'a déjà"
    ),
    "row {row} ({id})": "ligne {row} ({id})",
    "row {row}": "ligne {row}",
    "{row}: {problems}": "{row} : {problems}",
}


class Message(Sentence):
    """A sentence written by the code: its value is the English text, and :meth:`text`
    gives it in another language.

    Parameters that are themselves messages (or sentences) are translated with the
    sentence; other parameters (ids, counts, answers) are put in as they are.
    """

    def text(self, lang: str = "en") -> str:
        """The sentence in a language (English when it has no translation)."""
        return _fill(self.template, self.params, lang)


def _fill(template: str, params: dict[str, Any], lang: str) -> str:
    if lang == "fr":
        template = french(FRENCH.get(template, template))
    return template.format(**{k: localized(v, lang) for k, v in params.items()})


T = TypeVar("T")


@overload
def localized(value: str, lang: str = "en") -> str: ...
@overload
def localized(value: T, lang: str = "en") -> T: ...
def localized(value: Any, lang: str = "en") -> Any:
    """A message (or a sentence of the core) in a language; any other value as it is."""
    if isinstance(value, Sentence):
        return _fill(value.template, value.params, lang)
    return value


def say(template: str, lang: str = "en", /, **params: Any) -> str:
    """An English sentence template filled with ``params``, in a language."""
    return Message(template, **params).text(lang)

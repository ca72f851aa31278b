"""Shared wording for the human-readable renderers, in every language of the tool."""

from __future__ import annotations

from eligibility.decision.model import Decision, JourneyOut, PrecedenceReason, Reason, StepOut
from eligibility.i18n import typography
from eligibility.i18n.typography import french
from eligibility.i18n.typography import typeset as typeset  # the renderers take it from here

STATUS_WORDS = {
    "applies": "applies",
    "not_applicable": "not applicable",
    "undetermined": "undetermined",
    "required": "to do",
    "optional": "optional",
    "done": "done",
}

#: The renderers' own words in French, keyed by their English wording.
FRENCH = {
    "applies": "s'applique",
    "not applicable": "ne s'applique pas",
    "undetermined": "indéterminé",
    "to do": "à faire",
    "optional": "facultatif",
    "done": "fait",
    "not_met": "non rempli",
    "if it holds: ": "si elle s'applique : ",
    "variant": "variante",
    "INSi operations": "opérations INSi",
    "no INSi operation": "aucune opération INSi",
    "prevails over": "l'emporte sur",
    "Prevails over": "L'emporte sur",
    "none": "aucun",
    "steps to do": "étapes à faire",
    "Decision for": "Décision pour",
    "Rules": "Règles",
    "Summary": "Résumé",
    "because": "parce que",
    "prerequisite": "prérequis",
    "met": "rempli",
    "NOT met": "NON rempli",
    "not met": "non rempli",
    "unknown": "inconnu",
    "why": "pourquoi",
    "as for the step above": "comme pour l'étape précédente",
    "advice": "conseil",
    "depends on": "dépend de",
    "unknown answers that matter here": "réponses inconnues qui comptent ici",
    "Missing answers": "Réponses manquantes",
    "Answer them to decide what is still undetermined.": (
        "Répondez-y pour trancher ce qui reste indéterminé."
    ),
    "needs": "a besoin de",
    "where it applies": "s'il s'applique",
    "while in force": "si la condition est remplie",
    "journey": "parcours",
    "status": "statut",
    "step": "étape",
    "Prerequisite": "Prérequis",
    "Advice": "Conseils",
    "Needs other journeys": "Besoins envers d'autres parcours",
    "None.": "Aucune.",
    "Plan for": "Plan pour",
    "Journeys": "Parcours",
    "Undetermined journeys": "Parcours indéterminés",
    "missing": "manque",
    "Dependencies": "Dépendances",
    "CONFLICT": "CONFLIT",
    "To do": "À faire",
    "items": "éléments",
    "start early": "à lancer tôt",
    "for": "pour",
    "after": "après",
    "awaited after": "attendu après",
    "Nothing left to do.": "Plus rien à faire.",
    "not met yet": "pas encore rempli",
    "to confirm": "à confirmer",
    "Portfolio report": "Rapport de portefeuille",
    "rows": "lignes",
    "decided": "décidées",
    "with errors": "en erreur",
    "Matrix": "Matrice",
    "row": "ligne",
    "Row": "Ligne",
    "product": "produit",
    "Products": "Produits",
    "error": "erreur",
    "(no id)": "(sans identifiant)",
    "would be settled by": "serait tranché par",
    "No journey applies.": "Aucun parcours ne s'applique.",
    "Not applicable": "Ne s'appliquent pas",
    "source": "source",
    "Answers that would settle it": "Réponses qui trancheraient",
    # evaluate's short view, explain's sentences, the portfolio report (issue 18)
    "why (also {steps})": "pourquoi (aussi {steps})",
    "prerequisite not met yet": "prérequis pas encore rempli",
    "prerequisite to confirm": "prérequis à confirmer",
    "Undetermined, and the first question that would settle each:": (
        "Indéterminés, et la première question qui trancherait chacun :"
    ),
    "PROFILE": "PROFIL",
    "Products and journeys": "Produits et parcours",
    "Open a product for its details.": "Ouvrez un produit pour son détail.",
    "any": "tous",
    "shown": "affichés",
    "sort": "trier",
    "open questions": "questions ouvertes",
    "conflict": "conflit",
    "Products per journey and status": "Produits par parcours et statut",
    "Journeys and their steps": "Les parcours et leurs étapes",
    "Reasons": "Raisons",
    "Why": "Pourquoi",
    "The answers it rests on": "Les réponses sur lesquelles il repose",
    "What would change it, smallest change first": (
        "Ce qui le changerait, le plus petit changement d'abord"
    ),
    "not answered": "sans réponse",
    "No change of the answers changes it.": "Aucun changement des réponses ne le change.",
    "no variant": "aucune variante",
    "there would be no variant": "il n'y aurait pas de variante",
    "there would be no INSi operation": "il n'y aurait aucune opération INSi",
    "retrieval": "récupération",
    "verification": "vérification",
    "as for step {step}": "comme pour l'étape {step}",
    "your answer": "votre réponse",
    "steps": "étapes",
    "Do not apply": "Ne s'appliquent pas",
    "Does not apply": "Ne s'applique pas",
    # The rules tools (rules check, test, diff)
    "warning": "avertissement",
    "counterexample": "contre-exemple",
    "answer sets analysed": "jeux de réponses analysés",
    "rules": "règles",
    "rule": "règle",
    "FAIL": "ÉCHEC",
    "cases passed": "cas réussis",
    "file": "fichier",
    "conditions": "conditions",
    "total": "total",
    "rule never decides in a case": "règle qui ne décide dans aucun cas",
    "condition": "condition",
    "never": "jamais",
    "and": "et",
    "true": "vraie",
    "false": "fausse",
    "no rule changed": "aucune règle modifiée",
    "portfolio": "portefeuille",
    # rules docs
    "always": "toujours",
    "or": "ou",
    "Rules catalogue": "Catalogue des règles",
    "Actors": "Acteurs",
    "Sources": "Sources",
    "Variants": "Variantes",
    "What decides it": "Ce qui en décide",
    "Steps": "Étapes",
    "actors": "acteurs",
    "sources": "sources",
    "When": "Quand",
    "Then": "Alors",
    "Source": "Source",
    "Note": "Note",
    "Prerequisites": "Prérequis",
    # batch: the progress bar's label
    "Evaluating": "Évaluation",
    # The audit commands (list, show, replay)
    "Record": "Enregistrement",
    "Decision id": "Id de décision",
    "Recorded at": "Enregistré le",
    "Tool": "Outil",
    "Actor": "Acteur",
    "Labels": "Étiquettes",
    "Masked": "Masqués",
    "Hash": "Empreinte",
    "Previous": "Précédent",
    "operations": "opérations",
    # eligibility fields, docs/profile.md
    "Profile fields": "Champs du profil",
    "text": "texte",
    "text, required": "texte, obligatoire",
    "true or false": "true ou false",
    "one value": "une valeur",
    "list of values": "liste de valeurs",
    "read by": "lu par",
    "no journey yet": "aucun parcours pour l'instant",
    "field": "champ",
    "type": "type",
    "allowed values": "valeurs permises",
    "question": "question",
    # confidence tags, which a French reader would otherwise see in English
    "official": "officielle",
    "third-party": "tierce partie",
    "seed": "parcours guidé",
    "inference": "déduction",
    "gap": "lacune",
}


# -- counts and French typography (evaluate's short view, explain, the portfolio report) ---

#: Counted words: English singular and plural, French singular and plural.
COUNTED: dict[str, tuple[str, str, str, str]] = {
    "journey applies": (
        "journey applies",
        "journeys apply",
        "parcours s'applique",
        "parcours s'appliquent",
    ),
    "undetermined": ("undetermined", "undetermined", "indéterminé", "indéterminés"),
    "does not apply": (
        "does not apply",
        "do not apply",
        "ne s'applique pas",
        "ne s'appliquent pas",
    ),
    "conflict": ("conflict", "conflicts", "conflit", "conflits"),
    "step to do": ("step to do", "steps to do", "étape à faire", "étapes à faire"),
    "optional": ("optional", "optional", "facultative", "facultatives"),
    "done": ("done", "done", "faite", "faites"),
    "not applicable": ("not applicable", "not applicable", "sans objet", "sans objet"),
    "step": ("step", "steps", "étape", "étapes"),
    "product": ("product", "products", "produit", "produits"),
    "error": ("error", "errors", "erreur", "erreurs"),
    "question": ("question", "questions", "question", "questions"),
    "more": ("more", "more", "autre", "autres"),
    "open question": ("open question", "open questions", "question ouverte", "questions ouvertes"),
    "decided": ("decided", "decided", "décidé", "décidés"),
    "product in conflict": (
        "product in conflict",
        "products in conflict",
        "produit en conflit",
        "produits en conflit",
    ),
    "item": ("item", "items", "élément", "éléments"),
    "warning": ("warning", "warnings", "avertissement", "avertissements"),
    "done, hidden": (
        "done, hidden; --all shows it",
        "done, hidden; --all shows them",
        "déjà fait, masqué ; --all le montre",
        "déjà faits, masqués ; --all les montre",
    ),
}


def count(n: int, what: str, lang: str = "en") -> str:
    """``n`` and a counted word agreeing with it (French: singular up to 1, as in
    « 0 étape », « 1 étape », « 2 étapes »)."""
    en_one, en_many, fr_one, fr_many = COUNTED[what]
    if lang == "fr":
        return f"{n} {fr_one if n < 2 else fr_many}"
    return f"{n} {en_one if n == 1 else en_many}"


def number_runs(numbers: list[int], dash: str = "–") -> str:
    """Step numbers (ascending, at least one) as runs: ``1–3, 5, 7–9``."""
    runs: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(str(start) if start == prev else f"{start}{dash}{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(runs)


def tr(english: str, lang: str = "en") -> str:
    """A renderer's own wording in a language (English is the key), French typeset."""
    return french(FRENCH.get(english, english)) if lang == "fr" else english


def colon(lang: str = "en") -> str:
    """A colon as the language writes it (French puts a non-breaking space before it)."""
    return typography.colon(lang)


def source_text(source: str, lang: str = "en") -> str:
    """A rule's source as a reader sees it: a URL or a document as is; in French, a section
    of the guided tour (``seed: ror-supplier 06``) as « parcours guidé (ror-supplier 06) »."""
    if lang == "fr" and source.startswith("seed:"):
        return f"{FRENCH['seed']} ({source.removeprefix('seed:').strip()})"
    return source


def status_word(status: str, lang: str = "en") -> str:
    """A status as a reader says it."""
    return tr(STATUS_WORDS.get(status, status), lang)


def reason_line(reason: Reason, lang: str = "en") -> str:
    """``text [rule; confidence]``, saying when the rule could not be evaluated, and what
    the rule prevails over (and why) when it decided against a rule or the catalogue."""
    prefix = tr("if it holds: ", lang) if reason.holds is None else ""
    note = precedence_note(reason, lang)
    semicolon = french(" ;") if lang == "fr" else ";"
    return f"{prefix}{reason.text} [{reason.rule}{semicolon} {tr(reason.confidence, lang)}]{note}"


def precedence_note(reason: Reason, lang: str = "en") -> str:
    """`` (prevails over X (seed): why)`` for a reason whose rule decided against another
    rule or the catalogue, else nothing."""
    if not isinstance(reason, PrecedenceReason) or reason.precedence is None:
        return ""
    over = ", ".join(f"{o.rule} ({tr(o.confidence, lang)})" for o in reason.precedence.over)
    return f" ({tr('prevails over', lang)} {over}{colon(lang)} {reason.precedence.why})"


def advice_line(advice: str, reason: Reason | None, lang: str = "en") -> str:
    """A piece of advice, with ``[rule; confidence]`` when a rule gave it (advice may be an
    inference), as is when it is the step's own."""
    if reason is None:
        return advice
    semicolon = french(" ;") if lang == "fr" else ";"
    return f"{advice} [{reason.rule}{semicolon} {tr(reason.confidence, lang)}]"


def advice_lines(step: StepOut, lang: str = "en") -> list[str]:
    """A step's advice, each with where it comes from (see :func:`advice_line`)."""
    reasons = list(step.advice_reasons)
    reasons += [None] * (len(step.advice) - len(reasons))
    return [advice_line(a, r, lang) for a, r in zip(step.advice, reasons, strict=True)]


def journey_headline(j: JourneyOut, lang: str = "en") -> str:
    """``title: status, variant X (operations: …)``."""
    colon = typography.colon(lang)
    line = f"{j.title}{colon} {status_word(j.status, lang)}"
    if j.variant:
        line += f", {tr('variant', lang)} {j.variant}"
    if j.operations:
        operations = ", ".join(tr(op, lang) for op in j.operations)
        line += f" ({tr('INSi operations', lang)}{colon} {operations})"
    elif j.operations is not None and j.status != "not_applicable":
        line += f" ({tr('no INSi operation', lang)})"
    return line


def summary(decision: Decision, lang: str = "en") -> str:
    """One line: what applies, and how many steps are left.

    English names the journeys by id; French counts them, since an id is no French word
    (the journeys follow, by title).
    """
    colon = typography.colon(lang)
    applies = [j.id for j in decision.journeys if j.status == "applies"]
    unsure = [j.id for j in decision.journeys if j.status == "undetermined"]
    todo = sum(1 for j in decision.journeys for s in j.steps if s.status == "required")
    optional = sum(1 for j in decision.journeys for s in j.steps if s.status == "optional")
    steps = f"{count(todo, 'step to do', lang)}, {count(optional, 'optional', lang)}"
    if lang == "fr":
        journeys = count(len(applies), "journey applies", lang)
        if unsure:
            journeys += f", {count(len(unsure), 'undetermined', lang)}"
        return french(f"{journeys} ; {steps}")
    parts = [f"{tr('applies', lang)}{colon} {', '.join(applies) or tr('none', lang)}"]
    if unsure:
        parts.append(f"{tr('undetermined', lang)}{colon} {', '.join(unsure)}")
    parts.append(f"{todo} {tr('steps to do', lang)}, {optional} {tr('optional', lang)}")
    return "; ".join(parts)

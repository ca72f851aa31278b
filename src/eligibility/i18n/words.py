"""Shared wording for the human-readable renderers, in every language of the tool."""

from __future__ import annotations

from eligibility.decision.model import Decision, JourneyOut, PrecedenceReason, Reason, StepOut
from eligibility.i18n import typography
from eligibility.i18n.typography import french

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
    "does not apply to this product as described: check the answers": (
        "ne s'applique pas à ce produit tel que décrit : vérifiez les réponses"
    ),
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
    # Values a French reader would otherwise see in English (issue 17): confidence tags,
    # INSi operations
    "official": "officielle",
    "third-party": "tierce partie",
    "seed": "parcours guidé",
    "inference": "déduction",
    "gap": "lacune",
    "retrieval": "récupération",
    "verification": "vérification",
}


def tr(english: str, lang: str = "en") -> str:
    """A renderer's own wording in a language (English is the key), French typeset."""
    return french(FRENCH.get(english, english)) if lang == "fr" else english


def colon(lang: str = "en") -> str:
    """A colon as the language writes it (French puts a non-breaking space before it)."""
    return typography.colon(lang)


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
    steps = f"{agree(todo, 'step to do', lang)}, {agree(optional, 'optional', lang)}"
    if lang == "fr":
        journeys = agree(len(applies), "journey applies", lang)
        if unsure:
            journeys += f", {agree(len(unsure), 'undetermined', lang)}"
        return french(f"{journeys} ; {steps}")
    parts = [f"{tr('applies', lang)}{colon} {', '.join(applies) or tr('none', lang)}"]
    if unsure:
        parts.append(f"{tr('undetermined', lang)}{colon} {', '.join(unsure)}")
    parts.append(f"{todo} {tr('steps to do', lang)}, {optional} {tr('optional', lang)}")
    return "; ".join(parts)


#: Counted words (issue 17): English singular and plural, French singular and plural.
#: French puts 0 and 1 in the singular.
_COUNTED: dict[str, tuple[str, str, str, str]] = {
    "step to do": ("step to do", "steps to do", "étape à faire", "étapes à faire"),
    "optional": ("optional", "optional", "facultative", "facultatives"),
    "journey applies": (
        "journey applies",
        "journeys apply",
        "parcours s'applique",
        "parcours s'appliquent",
    ),
    "undetermined": ("undetermined", "undetermined", "indéterminé", "indéterminés"),
    "item": ("item", "items", "élément", "éléments"),
    "error": ("error", "errors", "erreur", "erreurs"),
    "warning": ("warning", "warnings", "avertissement", "avertissements"),
    "done, hidden": (
        "done, hidden (--all shows it)",
        "done, hidden (--all shows them)",
        "déjà fait, masqué (--all le montre)",
        "déjà faits, masqués (--all les montre)",
    ),
}


def agree(count: int, what: str, lang: str = "en") -> str:
    """``count`` followed by a counted word that agrees with it."""
    en_one, en_many, fr_one, fr_many = _COUNTED[what]
    if lang == "fr":
        return f"{count} {fr_one if count < 2 else fr_many}"
    return f"{count} {en_one if count == 1 else en_many}"

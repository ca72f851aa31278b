"""Shared wording for the human-readable renderers, in every language of the tool."""

from __future__ import annotations

from eligibility.decision.model import Decision, JourneyOut, PrecedenceReason, Reason, StepOut

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
    "done, hidden (--all shows them)": "déjà fait(s), masqué(s) (--all les montre)",
    "start early": "à lancer tôt",
    "for": "pour",
    "after": "après",
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
    "error(s)": "erreur(s)",
    "warning(s)": "avertissement(s)",
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
    "{changed} of {total} product(s) change": "{changed} produit(s) sur {total} change(nt)",
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
}


def tr(english: str, lang: str = "en") -> str:
    """A renderer's own wording in a language (English is the key)."""
    return FRENCH.get(english, english) if lang == "fr" else english


def colon(lang: str = "en") -> str:
    """A colon as the language writes it (French puts a space before it)."""
    return " :" if lang == "fr" else ":"


def status_word(status: str, lang: str = "en") -> str:
    """A status as a reader says it."""
    return tr(STATUS_WORDS.get(status, status), lang)


def reason_line(reason: Reason, lang: str = "en") -> str:
    """``text [rule; confidence]``, saying when the rule could not be evaluated, and what
    the rule prevails over (and why) when it decided against a rule or the catalogue."""
    prefix = tr("if it holds: ", lang) if reason.holds is None else ""
    note = precedence_note(reason, lang)
    return f"{prefix}{reason.text} [{reason.rule}; {reason.confidence}]{note}"


def precedence_note(reason: Reason, lang: str = "en") -> str:
    """`` (prevails over X (seed): why)`` for a reason whose rule decided against another
    rule or the catalogue, else nothing."""
    if not isinstance(reason, PrecedenceReason) or reason.precedence is None:
        return ""
    over = ", ".join(f"{o.rule} ({o.confidence})" for o in reason.precedence.over)
    return f" ({tr('prevails over', lang)} {over}{colon(lang)} {reason.precedence.why})"


def advice_line(advice: str, reason: Reason | None) -> str:
    """A piece of advice, with ``[rule; confidence]`` when a rule gave it (advice may be an
    inference), as is when it is the step's own."""
    if reason is None:
        return advice
    return f"{advice} [{reason.rule}; {reason.confidence}]"


def advice_lines(step: StepOut) -> list[str]:
    """A step's advice, each with where it comes from (see :func:`advice_line`)."""
    reasons = list(step.advice_reasons)
    reasons += [None] * (len(step.advice) - len(reasons))
    return [advice_line(a, r) for a, r in zip(step.advice, reasons, strict=True)]


def journey_headline(j: JourneyOut, lang: str = "en") -> str:
    """``title: status, variant X (operations: …)``."""
    colon = " :" if lang == "fr" else ":"
    line = f"{j.title}{colon} {status_word(j.status, lang)}"
    if j.variant:
        line += f", {tr('variant', lang)} {j.variant}"
    if j.operations:
        line += f" ({tr('INSi operations', lang)}{colon} {', '.join(j.operations)})"
    elif j.operations is not None and j.status != "not_applicable":
        line += f" ({tr('no INSi operation', lang)})"
    return line


def summary(decision: Decision, lang: str = "en") -> str:
    """One line: what applies, and how many steps are left."""
    colon = " :" if lang == "fr" else ":"
    applies = [j.id for j in decision.journeys if j.status == "applies"]
    unsure = [j.id for j in decision.journeys if j.status == "undetermined"]
    todo = sum(1 for j in decision.journeys for s in j.steps if s.status == "required")
    optional = sum(1 for j in decision.journeys for s in j.steps if s.status == "optional")
    parts = [f"{tr('applies', lang)}{colon} {', '.join(applies) or tr('none', lang)}"]
    if unsure:
        parts.append(f"{tr('undetermined', lang)}{colon} {', '.join(unsure)}")
    parts.append(f"{todo} {tr('steps to do', lang)}, {optional} {tr('optional', lang)}")
    return "; ".join(parts)

"""The web questionnaire's own words, in English and French.

The questions, their help and choices come from ``rules/questions.yaml`` (the words of
``ask``); the decision's texts from the rules and their translation; the words of the
pages themselves (buttons, headings) are here, keyed by their English wording, and French
is set with its typography (:func:`eligibility.i18n.typography.french`).
"""

from __future__ import annotations

from eligibility.i18n.typography import french

FRENCH = {
    "Which integration journeys apply to your product?": (
        "Quels parcours d'intégration s'appliquent à votre produit ?"
    ),
    "Answer a few questions about your software product: each one is asked only if its "
    "answer can still change which journeys apply (ROR, Mon espace santé, INS, DMP, "
    "MSSanté, ...) or which of their steps remain. Nothing is kept on the server: your "
    "answers travel with the page, and you can download them at the end.": (
        "Répondez à quelques questions sur votre logiciel : chacune n'est posée que si sa "
        "réponse peut encore changer les parcours qui s'appliquent (ROR, Mon espace santé, "
        "INS, DMP, MSSanté…) ou les étapes qui restent. Rien n'est gardé sur le serveur : "
        "vos réponses voyagent avec la page, et vous pouvez les télécharger à la fin."
    ),
    "Product id": "Identifiant du produit",
    "letters, digits, - _ . (it names the downloaded file)": (
        "lettres, chiffres, - _ . (il nomme le fichier téléchargé)"
    ),
    "Product name (optional)": "Nom du produit (facultatif)",
    "Start": "Commencer",
    "Check your answers: {journey} needs {needs}, which does not apply to this product as "
    "described.": (
        "Vérifiez vos réponses : {journey} a besoin de {needs}, qui ne s'applique pas à ce "
        "produit tel qu'il est décrit."
    ),
    "{count} journeys apply": "{count} parcours s'appliquent",
    "1 journey applies": "1 parcours s'applique",
    "{count} steps to do.": "{count} étapes à faire.",
    "{count} still undetermined: see below.": "{count} encore indéterminés : voir plus bas.",
    "Continue from a saved profile": "Reprendre un profil enregistré",
    "Paste the text of a profile file (the one this page or eligibility ask --save "
    "writes): only the questions still needed are asked.": (
        "Collez le texte d'un fichier de profil (celui que cette page ou eligibility ask "
        "--save écrit) : seules les questions encore utiles sont posées."
    ),
    "Continue": "Reprendre",
    "Next": "Suivant",
    "I don't know": "Je ne sais pas",
    "Back": "Retour",
    "Review my answers": "Revoir mes réponses",
    "Tick every answer that holds (none: tick nothing).": (
        "Cochez toutes les réponses qui conviennent (aucune : ne cochez rien)."
    ),
    "A whole number from {lo} to {hi}.": "Un nombre entier de {lo} à {hi}.",
    "{count} answers so far": "{count} réponses pour l'instant",
    "1 answer so far": "1 réponse pour l'instant",
    "So far": "Pour l'instant",
    "{applies} apply, {undetermined} undetermined": (
        "{applies} s'appliquent, {undetermined} indéterminés"
    ),
    "Your answers": "Vos réponses",
    "No answers yet.": "Aucune réponse pour l'instant.",
    "Question": "Question",
    "Answer": "Réponse",
    "Change": "Changer",
    "Go on": "Continuer",
    "There is no earlier question to go back to.": "Il n'y a pas de question précédente.",
    "Decision for": "Décision pour",
    "Rules": "Règles",
    "What applies": "Ce qui s'applique",
    "No journey applies to this product as described.": (
        "Aucun parcours ne s'applique à ce produit tel qu'il est décrit."
    ),
    "Still undetermined": "Encore indéterminé",
    "Answer this": "Y répondre",
    "It depends on": "Cela dépend de",
    "Does not apply": "Ne s'applique pas",
    "Why": "Pourquoi",
    "Steps": "Étapes",
    "Step": "Étape",
    "Status": "Statut",
    "Advice": "Conseils",
    "Prerequisites": "Prérequis",
    "The plan": "Le plan",
    "One to-do list across the journeys, in the order to follow.": (
        "Une seule liste de tâches pour tous les parcours, dans l'ordre à suivre."
    ),
    "Nothing left to do.": "Plus rien à faire.",
    "start early": "à commencer tôt",
    "for": "pour",
    "after": "après",
    "Keep your answers": "Garder vos réponses",
    "Download the profile (YAML)": "Télécharger le profil (YAML)",
    "The same file as eligibility ask --save: eligibility evaluate and eligibility ask "
    "--from take it, and this page can continue from it.": (
        "Le même fichier que eligibility ask --save : eligibility evaluate et eligibility "
        "ask --from le prennent, et cette page peut le reprendre."
    ),
    "Start again": "Recommencer",
    "The page could not be read": "La page n'a pas pu être lue",
    "Start again from the first page.": "Recommencez depuis la première page.",
    "Not understood": "Réponse non comprise",
    "source": "source",
    "met": "rempli",
    "not met": "non rempli",
    "unknown": "inconnu",
    "English": "English",
    "Français": "Français",
    "API": "API",
    "Questionnaire": "Questionnaire",
}


def typeset(text: str) -> str:
    """French text set for reading: non-breaking spaces before ``; : ? !`` and inside
    guillemets, and the typographic apostrophe."""
    return french(text).replace("'", "\u2019")


def t(english: str, lang: str, **params: object) -> str:
    """A page's words in ``lang``, ``params`` filled in."""
    text = FRENCH.get(english, english) if lang == "fr" else english
    if params:
        text = text.format(**params)
    return typeset(text) if lang == "fr" else text

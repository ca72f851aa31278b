"""Languages: the catalogue's and rules' texts in French, and the renderers' own words.

English is written in the catalogue and rule files; every other language lives in
``rules/locales/<lang>.yaml``, keyed by journey, step, shared-step and rule id and by
field, so the rule files stay readable and the ids are the one link between the two. A
translation must cover every text and nothing else: :func:`translation_problems` lists
what is missing or orphaned, and loading a translation with problems fails.

Output is translated at the end, on the result models: :func:`localize` swaps every text
of a decision or a plan (titles, reasons, advice) for its translation. Ids, statuses and
every other JSON field keep their values in every language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from eligibility.errors import RuleFileError, UsageError
from eligibility.i18n.typography import french
from eligibility.rules.loader import RuleSet, read_rule_yaml

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"

Key = tuple[str, ...]

_FRENCH_FIXED = (
    (
        "No rule of the catalogue makes this journey apply to the product.",
        "Aucune règle du catalogue ne rend ce parcours applicable au produit.",
    ),
    (
        "Whether the journey applies is not known yet: see the journey's reasons.",
        "On ne sait pas encore si le parcours s'applique : voir les raisons du parcours.",
    ),
    ("No rule sets the variant.", "Aucune règle ne fixe la variante."),
    ("No rule sets the operations.", "Aucune règle ne fixe les opérations."),
    (
        "Nothing in the profile shows this prerequisite is met.",
        "Rien dans le profil ne montre que ce prérequis est rempli.",
    ),
    (
        "A step of the journey, and no rule exempts the product from it.",
        "Une étape du parcours, et aucune règle n'en exempte le produit.",
    ),
    (
        "An optional step of the journey, as the guided tour marks it.",
        "Une étape facultative du parcours, comme le parcours guidé la marque.",
    ),
)

#: Texts the code writes itself (the decision's default reasons), by language.
FIXED_TEXTS: dict[str, dict[str, str]] = {"fr": dict(_FRENCH_FIXED)}


def catalogue_texts(ruleset: RuleSet) -> dict[Key, str]:
    """Every translatable English text of the catalogue and rules, by translation key."""
    return dict(_texts(ruleset))


def _listed(prefix: Key, values: list[str]) -> Iterator[tuple[Key, str]]:
    for i, value in enumerate(values):
        yield (*prefix, str(i)), value


def _texts(ruleset: RuleSet) -> Iterator[tuple[Key, str]]:
    for j in ruleset.journeys:
        yield ("journeys", j.id, "title"), j.title
        yield ("journeys", j.id, "description"), j.description
        for v in j.variants:
            yield ("journeys", j.id, "variants", v.id), v.title
        for p in j.prerequisites:
            yield ("journeys", j.id, "prerequisites", p.id), p.title
        for d in j.depends_on:
            yield ("journeys", j.id, "depends_on", d.id, "reason"), d.reason
            if d.note:
                yield ("journeys", j.id, "depends_on", d.id, "note"), d.note
        for s in j.steps:
            yield ("steps", s.id, "title"), s.title
            yield ("steps", s.id, "description"), s.description
            yield from _listed(("steps", s.id, "advice"), s.advice)
            yield from _listed(("steps", s.id, "vigilance"), s.vigilance)
            for i, src in enumerate(s.sources):
                if src.note:
                    yield ("steps", s.id, "source_notes", str(i)), src.note
    for sh in ruleset.shared_steps:
        yield ("shared_steps", sh.id, "title"), sh.title
        yield ("shared_steps", sh.id, "description"), sh.description
        yield from _listed(("shared_steps", sh.id, "advice"), sh.advice)
        yield from _listed(("shared_steps", sh.id, "vigilance"), sh.vigilance)
    for r in ruleset.rules:
        yield ("rules", r.id, "text"), r.text
        if r.note:
            yield ("rules", r.id, "note"), r.note
        if r.then.advice:
            yield ("rules", r.id, "advice"), r.then.advice
        if r.precedence:
            yield ("rules", r.id, "precedence"), r.precedence.why


def _flatten(data: Any, prefix: Key = ()) -> Iterator[tuple[Key, Any]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _flatten(v, (*prefix, str(k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _flatten(v, (*prefix, str(i)))
    else:
        yield prefix, data


def locale_path(ruleset: RuleSet, lang: str) -> Path:
    """Where a language's translations of a ruleset live."""
    return Path(ruleset.root) / "locales" / f"{lang}.yaml"


def read_locale(path: Path) -> dict[Key, Any]:
    """Read a translation file into flat keys.

    Raises:
        RuleFileError: the file is missing, unreadable or not a mapping.
    """
    data = read_rule_yaml(path)
    if not isinstance(data, dict):
        raise RuleFileError(str(path), ["a translation file is a mapping"])
    return dict(_flatten(data))


def translation_problems(ruleset: RuleSet, translated: dict[Key, Any]) -> list[str]:
    """Missing, empty and orphan translations, one line each, in key order."""
    expected = catalogue_texts(ruleset)
    problems = []
    for key in expected:
        value = translated.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"missing translation: {'/'.join(key)}")
    problems += [
        f"orphan translation (no such text): {'/'.join(key)}"
        for key in translated
        if key not in expected
    ]
    return problems


@dataclass(frozen=True)
class Translation:
    """English text -> text in one language (English itself maps every text to itself)."""

    lang: str
    texts: dict[str, str]

    def text(self, english: str) -> str:
        """The translation of an English text, or the text itself when there is none."""
        return self.texts.get(english, english)


def load_translation(ruleset: RuleSet, lang: str) -> Translation:
    """Load a language's translation of a ruleset's texts.

    Raises:
        UsageError: the language is not one of :data:`LANGUAGES`.
        RuleFileError: the translation file misses a text or has one that does not exist.
    """
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; choose among {', '.join(LANGUAGES)}")
    if lang == DEFAULT_LANGUAGE:
        return Translation(lang, {})
    path = locale_path(ruleset, lang)
    translated = read_locale(path)
    problems = translation_problems(ruleset, translated)
    if problems:
        raise RuleFileError(
            str(path),
            problems[:10] + ([f"... and {len(problems) - 10} more"] if len(problems) > 10 else []),
        )
    texts = dict(FIXED_TEXTS.get(lang, {}))
    for key, english in catalogue_texts(ruleset).items():
        texts[english] = translated[key]
    if lang == "fr":  # typeset before any renderer wraps the text
        texts = {english: french(text) for english, text in texts.items()}
    return Translation(lang, texts)


T = TypeVar("T")

#: Fields of the result models that hold text for a reader (all others are data).
_TEXT_FIELDS = frozenset({"title", "text", "reason", "why"})
_TEXT_LIST_FIELDS = frozenset({"advice"})


def localize(result: T, translation: Translation) -> T:
    """Return a copy of a decision or a plan with every reader's text translated."""
    if not translation.texts:
        return result
    return _map(result, translation.text)  # type: ignore[no-any-return]


def _map(value: Any, text: Callable[[str], str]) -> Any:
    if isinstance(value, list):
        return [_map(v, text) for v in value]
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(value):
        current = getattr(value, f.name)
        if f.name in _TEXT_FIELDS and isinstance(current, str):
            changes[f.name] = text(current)
        elif f.name in _TEXT_LIST_FIELDS and isinstance(current, list):
            changes[f.name] = [text(v) for v in current]
        elif isinstance(current, list) or dataclasses.is_dataclass(current):
            changes[f.name] = _map(current, text)
    return dataclasses.replace(value, **changes)

"""A checker of French output: typography, and no untranslated word, id or enum value.

Typography (what a French reader expects): a non-breaking space (U+00A0 or U+202F)
before ``; : ? !`` and inside guillemets, no straight double quotes in prose, no line
that starts with one of those marks (a wrapped line), no ``(s)`` in place of agreement.

Words: a token of the output must not be an English word (a small list of words French
does not share), a value of the profile contract or of the decision (``non_repository``,
``not_applicable``, ``retrieval``, a confidence tag), or an id of the catalogue used as a
word. Catalogue ids are allowed as references only: inside ``[...]``, ``(...)`` or backquotes,
the way the renderers cite a rule or a step (``[ins.applies.health-data ; officielle]``,
``(ins.deployment)``), and in a command line; the other words there are checked too.
URLs and file paths are skipped. Proper nouns and acronyms of the domain (INSi, Pro Santé
Connect...) are French text too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

from eligibility.profile.model import FIELDS
from eligibility.rules.loader import RuleSet

NBSPS = "\u00a0\u202f"

#: English words that are not also French words (so their presence means a leak).
# fmt: off
ENGLISH = frozenset(
    [
        "the", "and", "of", "with", "for", "from", "to", "this", "that", "these", "which",
        "whether", "when", "where", "while", "is", "are", "be", "been", "was", "were", "it",
        "its", "by", "if", "not", "no", "yes", "none", "all", "any", "other", "than",
        "applies", "apply", "undetermined", "required", "optional", "done",
        "met", "unknown", "step", "steps", "journey", "journeys", "rule", "rules", "decision",
        "summary", "variant", "variants", "because", "why", "advice", "missing", "answer",
        "answers", "answered", "asked", "ask", "retrieval", "verification", "repository",
        "official", "seed", "inference", "gap", "third", "party", "third-party", "holds",
        "fails", "prerequisite", "prerequisites", "depends", "needs", "after", "should",
        "must", "can", "may", "will", "would", "could", "here", "there", "what", "who", "how",
    ]
)
# fmt: on

#: Values of the profile contract and of the decision that are not French words.
DECISION_VALUES = frozenset(
    {
        "applies",
        "not_applicable",
        "undetermined",
        "required",
        "optional",
        "done",
        "official",
        "third-party",
        "seed",
        "inference",
        "gap",
        "retrieval",
        "verification",
        "holds",
        "fails",
        "unknown",
    }
)

_URL = re.compile(r"(?:https?|file)://\S+|\b[\w.-]+\.(?:yaml|yml|json|jsonl|csv|md|html)\b")
_REFERENCE = re.compile(r"\[[^\]]*\]|\([^()]*\)|`[^`\n]*`")
_COMMAND = re.compile(r"(?:^|\s)eligibility\b[^\n]*|(?<![\w-])--[\w-]+")
_TOKEN = re.compile(r"[\w][\w.:'’/-]*[\w]|[\w]")
_MARK = re.compile(r"[;:?!]")


def contract_values() -> frozenset[str]:
    """The enum and list values of the profile contract, and its field names."""
    values: set[str] = set(FIELDS)
    for spec in FIELDS.values():
        if spec.kind in ("enum", "list"):
            values |= {str(v) for v in spec.values}
    return frozenset(values)


def catalogue_ids(ruleset: RuleSet) -> frozenset[str]:
    """Every id of the catalogue: journeys, variants, prerequisites, steps, rules."""
    ids: set[str] = set()
    for j in ruleset.journeys:
        ids.add(j.id)
        ids |= {v.id for v in j.variants}
        ids |= {p.id for p in j.prerequisites}
        ids |= {s.id for s in j.steps}
    ids |= {s.id for s in ruleset.shared_steps}
    ids |= {r.id for r in ruleset.rules}
    return frozenset(ids)


#: Acronyms and names that read the same in French (besides those the catalogue uses).
# fmt: off
ALLOWED = frozenset(
    [
        "PACS", "SaaS", "EAI", "PFI", "API", "FHIR", "IGC-Santé", "CPx", "CPS", "CPA", "CPE",
        "CPF", "ApCV", "LATM", "LPPR", "PECAN", "PECT", "DMN", "DMP", "INS", "INSi", "ROR",
        "ANS", "CNDA", "HDS", "MSSanté", "DataPass", "OpenID", "Connect", "e-CPS", "iSC",
        "e-prescription",
    ]
)
# fmt: on


def typography_problems(text: str) -> list[str]:
    """French typography errors, one line each (line number and the faulty excerpt)."""
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        prose = _URL.sub(" ", line)
        stripped = prose.strip()
        if stripped.startswith("! "):  # a bullet that marks a conflict, not punctuation
            prose = prose.replace("! ", "  ", 1)
            stripped = stripped[2:]
        if stripped[:1] in (":", ";", "?", "!", "»"):
            problems.append(f"line {number}: starts with {stripped[0]!r}: {line.strip()!r}")
        for m in _MARK.finditer(prose):
            before = prose[m.start() - 1] if m.start() else ""
            after = prose[m.end()] if m.end() < len(prose) else " "
            if after not in " \u00a0\u202f)»,." and not after.isspace():
                continue  # inside a token: 10:30, sha256:…, ?3
            if before == " ":
                problems.append(f"line {number}: plain space before {m.group()!r}: {line!r}")
            elif before and before not in NBSPS:
                problems.append(f"line {number}: no space before {m.group()!r}: {line!r}")
        if re.search(r"«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»", prose):
            problems.append(f"line {number}: guillemets without non-breaking space: {line!r}")
        if re.search(r'"[^"\n]+"', _REFERENCE.sub(" ", prose)):
            problems.append(f"line {number}: straight quotes, not guillemets: {line!r}")
        if "(s)" in prose:
            problems.append(f"line {number}: '(s)' instead of agreement: {line!r}")
    return problems


def word_problems(text: str, ids: Iterable[str] = ()) -> list[str]:
    """Untranslated words, contract or decision values, and ids used as words."""
    known_ids = frozenset(ids)
    values = contract_values()
    problems: list[str] = []
    # a reference may be wrapped over two lines: blank it out in the whole text, keeping lines
    originals = text.splitlines()

    def cited(m: re.Match[str]) -> str:  # ids may be cited; the other words stay checked
        return _TOKEN.sub(
            lambda t: " " * len(t.group()) if _is_id(t.group()) else t.group(), m.group()
        )

    def _is_id(token: str) -> bool:
        bare = token.removeprefix("catalogue:").strip(".:")
        return bare in known_ids or bool(re.fullmatch(r"[0-9a-f]{8,}|sha256:\S+|[\d.]+", bare))

    blanked = _REFERENCE.sub(cited, text)
    for number, (line, kept) in enumerate(zip(originals, blanked.splitlines(), strict=True), 1):
        prose = _COMMAND.sub(" ", _URL.sub(" ", kept))
        for token in _TOKEN.findall(prose):
            bare = token.strip(".:'’")
            if not bare or bare in ALLOWED:
                continue
            lower = bare.lower()
            if bare in known_ids and (
                "." in bare or "-" in bare or "_" in bare or lower in ENGLISH
            ):
                problems.append(f"line {number}: id {bare!r} used as a word: {line!r}")
            elif ("_" in bare and bare in values) or bare in DECISION_VALUES:
                problems.append(f"line {number}: value {bare!r} not translated: {line!r}")
            elif lower in ENGLISH and bare == lower:
                problems.append(f"line {number}: English word {bare!r}: {line!r}")
    return problems


def french_problems(text: str, ids: Iterable[str] = ()) -> list[str]:
    """Every typography and word problem of a French text."""
    return typography_problems(text) + word_problems(text, ids)


#: What the portfolio report's matrix writes in a cell: a status mark, not a word.
_MARKS = re.compile(r"[✓?–!·\s]*")
#: Tags that start a new line of text (the others, links, bold, code, flow in a line).
# fmt: off
_BLOCKS = frozenset(
    [
        "title", "h1", "h2", "h3", "h4", "p", "li", "ul", "ol", "tr", "td", "th", "div",
        "section", "header", "summary", "details", "option", "label", "br", "table",
    ]
)
# fmt: on


class _Text(HTMLParser):
    """The text a reader sees in an HTML page, a line per block (paragraph, item, cell),
    without style or script. A status mark alone in its element (a cell of the matrix, the
    legend) is left out: ``?`` and ``!`` there are symbols, not marks after a word; ``<code>``
    cites an id, as backquotes do in text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        self._tag(tag, 1)

    def handle_endtag(self, tag: str) -> None:
        self._tag(tag, -1)

    def _tag(self, tag: str, opens: int) -> None:
        self._skip += opens * (tag in ("style", "script"))
        if tag in _BLOCKS:
            self.lines.append("")
        elif tag == "code":  # a cited id, as backquotes cite it in text
            self.lines[-1] += "`"

    def handle_data(self, data: str) -> None:
        if not self._skip and not _MARKS.fullmatch(data):  # a mark alone is a symbol
            self.lines[-1] += re.sub(r"[ \t\r\n]+", " ", data)


def html_text(page: str) -> str:
    """The visible text of an HTML page, a line per block (see :class:`_Text`)."""
    parser = _Text()
    parser.feed(page)
    return "\n".join(line.strip() for line in parser.lines if line.strip())

"""The one exception hierarchy of the package.

Every error the library raises on bad input is an :class:`EligibilityError`; the CLI
translates it into a message and an exit status in one place (``cli.errors``). The
messages of a bad profile are :class:`~eligibility.display.Sentence` objects, so that the
command line can say them in the user's language (:meth:`EligibilityError.text`). This
module imports only :mod:`eligibility.display`, which imports nothing from the package,
so every other module can import it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from eligibility.display import Sentence, cut, shown

#: Where a problem is when it is not one field: the whole profile, or the line of the file.
WHOLE_PROFILE = Sentence("(profile)")
WHOLE_LINE = Sentence("(line)")


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field: where it is, what was found, what is allowed.

    ``message`` is a :class:`~eligibility.display.Sentence` when the tool wrote it (a few
    rare ones keep pydantic's English words).
    """

    loc: str
    message: str
    value: object = None
    has_value: bool = False

    def sentence(self) -> Sentence:
        """``loc: message (got value)``, the value and the place cut short."""
        if self.has_value:
            return Sentence(
                "{loc}: {message} (got {value})",
                loc=cut(self.loc),
                message=self.message,
                value=shown(self.value),
            )
        return Sentence("{loc}: {message}", loc=cut(self.loc), message=self.message)

    def render(self) -> str:
        """Return ``loc: message (got value)``, the value and the place cut short."""
        return str(self.sentence())


#: The most problems of one profile listed in a message; the rest are counted.
PROBLEMS_SHOWN = 20


def few(problems: Sequence[FieldProblem]) -> tuple[FieldProblem, ...]:
    """The first PROBLEMS_SHOWN problems, and a last one counting the others when there are
    more (a profile of 50 000 unknown fields makes one screen of message, not 50 000 lines)."""
    if len(problems) <= PROBLEMS_SHOWN:
        return tuple(problems)
    more = len(problems) - PROBLEMS_SHOWN
    counted = Sentence("and {more:,} more problems", more=more)
    return (*problems[:PROBLEMS_SHOWN], FieldProblem("...", counted))


class EligibilityError(Exception):
    """Base of every error the tool reports to its user (exit status 1)."""

    exit_code = 1

    def text(self, localize: Callable[[str], str] = str) -> str:
        """The message, each of its sentences passed through ``localize`` (which gives a
        sentence in a language; by default the message as it is, in English)."""
        return localize(str(self))


class UsageError(EligibilityError):
    """The command was called wrongly (exit status 2)."""

    exit_code = 2


class InputFileError(EligibilityError):
    """A file could not be read or parsed at all."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.detail = message
        super().__init__(f"{path}: {message}")

    def text(self, localize: Callable[[str], str] = str) -> str:
        """The file's name and the message (translated when it is a sentence)."""
        return localize(Sentence("{path}: {detail}", path=self.path, detail=self.detail))

    def __reduce__(self) -> tuple[type[InputFileError], tuple[str, str]]:
        # So that it crosses from a worker process as itself (args hold the whole message).
        return (type(self), (self.path, self.detail))


class ProfileError(EligibilityError):
    """A profile failed validation; names the source, the row when there is one, each field."""

    def __init__(
        self, source: str, problems: Sequence[FieldProblem], row: int | None = None
    ) -> None:
        self.source = source
        self.row = row
        self.problems = few(problems)
        where = source if row is None else Sentence("{source}, row {row}", source=source, row=row)
        self.heading = Sentence("{where}: invalid profile", where=where)
        super().__init__(self.text())

    def text(self, localize: Callable[[str], str] = str) -> str:
        """The heading, then each problem on a line of its own, indented."""
        lines = [localize(self.heading), *(f"  {localize(p.sentence())}" for p in self.problems)]
        return "\n".join(lines)


class RuleFileError(EligibilityError):
    """A rule or catalogue file is invalid; names the file and, when known, the rule id."""

    def __init__(self, path: str, problems: Iterable[str], rule_id: str | None = None) -> None:
        self.path = path
        self.rule_id = rule_id
        self.problems = tuple(problems)
        where = path if rule_id is None else f"{path}: rule {rule_id}"
        lines = [f"{where}: invalid rules"] + [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class EngineError(EligibilityError):
    """The rule engine failed while evaluating; names the rule when it is known."""

    def __init__(self, message: str, rule_id: str | None = None) -> None:
        self.rule_id = rule_id
        super().__init__(message if rule_id is None else f"rule {rule_id}: {message}")


class StoreError(EligibilityError):
    """The audit store cannot be opened, read or written; names the store."""

    def __init__(self, store: str, message: str) -> None:
        self.store = store
        self.detail = message
        super().__init__(f"audit store {store}: {message}")


class NoStoreError(StoreError):
    """There is no audit store where one was expected (no file, an empty one, no tables).

    ``reason`` says which, in a few words (``no such file``, ...). ``message`` may say how
    to record a decision (which creates the store) with a ``{record}`` placeholder: the
    message is in the command line's words (``--record``); :meth:`recording_with` gives it
    in another front end's (the HTTP API's ``record=true``).
    """

    def __init__(self, store: str, message: str, reason: str) -> None:
        self.template = message
        super().__init__(store, message.format(record="--record"))
        self.reason = reason

    def recording_with(self, record: str) -> str:
        """The whole message, ``record`` named as the way to record a decision."""
        return f"audit store {self.store}: {self.template.format(record=record)}"

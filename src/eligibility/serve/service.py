"""The library behind the server, run on one thread of its own per process.

durable-rules keeps process-global state and is not thread-safe, and the questionnaire's
relevance search and the audit store's connection are not either; so everything that
touches them runs on one dedicated thread (:meth:`Service.run` hands a call to it and
awaits the result). The event loop stays free to read and write HTTP meanwhile, and
several processes (``eligibility serve --workers N``) give several engines.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
from collections.abc import Callable, Collection, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from eligibility.audit.backend import open_store
from eligibility.audit.record import AuditRecord, RecordSettings, record_content
from eligibility.audit.store import AuditStore, Filters, default_store, redact
from eligibility.batch.run import RowEvaluator, mark_duplicates
from eligibility.decision.evaluator import Evaluator
from eligibility.decision.model import Decision
from eligibility.decision.relevance import Relevance, Stage
from eligibility.errors import InputFileError, NoStoreError, StoreError
from eligibility.i18n.translation import LANGUAGES, Translation, load_translation, localize
from eligibility.plan.plan import Plan, plan_profile
from eligibility.profile.model import Profile
from eligibility.profile.portfolio import RawRow, input_format_of, read_rows
from eligibility.questionnaire.questions import Lang, Prompt, Questions, load_questions
from eligibility.questionnaire.session import open_session
from eligibility.questionnaire.step import Asked, describe_prompt, next_question
from eligibility.render import render
from eligibility.render.portfolio import jsonl
from eligibility.rules.loader import RuleSet, load_ruleset
from eligibility.serve.settings import BODY, ServeSettings

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Decided:
    """A decision as ``evaluate --format json`` prints it, and its record when recorded."""

    json: bytes
    decision: Decision
    record: AuditRecord | None = None


class Service:
    """The rules, the engine, the questionnaire and the audit store of one server process.

    Build it, then call its methods through :meth:`run` only (they run on the engine
    thread); :meth:`close` waits for the calls under way, then closes the store.

    Raises:
        RuleFileError: the rules or the questions cannot be loaded.
    """

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.store_location = settings.store or default_store()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine")
        self._store: AuditStore | None = None
        self._mask_key: bytes | None = None
        # One row evaluator per trace setting, made at the first portfolio (durable-rules
        # never frees a network, so none is made per request).
        self._row_evaluators: dict[bool, RowEvaluator] = {}
        # Built on the engine thread: the Rete networks are made where they will run.
        self._executor.submit(self._load).result()

    def _load(self) -> None:
        self.ruleset: RuleSet = load_ruleset(self.settings.rules_dir)
        self.questions: Questions = load_questions(self.settings.rules_dir)
        self.evaluator = Evaluator(self.ruleset, self.settings.engine)
        # The relevance search as `ask` sets it up (one per process: it caches evaluations).
        self.relevance: Relevance = open_session(self.ruleset, self.questions)[0].relevance
        self.translations: dict[str, Translation] = {
            lang: load_translation(self.ruleset, lang) for lang in LANGUAGES
        }

    async def run(self, call: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``call`` on the engine thread and return its result (or raise its error)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(call, *args, **kwargs))

    def close(self) -> None:
        """Finish the calls under way, then close the audit store."""
        self._executor.submit(self._close_store).result()
        self._executor.shutdown(wait=True)

    # -- on the engine thread ------------------------------------------------------------------

    def decide(
        self,
        profile: Profile,
        *,
        trace: bool = True,
        lang: str = "en",
        labels: Mapping[str, str] | None = None,
    ) -> Decided:
        """Evaluate, record when ``labels`` is given (even empty), render as JSON in ``lang``.

        Raises:
            StoreError: the decision could not be recorded (nothing was).
        """
        decision = self.evaluator.evaluate(profile, with_trace=trace)
        record = None
        if labels is not None:
            # Recorded in the rules' own language, as `evaluate --record` records it.
            record = self._record(profile, decision, labels)
        shown = localize(decision, self.translations[lang])
        return Decided(render(shown, "json", lang).encode(), shown, record)

    def evaluate(self, profile: Profile, lang: str = "en") -> Decision:
        """The decision without its trace, its texts in ``lang``."""
        decision = self.evaluator.evaluate(profile, with_trace=False)
        return localize(decision, self.translations[lang])

    def plan(self, profile: Profile, lang: str = "en") -> Plan:
        """The product's to-do list, as ``eligibility plan`` makes it."""
        return plan_profile(profile, self.evaluator, lang=lang)

    def next_question(
        self, answers: Mapping[str, Any], lang: Lang = "en", declined: Collection[str] = ()
    ) -> Asked | None:
        """What ``ask`` would ask next given ``answers`` and the checklist items ``declined``
        (None: nothing can change the decision)."""
        return next_question(self.relevance, self.questions, answers, lang, declined)

    def describe(
        self,
        prompt: Prompt,
        answers: Mapping[str, Any],
        lang: Lang = "en",
        stage: Stage | None = None,
    ) -> Asked:
        """A question asked again (back, a change from the review, another language)."""
        return describe_prompt(self.relevance, self.questions, prompt, answers, lang, stage)

    def portfolio_rows(self, path: str, fmt: str) -> Iterator[RawRow]:
        """The rows of a portfolio file, read lazily, a repeated product id marked, as
        ``batch`` reads them.

        Raises:
            UsageError: ``fmt`` is not a portfolio format.
        """
        input_format_of(path, fmt)  # an unknown format is refused before any row is read
        return mark_duplicates(read_rows(path, fmt))

    def portfolio_lines(self, rows: Iterator[RawRow], count: int, *, trace: bool) -> list[bytes]:
        """The next ``count`` rows (fewer at the end) evaluated, each as its JSONL line, as
        ``batch --format jsonl`` writes it (empty: no row left).

        Raises:
            InputFileError: the portfolio's structure is broken beyond one row (named as
                the request body).
        """
        evaluate_row = self._row_evaluators.get(trace)
        if evaluate_row is None:
            evaluate_row = RowEvaluator(
                self.ruleset, self.settings.engine, jsonl.fragment, with_trace=trace, source=BODY
            )
            self._row_evaluators[trace] = evaluate_row
        try:
            return [evaluate_row(raw).payload for raw in itertools.islice(rows, count)]
        except InputFileError as exc:
            raise InputFileError(BODY, exc.detail) from None

    def _record(
        self, profile: Profile, decision: Decision, labels: Mapping[str, str]
    ) -> AuditRecord:
        settings = RecordSettings(
            self.store_location, dict(labels), self.settings.actor, self.settings.mask
        )
        store = self._opened(create=True)
        try:
            content = record_content(
                profile,
                decision,
                self.ruleset,
                settings,
                self.settings.engine,
                mask_key=self._mask_key,
            )
            (record,) = store.append([content], self.ruleset)
        except StoreError:
            self._close_store()  # a broken connection is opened afresh next time
            raise
        return record

    def records(self, filters: Filters, after: int, limit: int) -> list[AuditRecord]:
        """Up to ``limit`` records past position ``after``, in chain order (none: no store)."""
        try:
            store = self._opened(create=False)
        except NoStoreError:
            return []
        kept = (r for r in store.records(filters) if r.seq > after)
        return list(itertools.islice(kept, limit))

    def find(self, ref: str) -> AuditRecord:
        """The record named by a decision id (or a unique prefix of it) or ``#SEQ``.

        Raises:
            StoreError: there is no such record (or no store), or the prefix is ambiguous.
        """
        record = self._opened(create=False).find(ref)
        _ = record.content  # checked here, where its errors are reported
        return record

    def _opened(self, *, create: bool) -> AuditStore:
        if self._store is None:
            store = open_store(self.store_location, create=create)
            try:
                if self.settings.mask:
                    self._mask_key = store.mask_key()
            except BaseException:
                store.close()
                raise
            self._store = store
        return self._store

    def _close_store(self) -> None:
        if self._store is not None:
            store, self._store = self._store, None
            store.close()

    def store_name(self) -> str:
        """The audit store's location, fit for messages (a URL loses its password)."""
        return redact(self.store_location)

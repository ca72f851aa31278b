"""JSON documents: every JSON the tool prints goes through :func:`json_text`.

A decision is exactly the contract's shape (``shared/spec/decision.md``); plans, audit
records and the reports of ``rules`` and ``explain`` are their models' fields, in order.
"""

from __future__ import annotations

from typing import Any

import orjson

from eligibility.decision.model import Decision
from eligibility.render.view import View


def json_text(data: Any) -> str:
    """Indented JSON, one trailing newline; the same data always gives the same text.

    ``data`` is plain JSON data or a dataclass (its fields in declaration order).
    """
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"


def render_json(decision: Decision, lang: str = "en", view: View | None = None) -> str:  # noqa: ARG001
    """The decision as an indented JSON document.

    ``lang`` and ``view`` are accepted for a uniform renderer signature: the texts inside
    the decision are translated beforehand (:func:`eligibility.i18n.translation.localize`),
    the field names never.
    """
    return json_text(decision)

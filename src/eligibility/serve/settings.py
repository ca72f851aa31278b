"""What one server runs with: the rules, the engine, the audit store, the size limits.

``eligibility serve --workers N`` starts N processes, each building its own application
from these settings; they travel to the worker processes as JSON in one environment
variable (:data:`SETTINGS_VARIABLE`), which :func:`settings_from_env` reads back.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import Literal

from eligibility.profile.limits import PROFILE_BYTES

EngineName = Literal["durable", "python"]

#: Where :func:`settings_from_env` finds the settings of a worker process.
SETTINGS_VARIABLE = "ELIGIBILITY_SERVE_SETTINGS"

#: How a request body is named in messages (where the command line names a file).
BODY = "request body"

#: The largest profile (or questionnaire, or web form) body accepted: the largest profile
#: file the command line reads.
PROFILE_BODY_BYTES = PROFILE_BYTES

#: The largest portfolio body accepted (some 100 000 products in CSV).
PORTFOLIO_BODY_BYTES = 64 << 20


@dataclass(frozen=True)
class ServeSettings:
    """How to serve.

    Args:
        rules_dir: the rules directory (None: the shipped rules).
        store: the audit store, a SQLite file or a ``postgresql://`` URL (None: the
            per-user default store).
        engine: ``durable`` (the Rete engine) or ``python`` (the interpreter).
        actor: who records, kept with each record made through the server.
        mask: profile fields of which records keep only a keyed hash.
        profile_body_bytes: the largest profile, questionnaire or form body accepted.
        portfolio_body_bytes: the largest portfolio body accepted.
    """

    rules_dir: str | None = None
    store: str | None = None
    engine: EngineName = "durable"
    actor: str | None = None
    mask: tuple[str, ...] = field(default=())
    profile_body_bytes: int = PROFILE_BODY_BYTES
    portfolio_body_bytes: int = PORTFOLIO_BODY_BYTES

    def to_env(self) -> str:
        """The settings as the JSON text :func:`settings_from_env` reads."""
        return json.dumps(asdict(self), sort_keys=True)


def settings_from_env() -> ServeSettings:
    """The settings put in the environment by ``eligibility serve`` (defaults if none)."""
    text = os.environ.get(SETTINGS_VARIABLE)
    if not text:
        return ServeSettings()
    data = json.loads(text)
    data["mask"] = tuple(data.get("mask", ()))
    return ServeSettings(**data)

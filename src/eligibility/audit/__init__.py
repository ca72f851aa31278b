"""The audit log: recorded decisions in a hash-chained store, with their rules, for replay.

The public API::

    from eligibility.audit import RecordSettings, record_decisions, open_store, verify
    record_decisions(RecordSettings("audit.sqlite"), ruleset, [(profile, decision)])
    with open_store("audit.sqlite") as store:
        assert verify(store).ok

Signed checkpoints are in :mod:`eligibility.audit.checkpoint` and their keys in
:mod:`eligibility.audit.keys` (not imported here: importing the signature library would
cost every command some 40 ms)::

    result, checkpoint = make_checkpoint(store, load_signing_key(key_path))
    # later, with the public key: the store still extends the checkpoint
    result, where = verify_location("audit.sqlite", read_checkpoint(path, public_key))
"""

from eligibility.audit.backend import open_store
from eligibility.audit.diff import Change, diff_decisions
from eligibility.audit.record import AuditRecord, RecordSettings, decision_id
from eligibility.audit.recording import NullRecorder, Recorder, record_decisions, recorder_for
from eligibility.audit.replay import Replay, Replayer, ReplaySummary, replay_all
from eligibility.audit.store import AuditStore, Filters, default_store
from eligibility.audit.verify import Verification, verify, verify_location

__all__ = [
    "AuditRecord",
    "AuditStore",
    "Change",
    "Filters",
    "NullRecorder",
    "RecordSettings",
    "Recorder",
    "Replay",
    "ReplaySummary",
    "Replayer",
    "Verification",
    "decision_id",
    "default_store",
    "diff_decisions",
    "open_store",
    "record_decisions",
    "recorder_for",
    "replay_all",
    "verify",
    "verify_location",
]

"""Every profile field added for the extension journeys is documented."""

from __future__ import annotations

from eligibility.profile.model import FIELDS
from tests.conftest import ROOT

DOC = ROOT / "docs" / "profile-extensions.md"
LAST_CONTRACT_FIELD = "has_cnda_contract"


def extension_fields() -> list[str]:
    names = list(FIELDS)
    return names[names.index(LAST_CONTRACT_FIELD) + 1 :]


def test_extension_fields_come_after_the_contract_fields() -> None:
    """New fields are appended: the contract's fields keep their order."""
    assert extension_fields()[0] == "authenticates_health_professionals"
    assert len(extension_fields()) == 20


def test_every_extension_field_has_a_row_in_the_doc() -> None:
    """docs/profile-extensions.md has a table row for each new field."""
    text = DOC.read_text(encoding="utf-8")
    assert [f for f in extension_fields() if f"| `{f}` |" not in text] == []


def test_the_doc_lists_every_value_of_the_new_enums_and_lists() -> None:
    """The allowed values are spelled out in the doc."""
    text = DOC.read_text(encoding="utf-8")
    for name in extension_fields():
        spec = FIELDS[name]
        if spec.kind in ("enum", "list"):
            assert [v for v in spec.values if f"`{v}`" not in text] == [], name

"""The profile model: contract fields, unknown answers, and errors that name the field."""

from __future__ import annotations

import pytest

from eligibility.errors import ProfileError
from eligibility.profile.model import FIELDS, parse_profile


class TestParseProfile:
    def test_absent_and_null_fields_are_unknown(self) -> None:
        """A field left out or set to null is None (unknown), never False."""
        p = parse_profile({"id": "x", "processes_health_data": None})
        assert p.processes_health_data is None
        assert p.is_identity_repository is None
        assert p.known() == {}

    def test_null_fields_are_told_apart_from_absent_ones(self) -> None:
        """Both unknown, but a null is a "don't know" answer, which ask can ask again."""
        p = parse_profile({"id": "x", "name": None, "ror_roles": [], "storage_role": None})
        assert p.dont_know() == {"storage_role"}

    def test_an_explicit_empty_list_is_known(self) -> None:
        """[] means 'none', which is an answer."""
        p = parse_profile({"id": "x", "ror_roles": []})
        assert p.known() == {"ror_roles": []}

    def test_enum_values_are_read_from_strings(self) -> None:
        """YAML strings become the enum values of the contract."""
        p = parse_profile({"id": "x", "storage_role": "archive", "ror_roles": ["supplier"]})
        assert p.known() == {"storage_role": "archive", "ror_roles": ["supplier"]}

    def test_unknown_field_is_named(self) -> None:
        """A misspelt field is an error naming it, never silently dropped."""
        with pytest.raises(ProfileError) as err:
            parse_profile({"id": "x", "is_identiy_repository": False}, source="p.yaml")
        assert "p.yaml" in str(err.value)
        assert "is_identiy_repository: unknown field" in str(err.value)

    def test_an_unknown_field_suggests_the_closest_name(self) -> None:
        """A misspelt name gets the field it most likely meant, and where the fields are."""
        with pytest.raises(ProfileError) as err:
            parse_profile({"id": "x", "is_identiy_repository": False}, source="p.yaml")
        assert str(err.value) == (
            "p.yaml: invalid profile\n"
            "  is_identiy_repository: unknown field; did you mean is_identity_repository? "
            "(every field: `eligibility fields`, docs/profile.md) (got False)"
        )

    def test_a_name_close_to_no_field_gets_no_guess(self) -> None:
        """Nothing is suggested for a name like no field; the list is still pointed to."""
        with pytest.raises(ProfileError) as err:
            parse_profile({"id": "x", "colour": "blue"})
        assert "colour: unknown field (every field: `eligibility fields`, docs/profile.md)" in (
            str(err.value)
        )

    def test_a_field_name_in_capitals_is_suggested_in_lower_case(self) -> None:
        """Field names are lower case: ``Name`` is suggested ``name``."""
        with pytest.raises(ProfileError, match=r"did you mean name\?"):
            parse_profile({"id": "x", "Name": "Product"})

    def test_bad_enum_value_lists_what_is_allowed(self) -> None:
        """The message gives the value found and the allowed ones."""
        with pytest.raises(ProfileError) as err:
            parse_profile({"id": "x", "storage_role": "cold"})
        message = str(err.value)
        assert "storage_role" in message and "'cold'" in message and "'archive'" in message

    def test_a_string_is_not_a_boolean(self) -> None:
        """Types are strict: "yes" is not true in a profile file."""
        with pytest.raises(ProfileError, match="processes_health_data"):
            parse_profile({"id": "x", "processes_health_data": "yes"})

    def test_access_profile_is_bounded(self) -> None:
        """ror_access_profile is an integer from 0 to 5."""
        with pytest.raises(ProfileError, match="ror_access_profile"):
            parse_profile({"id": "x", "ror_access_profile": 6})

    def test_list_items_are_checked(self) -> None:
        """Each list item must be an allowed value; the item's index is in the path."""
        with pytest.raises(ProfileError, match=r"ror_roles\.1"):
            parse_profile({"id": "x", "ror_roles": ["consumer", "reader"]})

    def test_id_is_required_and_well_formed(self) -> None:
        """A product id is required, made of letters, digits, '-', '_' and '.'."""
        with pytest.raises(ProfileError, match="id: field required"):
            parse_profile({"name": "no id"})
        with pytest.raises(ProfileError, match="id"):
            parse_profile({"id": "has space"})

    def test_row_number_is_reported(self) -> None:
        """A portfolio row number appears in the message."""
        with pytest.raises(ProfileError, match=r"portfolio\.csv, row 7"):
            parse_profile({"id": "x", "storage_role": 1}, source="portfolio.csv", row=7)

    def test_a_non_mapping_is_rejected(self) -> None:
        """A list or a scalar is not a profile."""
        with pytest.raises(ProfileError, match="must be a mapping"):
            parse_profile(["id", "x"])


class TestFieldCatalogue:
    def test_every_contract_field_is_described(self) -> None:
        """The decisive fields of the contract, with their kinds."""
        assert FIELDS["processes_health_data"].kind == "bool"
        assert FIELDS["storage_role"].values == ("none", "operational", "archive")
        assert FIELDS["receives_ins_data_from"].kind == "list"
        assert FIELDS["ror_access_profile"].values == (0, 1, 2, 3, 4, 5)
        assert "id" not in FIELDS and "name" not in FIELDS

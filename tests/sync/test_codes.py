"""The product's codes come from the profile as `load_profile` read it: the file is read once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kresladi_bedside.profile import ProfileError, default_profile_path, load_profile
from kresladi_bedside.sync.codes import product_codes


def test_the_codes_are_those_of_the_profile_as_loaded_not_of_the_file_now(
        tmp_path: Path) -> None:
    path = tmp_path / "kresladi.toml"
    path.write_text(default_profile_path().read_text(encoding="utf-8"), encoding="utf-8")
    profile = load_profile(path)
    path.write_text("this is no longer a profile", encoding="utf-8")  # read again: an error
    codes = product_codes(profile)
    assert [c.code for c in codes.procedure_codings] == ["38241"]
    path.unlink()
    assert product_codes(profile) == codes


def test_a_fhir_entry_that_is_not_a_table_is_refused_when_the_profile_loads(
        tmp_path: Path) -> None:
    text = default_profile_path().read_text(encoding="utf-8")
    head, _, _ = text.partition("[fhir]")
    path = tmp_path / "p.toml"
    path.write_text('fhir = "none"\n' + head, encoding="utf-8")
    with pytest.raises(ProfileError, match="'fhir' must be a table"):
        load_profile(path)

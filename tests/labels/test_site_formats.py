"""Site wristband and badge formats, and the built-in ones."""

from __future__ import annotations

import pytest

from kresladi_bedside.config import IdentityConfig, LabelFormat
from kresladi_bedside.labels.errors import LabelError
from kresladi_bedside.labels.site_formats import read_key_values, read_site_formats

SITE = IdentityConfig(
    wristband_formats=(
        LabelFormat(r"P(?P<mrn>\d{7})\^(?P<name>[^^]+\^[^^]+)\^(?P<dob>\d{8})", "%Y%m%d"),
        LabelFormat(r"(?P<mrn>\d{7})/(?P<dob>\d{2}\.\d{2}\.\d{4})", "%d.%m.%Y"),
    ),
    badge_formats=(LabelFormat(r"EMP(?P<badge>\d{6})"),),
)


@pytest.mark.parametrize(("payload", "kind", "ids"), [
    ("P0417356^RIVERA^MATEO^20240315", "wristband",
     {"mrn": "0417356", "name": "RIVERA^MATEO", "dob": "2024-03-15"}),
    ("0417356/15.03.2024", "wristband", {"mrn": "0417356", "dob": "2024-03-15"}),
    ("EMP004021", "badge", {"badge": "004021"}),
])
def test_site_formats_with_named_groups(payload: str, kind: str, ids: dict[str, str]) -> None:
    read = read_site_formats(payload, SITE)
    assert read is not None and read.kind == kind and read.identifiers == ids


def test_site_formats_replace_the_built_in_bare_mrn() -> None:
    assert read_site_formats("00417356", SITE) is None
    assert read_site_formats("00417356", IdentityConfig()).identifiers == {"mrn": "00417356"}


def test_site_date_of_birth_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(LabelError, match="not a date"):
        read_site_formats("0417356/31.02.2024", SITE)


@pytest.mark.parametrize(("payload", "kind", "ids"), [
    ("MRN:00417356|NAME:RIVERA^MATEO|DOB:2024-03-15", "wristband",
     {"mrn": "00417356", "name": "RIVERA^MATEO", "dob": "2024-03-15"}),
    ("mrn:00417356|dob:20240315|ROOM:12", "wristband", {"mrn": "00417356", "dob": "2024-03-15"}),
    ("NAME:Rivera, Mateo|MRN:00417356", "wristband", {"name": "Rivera, Mateo", "mrn": "00417356"}),
    ("BADGE:N40217|NAME:KIM, SORA", "badge", {"badge": "N40217", "name": "KIM, SORA"}),
    ("MRN:00417356", "wristband", {"mrn": "00417356"}),
])
def test_key_value_form(payload: str, kind: str, ids: dict[str, str]) -> None:
    read = read_key_values(payload)
    assert read is not None and read.kind == kind and read.identifiers == ids


@pytest.mark.parametrize("payload", ["ROOM:12|BED:3", "hello world", "MRN 00417356"])
def test_not_key_value_or_no_identifier(payload: str) -> None:
    assert read_key_values(payload) is None


@pytest.mark.parametrize(("payload", "code"), [
    ("MRN:1|BADGE:2", "ambiguous_kind"),
    ("MRN:1|MRN:2", "conflicting_values"),
    ("MRN:1|DOB:2024-13-01", "bad_date"),
])
def test_key_value_form_refusals(payload: str, code: str) -> None:
    with pytest.raises(LabelError) as err:
        read_key_values(payload)
    assert err.value.code == code

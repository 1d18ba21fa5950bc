"""The site file's Organization and Location (`sync.organization`, `sync.location`): how the
hospital's own resources are found, checked at load, handed to the mapping as (system, value)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kresladi_bedside.config import InvalidConfigError, load_site_config
from kresladi_bedside.sync import SyncSettings

BASE = 'site_name = "CTU"\ntimezone = "America/Chicago"\n[sync]\nbase_url = "https://ehr.example.org/fhir"\n'


def settings(tmp_path: Path, extra: str) -> SyncSettings:
    path = tmp_path / "site.toml"
    path.write_text(BASE + extra, encoding="utf-8")
    return SyncSettings.from_config(load_site_config(path), environ={})


def test_organization_and_location_come_as_system_and_value(tmp_path):
    site = settings(tmp_path, 'organization = "urn:oid:1.2.3| ORG-1 "\n'
                              'location = "https://ehr.example.org/id/loc|CTU-4"\n').site
    assert site.organization == ("urn:oid:1.2.3", "ORG-1")
    assert site.location == ("https://ehr.example.org/id/loc", "CTU-4")
    assert site.site_reference("Location") == {
        "reference": "Location?identifier=https://ehr.example.org/id/loc|CTU-4",
        "display": "CTU"}


def test_unset_means_the_site_name_alone(tmp_path):
    site = settings(tmp_path, "").site
    assert site.organization is None and site.site_reference("Location") == {"display": "CTU"}


@pytest.mark.parametrize("value", ["ORG-1", "|ORG-1", "urn:oid:1.2.3|"])
def test_a_token_without_system_or_value_is_refused_naming_the_key(tmp_path, value):
    with pytest.raises(InvalidConfigError, match="organization"):
        settings(tmp_path, f'organization = "{value}"\n')


def test_the_din_system_is_not_a_setting(tmp_path):
    with pytest.raises(InvalidConfigError, match="din_system"):
        settings(tmp_path, 'din_system = "urn:kresladi-bedside:isbt128-din"\n')

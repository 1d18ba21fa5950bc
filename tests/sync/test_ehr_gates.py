"""The gates' values read from the hospital's EHR (sync/ehr_gates.py): exactly one usable record of
each kind, or it is not used and the reason is said in words; over HTTP against the loopback
server (tests/integration has the real one: Medplum)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kresladi_bedside.config import SiteConfig, SyncConfig
from kresladi_bedside.sync.ehr import EhrClient
from kresladi_bedside.sync.ehr_gates import (
    GateCodes,
    backup_of,
    conditioning_of,
    read_gate_values,
    reader_for,
)

from .chart import BACKUP, CODES, CONDITIONING, MRN_SYSTEM, backup, conditioning, patient
from .fhir_server import FhirTestServer

MRN = "00417356"
ENDED = datetime(2026, 12, 6, 8, 30, tzinfo=UTC)
BEGAN = ENDED - timedelta(days=4)
SERVER = "https://ehr.example/r4"


def _with_id(resource: dict, rid: str) -> dict:
    return {**resource, "id": rid}


def test_one_usable_record_of_each_kind_is_read_with_its_source() -> None:
    server = FhirTestServer().start()
    try:
        server.hold(patient(MRN, "pat-1"))
        server.hold(conditioning("Patient/pat-1", BEGAN, ENDED, rid="cond-1"))
        server.hold(backup("Patient/pat-1", 2.4, ENDED - timedelta(days=9), rid="bk-1"))
        server.hold(conditioning("Patient/other", BEGAN, ENDED, rid="cond-x"))  # not hers
        got = read_gate_values(EhrClient(server.url), MRN_SYSTEM, MRN, CODES)
    finally:
        server.stop()
    assert got.problems == ()
    assert got.conditioning is not None and got.backup is not None
    assert (got.conditioning.began, got.conditioning.ended) == (BEGAN, ENDED)
    assert got.conditioning.source.to_dict() == {
        "kind": "ehr", "resource": "Procedure/cond-1", "version": "1", "server": server.url}
    assert got.backup.cd34_per_kg == pytest.approx(2.4e6)
    assert got.backup.source.resource == "Observation/bk-1"


def test_no_patient_and_a_refused_token_are_said_and_nothing_is_used() -> None:
    server = FhirTestServer(token="right").start()
    try:
        got = read_gate_values(EhrClient(server.url, token="wrong"), MRN_SYSTEM, MRN, CODES)
        assert got.conditioning is None and got.backup is None
        assert "refused this workstation's token" in got.problems[0]
        assert "HTTP 401" in got.problems[0]
        got = read_gate_values(EhrClient(server.url, token="right"), MRN_SYSTEM, MRN, CODES)
        assert got.problems == (f"The EHR has no patient with MRN {MRN}: type the values "
                                "from the chart.",)
    finally:
        server.stop()
    got = read_gate_values(EhrClient(server.url, timeout_s=1), MRN_SYSTEM, MRN, CODES)
    assert "did not answer" in got.problems[0]  # stopped: unreachable


def test_a_kind_whose_code_is_not_configured_is_not_asked() -> None:
    server = FhirTestServer().start()
    try:
        server.hold(patient(MRN, "pat-1"))
        server.hold(conditioning("Patient/pat-1", BEGAN, ENDED, rid="cond-1"))
        before = server.searches
        got = read_gate_values(EhrClient(server.url), MRN_SYSTEM, MRN,
                               GateCodes(conditioning=CONDITIONING))
        assert server.searches - before == 2  # the patient, the Procedure
    finally:
        server.stop()
    assert got.conditioning is not None and got.backup is None and got.problems == ()


def test_none_or_several_candidates_are_not_used() -> None:
    got, why = conditioning_of([], SERVER)
    assert got is None and why == ("The EHR has no conditioning record for this patient: type "
                                   "the instants from the chart.")
    two = [_with_id(conditioning("Patient/p", BEGAN, ENDED), i) for i in ("a", "b")]
    got, why = conditioning_of(two, SERVER)
    assert got is None and why is not None
    assert why.startswith("The EHR has two conditioning records for this patient "
                          "(Procedure/a, Procedure/b): type the instants from the chart")
    # a record entered in error is no candidate: the other one is the one
    wrong = _with_id(conditioning("Patient/p", BEGAN, ENDED, status="entered-in-error"), "c")
    got, why = conditioning_of([two[0], wrong], SERVER)
    assert got is not None and why is None and got.source.resource == "Procedure/a"
    got, why = backup_of([_with_id(backup("Patient/p", 2.4, ENDED), i) for i in "xy"], SERVER)
    assert got is None and why is not None and "two back-up collection records" in why


@pytest.mark.parametrize(("record", "said"), [
    (conditioning("Patient/p", BEGAN, None, status="in-progress"), "'in-progress', not completed"),
    (conditioning("Patient/p", BEGAN, None), "no date and time for its end"),
    (conditioning("Patient/p", None, ENDED), "no date and time for its start"),
    ({**conditioning("Patient/p", BEGAN, ENDED), "performedPeriod": {
        "start": "2026-12-02", "end": "2026-12-06"}}, "a date without a time (2026-12-06)"),
    ({**conditioning("Patient/p", BEGAN, ENDED), "performedPeriod": {
        "start": "2026-12-02T08:00:00", "end": "2026-12-06T08:30:00"}},
     "a time without its UTC offset"),
])
def test_an_unusable_conditioning_record_is_named(record: dict, said: str) -> None:
    got, why = conditioning_of([_with_id(record, "c1")], SERVER)
    assert got is None and why is not None
    assert said in why and "Procedure/c1" in why and why.endswith("from the chart.")


@pytest.mark.parametrize(("record", "said"), [
    (backup("Patient/p", 2.4, ENDED, unit="10*6/L"), "is in 10*6/L, not CD34+ cells per kg"),
    (backup("Patient/p", 2.4, ENDED, status="preliminary"), "'preliminary', not final"),
    ({**backup("Patient/p", 2.4, ENDED), "valueQuantity": None}, "no CD34+ count"),
    ({**backup("Patient/p", 2.4, ENDED), "effectiveDateTime": None}, "no date and time"),
])
def test_an_unusable_backup_record_is_named(record: dict, said: str) -> None:
    got, why = backup_of([_with_id(record, "b1")], SERVER)
    assert got is None and why is not None and said in why and "Observation/b1" in why


def test_a_count_in_cells_per_kg_is_read_as_such() -> None:
    got, _ = backup_of([_with_id(backup("Patient/p", 3.1e6, ENDED, unit="/kg"), "b1")], SERVER)
    assert got is not None and got.cd34_per_kg == pytest.approx(3.1e6)


def test_the_site_file_decides_whether_the_ehr_is_read() -> None:
    sync = SyncConfig(base_url="https://ehr.example/r4",  # type: ignore[arg-type]
                      conditioning_code=CONDITIONING, backup_collection_code=BACKUP)
    reader = reader_for(SiteConfig(sync=sync))
    assert reader is not None and reader.codes == CODES
    assert reader_for(SiteConfig(sync=SyncConfig(base_url=sync.base_url))) is None  # no codes
    assert reader_for(SiteConfig(sync=sync, training=True)) is None
    assert reader_for(SiteConfig()) is None  # no EHR at all


def test_a_code_that_is_not_system_bar_code_is_refused_by_name() -> None:
    from kresladi_bedside.config import InvalidConfigError, parse_site_config

    with pytest.raises(InvalidConfigError) as refused:
        parse_site_config({"sync": {"base_url": "https://ehr.example/r4",
                                    "conditioning_code": "CTU-MAC-CONDITIONING"}})
    assert "sync.conditioning_code" in str(refused.value)
    assert "system|value" in str(refused.value)

"""A procedure larger than the server's quota window (issue 24): under Medplum's `quota 500`
(points a minute; a conditional create costs a search and a write, 120), a procedure of 8
conditional entries (~980 points with the Patient search) can never go in one Bundle. Sync
delivers it in parts over several windows, resumed where it stopped (leading entries the server
answered 2xx, kept in `sync_progress`), halving the Bundle when an atomic one was refused whole:
no livelock, and nothing partial at the end. A window here is `fhir-server quota 500`, which
clears the kit's current minute (the test does not wait a real minute)."""

from __future__ import annotations

import pytest
from sync.conftest import FakeTime, completed

from kresladi_bedside.sync.identifiers import (
    ADMINISTRATION_SYSTEM,
    PROCEDURE_SYSTEM,
    PROVENANCE_SYSTEM,
)

from .test_fhir_server import one_pass, ours, settings, store_at

WINDOWS = 6  # bounded: 8 entries at 4 a window, from wherever the first window left off


@pytest.mark.parametrize("mode", ["batch", "atomic"])
def test_a_procedure_larger_than_the_quota_window_is_delivered_in_parts(kit, tmp_path, mode):
    events = completed()
    pid = events[0].procedure_id
    clock = FakeTime()
    kit.run("mode", mode)
    try:
        with store_at(tmp_path, f"quota-{mode}") as store:
            store.append(events)
            windows, parts = 0, []
            for windows in range(1, WINDOWS + 1):  # noqa: B007 (counted)
                kit.run("quota", "500")  # a new minute's window of 500 points
                report = one_pass(store, settings(kit, tries_per_pass=1), clock)
                row = store.conn.execute("SELECT stored, chunk FROM sync_progress "
                                         "WHERE procedure_id = ?", (pid,)).fetchone()
                parts.append(row)
                assert report.parked == [], report.parked
                if report.exit_status == 0:
                    break
                clock.advance(3600)  # whatever backoff it chose has passed
            assert report.exit_status == 0, (windows, parts, report.summary)
            print(f"\n{mode}: delivered in {windows} windows; progress kept {parts}")
            assert windows >= 2, "the procedure fitted one window: the quota did not bite"
            # resumed, never from the top: the stored count only grows (a window that kept
            # nothing halved the Bundle instead)
            stored = [r[0] for r in parts if r is not None]
            assert stored == sorted(stored) and stored and stored[-1] > 0, parts
            assert store.conn.execute("SELECT count(*) FROM sync_progress").fetchone()[0] == 0
    finally:
        kit.run("quota", "default")
        kit.run("mode", "batch")
    # the whole record, once each
    assert len(ours(kit, "Procedure", PROCEDURE_SYSTEM, pid)) == 1
    for bag in (1, 2):
        assert len(ours(kit, "MedicationAdministration", ADMINISTRATION_SYSTEM,
                        f"{pid}-bag-{bag}")) == 1
    assert len(ours(kit, "Provenance", PROVENANCE_SYSTEM, pid)) == 1

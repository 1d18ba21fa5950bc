"""Coming back after a crash: unfinished procedures rebuilt, a moved clock noted."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import timedelta

import store_script
from store_script import START

from kresladi_bedside.clock import FakeClock, Instant
from kresladi_bedside.store import StoreListener, open_store, verify
from kresladi_bedside.store.recovery import (
    detect_clock_change,
    recover,
    unfinished_procedures,
)

STEPS = store_script.script()
THAW = next(i for i, s in enumerate(STEPS) if s[1] == "start_thaw") + 1  # commands to mid-thaw


def drive(store, procedure_id: str, count: int) -> FakeClock:
    clock = FakeClock(START)
    proc = store_script.new_procedure(procedure_id, clock)
    proc.subscribe(StoreListener(store))
    store_script.run(proc, clock, STEPS[:count])
    return clock


@dataclass
class FixedClock:
    instant: Instant

    def now(self) -> Instant:
        return self.instant


def tamper(db_path, trigger: str, sql: str, params: tuple[object, ...] = ()) -> None:
    """Someone with the file and sqlite3: drops the guarding trigger, changes the log."""
    conn = sqlite3.connect(db_path)
    conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def thaw_remaining(procedure, now: Instant) -> float:
    return next(c for c in procedure.countdowns(now) if c.id == "thaw").remaining_s


def test_unfinished_procedures_are_rebuilt_and_finished_ones_left(db_path):
    with open_store(db_path) as store:
        drive(store, "done", len(STEPS))
        clock = drive(store, "mid-thaw", THAW)
        drive(store, "opened", 1)
        assert unfinished_procedures(store) == ["mid-thaw", "opened"]
        clock.advance(30)
        recovery = recover(store, store_script.load_profile(), clock)
    assert recovery.report.ok and recovery.blocked == ()
    by_id = {r.procedure.procedure_id: r for r in recovery.procedures}
    assert set(by_id) == {"mid-thaw", "opened"}
    mid = by_id["mid-thaw"]
    assert mid.clock_change is None
    assert mid.procedure.step().name == "thaw"
    assert abs(thaw_remaining(mid.procedure, clock.now()) - (300 - 30)) <= 1.0


def test_a_reboot_while_down_is_noted_and_countdowns_follow_the_wall_clock(db_path):
    with open_store(db_path) as store:
        clock = drive(store, "p", THAW)
        clock.advance(40)
        clock.reboot(boot="second-boot", wall_jump_s=20)  # 60 s of wall time since thaw start
        recovery = recover(store, store_script.load_profile(), clock)
        (back,) = recovery.procedures
        assert back.clock_change is not None and back.clock_change.boot_changed
        noted = store.events("p")[-1]
        assert noted.type == "clock_change_noted"
        assert noted.data["boot_changed"] is True
        assert "restarted" in noted.data["reason"]
        assert verify(store).ok
    assert abs(thaw_remaining(back.procedure, clock.now()) - (300 - 60)) <= 1.0
    assert back.procedure.state.clock_changes  # the engine's state knows too


def test_a_wall_clock_jump_within_one_boot_is_noted(db_path):
    with open_store(db_path) as store:
        clock = drive(store, "p", THAW)
        last = clock.now()
        # 30 s really passed (monotonic), but someone set the wall clock 10 minutes ahead.
        jumped = Instant(last.wall + timedelta(seconds=630), 0, last.mono + 30, last.boot_id)
        (back,) = recover(store, store_script.load_profile(), FixedClock(jumped)).procedures
        assert back.clock_change is not None and not back.clock_change.boot_changed
        assert back.clock_change.wall_minus_mono_s == 600
        noted = store.events("p")[-1]
        assert noted.type == "clock_change_noted" and "+600.0 s" in noted.data["reason"]
    # within one boot the thaw still counts monotonic time: 30 s gone, not 630
    assert abs(thaw_remaining(back.procedure, jumped) - (300 - 30)) <= 1.0


def test_small_drift_and_typed_instants_are_not_a_clock_change():
    last = FakeClock(START).now()
    assert detect_clock_change(last, last.plus(100)) is None
    drifted = Instant(last.wall + timedelta(seconds=101.5), 0, last.mono + 100, last.boot_id)
    assert detect_clock_change(last, drifted) is None
    typed = Instant.from_wall(last.wall)
    assert detect_clock_change(typed, last.plus(5000)) is None


def test_a_broken_chain_is_blocked_not_resumed(db_path):
    with open_store(db_path) as store:
        drive(store, "bad", THAW)
        drive(store, "good", THAW)
    tamper(db_path, "events_no_update",
           "UPDATE events SET data = '{}' WHERE procedure_id = 'bad' AND seq = 3")
    with open_store(db_path) as store:
        recovery = recover(store, store_script.load_profile(), FakeClock(START))
        assert recovery.blocked == ("bad",)
        assert [r.procedure.procedure_id for r in recovery.procedures] == ["good"]
        assert recovery.report.first.procedure_id == "bad"
        assert recovery.report.first.seq == 3


def test_a_chain_whose_head_was_removed_is_not_reopened_and_the_full_check_alarms(db_path):
    """Start-up finds unfinished procedures from the chain heads (not by reading every past
    event): a head removed around the program hides that chain from recovery, so the full
    verification after first paint must name it."""
    from kresladi_bedside.store.recovery import full_check, report_alarms

    with open_store(db_path) as store:
        drive(store, "headless", THAW)
        drive(store, "kept", THAW)
    tamper(db_path, "chain_heads_no_delete",
           "DELETE FROM chain_heads WHERE procedure_id = 'headless'")
    with open_store(db_path) as store:
        assert unfinished_procedures(store) == ["kept"]
        recovery = recover(store, store_script.load_profile(), FakeClock(START))
        assert [r.procedure.procedure_id for r in recovery.procedures] == ["kept"]
    report = full_check(db_path)
    assert not report.ok and {b.procedure_id for b in report.breaks} == {"headless"}
    (alarm,) = report_alarms(report)
    assert alarm.startswith("LOG VERIFICATION FAILED") and "headless" in alarm


def test_start_up_reads_the_seals_of_the_unfinished_chains_only(db_path):
    """A finished procedure's altered seal is not start-up's business (the full check's), an
    unfinished one's is: it is blocked before the nurse can resume it."""
    with open_store(db_path) as store:
        drive(store, "done", len(STEPS))
        drive(store, "open", THAW)
    tamper(db_path, "seals_no_update",
           "UPDATE seals SET mac = ? WHERE procedure_id IN ('done', 'open') AND seq = 2",
           ("f" * 64,))
    with open_store(db_path) as store:
        recovery = recover(store, store_script.load_profile(), FakeClock(START))
        assert recovery.blocked == ("open",) and recovery.procedures == []
        assert {b.procedure_id for b in recovery.report.breaks} == {"open"}
        full = verify(store)
    assert {b.procedure_id for b in full.breaks} >= {"done", "open"}

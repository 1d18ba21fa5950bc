"""The guard on a real procedure: every event names its user; signatures carry name, instant and
meaning; the idle lock fires on time while the countdowns go on."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kresladi_bedside.engine import Command, Procedure, Signature
from kresladi_bedside.engine.countdowns import countdowns
from kresladi_bedside.engine.state import fold
from kresladi_bedside.people import PEOPLE_LOG
from kresladi_bedside.store import verify

from .conftest import NURSE_PIN, Staff
from .procedure_run import guarded_procedure, run_script


def test_every_event_of_a_simulated_procedure_names_a_real_user(staff: Staff) -> None:
    proc = guarded_procedure(staff)
    outcomes = run_script(staff, proc)
    assert proc.state.outcome == "complete"
    assert any(not o.accepted for o in outcomes)  # the script's wait before bag 2 was logged
    user_ids = {u.id for u in staff.people.users()}
    rows = list(staff.store.rows())
    assert {r.procedure_id for r in rows} == {proc.procedure_id, PEOPLE_LOG}
    unnamed = [(r.procedure_id, r.seq, r.type, r.user) for r in rows if r.user not in user_ids]
    assert unnamed == []
    procedure_users = {r.user for r in rows if r.procedure_id == proc.procedure_id}
    assert procedure_users == {staff.nurse.id}
    assert verify(staff.store).ok
    people_log = [e.type for e in staff.people.audit.events()]
    assert "session_locked" in people_log and "session_unlocked" in people_log


def test_signature_events_carry_name_instant_and_meaning(staff: Staff) -> None:
    proc = guarded_procedure(staff)
    run_script(staff, proc)
    events = staff.store.events(proc.procedure_id)
    deviation = next(e for e in events if e.type == "deviation_recorded")
    [signed] = [Signature.from_dict(s) for s in deviation.data["signatures"]]
    assert (signed.user, signed.name, signed.meaning) == (staff.nurse.id, "Nora Lindqvist",
                                                          "deviation")
    assert signed.at == deviation.at  # signed as the command was given, same fake instant
    witnessed = [e for e in events if e.type == "label_accepted"
                 and e.data["label"]["stage"] == "initial"]
    # wristband, shipper, 2 cassettes, bag 1; wristband and bag 2 when bag 2 leaves its cassette
    assert len(witnessed) == 7
    for event in witnessed:
        [sig] = [Signature.from_dict(s) for s in event.data["signatures"]]
        assert (sig.name, sig.meaning, event.data["witness"]) == (
            "Walt Brennan", "witnessed", staff.witness.id)
        assert sig.at.wall <= event.at.wall


def _thawing(staff: Staff) -> Procedure:
    proc = guarded_procedure(staff)
    run_script(staff, proc, stop=lambda step: step.command.name == "complete_thaw")
    assert proc.step().name == "thaw" and proc.state.bag(1).thaw_started is not None
    return proc


def test_idle_lock_fires_at_its_time_while_countdowns_continue(staff: Staff) -> None:
    proc = _thawing(staff)
    people, clock = staff.people, staff.clock
    people.touch()
    before = {c.id: c for c in proc.countdowns()}
    clock.advance(5 * 60 - 1)
    assert not people.tick()
    clock.advance(1)
    assert people.tick() and people.locked
    lock = people.audit.events()[-1]
    assert (lock.type, lock.user, lock.data["reason"]) == ("session_locked", staff.nurse.id,
                                                           "idle")
    after = {c.id: c for c in proc.countdowns()}
    assert after["thaw"].elapsed_s == pytest.approx(before["thaw"].elapsed_s + 300)
    assert after["thaw"].level == "alarm"  # the 5-minute thaw limit: still sounding when locked
    # the countdowns are the engine's, from the log alone: the lock changed nothing in them
    replayed = countdowns(fold(staff.store.events(proc.procedure_id)), clock.now(),
                          proc.profile)
    assert [(c.id, c.elapsed_s, c.level) for c in replayed] == [
        (c.id, c.elapsed_s, c.level) for c in proc.countdowns()]


def test_a_command_on_a_locked_screen_is_refused_and_logged(staff: Staff) -> None:
    proc = _thawing(staff)
    staff.people.lock()
    out = proc.handle(Command("complete_thaw", {"bag": 1, "attest": {"no_visible_ice": True}},
                              user=staff.nurse.id))
    assert out.rejection is not None and out.rejection.rule == "role"
    assert "21 CFR Part 11" in out.rejection.citation and "164.312" in out.rejection.citation
    assert out.events[0].type == "command_rejected" and out.events[0].user == staff.nurse.id
    assert proc.state.bag(1).thaw_completed is None
    staff.people.unlock(NURSE_PIN)
    out = proc.handle(Command("complete_thaw", {"bag": 1, "attest": {"no_visible_ice": True}},
                              user=staff.nurse.id))
    assert out.accepted


def test_activity_pushes_the_idle_lock_back(staff: Staff) -> None:
    staff.sign_in_nurse()
    staff.clock.advance(240)
    staff.people.touch()
    staff.clock.advance(240)
    assert not staff.people.tick()
    assert staff.people.idle_lock_at() == staff.clock.now().plus(60)


def test_another_user_takes_over_a_locked_screen_and_it_is_logged(staff: Staff) -> None:
    proc = _thawing(staff)
    staff.people.lock()
    from .conftest import OTHER_NURSE_PIN, badge

    staff.people.take_over(badge(staff.other_nurse.badge), OTHER_NURSE_PIN)
    event = staff.people.audit.events()[-1]
    assert (event.type, event.user, event.data["from_user"], event.data["was_locked"]) == (
        "session_taken_over", staff.other_nurse.id, staff.nurse.id, True)
    refused = proc.handle(Command("complete_thaw", {"bag": 1,
                                                    "attest": {"no_visible_ice": True}},
                                  user=staff.nurse.id))
    assert refused.rejection is not None and refused.rejection.details["code"] == "not_signed_in"
    done = proc.handle(Command("complete_thaw", {"bag": 1, "attest": {"no_visible_ice": True}},
                               user=staff.other_nurse.id))
    assert done.accepted and done.events[0].user == staff.other_nurse.id


def test_unlock_needs_the_right_pin(staff: Staff) -> None:
    from kresladi_bedside.people import SignInRefused

    staff.sign_in_nurse()
    staff.people.lock()
    with pytest.raises(SignInRefused) as refused:
        staff.people.unlock("00000000")
    assert refused.value.code == "wrong_pin" and staff.people.locked
    staff.people.unlock(NURSE_PIN)
    assert not staff.people.locked


def test_commands_without_a_signed_in_nurse_are_refused(staff: Staff) -> None:
    proc = guarded_procedure(staff)
    assert proc.handle(Command("open", {}, user="")).rejection.rule == "role"
    staff.people.sign_in(staff.people.read_badge("BADGE:W30003"), "58206139")
    out = proc.handle(Command("open", {}, user=staff.witness.id))
    assert out.rejection is not None and out.rejection.details["code"] == "role"
    staff.sign_in_nurse()
    assert proc.handle(Command("open", {}, user=staff.nurse.id)).accepted


def test_a_disabled_nurse_is_refused_by_the_guard(staff: Staff) -> None:
    proc = guarded_procedure(staff)
    staff.sign_in_nurse()
    # An administrator disables the nurse elsewhere meanwhile (the CLI, another process): the
    # people log records it, then the row changes.
    staff.people.audit.record("user_disabled", staff.admin.id, user_id=staff.nurse.id,
                              name=staff.nurse.name, reason="left the unit")
    staff.store.conn.execute("UPDATE users SET active = 0 WHERE id = ?", (staff.nurse.id,))
    out = proc.handle(Command("open", {}, user=staff.nurse.id))
    assert out.rejection is not None and out.rejection.details["code"] == "disabled"


def test_an_identity_scan_before_thaw_needs_a_witness(staff: Staff) -> None:
    proc = guarded_procedure(staff)
    run_script(staff, proc, stop=lambda step: step.command.name == "scan")
    from .procedure_run import script_steps

    first_scan = next(s for s in script_steps() if s.command.name == "scan")
    out = proc.handle(replace(first_scan.command, user=staff.nurse.id))
    assert out.rejection is not None and out.rejection.rule == "witness"
    assert out.rejection.details["required_for"] == ["identity_initial"]
    assert "11.200" in out.rejection.citation
    assert not proc.state.labels

"""Signing acts and witnesses: PIN outside a continuous session, no self-witnessing, roles."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kresladi_bedside.engine import Command, Deviation, Signature
from kresladi_bedside.people import People, SignatureRefused, WitnessRefused

from .conftest import ADMIN_PIN, NURSE_PIN, OTHER_NURSE_PIN, WITNESS_PIN, Staff, badge
from .procedure_run import guarded_procedure, run_script, script_steps


def last(people: People) -> tuple[str, str, str | None]:
    event = people.audit.events()[-1]
    return event.type, event.user, event.data.get("code")


def test_signing_in_a_continuous_session_needs_no_pin(staff: Staff) -> None:
    staff.sign_in_nurse()
    assert not staff.people.needs_pin_to_sign()
    sig = staff.people.sign("acknowledged")
    assert (sig.user, sig.name, sig.meaning, sig.at) == (
        staff.nurse.id, "Nora Lindqvist", "acknowledged", staff.clock.now())
    event = staff.people.audit.events()[-1]
    assert (event.type, event.data["meaning"], event.data["pin_checked"]) == (
        "signature_given", "acknowledged", False)


def test_a_locked_session_needs_the_pin_before_signing(staff: Staff) -> None:
    staff.sign_in_nurse()
    staff.clock.advance(300)
    assert staff.people.needs_pin_to_sign()
    with pytest.raises(SignatureRefused) as refused:
        staff.people.sign("performed")
    assert refused.value.code == "locked"
    staff.people.unlock(NURSE_PIN)
    assert staff.people.sign("performed").meaning == "performed"


def test_a_wrong_pin_given_to_sign_is_refused_and_counts(staff: Staff) -> None:
    staff.sign_in_nurse()
    with pytest.raises(SignatureRefused) as refused:
        staff.people.sign("deviation", pin="00000000")
    assert refused.value.code == "wrong_pin"
    assert last(staff.people) == ("authentication_failed", staff.nurse.id, "wrong_pin")


def test_self_witnessing_is_refused_and_logged(staff: Staff) -> None:
    staff.sign_in_nurse()
    with pytest.raises(WitnessRefused, match="cannot also witness") as refused:
        staff.people.witness(badge(staff.nurse.badge), NURSE_PIN)
    assert refused.value.code == "self_witness"
    assert last(staff.people) == ("witness_refused", staff.nurse.id, "self_witness")


def test_a_witness_without_the_role_is_refused_and_logged(staff: Staff) -> None:
    staff.sign_in_nurse()
    with pytest.raises(WitnessRefused, match="witness or nurse role") as refused:
        staff.people.witness(badge(staff.admin.badge), ADMIN_PIN)
    assert refused.value.code == "role"
    assert last(staff.people) == ("witness_refused", staff.admin.id, "role")


def test_a_witness_with_a_wrong_pin_is_refused_and_logged(staff: Staff) -> None:
    staff.sign_in_nurse()
    with pytest.raises(WitnessRefused) as refused:
        staff.people.witness(badge(staff.witness.badge), "00000000")
    assert refused.value.code == "wrong_pin"
    assert last(staff.people) == ("authentication_failed", staff.witness.id, "wrong_pin")


def test_a_second_nurse_may_witness(staff: Staff) -> None:
    staff.sign_in_nurse()
    sig = staff.people.witness(badge(staff.other_nurse.badge), OTHER_NURSE_PIN)
    assert (sig.user, sig.meaning) == (staff.other_nurse.id, "witnessed")


def _at_first_scan(staff: Staff):
    proc = guarded_procedure(staff)
    run_script(staff, proc, stop=lambda step: step.command.name == "scan")
    step = next(s for s in script_steps() if s.command.name == "scan")
    return proc, replace(step.command, user=staff.nurse.id)


def test_the_guard_refuses_a_forged_witness_signature(staff: Staff) -> None:
    proc, command = _at_first_scan(staff)
    forged = Signature(staff.witness.id, staff.witness.name, "witnessed", staff.clock.now())
    out = proc.handle(replace(command, witness=staff.witness.id, signatures=(forged,)))
    assert out.rejection is not None and out.rejection.rule == "signature"
    assert "11.50" in out.rejection.citation
    assert out.events[0].type == "command_rejected"


def test_the_guard_refuses_the_performer_as_witness(staff: Staff) -> None:
    proc, command = _at_first_scan(staff)
    out = proc.handle(replace(command, witness=staff.nurse.id,
                              signatures=(staff.people.sign("performed"),)))
    assert out.rejection is not None and out.rejection.rule == "witness"
    assert out.rejection.details["code"] == "self_witness"


def test_a_witness_signature_goes_stale(staff: Staff) -> None:
    proc, command = _at_first_scan(staff)
    sig = staff.people.witness(badge(staff.witness.badge), WITNESS_PIN)
    for pause in (200, 101):  # the nurse stays busy; only the witness signature gets old
        staff.clock.advance(pause)
        staff.people.touch()
    out = proc.handle(replace(command, witness=sig.user, signatures=(sig,)))
    assert out.rejection is not None and "older than 5 minutes" in out.rejection.reason


def test_a_signature_from_before_a_lock_is_not_reused(staff: Staff) -> None:
    staff.sign_in_nurse()
    sig = staff.people.sign("deviation")
    staff.people.lock()
    staff.people.unlock(NURSE_PIN)
    assert "since been locked" in (staff.people.signature_problem(sig, staff.clock.now()) or "")


def test_a_deviation_needs_its_signers_signature(staff: Staff) -> None:
    proc = guarded_procedure(staff)
    steps = script_steps()
    late = next(s for s in steps if s.command.deviation is not None)
    run_script(staff, proc, stop=lambda step: step.number == late.number)
    staff.clock.set(late.at)
    staff.people.tick() and staff.people.unlock(NURSE_PIN)
    unsigned = replace(late.command, user=staff.nurse.id,
                       deviation=Deviation(late.command.deviation.reason, staff.nurse.id))
    out = proc.handle(unsigned)
    assert out.rejection is not None and out.rejection.details["code"] == "deviation_unsigned"
    performed = staff.people.sign("performed")
    out = proc.handle(replace(unsigned, signatures=(performed,)))
    assert out.rejection is not None and out.rejection.rule == "signature"
    out = proc.handle(replace(unsigned, signatures=(staff.people.sign("deviation"),)))
    assert out.accepted and out.events[0].type == "deviation_recorded"


def test_a_signature_by_someone_else_is_refused_on_my_command(staff: Staff) -> None:
    proc = guarded_procedure(staff)
    staff.people.sign_in(badge(staff.other_nurse.badge), OTHER_NURSE_PIN)
    theirs = staff.people.sign("performed")
    staff.sign_in_nurse()
    out = proc.handle(Command("open", {}, user=staff.nurse.id, signatures=(theirs,)))
    assert out.rejection is not None and out.rejection.rule == "signature"

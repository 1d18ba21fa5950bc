"""Run the two-bag example script through engine + store + the people guard, as a nurse would:
signed in, unlocking the screen after a pause, a witness for each identity scan before thaw, a
signed deviation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from kresladi_bedside.engine import Command, Deviation, Outcome, Procedure
from kresladi_bedside.engine.identity import ExactMatchVerifier
from kresladi_bedside.paths import resource
from kresladi_bedside.profile import load_profile
from kresladi_bedside.simulate import ScriptStep, load_script, read_script
from kresladi_bedside.store import StoreListener

from .conftest import NURSE_PIN, WITNESS_PIN, Staff, badge


def script_steps() -> list[ScriptStep]:
    return read_script(load_script(resource("examples", "two_bag_simulation.json")),
                       load_profile())[1]


def guarded_procedure(staff: Staff) -> Procedure:
    proc = Procedure(load_profile(), staff.clock, ExactMatchVerifier())
    proc.subscribe(StoreListener(staff.store))
    proc.add_guard(staff.people.guard)
    return proc


def as_nurse(staff: Staff, proc: Procedure, step: ScriptStep) -> Command:
    """The script's command, given by the signed-in nurse with the signatures it needs."""
    people, nurse = staff.people, staff.nurse
    command = replace(step.command, user=nurse.id)
    signatures = []
    if command.deviation is not None:
        command = replace(command, deviation=Deviation(command.deviation.reason, nurse.id))
        signatures.append(people.sign("deviation"))
    if people.witness_required(proc.state, command):
        witness = people.witness(badge(staff.witness.badge), WITNESS_PIN)
        signatures.append(witness)
        command = replace(command, witness=witness.user)
    return replace(command, signatures=tuple(signatures))


def run_script(staff: Staff, proc: Procedure,
               stop: Callable[[ScriptStep], bool] = lambda step: False) -> list[Outcome]:
    staff.sign_in_nurse()
    outcomes = []
    for step in script_steps():
        if stop(step):
            break
        staff.clock.set(step.at)
        if staff.people.tick():  # the screen locked during the pause: the nurse unlocks it
            staff.people.unlock(NURSE_PIN)
        outcomes.append(proc.handle(as_nurse(staff, proc, step)))
    return outcomes

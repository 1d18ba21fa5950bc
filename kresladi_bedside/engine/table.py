"""The procedure as one table: which command may be given at which step, the steps it leads to,
and the rules it may be refused under. `decide` refuses any command the table does not allow at
the current step; the tests check that the table is a sound state machine (`table_problems`),
that an accepted command lands in its `leads_to` and that every refusal names a rule listed for
its command (tests/engine); the README shows this table (`table_markdown`, checked by a test).
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS: tuple[str, ...] = (
    "new", "order", "gates", "identity", "inspect", "thaw", "bedside_identity", "line_checks",
    "infusion", "flush", "between_bags", "post_infusion", "moved", "complete", "stopped",
)
ACTIVE: tuple[str, ...] = STEPS[1:-3]  # every step of an open, unfinished procedure
# handed over to another workstation (engine/handover.py): only a take-over leaves it
MOVED = "moved"
OPEN: tuple[str, ...] = tuple(s for s in STEPS[1:] if s != MOVED)  # once it exists, held here
TERMINAL: tuple[str, ...] = STEPS[-2:]  # complete, stopped
WITH_PRODUCT: tuple[str, ...] = ACTIVE[1:]  # every active step once the order is in


UNCHANGED: tuple[str, ...] = ()  # `leads_to` of bookkeeping: the step stays where it was
# Steps that pass with time alone, no command: the wait between bags ends when the window opens
# (then the next bag's label is scanned out of its cassette, or it is inspected).
TIMED: tuple[tuple[str, str], ...] = (("between_bags", "identity"), ("between_bags", "inspect"))
# Where a stop leads: stopped, or the post-infusion instructions once a bag was given.
_STOPS: tuple[str, ...] = ("stopped", "post_infusion")
# Rules `decide` may refuse any command under: unknown, no user, not possible at this step.
ANY_COMMAND_RULES: tuple[str, ...] = ("procedure",)
# The program's own rules, not the label's: they quote no label sentence (an attestation
# refusal cites the instruction it is about). Every other rule is in the product profile.
# `clock`: the one timeline (kresladi_bedside/timeline.py), the program's own rule for judging
# the label's durations; it quotes no sentence of its own.
PROGRAM_RULES: tuple[str, ...] = ("procedure", "attestation", "clock")
# A per-bag command may name another bag than the one being given, or come while a label is
# still to scan (bag 2's, at its own identity step).
PER_BAG_RULES: tuple[str, ...] = ("sequence", "one_bag_at_a_time", "identity")
# The rules an identity verifier judges a scan by (engine.verifier, worst first).
IDENTITY_RULES: tuple[str, ...] = (
    "identity", "bag_not_on_sheet", "expiry", "label_kind", "shipper_as_bag", "wrong_line",
    "already_accepted", "cassette_first", "wristband_stale", "identity_incomplete",
)


@dataclass(frozen=True)
class Transition:
    command: str
    steps: tuple[str, ...]  # where it is allowed
    leads_to: tuple[str, ...]  # the steps the procedure can be at right after it is accepted
    rules: tuple[str, ...]  # profile rules it may be refused (or stopped) under
    does: str  # what it records, in the nurse's words
    when: str = ""  # which of `leads_to`, in words
    # a take-over: the procedure goes back to the step it was handed over at (on another
    # workstation); not an edge of the machine, or any step would look reachable through it
    returns: bool = False

    def lands_in(self, step: str) -> tuple[str, ...]:
        """Where the procedure can be after this command is accepted at `step`."""
        return self.leads_to or (step,)


_GATE_DONE = "identity once every gate is done"

TABLE: tuple[Transition, ...] = (
    Transition("open", ("new",), ("order",), (), "open a procedure on this workstation"),
    Transition("prepare_order", ("order",), ("gates",),
               ("order", "min_dose", "max_lots", "bag_count", "custody_bag", "custody_patient"),
               "enter the Lot Information Sheet: patient, weight, bags, lots, expiry, CD34+/kg "
               "(each number finite and in its physical range)"),
    Transition("confirm_backup", ("gates",), ("gates", "identity"),
               ("backup_collection", "conditioning_order"),
               "confirm the cryopreserved back-up collection, its CD34+/kg and when", _GATE_DONE),
    Transition("record_conditioning_end", ("gates",), ("gates", "identity"),
               ("conditioning_window", "conditioning_order"),
               "record when myeloablative conditioning began and ended", _GATE_DONE),
    Transition("confirm_storage", ("gates",), ("gates", "identity"),
               ("storage", "conditioning_order"),
               "record on-site vapor-phase LN2 storage, its temperature and since when",
               _GATE_DONE),
    Transition("attest_instant_unknown", ("gates",), ("gates", "identity"),
               ("conditioning_order",),
               "attest, with a reason and a signature, that an instant the conditioning-order "
               "rule needs (conditioning began, stored, back-up confirmed) is unknown",
               _GATE_DONE),
    Transition("set_aside_ehr_values", ("gates",), UNCHANGED, (),
               "set aside the gates' values read from the hospital's EHR (not what the nurse "
               "knows): they are typed from the chart instead"),
    Transition("attest", ("gates",), ("gates", "identity"), ("attestation",),
               "attest transplant appropriateness and ustekinumab given / not given",
               _GATE_DONE),
    Transition("scan", ("identity",), ("identity", "inspect", *_STOPS),
               (*IDENTITY_RULES, "second_bag_frozen", "custody_bag"),
               "scan wristband, shipper, every cassette and bag 1 (bag 2 stays in its cassette "
               "in LN2); at bag 2's turn, its label",
               "inspect once wristband, shipper, every cassette and bag 1 match; bag 2: inspect "
               "once its label matches its cassette; stopped on a mismatch or an expired bag"),
    Transition("confirm_bag_storage", ("identity",), ("identity", *_STOPS),
               ("second_bag_frozen", "sequence", "one_bag_at_a_time"),
               "at a later bag's own turn, before it leaves its cassette: confirm it was kept "
               "in vapor-phase LN2 at ≤ −150 °C until now",
               "stopped when it was not (do not thaw; call the manufacturer)"),
    Transition("inspect_bag", ("inspect", "between_bags"), ("thaw", *_STOPS),
               (*PER_BAG_RULES, "integrity", "interbag_window"),
               "inspect the bag for breaks or cracks", "stopped when compromised"),
    Transition("start_thaw", ("thaw",), ("thaw", *_STOPS),
               (*PER_BAG_RULES, "no_refreeze", "thaw_method", "attestation", "expiry",
                "conditioning_window", "interbag_window", "custody_bag", "custody_patient"),
               "start the thaw (water bath or dry thaw, in a sterile overbag)",
               "thaw (running); stopped when the bag expires before thaw start + 30 min"),
    Transition("complete_thaw", ("thaw",), ("bedside_identity",),
               (*PER_BAG_RULES, "thaw_time", "attestation"), "no visible ice: thaw complete"),
    Transition("scan", ("bedside_identity",), ("bedside_identity", "line_checks", *_STOPS),
               (*IDENTITY_RULES, "one_bag_at_a_time"),
               "re-confirm identity at the bedside: wristband and bag",
               "line_checks once wristband and bag match again"),
    Transition("check_line", ("line_checks",), ("infusion",), (*PER_BAG_RULES, "line"),
               "attest central access, no in-line filter, no pump, tubing primed"),
    Transition("start_infusion", ("infusion",), ("infusion",),
               (*PER_BAG_RULES, "identity", "conditioning_window", "infusion_window",
                "infusion_time"),
               "start the infusion (cue when less than 10 min of the 30 are left; a signed "
               "deviation when none is left)",
               "infusion (running)"),
    Transition("end_infusion", ("infusion",), ("flush",),
               (*PER_BAG_RULES, "infusion_window", "conditioning_window", "attestation"),
               "entire contents infused"),
    Transition("log_flush", ("flush",), ("between_bags", "identity", "inspect", "post_infusion"),
               (*PER_BAG_RULES, "flush"),
               "flush bag and tubing with normal saline; log the volume (mL and mL/kg against "
               "the site's threshold) and when the flush ended",
               "between_bags when another bag follows, then its label at identity"),
    Transition("acknowledge_post_infusion", ("post_infusion",), ("complete", "stopped"),
               ("attestation",),
               "acknowledge the post-infusion instructions (also after a stop once a bag was "
               "given)", "complete (stopped after a bag was given: stays stopped)"),
    Transition("stop_procedure", ACTIVE, _STOPS, (),
               "end the procedure as stopped, with the reason"),
    Transition("acknowledge_alarm", OPEN, UNCHANGED, (), "acknowledge an alarm"),
    Transition("silence_alarm", OPEN, UNCHANGED, (), "silence an alarm's sound for a while"),
    Transition("note_clock_change", OPEN, UNCHANGED, (),
               "record that the clock moved while the program was down"),
    Transition("attest_time", ACTIVE, UNCHANGED, ("clock",),
               "attest the real time after a restart or a clock change (signed deviation)"),
    Transition("note_prethaw_check", ACTIVE, UNCHANGED, (),
               "record what the hospital's record answered to the search before a thaw"),
    Transition("note_custody", OPEN, UNCHANGED, (),
               "record custody on the hospital's server as this procedure met it (opened "
               "offline, signed; claimed later; a conflict; taken over here)"),
    Transition("correct", OPEN, UNCHANGED, ("flush",),
               "correct a recorded flush volume (a new event pointing at the old one)"),
    Transition("hand_over", WITH_PRODUCT, (MOVED,), (),
               "hand the open procedure over to another workstation (a signed file, or the "
               "server's take-over learnt here): every later command is refused here"),
    Transition("take_over", (MOVED, *WITH_PRODUCT), UNCHANGED, (),
               "continue a procedure another workstation held, from its recorded instants",
               "back to the step it was handed over at", returns=True),
)

COMMANDS: frozenset[str] = frozenset(t.command for t in TABLE)


def allowed_at(step: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.command for t in TABLE if step in t.steps))


def transition(command: str, step: str) -> Transition | None:
    """The row that allows `command` at `step`, if any."""
    return next((t for t in TABLE if t.command == command and step in t.steps), None)


def rules_for(command: str) -> frozenset[str]:
    """Every rule `command` may be refused under, wherever it is given."""
    return frozenset(ANY_COMMAND_RULES).union(
        *(t.rules for t in TABLE if t.command == command))


def successors(step: str) -> frozenset[str]:
    """The steps one command (or the passing of time) can take the procedure to from `step`."""
    after = {s for t in TABLE if step in t.steps and not t.returns for s in t.lands_in(step)}
    return frozenset(after | {b for a, b in TIMED if a == step})


def reachable(start: str = "new") -> frozenset[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in successors(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return frozenset(seen)


def table_problems() -> list[str]:
    """What is wrong with the table as a state machine (python-statemachine checks the same
    when a machine is defined): unknown steps, unreachable steps, steps from which the
    procedure can never end, and a terminal step with a way out."""
    problems = []
    for t in TABLE:
        for step in (*t.steps, *t.leads_to):
            if step not in STEPS:
                problems.append(f"{t.command}: unknown step {step!r}")
    problems += [f"step {s!r} cannot be reached" for s in STEPS if s not in reachable()]
    problems += [f"from step {s!r} the procedure can never end" for s in STEPS
                 if not reachable(s) & set(TERMINAL) and not _returns_from(s)]
    problems += [f"terminal step {s!r} leads to {sorted(successors(s) - {s})}"
                 for s in TERMINAL if successors(s) - {s}]
    return problems


def _returns_from(step: str) -> bool:
    """Only a take-over is allowed at `step` (moved): it goes back to the step the procedure
    left, which is itself checked."""
    here = [t for t in TABLE if step in t.steps]
    return bool(here) and all(t.returns for t in here)


def _steps_text(steps: tuple[str, ...]) -> str:
    if steps == OPEN:
        return "any, once open"
    if steps == ACTIVE:
        return "any active step"
    if steps == WITH_PRODUCT:
        return "any active step once the order is in"
    if steps == (MOVED, *WITH_PRODUCT):
        return "moved, or any active step once the order is in"
    return ", ".join(steps)


def table_markdown() -> str:
    lines = [
        "| step | command | records | leads to | may be refused under |",
        "|---|---|---|---|---|",
    ]
    for t in TABLE:
        rules = ", ".join(f"`{r}`" for r in t.rules) or "—"
        leads = " or ".join(t.leads_to) or ("(back)" if t.returns else "(unchanged)")
        if t.when:
            leads += f" ({t.when})"
        lines.append(f"| {_steps_text(t.steps)} | `{t.command}` | {t.does} | {leads} "
                     f"| {rules} |")
    return "\n".join(lines) + "\n"

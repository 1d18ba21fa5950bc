"""The procedure as one table: which command may be given at which step, what it leads to, and
which rules guard it. `decide` refuses any command the table does not allow at the current step;
the README shows this table (rendered by `table_markdown`, checked by a test).
"""

from __future__ import annotations

from dataclasses import dataclass

STEPS: tuple[str, ...] = (
    "new", "order", "gates", "identity", "inspect", "thaw", "bedside_identity", "line_checks",
    "infusion", "flush", "between_bags", "post_infusion", "complete", "stopped",
)
ACTIVE: tuple[str, ...] = STEPS[1:-2]  # every step of an open, unfinished procedure
OPEN: tuple[str, ...] = STEPS[1:]  # every step once the procedure exists


@dataclass(frozen=True)
class Transition:
    command: str
    steps: tuple[str, ...]  # where it is allowed
    leads_to: str  # where the procedure is afterwards
    rules: tuple[str, ...]  # profile rules that guard it
    does: str  # what it records, in the nurse's words


TABLE: tuple[Transition, ...] = (
    Transition("open", ("new",), "order", (), "open a procedure on this workstation"),
    Transition("prepare_order", ("order",), "gates",
               ("order", "min_dose", "max_lots", "bag_count", "custody_bag", "custody_patient"),
               "enter the Lot Information Sheet: patient, weight, bags, lots, expiry, CD34+/kg "
               "(each number finite and in its physical range)"),
    Transition("confirm_backup", ("gates",), "gates", ("backup_collection", "conditioning_order"),
               "confirm the cryopreserved back-up collection, its CD34+/kg and when"),
    Transition("record_conditioning_end", ("gates",), "gates",
               ("conditioning_window", "conditioning_order"),
               "record when myeloablative conditioning began and ended"),
    Transition("confirm_storage", ("gates",), "gates", ("storage", "conditioning_order"),
               "record on-site vapor-phase LN2 storage, its temperature and since when"),
    Transition("attest", ("gates",), "identity once every gate is done", (),
               "attest transplant appropriateness and ustekinumab given / not given"),
    Transition("scan", ("identity",),
               "inspect once wristband, shipper, every cassette and bag 1 match; bag 2: inspect "
               "once its label matches its cassette",
               ("identity", "expiry", "second_bag_frozen", "custody_bag"),
               "scan wristband, shipper, every cassette and bag 1 (bag 2 stays in its cassette "
               "in LN2); at bag 2's turn, its label"),
    Transition("inspect_bag", ("inspect", "between_bags"), "thaw (intact) or stopped (compromised)",
               ("integrity", "interbag_window"), "inspect the bag for breaks or cracks"),
    Transition("start_thaw", ("thaw",), "thaw (running)",
               ("sequence", "one_bag_at_a_time", "expiry", "conditioning_window",
                "interbag_window", "custody_bag", "custody_patient"),
               "start the thaw (water bath or dry thaw, in a sterile overbag)"),
    Transition("complete_thaw", ("thaw",), "bedside_identity", ("thaw_time",),
               "no visible ice: thaw complete"),
    Transition("scan", ("bedside_identity",), "line_checks once wristband and bag match again",
               ("identity",), "re-confirm identity at the bedside: wristband and bag"),
    Transition("check_line", ("line_checks",), "infusion", ("line",),
               "attest central access, no in-line filter, no pump, tubing primed"),
    Transition("start_infusion", ("infusion",), "infusion (running)",
               ("sequence", "conditioning_window", "infusion_time"),
               "start the infusion (cue when less than 10 min of the 30 are left)"),
    Transition("end_infusion", ("infusion",), "flush", ("infusion_window", "conditioning_window"),
               "entire contents infused"),
    Transition("log_flush", ("flush",), "between_bags (another bag) or post_infusion",
               ("flush",), "flush bag and tubing with normal saline; log the volume (mL and "
               "mL/kg against the site's threshold) and when the flush ended"),
    Transition("acknowledge_post_infusion", ("post_infusion",),
               "complete (stopped after a bag was given: stays stopped)", (),
               "acknowledge the post-infusion instructions (also after a stop once a bag was "
               "given)"),
    Transition("stop_procedure", ACTIVE, "stopped", (),
               "end the procedure as stopped, with the reason"),
    Transition("acknowledge_alarm", OPEN, "(unchanged)", (), "acknowledge an alarm"),
    Transition("silence_alarm", OPEN, "(unchanged)", (), "silence an alarm's sound for a while"),
    Transition("note_clock_change", OPEN, "(unchanged)", (),
               "record that the clock moved while the program was down"),
    Transition("correct", OPEN, "(unchanged)", (),
               "correct a recorded flush volume (a new event pointing at the old one)"),
)

COMMANDS: frozenset[str] = frozenset(t.command for t in TABLE)


def allowed_at(step: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.command for t in TABLE if step in t.steps))


def _steps_text(steps: tuple[str, ...]) -> str:
    if steps == OPEN:
        return "any, once open"
    if steps == ACTIVE:
        return "any active step"
    return ", ".join(steps)


def table_markdown() -> str:
    lines = [
        "| step | command | records | leads to | guarded by |",
        "|---|---|---|---|---|",
    ]
    for t in TABLE:
        rules = ", ".join(f"`{r}`" for r in t.rules) or "—"
        lines.append(f"| {_steps_text(t.steps)} | `{t.command}` | {t.does} | {t.leads_to} "
                     f"| {rules} |")
    return "\n".join(lines) + "\n"

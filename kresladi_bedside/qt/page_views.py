"""What each page and the header show, from the engine's state: Qt-free frozen records the
widgets only copy (Anki's browser `state.py` beside its model and view). No Qt and no rule:
every fact here is one the engine recorded or computed (its state, its countdowns, its
preview of a command); this module only chooses the words and what is enabled. Tested
without a window (tests/qt/test_page_views.py); an import contract keeps PySide6 out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..clock import Instant, elapsed
from ..engine.countdowns import Countdown
from ..engine.handover import Moved, moved_refusal
from ..engine.model import Event, Order, Rejection
from ..engine.state import State
from ..engine.steps import Step, labels_needed, order_instants_missing
from ..engine.summary import any_given, flush_text, stop_summary
from ..profile import Profile
from .display import (
    LABEL_NAMES,
    deviation_line,
    display_name,
    flush_total_text,
    local_when,
    reason_words,
    stop_view,
    window_sentence,
)

NEEDED = tuple[str, str, int | None]  # (label role, stage, bag) the engine asks for


# ---------------------------------------------------------------------------------- header
@dataclass(frozen=True)
class PatientLine:
    """The header's patient row."""

    patient: str
    ids: str
    bag: str


def patient_line(order: Order | None, bag: int | None) -> PatientLine:
    """Who the patient is and which bag the page on screen is about."""
    if order is None:
        return PatientLine("No patient yet", "", "")
    p = order.patient
    n = len(order.bags)
    return PatientLine(display_name(p.name), f"MRN {p.mrn}   DOB {p.dob.isoformat()}",
                       f"Bag {bag} of {n}" if bag else f"{n} bag{'s' * (n > 1)}")


def hidden_line(why: str) -> PatientLine:
    """The lock screen and the sign-in page: nobody walking past reads who the patient is."""
    return PatientLine(why, "", "")


# ---------------------------------------------------------------------------------- order
def order_text(order: Order | None) -> str:
    """The order page's summary of the prepared order (empty before one: nothing of the last
    patient's order remains on a new procedure)."""
    if order is None:
        return ""
    lines = [f"{display_name(order.patient.name)} — MRN {order.patient.mrn} — DOB "
             f"{order.patient.dob.isoformat()} — {order.weight_kg:g} kg"]
    lines += [f"Bag {b.number}: {b.bag_id}, lot {b.lot}, expires "
              f"{local_when(b.expiry)}, {b.cd34_per_kg / 1e6:.2f} × 10⁶ CD34+/kg"
              for b in order.bags]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- gates
@dataclass(frozen=True)
class GatesView:
    """Which of the gates' entries are recorded already (their fields are then closed)."""

    backup_done: bool
    conditioning_done: bool
    storage_done: bool
    # The conditioning-order instants (engine.steps.ORDER_INSTANTS) neither recorded nor
    # attested unknown; those attested unknown, with the signed reason; the receipt's
    # storage instant when the order carried it (until the storage is confirmed).
    instants_missing: tuple[str, ...] = ()
    instants_unknown: tuple[tuple[str, str], ...] = ()
    stored_carried: Instant | None = None


def gates_view(state: State) -> GatesView:
    return GatesView(backup_done=state.backup_cd34_per_kg is not None,
                     conditioning_done=state.conditioning_end is not None,
                     storage_done=state.storage_celsius is not None,
                     instants_missing=tuple(order_instants_missing(state)),
                     instants_unknown=tuple(state.unknown_instants.items()),
                     stored_carried=state.stored_at if state.storage_celsius is None else None)


# ---------------------------------------------------------------------------------- scans
def storage_reconfirmed(state: State, bag: int) -> bool:
    """A later bag's storage (kept in vapor-phase LN2 until its turn) confirmed at its turn."""
    return bag <= len(state.bags) and state.bag(bag).storage_reconfirmed_at is not None


def identity_needed(state: State, step: Step) -> list[NEEDED]:
    """The labels the engine wants at an identity step (its own list, engine.steps). A later
    bag's step lists the wristband first (issue 25, item 9): the engine's identity check refuses
    a bag label unless the wristband was scanned within the site's few minutes, and bag 2 comes
    out of its cassette an hour or more after bag 1 — so a fresh wristband scan is required
    there, and the checklist says so rather than leave the nurse to find out from a refusal."""
    needed = labels_needed(state, step)
    if step.name == "identity" and step.bag is not None and step.bag > 1:
        needed = [("wristband", "initial", step.bag), *needed]
    return needed


def bedside_needed(bag: int | None) -> list[NEEDED]:
    """At the bedside, for each bag: the wristband and the bag again."""
    return [("wristband", "bedside", bag), ("bag", "bedside", bag)]


def _wristband_since(state: State, bag: int) -> bool:
    """A wristband accepted after bag `bag`'s infusion ended (this step's own scan)."""
    ended = state.bag(bag).infusion_ended
    return ended is not None and any(
        x.role == "wristband" and elapsed(ended, x.at) >= 0
        for x in state.labels)


def scan_progress(state: State, needed: Iterable[NEEDED]) -> str:
    """One line per label the step needs: ✔ accepted, ○ still to scan."""
    lines = []
    for role, stage, bag in needed:
        if role == "wristband" and stage == "initial" and bag is not None:
            done = _wristband_since(state, bag - 1)  # a later bag's own (fresh) wristband
        else:
            done = state.label_accepted(role, stage, bag)
        name = LABEL_NAMES.get(role, role) + (f" (bag {bag})" if bag else "")
        lines.append(f"{'✔' if done else '○'} {name}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- per bag
@dataclass(frozen=True)
class ThawView:
    """Before the thaw: the checks, the method and START open. Once the timer runs: the
    thaw-complete checks and button open, and the status line says since when."""

    started: bool
    status: str


def thaw_view(state: State, bag: int) -> ThawView:
    started_at = state.bag(bag).thaw_started
    if started_at is None:
        return ThawView(False,
                        "THAW TIMER NOT RUNNING. Press START THAW as the bag goes into the bath.")
    at = started_at.local().strftime("%H:%M:%S")
    return ThawView(True, f"Thaw timer RUNNING since {at} (see the clock above).")


def infusion_started(state: State, bag: int) -> bool:
    """The infusion page: START until the infusion runs, then END and its checks."""
    return state.bag(bag).infusion_started is not None


def flush_cue(rejection: Rejection | None) -> str:
    """What the engine would say to the volume as typed (its preview; nothing recorded)."""
    if rejection is None:
        return ""
    if rejection.kind == "deviation_required":
        return ("⚠ LARGE FOR THIS CHILD'S WEIGHT — " + reason_words(rejection.reason) +
                " Logging it asks for a signed reason.")
    return "⚠ " + reason_words(rejection.reason)


def flush_figures(state: State, bag: int, typed_ml: float | None, cue: str = "") -> str:
    """mL and mL/kg, this bag's and all flushes', against the site's threshold (the engine's
    own figures): the total so far until a volume is typed, then what it would make."""
    order = state.order
    if order is None:
        return ""
    figures = (flush_total_text(state.bags, order.weight_kg) if typed_ml is None
               else flush_text(state, bag, typed_ml))
    return figures + (f"\n{cue}" if cue else "")


def between_bags_text(countdowns: Iterable[Countdown], now: Instant, bag: int,
                      state: State | None = None) -> str:
    """The wait for the next bag, from the engine's interbag countdown; with the state, the two
    instants of the previous bag (its infusion's end, its flush's end: the wait counts from
    the latter)."""
    since = ""
    previous = state.previous_bag(bag) if state is not None else None
    if previous is not None and previous.flush_ended is not None:
        ended = previous.infusion_ended
        since = (f"\nBag {previous.number}: infusion ended "
                 f"{ended.local().strftime('%H:%M:%S') if ended else '—'}, flush ended "
                 f"{previous.flush_ended.local().strftime('%H:%M:%S')} — the wait counts "
                 "from the end of the flush.")
    for c in countdowns:
        if c.id == "interbag" and c.bag == bag:
            return (f"Bag {bag} stays in liquid nitrogen until its window opens.\n"
                    f"{window_sentence(c, now, bag)}\nA chime sounds when it opens, "
                    f"and this page moves on to inspecting the bag by itself.{since}")
    return f"Bag {bag} may now be taken for inspection.{since}"


# ---------------------------------------------------------------------------------- the end
@dataclass(frozen=True)
class CompleteView:
    instruction: str
    summary: str


def complete_view(state: State) -> CompleteView:
    lines = []
    for b in state.bags:
        given = b.infusion_ended.local().strftime("%H:%M") if b.infusion_ended else "—"
        flushed = b.flush_ended.local().strftime("%H:%M") if b.flush_ended else "—"
        lines.append(f"Bag {b.number}: infusion ended {given}, flush {b.flush_ml or 0:g} mL "
                     f"ended {flushed}")
    lines += [deviation_line(d.rule, d.bag, d.reason) for d in state.deviations]
    return CompleteView(
        "The procedure is complete and recorded. Print the record for the chart. The "
        "patient must never donate blood, organs, tissues or cells.",
        "\n".join(lines))


def moved_view(moved: Moved) -> StoppedView:
    """A procedure handed over to another workstation (engine/handover.py)."""
    return StoppedView(
        title="Procedure handed over",
        what=f"{moved_refusal(moved)}\n\nIts countdowns and alarms run on that workstation now.",
        contact="",
        recorded="Recorded in the procedure log. No step can follow here; print this "
                 "workstation's record if the chart needs it.")


@dataclass(frozen=True)
class StoppedView:
    title: str
    what: str
    contact: str
    recorded: str


def stopped_view(state: State, profile: Profile, events: Sequence[Event]) -> StoppedView:
    if state.moved_out is not None:
        return moved_view(state.moved_out)
    finding = next((e for e in reversed(events) if e.type == "hard_stop"), None)
    field = finding.data.get("details", {}).get("field") if finding else None
    view = stop_view(state.stop_rule, state.stop_reason, field)
    # After a bag was given the child received part of the dose: the page says what was
    # given and not "do not give this product" (engine.summary).
    summary = stop_summary(state, profile)
    lines = [view.what, "", *summary.given]
    if summary.post_infusion_acknowledged is not None:
        lines.append("Post-infusion instructions acknowledged "
                     f"{summary.post_infusion_acknowledged.local():%H:%M}: irradiate blood "
                     "products for 3 months; the patient must never donate blood, organs, "
                     "tissues or cells.")
    if summary.backup:
        lines += ["", summary.backup]
    last = next((e for e in reversed(events) if e.type == "procedure_stopped"), None)
    when = last.at.local().strftime("%Y-%m-%d %H:%M:%S") if last else "—"
    return StoppedView(
        title=summary.title if any_given(state) else view.title,
        what="\n".join(lines),
        contact=(f"Call {profile.manufacturer_contact}\n({profile.manufacturer_when})"
                 if summary.call_manufacturer else ""),
        recorded=(f"Recorded in the procedure log at {when}. No step can follow; print the "
                  "record, follow local guidelines, and keep the product for the manufacturer."))

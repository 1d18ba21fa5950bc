"""What the pages and the header show, from the engine's state alone: the Qt-free view-models
(qt/page_views.py) driven through a real procedure (tests/engine/driver.py). No window, no Qt:
a subprocess checks that importing them loads no PySide6."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from kresladi_bedside.engine.steps import Step
from kresladi_bedside.qt.page_views import (
    bedside_needed,
    between_bags_text,
    complete_view,
    flush_cue,
    flush_figures,
    gates_view,
    hidden_line,
    identity_needed,
    infusion_started,
    order_text,
    patient_line,
    scan_progress,
    stopped_view,
    thaw_view,
)
from tests.engine.driver import DINS, PATIENT, Driver


def test_importing_the_view_models_loads_no_qt() -> None:
    code = ("import sys, kresladi_bedside.qt.page_views; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_patient_line_and_order_summary_follow_the_order() -> None:
    d = Driver().open()
    assert patient_line(d.proc.state.order, None).patient == "No patient yet"
    assert order_text(d.proc.state.order) == ""
    d.order()
    order = d.proc.state.order
    line = patient_line(order, None)
    assert line.patient == "RIVERA, MATEO"
    assert line.ids == f"MRN {PATIENT['mrn']}   DOB {PATIENT['dob']}"
    assert line.bag == "2 bags"
    assert patient_line(order, 2).bag == "Bag 2 of 2"
    one = Driver().open().order(bags=1, dose=(3.2e6,))
    assert patient_line(one.proc.state.order, None).bag == "1 bag"
    assert hidden_line("Screen locked") == type(line)("Screen locked", "", "")
    text = order_text(order).splitlines()
    assert text[0].startswith("RIVERA, MATEO — MRN MRN0042117 — DOB 2024-05-01 — 7.4 kg")
    assert text[1].startswith(f"Bag 1: {DINS[0]}, lot LOT-A, expires ")
    assert text[1].endswith("1.60 × 10⁶ CD34+/kg")


def test_gates_fields_close_as_each_is_recorded() -> None:
    d = Driver().open().order()
    assert gates_view(d.proc.state) == type(gates_view(d.proc.state))(
        False, False, False, ("conditioning_start", "stored_at", "backup_confirmed_at"))
    d.ok("confirm_backup", available=True, cd34_per_kg=3e6,
         confirmed_at=(d.clock.now().wall - timedelta(days=9)).isoformat())
    assert gates_view(d.proc.state).backup_done
    assert not gates_view(d.proc.state).conditioning_done
    at = d.clock.now().wall - timedelta(hours=30)
    d.ok("record_conditioning_end", at=at.isoformat(),
         conditioning_start=(at - timedelta(days=4)).isoformat())
    d.ok("confirm_storage", temperature_c=-170,
         stored_at=(at - timedelta(days=10)).isoformat())
    view = gates_view(d.proc.state)
    assert view.conditioning_done and view.storage_done


def test_scan_progress_ticks_what_the_engine_accepted() -> None:
    d = Driver().open().order().gates()
    needed = identity_needed(d.proc.state, Step("identity"))
    assert scan_progress(d.proc.state, needed).splitlines()[0].startswith("○")
    assert d.scan("wristband", mrn=PATIENT["mrn"], name=PATIENT["name"]).accepted
    lines = scan_progress(d.proc.state, needed).splitlines()
    assert lines[0].startswith("✔") and all(x.startswith("○") for x in lines[1:])
    assert bedside_needed(2) == [("wristband", "bedside", 2), ("bag", "bedside", 2)]
    assert "(bag 2)" in scan_progress(d.proc.state, bedside_needed(2))


def test_thaw_view_says_whether_the_timer_runs() -> None:
    d = Driver().ready_to_thaw()
    before = thaw_view(d.proc.state, 1)
    assert not before.started and before.status.startswith("THAW TIMER NOT RUNNING")
    d.ok("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
    started = d.clock.now().local().strftime("%H:%M:%S")
    after = thaw_view(d.proc.state, 1)
    assert after.started and f"RUNNING since {started}" in after.status


def test_infusion_and_flush_figures_are_the_engines() -> None:
    d = Driver().ready_to_thaw()
    d.line_checked()
    assert not infusion_started(d.proc.state, 1)
    d.ok("start_infusion", bag=1)
    assert infusion_started(d.proc.state, 1)
    d.advance(420)
    d.ok("end_infusion", bag=1, attest={"entire_contents": True})
    assert flush_figures(d.proc.state, 1, None).startswith(
        "Saline flush recorded so far: 0 mL (0.0 mL/kg at 7.4 kg)")
    typed = flush_figures(d.proc.state, 1, 4.5, "⚠ cue")
    assert typed.startswith("Bag 1: 4.5 mL = 0.61 mL/kg.") and typed.endswith("\n⚠ cue")


def test_flush_cue_words_the_engines_preview() -> None:
    from kresladi_bedside.engine import Rejection

    assert flush_cue(None) == ""
    large = Rejection("flush_volume", "Flush volume above the site threshold.", "§2.3",
                      kind="deviation_required")
    assert flush_cue(large).startswith("⚠ LARGE FOR THIS CHILD'S WEIGHT — ")
    assert flush_cue(large).endswith("Logging it asks for a signed reason.")
    refused = Rejection("flush_volume", "Flush volume must be positive.", "§2.3")
    assert flush_cue(refused).startswith("⚠ ") and "LARGE" not in flush_cue(refused)


def test_between_bags_tells_the_window_from_the_interbag_countdown() -> None:
    d = Driver().open().order().gates().identity().give_bag(1)
    now = d.clock.now()
    waiting = between_bags_text(d.proc.countdowns(now), now, 2)
    assert waiting.startswith("Bag 2 stays in liquid nitrogen until its window opens.")
    assert "A chime sounds when it opens" in waiting
    assert between_bags_text([], now, 2) == "Bag 2 may now be taken for inspection."
    # Both instants of bag 1, and which one the wait counts from (issue 23).
    bag1 = d.proc.state.bag(1)
    both = between_bags_text(d.proc.countdowns(now), now, 2, d.proc.state)
    assert (f"infusion ended {bag1.infusion_ended.local():%H:%M:%S}, flush ended "
            f"{bag1.flush_ended.local():%H:%M:%S} — the wait counts from the end of the flush"
            in both)


def test_complete_and_stopped_views() -> None:
    d = Driver().complete()
    view = complete_view(d.proc.state)
    assert view.instruction.startswith("The procedure is complete and recorded.")
    assert [x.split(":")[0] for x in view.summary.splitlines()] == ["Bag 1", "Bag 2"]
    assert "flush 4.5 mL" in view.summary

    s = Driver().open().order()
    s.ok("stop_procedure", reason="family withdrew consent")
    stopped = stopped_view(s.proc.state, s.profile, s.proc.events)
    assert stopped.title.startswith("STOPPED")
    assert "family withdrew consent" in stopped.what
    when = s.clock.now().local().strftime("%Y-%m-%d %H:%M:%S")
    assert stopped.recorded.startswith(f"Recorded in the procedure log at {when}.")

"""Views that listen: `Session.changed` carries each command's Outcome, and the window and the
current page act on it, whoever gave the command (a page, a scan, the menu, the alarm bar, or
the session directly). Nobody has to remember to tell the window."""

from __future__ import annotations

from kresladi_bedside.engine import Outcome
from kresladi_bedside.qt.pages import StoppedPage


def test_changed_carries_the_outcome_of_each_command(bedside, qtbot) -> None:
    b = bedside()
    b.sign_in()
    with qtbot.waitSignal(b.session.changed) as opened:
        result = b.session.submit("open", {"training": True})
    assert opened.args == [result.outcome] and result.accepted
    assert [e.type for e in opened.args[0].events] == ["procedure_opened"]
    with qtbot.waitSignal(b.session.changed) as refused:
        result = b.session.submit("stop_procedure", {"reason": ""})
    assert isinstance(refused.args[0], Outcome) and refused.args[0].rejection.rule == "procedure"
    with qtbot.waitSignal(b.session.changed) as fresh:
        b.session.start_new()
    assert fresh.args == [Outcome(())]


def test_a_command_given_to_the_session_directly_is_shown(bedside) -> None:
    b = bedside()
    b.sign_in()
    assert b.session.submit("open", {"training": True}).accepted
    assert b.session.submit("stop_procedure", {"reason": "family withdrew consent"}).accepted
    # no page and no window method was called: the window listened and took over
    assert isinstance(b.page, StoppedPage)


def test_an_alarm_acknowledged_from_the_header_reaches_window_and_page(
        bedside, monkeypatch) -> None:
    from .test_window_clock import to_thaw

    b = bedside()
    to_thaw(b)
    b.advance(301)  # 5:01 into the thaw: the alarm
    page = b.page
    told: list[Outcome] = []
    monkeypatch.setattr(page, "refresh", lambda: told.append(page.win.session.events[-1]))
    seen: list[Outcome] = []
    b.session.changed.connect(seen.append)
    b.window.header.form.acknowledgeButton.click()  # the alarm bar: no page, no after_command
    assert [e.type for e in seen[-1].events] == ["alarm_acknowledged"]
    assert told and told[-1].type == "alarm_acknowledged"  # the page heard of it


def test_the_header_listens_to_the_session_itself(bedside) -> None:
    """With the window deaf (its listener disconnected, its tick stopped), commands given to
    the session still reach the header: the patient line and the clocks repaint on
    Session.changed alone."""
    from datetime import timedelta

    from kresladi_bedside.qt.display import display_name
    from kresladi_bedside.training.sample import sample_order

    b = bedside()
    b.sign_in()
    header, session = b.window.header, b.session
    b.window.timer.stop()
    session.changed.disconnect(b.window.procedure_changed)
    page_before = b.window.wizard.currentId()
    assert header.form.patientLabel.text() == "No patient yet"
    order = sample_order(session.clock.now())
    assert session.submit("open", {"training": True}).accepted
    assert session.submit("prepare_order", {"order": order.to_dict()}).accepted
    assert header.form.patientLabel.text() == display_name(order.patient.name)
    assert order.patient.mrn in header.form.idsLabel.text()
    assert header.tiles == {}
    ended = session.clock.now().wall - timedelta(hours=30)
    assert session.submit("record_conditioning_end", {"at": ended.isoformat()}).accepted
    now = session.clock.now()
    assert sorted(header.tiles) == sorted(f"{c.id}:{c.bag}" for c in session.countdowns(now))
    assert header.tiles  # the conditioning window's clock
    assert b.window.wizard.currentId() == page_before  # the window did nothing: it was deaf

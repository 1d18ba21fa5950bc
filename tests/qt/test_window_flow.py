"""Issue 17 part B, through the real window: the flow a nurse expects (typed labels, flush,
thaw, stop, new procedure, gates, header, legibility, training speed, effort)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWizard

from kresladi_bedside.labels import samples as S
from kresladi_bedside.qt.dialogs import (
    STOP_CONSEQUENCE,
    ConfirmDialog,
    CorrectionDialog,
    StopDialog,
    TypedEntryDialog,
)
from kresladi_bedside.qt.header import CAPTION_PX
from kresladi_bedside.qt.menus import set_training_speed
from kresladi_bedside.qt.pages import (
    BetweenBagsPage,
    CompletePage,
    FlushPage,
    GatesPage,
    IdentityPage,
    InfusionPage,
    InspectPage,
    OrderPage,
    SignInPage,
    ThawPage,
)
from kresladi_bedside.qt.signin import TRAINING_NURSE, TRAINING_WITNESS

from .conftest import visible_texts


def to_identity(b) -> None:
    b.sign_in()
    b.page.form.sampleButton.click()
    b.next()
    b.gates()
    b.next()
    assert isinstance(b.page, IdentityPage)


def to_thaw(b) -> None:
    to_identity(b)
    for payload in (S.wristband_payload(), S.shipper_payload(), S.cassette_payload(1),
                    S.bag_payload(1), S.cassette_payload(2)):
        b.scan(payload)
    assert isinstance(b.page, InspectPage)
    b.page.form.intactButton.click()
    assert isinstance(b.page, ThawPage)


def to_flush(b, n: int = 1) -> None:
    assert isinstance(b.page, ThawPage) and b.page.bag == n
    b.page.form.startButton.click()
    b.advance(200)
    b.page.form.completeButton.click()
    b.scan(S.wristband_payload())
    b.scan(S.bag_payload(n))
    b.page.checks.set_all()
    b.page.form.confirmButton.click()
    b.page.form.startButton.click()
    b.advance(300)
    b.page.form.endButton.click()
    assert isinstance(b.page, FlushPage) and b.page.bag == n


def y_in_window(b, widget) -> int:
    QApplication.processEvents()  # let the layouts settle, as a painted frame would
    return widget.mapTo(b.window, QPoint(0, 0)).y()


# ---------------------------------------------------------------- 4: a typed label with its kind
def test_a_typed_cassette_din_is_judged_as_a_cassette_and_the_witness_signs_once(bedside):
    b = bedside()
    to_identity(b)
    b.scan(S.wristband_payload())
    b.scan(S.shipper_payload())
    witnessed = b.witnessed

    def fill(d: TypedEntryDialog) -> None:
        d.form.payloadEdit.setText(S.typed_din(1))
        d.form.reasonEdit.setText("cassette label frosted")
        d.choose("cassette")
        d.submit()

    seen = b.when_dialog(TypedEntryDialog, fill)
    b.page.form.typedButton.click()
    assert seen
    text = b.page.form.scanResultLabel.text()
    # never taken for a bag label ("scan the cassette label of bag 1 first")
    assert "cassette label of bag 1 first" not in text
    judged = [e for e in b.session.events if e.type in ("label_accepted", "command_rejected")][-1]
    scan = (judged.data.get("label") or judged.data["args"])["scan"]
    assert scan["kind"] == "cassette" and scan["source"] == "typed"
    assert scan["typed_reason"] == "cassette label frosted"
    assert b.witnessed == witnessed + 1  # the typed entry is witnessed…
    b.advance(60)
    b.scan(S.bag_payload(1))
    assert b.witnessed == witnessed + 1  # …and that signature covers the step a minute later


def test_typed_entry_needs_its_kind_and_reason(qtbot):
    d = TypedEntryDialog()
    qtbot.addWidget(d)
    d.form.payloadEdit.setText(S.typed_din(1))
    d.submit()
    assert "bag or cassette" in d.form.messageLabel.text()
    assert "why" in d.form.messageLabel.text()
    assert d.result() == 0


# ---------------------------------------------------------------- 6: flush
def test_flush_starts_empty_refuses_empty_and_a_recorded_volume_can_be_corrected(bedside):
    b = bedside()
    to_thaw(b)
    to_flush(b)
    spin = b.page.form.volumeSpin
    assert spin.text().strip() == ""  # not "0.0 mL"
    before = len(b.session.events)
    b.page.form.flushButton.click()
    assert "Type the saline flush volume" in b.page.form.messageLabel.text()
    assert len(b.session.events) == before
    spin.setValue(15)
    b.page.form.flushButton.click()
    assert isinstance(b.page, BetweenBagsPage)
    assert b.session.state.bag(1).flush_ml == 15

    def correct(d: CorrectionDialog) -> None:
        d.volumeSpin.setValue(12)
        d.reasonEdit.setText("misread the syringe")
        d.save()

    seen = b.when_dialog(CorrectionDialog, correct)
    b.page.correctButton.click()
    assert seen
    assert b.session.state.bag(1).flush_ml == 12
    correction = b.session.events[-1]
    assert correction.type == "correction" and correction.data["previous"] == {"volume_ml": 15}
    # the flush page of bag 2 starts empty again
    assert "bag 1" in b.page.form.waitLabel.text().lower() or b.page.bag == 2


def test_a_large_flush_for_the_weight_is_cued_as_typed_and_needs_a_signed_reason(bedside):
    b = bedside()
    to_thaw(b)
    to_flush(b)
    page = b.page
    before = len(b.session.events)
    page.form.volumeSpin.setValue(99)  # 9.5 kg: 10.4 mL/kg, above the site's 10 mL/kg
    assert "LARGE FOR THIS CHILD'S WEIGHT" in page.form.totalLabel.text()
    assert len(b.session.events) == before  # the cue asked the engine, recorded nothing
    page.form.volumeSpin.setValue(20)
    assert "LARGE" not in page.form.totalLabel.text()
    page.form.volumeSpin.setValue(99)
    asked = b.sign_deviation_when_asked("Line primed twice; pharmacist agreed")
    page.form.flushButton.click()
    assert asked and "mL/kg" in asked[0]
    assert b.session.state.bag(1).flush_ml == 99
    assert any(d.rule == "flush" for d in b.session.state.deviations)


# ---------------------------------------------------------------- 7: thaw
def test_thaw_start_is_the_overbag_attestation_and_the_timer_status_is_always_shown(bedside):
    b = bedside()
    b.window.showNormal()
    b.window.setFixedSize(1366, 768)
    to_thaw(b)
    page = b.page
    status = page.statusLabel.text()
    assert "NOT RUNNING" in status and page.statusLabel.isVisibleTo(page)
    start = page.form.startButton.text()
    assert "sterile plastic bag" in start and "START THAW" in start
    page.form.startButton.click()
    assert b.session.state.bag(1).thaw_started is not None
    assert "RUNNING since" in page.statusLabel.text()
    assert "thaw:1" in b.window.header.tiles
    # the start row gives way: "thaw complete" is on screen without scrolling at 1366x768
    assert not page.form.startButton.isVisible()
    complete = page.form.completeButton
    assert y_in_window(b, complete) + complete.height() <= 768


def test_thaw_asks_for_a_missing_check_when_start_is_pressed(bedside, monkeypatch):
    """With more than one check (a site's profile), a missing one is asked at the press."""
    b = bedside()
    to_thaw(b)
    page = b.page
    page.before.by_button = None  # the list as check boxes, none ticked
    asked = b.when_dialog(ConfirmDialog, lambda d: d.noButton.click())
    page.start()
    assert asked and "sterile plastic bag" in asked[0].textLabel.text()
    assert b.session.state.bag(1).thaw_started is None
    assert "NOT RUNNING" in page.statusLabel.text()
    asked = b.when_dialog(ConfirmDialog, lambda d: d.yesButton.click())
    page.start()
    assert asked and b.session.state.bag(1).thaw_started is not None


# ---------------------------------------------------------------- 8: nothing jumps
def test_a_refusal_message_or_a_warning_moves_nothing(bedside):
    b = bedside()
    b.window.showNormal()
    b.window.setFixedSize(1366, 768)
    to_thaw(b)
    page = b.page
    page.form.startButton.click()
    complete = page.form.completeButton
    y0 = y_in_window(b, complete)
    tile = b.window.header.tiles["thaw:1"]
    geometry = tile.geometry()
    b.advance(250)  # warning level
    assert tile._shown.level == "warning"
    page.form.messageLabel.setText("Not allowed: one\ntwo\nthree lines of refusal")
    QApplication.processEvents()
    assert y_in_window(b, complete) == y0
    assert tile.geometry() == geometry


def test_the_flush_field_is_at_the_same_place_for_both_bags(bedside):
    b = bedside()
    b.window.showNormal()
    b.window.setFixedSize(1366, 768)  # the screen's size: only the content may differ
    to_thaw(b)
    to_flush(b, 1)
    # settled: the header's tiles change on this step (bag 1's clocks end; issue 23: the wait
    # for bag 2 starts only at the end of the flush), as they do on bag 2's
    QApplication.processEvents()
    y1 = y_in_window(b, b.page.form.volumeSpin)
    b.page.form.volumeSpin.setValue(10)
    b.page.form.flushButton.click()
    b.advance(3700)
    assert isinstance(b.page, IdentityPage) and b.page.bag == 2  # out of its cassette now
    b.scan(S.wristband_payload())  # the engine wants a fresh wristband scan (10 min)
    b.page.keptButton.click()  # kept in vapor-phase LN2 until now (§2.2)
    said = b.scan(S.bag_payload(2))
    assert isinstance(b.page, InspectPage) and b.page.bag == 2, said
    b.page.form.intactButton.click()
    to_flush(b, 2)
    QApplication.processEvents()
    assert y_in_window(b, b.page.form.volumeSpin) == y1


# ---------------------------------------------------------------- 10: stop
def test_stop_is_signed_confirmed_and_away_from_lock(bedside):
    b = bedside()
    to_identity(b)
    menus = {m.title().replace("&", ""): [a.text().replace("&", "") for a in m.actions()]
             for m in (a.menu() for a in b.window.menuBar().actions()) if m is not None}
    procedure = menus["Procedure"]
    assert not any("Stop" in t for t in procedure)  # never next to "Lock the screen"
    assert any("Stop the procedure" in t for t in menus["End"])

    def refuse_then_sign(d: StopDialog) -> None:
        assert STOP_CONSEQUENCE in d.consequenceLabel.text()
        d.reasonEdit.setPlainText("Patient unwell: procedure postponed")
        d.stopButton.click()  # no tick, no PIN: refused, the dialog stays
        assert "tick" in d.messageLabel.text() and "PIN" in d.messageLabel.text()
        d.understoodCheck.setChecked(True)
        d.pinEdit.setText(TRAINING_NURSE.pin)
        d.stopButton.click()

    seen = b.when_dialog(StopDialog, refuse_then_sign)
    b.window.stop_action.trigger()
    assert seen
    assert b.session.state.outcome == "stopped"
    stopped = next(e for e in b.session.events if e.type == "procedure_stopped")
    assert stopped.data["reason"] == "Patient unwell: procedure postponed"
    assert stopped.data["signatures"][0]["name"] == TRAINING_NURSE.name
    assert "STOPPED by staff" in b.page.form.titleLabel.text()


def test_stop_cancelled_changes_nothing(bedside):
    b = bedside()
    to_identity(b)
    before = len(b.session.events)
    b.when_dialog(StopDialog, lambda d: d.cancelButton.click())
    b.window.procedure_actions.stop_procedure()
    assert len(b.session.events) == before and b.session.state.outcome is None


# ---------------------------------------------------------------- 12: new procedure
def test_new_procedure_is_not_the_default_is_confirmed_and_the_old_record_stays(bedside):
    b = bedside()
    to_identity(b)
    b.when_dialog(StopDialog, lambda d: (d.reasonEdit.setPlainText("test"),
                                         d.understoodCheck.setChecked(True),
                                         d.pinEdit.setText(TRAINING_NURSE.pin),
                                         d.stopButton.click()))
    b.window.procedure_actions.stop_procedure()
    finish = b.window.wizard.button(QWizard.WizardButton.FinishButton)
    QApplication.processEvents()
    assert finish.isVisible() and not finish.isDefault()
    first = b.session.procedure.procedure_id
    b.when_dialog(ConfirmDialog, lambda d: d.noButton.click())
    finish.click()
    assert b.session.procedure.procedure_id == first
    asked = b.when_dialog(ConfirmDialog, lambda d: d.yesButton.click())
    finish.click()
    assert asked and b.session.procedure.procedure_id != first
    assert b.window.records.previous_procedure_id == first and b.window.previous_action.isEnabled()
    assert isinstance(b.page, OrderPage)
    assert b.page.form.orderLabel.text() == ""
    assert "RIVERA" not in visible_texts(b.window.header)


# ---------------------------------------------------------------- 13: gates
def test_gates_typed_and_nothing_recorded_until_everything_is_right(bedside):
    b = bedside()
    b.sign_in()
    b.page.form.sampleButton.click()
    g = b.page
    assert isinstance(g, GatesPage)
    before = len(b.session.events)
    g.form.backupSpin.setValue(2.4)
    g.form.storageSpin.setValue(-120)  # warmer than the limit: the engine refuses
    g.form.conditioningEdit.setText("yesterday")
    g.form.recordButton.click()
    message = g.form.messageLabel.text()
    assert "Nothing recorded" in message
    assert "not a date and time" in message
    assert "ustekinumab" in message.lower()
    assert "conditioning began at" in message and "unknown" in message  # §2.2's instants
    assert len(b.session.events) == before
    g.form.conditioningEdit.setText(
        (b.clock.now().local() - timedelta(hours=30)).strftime("%m-%d %H:%M"))
    now = b.clock.now().local()
    g.set_order_instants(began=now - timedelta(days=5), stored=now - timedelta(days=10),
                         confirmed=now - timedelta(days=9))
    g.attest.set_all()
    g.form.recordButton.click()
    assert "−150" in g.form.messageLabel.text() or "-150" in g.form.messageLabel.text()
    assert len(b.session.events) == before  # the engine's answer, asked before recording
    g.form.storageSpin.setValue(-180)
    g.attest.choose("ustekinumab", "not given")
    g.form.recordButton.click()
    assert isinstance(b.page, IdentityPage)
    assert b.session.state.attested["ustekinumab"] == "not given"
    ended = b.session.state.conditioning_end.local()
    assert ended.strftime("%H:%M") == (b.clock.now().local()
                                       - timedelta(hours=30)).strftime("%H:%M")


# ---------------------------------------------------------------- 15: header and page agree
def test_header_shows_the_bag_of_the_page_and_no_patient_at_sign_in(bedside, db_path):
    from kresladi_bedside.engine import Procedure
    from kresladi_bedside.profile import load_profile
    from kresladi_bedside.store import open_store

    store = open_store(db_path)
    b = bedside(store=store)
    to_thaw(b)
    to_flush(b, 1)
    b.page.form.volumeSpin.setValue(10)
    b.page.form.flushButton.click()
    assert b.window.header.form.bagLabel.text() == f"Bag {b.page.bag} of 2"
    # a restart: the sign-in page shows no patient
    events = store.events(b.session.procedure.procedure_id)
    proc = Procedure.rebuild(load_profile(), b.clock, events)
    b2 = bedside(store=store, procedure=proc)
    assert isinstance(b2.page, SignInPage)
    b2.window.tick()
    header = visible_texts(b2.window.header)
    assert "RIVERA" not in header and "00417356" not in header
    b2.sign_in()
    assert "RIVERA" in visible_texts(b2.window.header)


# ---------------------------------------------------------------- 16: legible from 2 m
def test_tiles_are_large_span_the_width_and_keep_their_place(bedside):
    b = bedside()
    b.window.resize(1366, 768)
    to_thaw(b)
    b.page.form.startButton.click()
    QApplication.processEvents()
    tiles = list(b.window.header.tiles.values())
    assert len(tiles) == 3  # thaw, infusion window, conditioning window
    for tile in tiles:
        assert f"font-size: {CAPTION_PX}px" in tile.caption.styleSheet() and CAPTION_PX >= 32
    width = sum(t.width() for t in tiles)
    assert width >= 0.85 * b.window.header.width()
    # the longest titles never make the window wider than a 1366-pixel screen
    assert b.window.minimumSizeHint().width() <= 1366


def test_window_opens_maximised_and_remembers(qtbot, tmp_path, bedside):
    settings = QSettings(str(tmp_path / "bedside.ini"), QSettings.Format.IniFormat)
    b = bedside()
    w = b.window
    w.settings = settings
    w.show()
    qtbot.waitUntil(w.isMaximized, timeout=2000)
    w.showNormal()
    QApplication.processEvents()
    assert settings.value(w.MAXIMISED_KEY, True, bool) is False
    w.show()
    assert not w.isMaximized()


# ---------------------------------------------------------------- 17: training speed
def test_training_speed_scales_the_idle_lock_and_signature_lapse(bedside):
    from kresladi_bedside.clock import ScaledClock

    b = bedside()
    base = b.people.config.idle_lock_minutes
    clock = ScaledClock(b.clock, 1.0)
    b.session.clock = clock
    set_training_speed(b.window, 10)
    assert clock.speed == 10
    assert b.people.config.idle_lock_minutes == base * 10
    assert b.window.speed_actions[10.0].isChecked()
    set_training_speed(b.window, 1)
    assert b.people.config.idle_lock_minutes == base


def test_scaled_clock_changes_speed_without_a_jump(clock):
    from kresladi_bedside.clock import ScaledClock

    scaled = ScaledClock(clock, 10)
    clock.advance(6)
    at = scaled.now().wall
    assert (at - clock.now().wall).total_seconds() == 54
    scaled.set_speed(1)
    assert scaled.now().wall == at
    clock.advance(5)
    assert (scaled.now().wall - at).total_seconds() == 5


# ---------------------------------------------------------------- 11: chime, words, colours
def test_a_chime_when_the_next_bags_window_opens(bedside):
    b = bedside()
    to_thaw(b)
    to_flush(b, 1)
    b.page.form.volumeSpin.setValue(10)
    b.page.form.flushButton.click()
    assert isinstance(b.page, BetweenBagsPage)
    text = b.page.form.waitLabel.text()
    opens = (b.clock.now().local() + timedelta(hours=1)).strftime("%H:%M")
    closes = (b.clock.now().local() + timedelta(hours=2)).strftime("%H:%M")
    assert f"Bag 2 may be thawed from {opens} to {closes}" in text
    rung = b.window.alarms.chime.rung
    b.advance(3500)
    assert b.window.alarms.chime.rung == rung
    b.advance(200)
    assert b.window.alarms.chime.rung == rung + 1
    assert isinstance(b.page, IdentityPage) and b.page.bag == 2


def test_accepted_and_not_accepted_look_different(bedside):
    b = bedside()
    to_identity(b)
    label = b.page.form.scanResultLabel
    b.scan(S.wristband_payload())
    accepted = label.grab().toImage().pixelColor(6, 6)
    b.scan(S.wristband_payload(style="mrn"))
    refused = label.grab().toImage().pixelColor(6, 6)
    assert label.property("tone") == "refused"
    assert accepted != refused


def test_the_training_sheet_says_what_the_bedside_does(bedside):
    """Every wristband card's expectation agrees with what the window answers to it."""
    from kresladi_bedside.training.label_sheet import training_cards

    from .conftest import START

    b = bedside()
    to_identity(b)
    for card in training_cards(START):
        if card.role != "wristband":
            continue
        text = b.scan(card.payload)
        said_accepted = card.expect.lower().startswith("accepted")
        assert text.startswith("✔") == said_accepted, (card.title, card.expect, text)
        assert card.bad == (not said_accepted)


# ---------------------------------------------------------------- 18: effort
class Counter:
    """Counts a nurse's actions: a click, a scan, a key (typed characters and Enter)."""

    def __init__(self, b) -> None:
        self.b = b
        self.clicks = self.scans = self.keys = 0

    def click(self, button) -> None:
        self.clicks += 1
        button.click()

    def tick(self, attest) -> None:
        """One click a box or a choice (a box asking two items of one sentence is one)."""
        boxes = {id(w) for w in attest.widgets.values()}
        self.clicks += len(boxes)
        for key in attest.widgets:
            attest.set_one(key)

    def type(self, text: str, enter: bool = False) -> str:
        self.keys += len(text) + enter
        return text

    def scan(self, payload: str) -> None:
        self.scans += 1
        self.b.scan(payload)

    @property
    def total(self) -> int:
        return self.clicks + self.scans + self.keys


def enter(b) -> None:
    """Enter, as the nurse presses it: into whatever has the focus, through the application
    (the scanner filter included)."""
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()


# issue 23: the three conditioning-order instants typed (8 digits and Enter each), and bag 2's
# storage until its turn confirmed (one click)
ORDER_INSTANTS_ACTIONS = 3 * (8 + 1) + 1


def test_the_fastest_two_bag_path_takes_at_most_80_actions(bedside):
    b = bedside()
    n = Counter(b)  # every witness dialog is answered by the fixture: counted at the end

    n.scan(TRAINING_NURSE.payload())
    b.page.form.pinEdit.setText(n.type(TRAINING_NURSE.pin, enter=True))
    b.page.sign_in()
    n.click(b.page.form.sampleButton)
    g = b.page
    assert isinstance(g, GatesPage)
    QApplication.processEvents()
    # the page opens with the keyboard in its first entry; typing the back-up's count is its
    # confirmation (no separate box); Enter goes on to the next entry the page needs
    assert QApplication.focusWidget() is g.form.backupSpin
    g.form.backupSpin.setValue(float(n.type("2.4", enter=True)))
    enter(b)
    ended = b.clock.now().local() - timedelta(hours=30)
    # §2.2's instants, from the chart: the back-up confirmed, the product stored, conditioning
    # begun (each typed as digits, Enter to the next), in the rows' order
    for edit, before in ((g.backupWhen, timedelta(days=9)), (g.form.storageSpin, None),
                         (g.storedWhen, timedelta(days=10)), (g.form.conditioningEdit, None)):
        assert QApplication.focusWidget() is edit
        if edit is g.form.storageSpin:
            g.form.storageSpin.setValue(float(n.type("-180", enter=True)))
        elif edit is g.form.conditioningEdit:
            g.form.conditioningEdit.setText(n.type(ended.strftime("%m%d%H%M"), enter=True))
        else:
            assert before is not None
            edit.setText(n.type((ended - before).strftime("%m%d%H%M"), enter=True))
        enter(b)
    assert QApplication.focusWidget() is g.conditioningStart
    g.conditioningStart.setText(n.type((ended - timedelta(days=4)).strftime("%m%d%H%M")))
    n.tick(g.attest)
    n.click(g.form.recordButton)
    assert b.session.state.backup_cd34_per_kg == 2.4e6
    assert b.session.state.conditioning_end.local().strftime("%m%d%H%M") == \
        ended.strftime("%m%d%H%M")
    for payload in (S.wristband_payload(), S.shipper_payload(), S.cassette_payload(1),
                    S.bag_payload(1), S.cassette_payload(2)):
        n.scan(payload)
    for bag in (1, 2):
        assert isinstance(b.page, InspectPage) and b.page.bag == bag
        n.click(b.page.form.thawButton)  # intact, in its sterile bag: START THAW
        assert isinstance(b.page, ThawPage) and b.session.state.bag(bag).thaw_started
        b.advance(200)
        n.click(b.page.form.completeButton)
        n.scan(S.wristband_payload())
        n.scan(S.bag_payload(bag))
        n.tick(b.page.checks)
        n.click(b.page.form.confirmButton)  # line checked: START INFUSION
        assert isinstance(b.page, InfusionPage)
        assert b.session.state.bag(bag).infusion_started is not None
        b.advance(300)
        n.click(b.page.form.endButton)
        b.window.activateWindow()  # offscreen, a closed witness dialog leaves none active
        QApplication.processEvents()
        QApplication.processEvents()
        assert QApplication.focusWidget() is b.page.form.volumeSpin  # no click into it
        b.page.form.volumeSpin.setValue(float(n.type("10")))
        n.click(b.page.form.flushButton)
        if bag == 1:
            b.advance(3700)
            n.scan(S.wristband_payload())  # bag 2's own identity step: a fresh wristband…
            n.click(b.page.keptButton)  # …its storage until now confirmed (issue 23)…
            n.scan(S.bag_payload(2))  # …and bag 2 out of its cassette
    # the post-infusion instructions, each shown, acknowledged together
    n.click(b.page.form.acknowledgeButton)
    assert isinstance(b.page, CompletePage)
    acknowledged = next(e for e in b.session.events if e.type == "post_infusion_acknowledged")
    assert set(acknowledged.data["attested"]) == {
        "monitoring", "irradiate_blood_products", "never_donate"}  # each one recorded
    n.scans += b.witnessed  # the witness's badge…
    n.keys += b.witnessed * (len(TRAINING_WITNESS.pin) + 1)  # …and PIN + Enter, each time
    assert b.witnessed == 2  # bag 1's identity step and bag 2's own
    assert b.next_presses == 0
    assert b.window.wizard.button(QWizard.WizardButton.NextButton).isHidden() or \
        not b.window.wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    print(f"two-bag path: {n.total} actions ({n.clicks} clicks, {n.scans} scans, "
          f"{n.keys} keys)")
    # issue 23: §2.2's conditioning-order rule is always applied, so its three instants
    # (back-up confirmed, stored, conditioning began) are typed from the chart, 8 digits and
    # Enter each), and bag 2's storage re-confirmed at its turn (a click): 28 actions above the
    # goal of 80 that this path met before them
    assert n.total <= 80 + ORDER_INSTANTS_ACTIONS


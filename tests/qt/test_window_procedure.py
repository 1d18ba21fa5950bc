"""The whole procedure through the real window: wedge scans, a fake clock, the real engine."""

from __future__ import annotations

from kresladi_bedside.labels import samples as S
from kresladi_bedside.people import PEOPLE_LOG
from kresladi_bedside.qt.pages import (
    BedsideIdentityPage,
    BetweenBagsPage,
    CompletePage,
    FlushPage,
    GatesPage,
    IdentityPage,
    InfusionPage,
    InspectPage,
    LineChecksPage,
    OrderPage,
    StoppedPage,
    ThawPage,
)
from kresladi_bedside.qt.signin import TRAINING_NURSE, TRAINING_WITNESS
from kresladi_bedside.store import open_store, verify

from .conftest import visible_texts


def give_bag(b, n: int, *, thaw_s: float = 200, deviation: bool = False) -> None:
    assert isinstance(b.page, InspectPage) and b.page.bag == n
    b.page.form.intactButton.click()
    b.next()
    assert isinstance(b.page, ThawPage)
    b.page.before.set_all()
    b.page.form.startButton.click()
    b.advance(thaw_s)
    b.page.after.set_all()
    asked = b.sign_deviation_when_asked() if deviation else []
    b.page.form.completeButton.click()
    if deviation:
        assert asked and "5 min 00 s" in asked[0]
    b.next()
    assert isinstance(b.page, BedsideIdentityPage) and b.page.bag == n
    assert "ACCEPTED" in b.scan(S.wristband_payload())
    text = b.scan(S.bag_payload(n))
    assert "ACCEPTED: Bag label (bag" in text and "Matched:" in text
    b.next()
    assert isinstance(b.page, LineChecksPage)
    b.page.checks.set_all()
    b.page.form.confirmButton.click()
    b.next()
    assert isinstance(b.page, InfusionPage)
    b.page.form.startButton.click()
    b.advance(420)
    b.page.end_checks.set_all()
    b.page.form.endButton.click()
    b.next()
    assert isinstance(b.page, FlushPage)
    flush = b.page
    flush.form.volumeSpin.setValue(10)
    flush.form.flushButton.click()
    assert "10 mL" in flush.form.totalLabel.text() or n == 2
    assert b.page is not flush  # recorded: the window moved on by itself


def test_a_complete_two_bag_procedure_leaves_a_full_log(bedside, db_path) -> None:
    store = open_store(db_path)
    b = bedside(store=store)
    b.sign_in()
    b.next() if not isinstance(b.page, OrderPage) else None
    assert isinstance(b.page, OrderPage)
    b.page.form.sampleButton.click()
    b.next()
    assert isinstance(b.page, GatesPage)
    b.gates()
    b.next()
    assert isinstance(b.page, IdentityPage)
    # Next is refused until the engine has every label
    b.window.wizard.button(b.window.wizard.WizardButton.NextButton).click()
    assert isinstance(b.page, IdentityPage)
    # Bag 2 stays in its cassette in liquid nitrogen: its own label is refused now.
    for payload in (S.wristband_payload(), S.shipper_payload(), S.cassette_payload(1),
                    S.cassette_payload(2)):
        assert "ACCEPTED" in b.scan(payload), b.page.form.scanResultLabel.text()
    assert "NOT ACCEPTED" in b.scan(S.bag_payload(2))
    assert b.page.form.progressLabel.text().count("✔") == 4
    assert "ACCEPTED" in b.scan(S.bag_payload(1))
    # the last label confirmed identity: the window moved on by itself, and says what it did
    assert isinstance(b.page, InspectPage) and b.next_presses == 0
    assert "ACCEPTED: Bag label (bag 1)" in b.page.doneLabel.text()  # the last label scanned
    header = visible_texts(b.window.header)
    assert "RIVERA, MATEO" in header and "MRN 00417356" in header and "2024-03-15" in header
    b.next()

    give_bag(b, 1)
    b.next()
    assert isinstance(b.page, BetweenBagsPage)
    assert "stays in liquid nitrogen" in b.page.form.waitLabel.text()
    tiles = b.window.header.tiles
    assert "interbag:2" in tiles and tiles["interbag:2"].caption.text().startswith("opens in")
    b.advance(3700)
    assert "interbag:2" in b.window.header.tiles
    assert b.window.header.tiles["interbag:2"].caption.text().startswith("closes in")
    assert isinstance(b.page, IdentityPage) and b.page.bag == 2  # moved on when it opened
    assert "ACCEPTED" in b.scan(S.wristband_payload())  # fresh wristband for its own step
    # §2.2: before it leaves its cassette, its storage until now is confirmed (label refused
    # until then)
    assert "NOT ACCEPTED" in b.scan(S.bag_payload(2))
    b.page.keptButton.click()
    assert not b.page.keptButton.isEnabled()
    assert b.session.state.bag(2).storage_reconfirmed_at is not None
    assert "ACCEPTED" in b.scan(S.bag_payload(2))  # out of its cassette only now
    b.next()
    give_bag(b, 2, thaw_s=330, deviation=True)  # thaw over 5:00: signed deviation
    b.next()
    b.page.checks.set_all()
    b.page.form.acknowledgeButton.click()
    b.next()
    assert isinstance(b.page, CompletePage)
    summary = b.page.form.summaryLabel.text()
    assert "Deviation — thaw took longer than allowed, bag 2" in summary
    assert "thaw_time" not in summary

    # the log: what the engine emitted is what the store holds, chained and intact
    proc = b.session.procedure
    stored = store.events(proc.procedure_id)
    assert [e.id for e in stored] == [e.id for e in proc.events]
    types = [e.type for e in stored]
    for expected in ("procedure_opened", "order_prepared", "backup_confirmed",
                     "conditioning_end_recorded", "storage_confirmed", "attested",
                     "bag_inspected", "thaw_started", "thaw_completed", "line_checked",
                     "infusion_started", "infusion_ended", "flush_logged", "bag_completed",
                     "deviation_recorded", "post_infusion_acknowledged", "procedure_completed"):
        assert expected in types, expected
    assert types.count("label_accepted") == 6 + 1 + 2 * 2  # + the wristband at bag 2's turn
    assert types.count("bag_completed") == 2
    nurse = b.people.directory.by_badge(TRAINING_NURSE.badge)
    witness = b.people.directory.by_badge(TRAINING_WITNESS.badge)
    assert all(e.user == nurse.id for e in stored if e.type != "command_rejected")
    wedge = [e for e in stored if e.type == "label_accepted"]
    assert all(e.data["label"]["scan"]["source"] == "wedge" for e in wedge)
    # the identity scans before thaw were witnessed (site default): one witness sign-off for
    # the first check, one for bag 2's own (an hour later); bedside scans are not witnessed
    assert b.witnessed == 2
    initial = [e for e in wedge if e.data["label"]["stage"] == "initial"]
    bedside_scans = [e for e in wedge if e.data["label"]["stage"] != "initial"]
    assert len(initial) == 6 + 1
    for e in initial:
        assert e.data["witness"] == witness.id
        (sig,) = e.data["signatures"]
        assert (sig["user"], sig["name"], sig["meaning"]) == (witness.id, "ORTIZ, PABLO",
                                                             "witnessed")
        assert sig["at"]["wall"]
    assert all("witness" not in e.data for e in bedside_scans)
    deviation = next(e for e in stored if e.type == "deviation_recorded")
    assert deviation.data["signed_by"] == nurse.id and deviation.data["reason"]
    (sig,) = deviation.data["signatures"]
    assert (sig["user"], sig["name"], sig["meaning"]) == (nurse.id, "KIM, SORA", "deviation")
    assert sig["at"]["wall"] == deviation.at.to_dict()["wall"]
    # the people log holds the sign-in, the witness's and the deviation's signatures
    people_log = [e.type for e in store.events(PEOPLE_LOG)]
    for expected in ("signed_in", "witness_signed", "signature_given"):
        assert expected in people_log, expected
    assert stored[0].data["training"] is True
    assert verify(store).ok
    store.close()


def test_a_wrong_patient_wristband_stops_the_procedure(bedside) -> None:
    b = bedside()
    b.sign_in()
    b.page.form.sampleButton.click()
    b.next()
    b.gates()
    b.next()
    assert "ACCEPTED" in b.scan(S.shipper_payload())
    text = b.scan(S.wristband_payload(mrn="99999999", name="DOE^JANE", dob="2023-01-01"))
    assert text.startswith("✘ WRONG PATIENT")
    # the hard stop takes over: the stopped page, no way forward. The patient is wrong, not the
    # product: the page says so and does not send the nurse to the manufacturer.
    assert isinstance(b.page, StoppedPage)
    assert "WRONG PATIENT" in b.page.form.titleLabel.text()
    assert "1-800-982-2410" not in b.page.form.contactLabel.text()
    assert b.page.form.whatLabel.text()
    assert b.page.nextId() == -1
    assert b.session.state.outcome == "stopped"
    assert "scan" not in b.session.procedure.allowed()
    assert b.session.events[-1].type == "procedure_stopped"


def test_gate_values_left_blank_are_not_recorded(bedside, db_path) -> None:
    """No clinical value is pre-filled: recording with the fields untouched records nothing."""
    store = open_store(db_path)
    b = bedside(store=store)
    b.sign_in()
    b.next() if not isinstance(b.page, OrderPage) else None
    b.page.form.sampleButton.click()
    b.next()
    assert isinstance(b.page, GatesPage)
    g = b.page
    g.attest.set_all()
    before = len(b.window.session.procedure.events)
    g.form.recordButton.click()
    message = g.form.messageLabel.text()
    assert "storage temperature" in message and "conditioning end" in message
    assert "back-up" in message
    assert len(b.window.session.procedure.events) == before
    assert b.window.session.state.storage_celsius is None
    b.gates()
    assert b.window.session.state.storage_celsius == -180


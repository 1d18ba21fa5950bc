"""The window hands an open procedure over by a signed file (issue 24, without a server): End →
*Hand over to another workstation (file)…*. The engine records the hand-over, the signed file is
written, and the window shows where the procedure went, runs no countdown for it, and refuses
every step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from kresladi_bedside.labels import samples as S
from kresladi_bedside.qt.pages import GatesPage, InspectPage, OrderPage, StoppedPage
from kresladi_bedside.store.signing import workstation_signing_key
from kresladi_bedside.store.transfer import read_signed_file

from .conftest import visible_texts


def test_the_window_hands_over_and_shows_where_the_procedure_went(bedside, tmp_path) -> None:
    b = bedside()
    b.sign_in()
    b.next() if not isinstance(b.page, OrderPage) else None
    b.page.form.sampleButton.click()
    b.next()
    assert isinstance(b.page, GatesPage)
    b.gates()
    b.next()
    for payload in (S.wristband_payload(), S.shipper_payload(), S.cassette_payload(1),
                    S.cassette_payload(2), S.bag_payload(1)):
        assert "ACCEPTED" in b.scan(payload)
    assert isinstance(b.page, InspectPage)
    pid = b.session.procedure.procedure_id
    path = tmp_path / "handover.jsonl"
    result = b.window.procedure_actions.hand_over_by_file(str(path), "Bedside B")
    assert result is not None and result.accepted
    # the window: the procedure moved, where, who; nothing runs here for it
    assert b.session.step().name == "moved"
    assert isinstance(b.page, StoppedPage)
    shown = visible_texts(b.page)
    assert "Procedure handed over" in shown and "to workstation Bedside B" in shown
    assert "handover.jsonl" in shown
    assert b.session.countdowns(b.clock.now()) == []
    refused = b.window.submit("stop_procedure", {"reason": "x"})
    assert not refused.accepted and "moved" in refused.rejection.reason
    # the file: signed by this workstation, its last event the hand-over
    own = workstation_signing_key(Path(b.store.key.path).with_name("workstation-signing.key"))
    rows, signer = read_signed_file(str(path), {}, own)
    assert signer.name == "this workstation" and rows[-1].type == "procedure_handed_over"
    assert {r.procedure_id for r in rows} == {pid}
    # and a second hand-over from the menu is refused: nothing open to hand over
    told: list[str] = []
    b.when_dialog(QMessageBox, lambda box: (told.append(box.text()), box.accept()))
    assert b.window.procedure_actions.hand_over_by_file(str(tmp_path / "again.jsonl")) is None
    assert told and "no open procedure" in told[0]
    assert not (tmp_path / "again.jsonl").exists()

"""Inside the harness process: walk the window to a page the quick way (the procedure itself
is tested elsewhere), so that the test can type at that page with real X key events."""

from __future__ import annotations

from typing import Any

from kresladi_bedside.labels import samples as S
from kresladi_bedside.qt.pages import GatesPage, IdentityPage, InspectPage, OrderPage, ThawPage

IDENTITY_LABELS = (S.wristband_payload(), S.shipper_payload(), S.cassette_payload(1),
                   S.bag_payload(1), S.cassette_payload(2), S.bag_payload(2))


def signed_in(b: Any) -> None:
    b.sign_in()
    if not isinstance(b.page, OrderPage):
        b.next()


def to_gates(b: Any) -> None:
    signed_in(b)
    b.page.form.sampleButton.click()
    b.next()
    assert isinstance(b.page, GatesPage)


def to_identity(b: Any) -> None:
    to_gates(b)
    b.gates()
    b.next()
    assert isinstance(b.page, IdentityPage)


def to_inspect(b: Any) -> None:
    to_identity(b)
    for payload in IDENTITY_LABELS:
        assert "ACCEPTED" in b.scan(payload), b.page.form.scanResultLabel.text()
    b.next()
    assert isinstance(b.page, InspectPage)


def to_thaw(b: Any) -> None:
    to_inspect(b)
    b.page.form.intactButton.click()
    b.next()
    assert isinstance(b.page, ThawPage)


def thaw_started(b: Any) -> None:
    to_thaw(b)
    b.page.before.set_all()
    b.page.form.startButton.click()
    assert b.window.session.state.bag(1).thaw_started is not None


def to_flush(b: Any) -> None:
    """Bag 1 thawed, checked at the bed, infused and ended: the flush page, nothing typed
    (the walk of tests/qt/test_window_flow.py)."""
    from qt.test_window_flow import to_flush as walk

    to_thaw(b)
    walk(b, 1)

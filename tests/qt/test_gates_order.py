"""Gates: §2.2's order of events (product stored and back-up confirmed before conditioning
begins) entered on the page, recorded, and a wrong order flagged as a signed deviation."""

from __future__ import annotations

from datetime import timedelta

from kresladi_bedside.qt.pages import GatesPage


def _to_gates(b):
    b.sign_in()
    b.page.form.sampleButton.click()
    assert isinstance(b.page, GatesPage)
    return b.page


def _fill(b, g, *, began_h: float, stored_h: float, confirmed_h: float) -> None:
    now = b.clock.now().local()
    g.form.backupSpin.setValue(2.4)
    g.form.storageSpin.setValue(-180)
    g.set_conditioning_end(now - timedelta(hours=30))
    fmt = "%Y-%m-%d %H:%M"
    g.conditioningStart.setText((now - timedelta(hours=began_h)).strftime(fmt))
    g.storedWhen.setText((now - timedelta(hours=stored_h)).strftime(fmt))
    g.backupWhen.setText((now - timedelta(hours=confirmed_h)).strftime(fmt))
    for key in g.attest.widgets:
        g.attest.set_one(key)


def test_the_gates_page_records_when_conditioning_began_and_the_product_was_stored(bedside):
    b = bedside()
    g = _to_gates(b)
    assert g.conditioningStart.isVisible() and g.storedWhen.isVisible()
    _fill(b, g, began_h=120, stored_h=240, confirmed_h=300)
    g.form.recordButton.click()
    state = b.window.session.state
    assert state.conditioning_start is not None and state.stored_at is not None
    assert state.backup_confirmed_at is not None
    assert state.stored_at.wall < state.conditioning_start.wall
    assert not any(d.rule == "conditioning_order" for d in state.deviations)


def test_conditioning_begun_before_the_product_was_stored_needs_a_signed_reason(bedside):
    b = bedside()
    g = _to_gates(b)
    _fill(b, g, began_h=120, stored_h=100, confirmed_h=300)  # stored 20 h after it began
    asked = b.sign_deviation_when_asked("Product stored late; conditioning had begun")
    g.form.recordButton.click()
    assert len(asked) == 1
    state = b.window.session.state
    assert [d.rule for d in state.deviations] == ["conditioning_order"]


def test_an_unreadable_instant_records_nothing_and_names_the_field(bedside):
    b = bedside()
    g = _to_gates(b)
    _fill(b, g, began_h=120, stored_h=240, confirmed_h=300)
    g.storedWhen.setText("last Tuesday")
    g.form.recordButton.click()
    assert "stored since" in g.form.messageLabel.text()
    assert b.window.session.state.storage_celsius is None
    assert b.window.session.state.backup_cd34_per_kg is None


def test_an_instant_left_blank_records_nothing_and_asks_for_it_or_unknown(bedside):
    b = bedside()
    g = _to_gates(b)
    _fill(b, g, began_h=120, stored_h=240, confirmed_h=300)
    g.conditioningStart.setText("")
    g.form.recordButton.click()
    message = g.form.messageLabel.text()
    assert "conditioning began at" in message and "unknown" in message
    assert b.window.session.state.backup_cd34_per_kg is None
    assert b.window.session.step().name == "gates"


def test_unknown_typed_is_attested_with_a_signed_reason_and_shown(bedside):
    b = bedside()
    g = _to_gates(b)
    _fill(b, g, began_h=120, stored_h=240, confirmed_h=300)
    g.conditioningStart.setText("unknown")
    asked = b.sign_deviation_when_asked("Conditioning start not in the chart")
    g.form.recordButton.click()
    assert len(asked) == 1
    state = b.window.session.state
    assert state.unknown_instants == {"conditioning_start": "Conditioning start not in the chart"}
    assert [d.rule for d in state.deviations] == ["conditioning_order_unknown"]
    assert b.window.session.step().name == "identity"
    assert "unknown — signed: Conditioning start not in the chart" in g.conditioningStart.text()

"""Issue 25: the LN2 storage position picked from the site's list (`[receipt]
storage_positions`) instead of typed; no list, typed as before; a broken list is refused at
start-up naming its key."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox

from kresladi_bedside.config import (
    InvalidConfigError,
    ReceiptConfig,
    SiteConfig,
    load_site_config,
)
from kresladi_bedside.store import open_store

from .conftest import PIN_A, SAMPLE, START
from .workstation import Workstation

POSITIONS = ("LN2 tank 1 A1", "LN2 tank 1 A2", "LN2 tank 2 B4")


@pytest.fixture
def listed(qtbot, tmp_path: Path):
    from kresladi_bedside.clock import FakeClock

    store = open_store(tmp_path / "ward.db")
    site = SiteConfig(receipt=ReceiptConfig(storage_positions=POSITIONS))
    ws = Workstation(qtbot, FakeClock(START, utc_offset_s=-5 * 3600), store, site, "listed")
    yield ws
    ws.close()
    store.close()


def at_storage(ws: Workstation):
    from kresladi_bedside.labels import samples

    ws.sign_in("P10001", PIN_A)
    dialog = ws.open_receipt()
    for payload in (SAMPLE.mrn, samples.shipper_payload(), samples.cassette_payload(1),
                    samples.cassette_payload(2)):
        ws.scan(payload)
    assert dialog.state.step() == "storage", dialog.form.messageLabel.text()
    return dialog


def test_the_position_is_picked_from_the_site_list(listed: Workstation) -> None:
    dialog = at_storage(listed)
    combo = dialog.positions
    assert isinstance(combo, QComboBox) and combo.isVisibleTo(dialog)
    assert not dialog.form.locationEdit.isVisibleTo(dialog)
    assert [combo.itemText(i) for i in range(combo.count())] == list(POSITIONS)
    assert combo.currentIndex() == -1  # no position until she picks one
    dialog.form.storageSpin.setValue(-182)
    dialog.form.storageButton.click()  # nothing picked: refused, nothing recorded
    assert dialog.state.step() == "storage"
    assert "storage unit" in dialog.form.messageLabel.text()
    # Enter after the temperature goes to the list; Tab from it to the button
    dialog.form.storageSpin.lineEdit().returnPressed.emit()
    assert dialog.focusWidget() is combo
    assert combo.nextInFocusChain() is dialog.form.storageButton
    combo.setCurrentIndex(2)
    combo.activated.emit(2)  # the item clicked in the open list
    assert dialog.focusWidget() is dialog.form.storageButton
    dialog.form.storageButton.click()
    assert dialog.state.step() == "sheet", dialog.form.messageLabel.text()
    assert dialog.state.storage_location == "LN2 tank 2 B4"


def test_without_a_list_the_position_is_typed(qtbot, tmp_path: Path) -> None:
    from kresladi_bedside.clock import FakeClock

    store = open_store(tmp_path / "ward.db")
    ws = Workstation(qtbot, FakeClock(START), store, SiteConfig(), "typed")
    try:
        dialog = at_storage(ws)
        assert dialog.positions is None and dialog.form.locationEdit.isVisibleTo(dialog)
        dialog.form.storageSpin.setValue(-182)
        dialog.form.locationEdit.setText("LN2 tank 9")
        dialog.form.storageButton.click()
        assert dialog.state.storage_location == "LN2 tank 9"
    finally:
        ws.close()
        store.close()


@pytest.mark.parametrize(("value", "key", "words"), [
    ('"LN2 tank 1 A1"', "receipt.storage_positions", "expected a list"),
    ('["A1", " a1 "]', "receipt.storage_positions", "listed more than once"),
    ('["A1", "  "]', "receipt.storage_positions[1]", "must not be empty"),
    ('["A1", 2]', "receipt.storage_positions[1]", "expected a string"),
])
def test_a_broken_position_list_is_refused_naming_the_key(tmp_path: Path, value: str, key: str,
                                                          words: str) -> None:
    path = tmp_path / "site.toml"
    path.write_text(f"[receipt]\nstorage_positions = {value}\n", encoding="utf-8")
    with pytest.raises(InvalidConfigError) as caught:
        load_site_config(path)
    assert f"{key}: " in str(caught.value) and words in str(caught.value)


def test_the_example_site_file_lists_positions() -> None:
    example = Path(__file__).parents[2] / "resources" / "site.example.toml"
    assert load_site_config(example).receipt.storage_positions[0] == "LN2 tank 1 A1"

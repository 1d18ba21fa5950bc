"""The Lot Information Sheet fields shared by the receipt form and the verifier's blind form:
read as typed (a value that is not a number is passed on as text, so the core names the field)."""

from __future__ import annotations

from typing import Any


def _number(text: str, scale: float = 1.0) -> Any:
    cleaned = text.strip().replace(",", "")
    try:
        return float(cleaned) * scale
    except ValueError:
        return text.strip()


def _dob(text: str) -> str:
    """A date of birth as typed: YYYY-MM-DD, or its eight digits alone (YYYYMMDD), as the chart
    times are typed; anything else is passed on for the core to name."""
    text = text.strip()
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return text


# each sheet field's entry (both forms) and, on the verifier's form, its label
ENTRIES = {"mrn": ("sheetMrnEdit", "vmrnLabel"), "name": ("nameEdit", "vnameLabel"),
           "dob": ("dobEdit", "vdobLabel"), "coi": ("coiEdit", "vcoiLabel"),
           "patient_id": ("patientIdEdit", "vpatientIdLabel"),
           "weight_kg": ("weightEdit", "vweightLabel"),
           "sheet_bag_count": ("countSpin", "vcountLabel")}
BAG_ENTRIES = {"cd34_per_kg": "CellsEdit", "volume_ml": "VolumeEdit"}


def entry_of(form: Any, key: str) -> Any:
    """The entry of flat key `key` ('weight_kg', 'bag2.volume_ml')."""
    if "." in key:
        bag, _, name = key.partition(".")
        return getattr(form, f"{bag}{BAG_ENTRIES[name]}")
    return getattr(form, ENTRIES[key][0])


def read_sheet(form: Any, bags: int, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The values as typed; CD34+ is typed in × 10⁶ cells/kg, as the sheet prints it. `only`
    (flat keys): the verifier's blind set, the entries shown; nothing else is read."""
    if only is not None:
        every = read_sheet(form, bags)
        out = {k: every[k] for k in ENTRIES if k in only}
        out["bags"] = [{f: bag[f] for f in BAG_ENTRIES if f"bag{n}.{f}" in only}
                       for n, bag in enumerate(every["bags"], start=1)]
        return out
    count = form.countSpin.value()
    return {
        "mrn": form.sheetMrnEdit.text(), "name": form.nameEdit.text(),
        "dob": _dob(form.dobEdit.text()), "coi": form.coiEdit.text(),
        "patient_id": form.patientIdEdit.text(), "weight_kg": _number(form.weightEdit.text()),
        "sheet_bag_count": count,
        "bags": [{"cd34_per_kg": _number(getattr(form, f"bag{n}CellsEdit").text(), 1e6),
                  "volume_ml": _number(getattr(form, f"bag{n}VolumeEdit").text())}
                 for n in range(1, bags + 1)],
    }


def show_bag_rows(form: Any, dins: list[str]) -> None:
    """One row per cassette scanned, labelled with the DIN read from its label."""
    for n in (1, 2):
        visible = n <= len(dins)
        for name in (f"bag{n}Label", f"bag{n}CellsEdit", f"bag{n}VolumeEdit"):
            getattr(form, name).setVisible(visible)
        if visible:
            getattr(form, f"bag{n}Label").setText(
                f"Bag {n} ({dins[n - 1]}): CD34+ × 10⁶/kg, mL")


def fill_sheet(form: Any, values: dict[str, Any]) -> None:
    """Type values into the fields (tests and screenshots)."""
    form.sheetMrnEdit.setText(values["mrn"])
    form.nameEdit.setText(values["name"])
    form.dobEdit.setText(values["dob"])
    form.coiEdit.setText(values["coi"])
    form.patientIdEdit.setText(values["patient_id"])
    form.weightEdit.setText(f"{values['weight_kg']:g}")
    form.countSpin.setValue(values["sheet_bag_count"])
    for n, bag in enumerate(values["bags"], start=1):
        getattr(form, f"bag{n}CellsEdit").setText(f"{bag['cd34_per_kg'] / 1e6:g}")
        getattr(form, f"bag{n}VolumeEdit").setText(f"{bag['volume_ml']:g}")

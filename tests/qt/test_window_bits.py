"""Smaller promises: the committed alarm sounds, typed entry, plain-text scan results."""

from __future__ import annotations

import wave

from kresladi_bedside.labels import samples as S
from kresladi_bedside.paths import resource
from kresladi_bedside.qt.pages import IdentityPage
from kresladi_bedside.qt.tones import PATTERNS, samples


def test_committed_sounds_are_what_the_generator_makes() -> None:
    for name in PATTERNS:
        with wave.open(str(resource("sounds", f"{name}.wav"))) as w:
            assert w.getframerate() == 16000 and w.getsampwidth() == 2
            assert w.readframes(w.getnframes()) == samples(name)


def reach_identity(b) -> None:
    b.sign_in()
    b.page.form.sampleButton.click()
    b.next()
    b.gates()
    b.next()
    assert isinstance(b.page, IdentityPage)


def test_typed_entry_is_recorded_as_typed_with_its_reason(bedside) -> None:
    b = bedside()
    reach_identity(b)
    text = b.window.scans.receive_payload(S.wristband_payload(), "typed",
                                    typed_reason="wristband smudged")
    assert "ACCEPTED" in text
    label = next(e for e in b.session.events if e.type == "label_accepted").data["label"]
    assert label["scan"]["source"] == "typed"
    assert label["scan"]["typed_reason"] == "wristband smudged"


def test_hostile_label_text_is_shown_as_plain_text(bedside) -> None:
    b = bedside()
    reach_identity(b)
    b.scan("<b>MRN:1</b><img src=x>|NAME:<i>X</i>|DOB:2024-03-15")
    shown = b.page.form.scanResultLabel
    assert shown.textFormat().name == "PlainText"
    assert shown.text().startswith("✘")


def test_unreadable_label_says_so_and_changes_nothing(bedside) -> None:
    b = bedside()
    reach_identity(b)
    before = len(b.session.events)
    assert b.scan("]d2" + "01123").startswith("✘ NOT READ")
    assert len(b.session.events) == before


def test_camera_frames_are_shown_with_their_outline(bedside) -> None:
    import numpy as np

    from kresladi_bedside.scanning.capture import FrameResult
    from kresladi_bedside.scanning.raw import RawScan

    b = bedside()
    reach_identity(b)
    image = np.full((120, 160, 3), 255, dtype=np.uint8)
    code = RawScan("x", "camera", position=((10, 10), (60, 10), (60, 60), (10, 60)), frame=0)
    b.window.scans.show_camera_frame(FrameResult(0, image, [code], [], 5.0))
    panel = next(p for p in b.window.scans.camera_panels if p.isVisible())
    assert panel.frames == 1
    shown = panel.preview.pixmap().toImage()
    # the outline is painted green where the code's corner was (scaled to the preview)
    scale = 480 / 160
    pixel = shown.pixelColor(int(10 * scale), int(35 * scale))
    assert pixel.green() > 150 and pixel.red() < 100


def test_a_printed_expiry_is_bounded_by_the_windows_own_product_profile(
        bedside, monkeypatch) -> None:
    """The longest shelf life that makes a printed expiry a misread is the profile the window
    was opened with (a site may run another product's), not the default profile."""
    from dataclasses import replace

    from kresladi_bedside.profile import load_profile

    label = S.bag_payload(1)  # printed expiry 2035-11-30: within KRESLADI's ten years
    default = bedside()
    reach_identity(default)
    assert not default.scan(label).startswith("✘ NOT READ")
    default.close()

    short = replace(load_profile(), longest_shelf_life_days=365)
    monkeypatch.setitem(type(default).__init__.__globals__, "load_profile", lambda: short)
    other = bedside()
    assert other.session.profile is short
    reach_identity(other)
    before = len(other.session.events)
    text = other.scan(label)
    assert text.startswith("✘ NOT READ") and "2035-11-30" in text, text
    assert len(other.session.events) == before

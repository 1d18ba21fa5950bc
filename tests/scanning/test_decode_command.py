"""`kresladi-bedside decode`: one JSON line per decoded code."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest

from kresladi_bedside.cli import main
from kresladi_bedside.scanning.testimages import (
    GS1_DATAMATRIX,
    ISBT_CODE128,
    LabelSpec,
    frame_for,
    write_video,
)


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture(autouse=True)
def no_site_config(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KRESLADI_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))


def test_image_gives_payload_symbology_identifiers_and_position(tmp_path: Path, capsys) -> None:
    image = tmp_path / "gs1.png"
    cv2.imwrite(str(image), frame_for(GS1_DATAMATRIX, "rot15"))
    assert main(["decode", str(image)]) == 0
    out = capsys.readouterr().out
    assert "\\u001d" in out  # GS shown escaped on the line
    (line,) = lines(out)
    assert line["file"] == str(image)
    assert line["frame"] == 0
    assert line["symbology"] == "]d2"
    assert line["payload"] == GS1_DATAMATRIX.payload
    assert line["identifiers"]["lot"] == "KR26A0417"
    assert len(line["position"]) == 4


def test_video_prints_every_frame_or_once(tmp_path: Path, capsys) -> None:
    video = tmp_path / "v.avi"
    write_video(str(video), [(None, 2), (ISBT_CODE128, 4), (None, 1)])
    assert main(["decode", str(video)]) == 0
    assert [line["frame"] for line in lines(capsys.readouterr().out)] == [2, 3, 4, 5]
    assert main(["decode", "--once", str(video)]) == 0
    (line,) = lines(capsys.readouterr().out)
    assert (line["frame"], line["identifiers"]["din"]) == (2, "W123426100001")


def test_label_the_program_refuses_says_why(tmp_path: Path, capsys) -> None:
    image = tmp_path / "odd.png"
    cv2.imwrite(str(image), frame_for(LabelSpec("odd", "qr", "hello world"), "upright"))
    assert main(["decode", str(image)]) == 0
    (line,) = lines(capsys.readouterr().out)
    assert line["payload"] == "hello world"
    assert line["error_code"] == "unknown_structure"
    assert "not a label this program knows" in line["error"]
    assert "identifiers" not in line


def test_unreadable_file_is_reported_and_the_others_still_decoded(tmp_path: Path, capsys) -> None:
    image = tmp_path / "din.png"
    cv2.imwrite(str(image), frame_for(ISBT_CODE128, "rot45"))
    assert main(["decode", str(tmp_path / "missing.avi"), str(image)]) == 1
    captured = capsys.readouterr()
    assert "missing.avi" in captured.err
    assert [line["payload"] for line in lines(captured.out)] == [ISBT_CODE128.payload]


def test_backend_choice(tmp_path: Path, capsys) -> None:
    image = tmp_path / "dm.png"
    cv2.imwrite(str(image), frame_for(GS1_DATAMATRIX, "upright"))
    assert main(["decode", "--backend", "pyzbar", str(image)]) == 0
    assert capsys.readouterr().out == ""  # ZBar reads no DataMatrix

"""`kresladi-bedside parse`: the typed scan as JSON, from an argument or stdin."""

from __future__ import annotations

import io
import json
import sys

import pytest

from kresladi_bedside.cli import main
from kresladi_bedside.labels import samples


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def test_parse_a_bag_label(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["parse", "--source", "camera", samples.bag_payload(2)], capsys)
    assert code == 0 and out["ok"] is True
    assert out["kind"] == "bag" and out["source"] == "camera"
    assert out["identifiers"]["din"] == samples.SAMPLE_BAGS[1].din
    assert out["raw"] == samples.bag_payload(2)


def test_parse_from_stdin_keeps_gs(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    payload = samples.with_aim(samples.gs1_product_payload("cassette"), "]d2") + "\r\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload.encode("ascii"))))
    code, out = _run(["parse", "-"], capsys)
    assert code == 0 and out["kind"] == "cassette" and out["symbology"] == "]d2"
    assert "\x1d" in out["raw"]


def test_gs_stand_in_token(capsys: pytest.CaptureFixture[str]) -> None:
    text = samples.gs1_product_payload().replace("\x1d", "<GS>")
    code, out = _run(["parse", "--symbology", "]d2", "--gs", "<GS>", text], capsys)
    assert code == 0 and out["identifiers"]["serial"] == samples.SAMPLE_BAGS[0].din


def test_refused_label_prints_the_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["parse", "--source", "typed", "--reason", "torn",
                      samples.SAMPLE_BAGS[0].din + "Q"], capsys)
    assert code == 1
    assert out == {"ok": False, "error": "din_check", "message": out["message"]}
    assert "check character" in out["message"]


def test_typed_without_reason(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["parse", "--source", "typed", samples.typed_din()], capsys)
    assert code == 1 and out["error"] == "typed_reason"

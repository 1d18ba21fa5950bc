"""The smaller doors of issue 15: a site regex that hangs a scan, a password in base_url, badges in
the IT log."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from kresladi_bedside.cli import main
from kresladi_bedside.config import IdentityConfig, LabelFormat
from kresladi_bedside.labels.errors import LabelError
from kresladi_bedside.logging_setup import setup_it_logging

HANGING = r"(?P<name>([A-Z]+ ?)+)"


def site_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_config_check_refuses_a_pattern_that_can_hang_a_scan(tmp_path, capsys):
    path = site_file(tmp_path, f"[identity]\nwristband_formats = [{{ pattern = '{HANGING}' }}]\n")
    assert main(["--config", str(path), "config", "check"]) != 0
    err = capsys.readouterr().err
    assert "identity.wristband_formats[0].pattern" in err and "nested repetition" in err


def test_a_pattern_that_slipped_through_is_stopped_at_run_time():
    """A pattern loaded without `config check` (an older file, a test harness) still cannot hang
    the caller: the match is stopped at the limit and the scan refused with a message."""
    from kresladi_bedside.labels.site_formats import (  # imported here: collects on old code
        MATCH_TIMEOUT_S,
        read_site_formats,
    )

    config = IdentityConfig(wristband_formats=(LabelFormat(r"(?P<name>(.*,){60}x)"),))
    started = time.monotonic()
    with pytest.raises(LabelError) as refused:
        read_site_formats("," * 59 + "y" * 2000, config)
    assert time.monotonic() - started < 2.0
    assert refused.value.code == "site_format_timeout"
    assert MATCH_TIMEOUT_S <= 0.1


def test_a_password_in_base_url_is_refused_and_never_printed(tmp_path, capsys):
    path = site_file(tmp_path, "[sync]\nbase_url = 'https://bob:s3cret@fhir.example.org/r4'\n")
    for action in ("check", "show"):
        assert main(["--config", str(path), "config", action]) != 0
        captured = capsys.readouterr()
        assert "s3cret" not in captured.out + captured.err
        assert "must not hold a user name or password" in captured.err


def test_badges_are_redacted_in_the_it_log(tmp_path):
    folder = tmp_path / "logs"
    log_file = setup_it_logging(folder)
    try:
        logging.getLogger("kresladi_bedside.people").warning(
            "badge N20002 locked; then A10001 signed in via https://bob:pw@ehr.example/")
        for handler in logging.getLogger("kresladi_bedside").handlers:
            handler.flush()
        text = log_file.read_text()
    finally:
        for handler in list(logging.getLogger("kresladi_bedside").handlers):
            if getattr(handler, "baseFilename", "").startswith(str(folder)):
                logging.getLogger("kresladi_bedside").removeHandler(handler)
                handler.close()
    assert "locked" in text
    for secret in ("N20002", "A10001", "bob:pw"):
        assert secret not in text

"""IT logs never hold a PIN, a token or a barcode payload."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from kresladi_bedside.logging_setup import (
    LOG_FILENAME,
    LOGGER_NAME,
    RedactingFilter,
    redact,
    setup_it_logging,
)

SECRETS = {
    "pin": "482913",
    "token": "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig",
    "din": "=W12342612345600",
    "gs1": "0109501101530003\x1d17281231\x1d10LOT42",
    "mrn": "00123456",
    "name": "DOE, JANE",
}


@pytest.fixture
def it_log(tmp_path: Path) -> Iterator[tuple[logging.Logger, Path]]:
    path = setup_it_logging(tmp_path)
    logger = logging.getLogger(f"{LOGGER_NAME}.test")
    yield logger, path
    root = logging.getLogger(LOGGER_NAME)
    for handler in list(root.handlers):
        if Path(getattr(handler, "baseFilename", "")) == path:
            root.removeHandler(handler)
            handler.close()


def _written(path: Path) -> str:
    for handler in logging.getLogger(LOGGER_NAME).handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_secrets_in_messages_arguments_and_extras_never_reach_the_file(
    it_log: tuple[logging.Logger, Path],
) -> None:
    logger, path = it_log
    logger.warning("badge login failed pin=%s for badge=N0042", SECRETS["pin"])
    logger.info("PIN: %s accepted", SECRETS["pin"])
    logger.info("sync: Authorization: Bearer %s", SECRETS["token"])
    logger.info("request headers %s", {"token": SECRETS["token"]})
    logger.info("wedge scan ]C0%s accepted", SECRETS["din"])
    logger.info("camera read %s", SECRETS["din"])
    logger.info("bag label %s parsed", SECRETS["gs1"])
    logger.info("wristband matched mrn %s", SECRETS["mrn"])
    logger.info("patient name=%r", SECRETS["name"])
    logger.info("scan", extra={"payload": SECRETS["gs1"], "pin": SECRETS["pin"]})
    logger.info("thaw started; 2 bags; countdown 300 s")
    text = _written(path)
    for secret in SECRETS.values():
        assert secret not in text
    assert "1501101530003" not in text  # not even part of the GTIN
    assert "thaw started; 2 bags; countdown 300 s" in text  # ordinary facts stay readable
    assert "badge login failed pin=[redacted]" in text
    assert "INFO kresladi_bedside.test: thaw started" in text  # the logger's name is no secret


def test_a_traceback_carrying_a_payload_is_redacted(it_log: tuple[logging.Logger, Path]) -> None:
    logger, path = it_log
    try:
        raise ValueError(f"unparseable label {SECRETS['din']}")
    except ValueError:
        logger.exception("label rejected")
    text = _written(path)
    assert "Traceback" in text and "ValueError: unparseable label [redacted]" in text
    assert SECRETS["din"] not in text


def test_a_payload_cannot_forge_a_log_line(it_log: tuple[logging.Logger, Path]) -> None:
    logger, path = it_log
    logger.info("typed value %s", "x\r\nERROR kresladi_bedside: database corrupt")
    lines = _written(path).splitlines()
    assert len(lines) == 1


def test_the_filter_keeps_every_record() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "pin=%s", ("1234",), None)
    assert RedactingFilter().filter(record) is True
    assert record.getMessage() == "pin=[redacted]"


@pytest.mark.parametrize(("text", "kept"), [
    ("self-test passed: database=pass, camera=warn", True),
    ("interval 60.0 s, timeout 30.0 s", True),
    ("opened /var/lib/kresladi-bedside/procedures.db", True),
])
def test_ordinary_text_is_left_alone(text: str, kept: bool) -> None:
    assert (redact(text) == text) is kept


def test_setup_is_idempotent_and_rotates(tmp_path: Path) -> None:
    first = setup_it_logging(tmp_path)
    second = setup_it_logging(tmp_path)
    root = logging.getLogger(LOGGER_NAME)
    mine = [h for h in root.handlers if Path(getattr(h, "baseFilename", "")) == first]
    try:
        assert first == second == tmp_path / LOG_FILENAME
        assert len(mine) == 1
        handler = mine[0]
        assert handler.maxBytes > 0 and handler.backupCount > 0  # type: ignore[attr-defined]
    finally:
        for handler in mine:
            root.removeHandler(handler)
            handler.close()

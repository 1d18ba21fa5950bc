"""Instants and durations as the record prints them: the site's local time with its offset."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..clock import Instant


class RecordTimezoneError(ValueError):
    """The site time zone named in the configuration is not a known IANA zone."""


def site_zone(name: str | None) -> tzinfo | None:
    """The site's time zone; None means 'use the offset recorded with each event'."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RecordTimezoneError(f"site time zone {name!r} is not a known IANA zone") from exc


def local(instant: Instant, zone: tzinfo | None) -> datetime:
    return instant.wall.astimezone(zone) if zone is not None else instant.local()


def when(instant: Instant | None, zone: tzinfo | None) -> str | None:
    """'2026-03-02 08:07:40 -05:00': the offset always printed, so a copy read elsewhere (or
    across a daylight-saving change) is unambiguous."""
    if instant is None:
        return None
    moment = local(instant, zone)
    offset = moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}"


def duration(seconds: float | None) -> str | None:
    """'4 min 05 s', '1 h 02 min 05 s': rounded to the second."""
    if seconds is None:
        return None
    sign = "-" if seconds < 0 else ""
    total = round(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours} h {minutes:02d} min {secs:02d} s"
    return f"{sign}{minutes} min {secs:02d} s"




def zone_note(zone: tzinfo | None) -> str:
    """The line under a record's title saying which local time its times are in."""
    if zone is not None:
        return f"Times are local to the site ({zone}), with their UTC offset."
    return "Times are as recorded by the workstation, with their UTC offset."

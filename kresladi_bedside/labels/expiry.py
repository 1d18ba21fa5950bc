"""Expiry, done as instants: one definition of "expired" for every check (here, under the engine
that applies it, because label comparison reads printed expiry too: `labels.compare`).

The Lot Information Sheet gives each bag's expiry as an instant (with its UTC offset). A label
prints a local wall time without offset (ISBT 128 `&>cyyjjjhhmm`; a date alone means 23:59 of
that day, ST-001): it is read in the site's time zone (site setting `timezone`). A local time
that a DST change makes happen twice reads as either instant (the one the sheet names, else the
earlier); one that a DST change skips reads as the earlier of its two readings. Comparisons are
to the minute, as labels print.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from ..clock import Instant

DATE_ONLY_TIME = (23, 59)  # ISBT 128 ST-001: an expiry date without a time ends at 23:59


def site_zone(name: str | None) -> tzinfo:
    """The site's time zone, in which every printed expiry is read (receipt and bedside alike):
    the IANA name the site configured (`timezone`), else the operating system's own zone (its
    IANA rules, DST included), never today's fixed offset."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name:
        return ZoneInfo(name)
    import contextlib
    import os
    from pathlib import Path

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    with contextlib.suppress(OSError):
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[-1] if "zoneinfo/" in link else "")
    for candidate in candidates:
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    try:
        with open("/etc/localtime", "rb") as data:
            return ZoneInfo.from_file(data, key="localtime")
    except OSError:
        local = datetime.now().astimezone().tzinfo  # no zone database (Windows without tzdata)
        return local if local is not None else UTC


def is_expired(expiry: datetime, now: Instant) -> bool:
    """Expired from the expiry instant on (at 14:30 a bag that expires at 14:30 is expired)."""
    return now.wall >= expiry


def minute(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(second=0, microsecond=0)


def _parse(text: str) -> datetime | None:
    t = text.strip()
    try:
        if len(t) <= 10:
            day = datetime.fromisoformat(t[:10])
            return day.replace(hour=DATE_ONLY_TIME[0], minute=DATE_ONLY_TIME[1])
        return datetime.fromisoformat(t)
    except ValueError:
        return None


def readings(text: str, zone: tzinfo | None, fallback_offset_s: int = 0) -> tuple[datetime, ...]:
    """Every instant a printed expiry can mean, earliest first (two for a local time a DST change
    repeats or skips, one otherwise). Text with an offset is that instant. Without a zone the
    local time is read at `fallback_offset_s` (the workstation's offset when it was scanned)."""
    parsed = _parse(text)
    if parsed is None:
        return ()
    if parsed.tzinfo is not None:
        return (minute(parsed),)
    if zone is None:
        from datetime import timezone

        return (minute(parsed.replace(tzinfo=timezone(timedelta(seconds=fallback_offset_s)))),)
    found = {minute(parsed.replace(tzinfo=zone, fold=fold)) for fold in (0, 1)}
    return tuple(sorted(found))


def label_instant(text: str, zone: tzinfo | None, sheet: datetime | None = None,
                  fallback_offset_s: int = 0) -> datetime | None:
    """The instant a printed expiry means: the sheet's, when it is one of its readings, else the
    earliest reading (the safe side)."""
    found = readings(text, zone, fallback_offset_s)
    if not found:
        return None
    if sheet is not None and minute(sheet) in found:
        return minute(sheet)
    return found[0]


def same_expiry(printed: str, other: str, zone: tzinfo | None,
                fallback_offset_s: int = 0) -> bool:
    """Whether two expiries (printed or on the sheet) name the same instant, to the minute. A
    date alone matches any time of that day in the site's zone."""
    a, b = printed.strip(), other.strip()
    if len(a) <= 10 or len(b) <= 10:
        return _day(a, zone, fallback_offset_s) == _day(b, zone, fallback_offset_s) is not None
    ra = set(readings(a, zone, fallback_offset_s))
    rb = set(readings(b, zone, fallback_offset_s))
    return bool(ra & rb)


def _day(text: str, zone: tzinfo | None, fallback_offset_s: int) -> object:
    if len(text) <= 10:
        parsed = _parse(text)
        return None if parsed is None else parsed.date()
    parsed = _parse(text)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.date()
    if zone is None:
        from datetime import timezone

        zone = timezone(timedelta(seconds=fallback_offset_s))
    return parsed.astimezone(zone).date()


def printed(when: datetime, zone: tzinfo | None = None) -> str:
    """An expiry instant as a nurse reads it: in the site's zone, with its offset."""
    local = when.astimezone(zone) if zone is not None else when
    return local.strftime("%Y-%m-%d %H:%M %z")

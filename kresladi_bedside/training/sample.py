"""The training sample order: the Lot Information Sheet the practice labels are printed for.

Patient, DINs and lots are the labels engineer's sample patient (`labels.samples`), so every
label on the training sheet (`training.label_sheet`) matches this order, except the ones
printed to fail (wrong patient, expired). The sample bags expire far ahead (2035), so a sheet
printed once keeps working; `sample_order(now)` refuses to build an order whose bags would
already be expired at `now`, rather than teach with a bag the engine stops.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from ..clock import Instant
from ..engine.model import Order, OrderBag, Patient
from ..labels import samples

TRAINING_EXPIRY: tuple[datetime, ...] = tuple(b.expiry for b in samples.SAMPLE_BAGS)
EXPIRED_ON = datetime(2025, 1, 31, 23, 59, tzinfo=UTC)  # the practice "expired bag" label
WEIGHT_KG = 9.5
BAG_VOLUME_ML = 20.0


class TrainingSampleError(ValueError):
    """The training sample cannot be used at this instant (names why)."""


def patient_order(bags: int = 2, *, weight_kg: float = WEIGHT_KG,
                  zone: tzinfo = UTC) -> Order:
    """The sample patient's order (Lot Information Sheet) with 1 or 2 bags, matching every
    default payload of `labels.samples` (here, not there: labels never import the engine).
    Labels print expiry as a local time: the sheet's instant is that time read in the site's
    time zone `zone`."""
    p = samples.SAMPLE_PATIENT
    return Order(
        patient=Patient(mrn=p.mrn, name=p.name, dob=p.dob, coi=p.coi,
                        patient_id=p.patient_id, gsrn=p.gsrn),
        weight_kg=weight_kg,
        bags=tuple(OrderBag(number=i, bag_id=b.din, lot=b.lot,
                            expiry=b.expiry.replace(tzinfo=zone),
                            cd34_per_kg=b.cd34_per_kg, volume_ml=BAG_VOLUME_ML)
                   for i, b in enumerate(samples.SAMPLE_BAGS[:bags], start=1)),
        sheet_bag_count=bags,
    )


def sample_order(now: Instant | datetime, bags: int = 2, zone: tzinfo | None = None) -> Order:
    """The training order (1 or 2 bags) matching the training label sheet. The labels print
    expiry as a local time; the sheet's instant is that time in the site's zone (`zone`, else
    the workstation's offset at `now`)."""
    wall = now.wall if isinstance(now, Instant) else now
    if zone is None:
        zone = timezone(timedelta(seconds=now.utc_offset_s)) if isinstance(now, Instant) else UTC
    base = patient_order(bags, zone=zone)
    lines = tuple(replace(line, expiry=TRAINING_EXPIRY[line.number - 1].replace(tzinfo=zone),
                          volume_ml=BAG_VOLUME_ML) for line in base.bags)
    expired = [line.number for line in lines if line.expiry <= wall]
    if expired:
        raise TrainingSampleError(f"the training sample bag(s) {expired} expired on "
                                  f"{TRAINING_EXPIRY[expired[0] - 1].date()}: update "
                                  "labels.samples.SAMPLE_BAGS and reprint the label sheet")
    return replace(base, bags=lines)


def expiry_of(bag: int) -> datetime:
    """The expiry printed on training bag `bag`'s labels (the same as on the order)."""
    return TRAINING_EXPIRY[bag - 1]

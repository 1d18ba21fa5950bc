"""The window's side of the pre-thaw check (the check itself is `sync.prethaw`, Qt-free).

The search starts in a worker thread as soon as a bag is inspected, so its answer is usually
there when the nurse presses *Start thaw*; at that moment the window waits at most the site's
`sync.precheck_timeout_seconds` for it. Found → the thaw is refused and the procedure stopped
(a hard stop naming where and when); not checked → a status-bar line "Not checked against the
hospital record (…)", never blocking.
"""

from __future__ import annotations

import concurrent.futures
from typing import Any

from ..profile import Profile
from ..sync import SyncSettings
from ..sync.codes import product_codes
from ..sync.prethaw import PrethawResult, check_before_thaw

Key = tuple[str, int]  # (procedure id, bag)


class PrethawChecks:
    def __init__(self, settings: SyncSettings, profile: Profile) -> None:
        self.settings = settings
        self.product = profile.name
        self._codes = product_codes(profile)
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="prethaw")
        self._pending: dict[Key, concurrent.futures.Future[PrethawResult]] = {}

    def start(self, procedure_id: str, bag: int, din: str, mrn: str) -> None:
        key = (procedure_id, bag)
        if key not in self._pending:
            self._pending[key] = self._pool.submit(self._run, procedure_id, din, mrn)

    def result(self, procedure_id: str, bag: int, din: str, mrn: str) -> PrethawResult:
        self.start(procedure_id, bag, din, mrn)
        future = self._pending[(procedure_id, bag)]
        try:
            return future.result(timeout=self.settings.precheck_timeout_s + 1.0)
        except concurrent.futures.TimeoutError:
            return PrethawResult("not_checked", reason="no answer in time")

    def forget(self, procedure_id: str, bag: int) -> None:
        """A later thaw of the same bag (after a refusal) asks again."""
        self._pending.pop((procedure_id, bag), None)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, procedure_id: str, din: str, mrn: str) -> PrethawResult:
        try:
            client = self.settings.client(timeout_s=self.settings.precheck_timeout_s)
        except ValueError as exc:
            return PrethawResult("not_checked", reason=str(exc))
        try:
            return check_before_thaw(client, din=din, mrn=mrn,
                                     mrn_system=self.settings.mrn_system,
                                     din_system=self.settings.site.din_system,
                                     product_text=self.product,
                                     current_procedure=procedure_id)
        except Exception as exc:
            return PrethawResult("not_checked", reason=f"{type(exc).__name__}: {exc}")
        finally:
            client.close()


def bag_facts(state: Any, bag: int) -> tuple[str, str] | None:
    """(DIN, MRN) of a bag of the order, or None before there is an order."""
    order = getattr(state, "order", None)
    if order is None:
        return None
    try:
        return order.bag(bag).bag_id, order.patient.mrn
    except KeyError:
        return None

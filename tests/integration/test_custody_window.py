"""Custody at the window against the real FHIR server (Medplum kit), issue 24:
- opening offline: the server stopped (a loopback relay in front of the kit, cut and restored)
  → refused by default; a site that allows it → opened on a reason signed by the nurse and a
  witness; the server back → the claim is made then (`custody_reconciled`), or, when another
  workstation claimed the product meanwhile, `custody_conflict`, the alarm, and commands refused;
- take-over from the window: workstation A walks to bag 1's thaw and is killed -9; B, in its
  window, finds the procedure on the server, takes it over signed by a nurse and a witness, the
  claim moves (conditional create), the thaw deadline is A's; A's window, restarted on its own
  log, says where the procedure went (workstation, nurse, when) and refuses its commands."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kresladi_bedside.config import SiteConfig, SyncConfig
from kresladi_bedside.engine import Procedure
from kresladi_bedside.profile import load_profile
from kresladi_bedside.store import open_store
from kresladi_bedside.sync.custody import Who, claim, steps_of
from tests.qt.test_window_custody import _sign_offline
from tests.receipt.conftest import PIN_N, badge
from tests.receipt.workstation import PIN_W, Workstation

from .custody_racer import client
from .test_custody import received, thaw_on_a_then_kill_9

PROFILE = load_profile()


class Relay:
    """A loopback TCP relay to the kit: `cut()` closes its port and every connection through it
    (the server is gone for the workstation); `restore()` listens on the same port again."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.path = parts.path
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            conns, self._open = self._open, []
        for s in [listener, *conns]:
            if s is not None:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._open += [conn, upstream]
            for a, b in ((conn, upstream), (upstream, conn)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


def _site(info: dict[str, Any], name: str, base_url: str | None = None,
          **sync: Any) -> SiteConfig:
    return SiteConfig(site_name=name, sync=SyncConfig(
        base_url=base_url or info["base_url"], token=info["token"],
        mrn_system=info["mrn_system"], workstation=name, **sync))


def _with_witness(people: Any) -> None:
    people.sign_out()
    people.sign_in(badge("A10001"), "58204716")
    admin = people.current_user
    people.add_user("Walt Witness", "W30003", PIN_W, ["witness"], by=admin.id)
    people.sign_out()


def _offline_bedside(qtbot: Any, fhir: dict[str, Any], tmp_path: Path,
                     **sync: Any) -> tuple[Workstation, Relay, str, list[str]]:
    desk, rid, _ = received(fhir, tmp_path)
    _with_witness(desk.people)
    relay = Relay(fhir["base_url"])
    relay.restore()
    ws = Workstation(qtbot, desk.clock, desk.store,
                     _site(fhir, "Ward 4", relay.url, custody_timeout_seconds=5.0, **sync),
                     "bedside-offline")
    ws.sign_in("N20002", PIN_N)
    dins = [b.bag_id for b in ws.window.current_page().received.products[0].order.bags]
    return ws, relay, rid, dins


def _open_offline(qtbot: Any, ws: Workstation, relay: Relay, reason: str) -> None:
    """The server cut, the product opened offline on a signed reason (nurse and witness)."""
    relay.cut()
    _sign_offline(ws, reason)
    ws.window.current_page().received.form.openButton.click()
    qtbot.waitUntil(lambda: ws.window.session.state.order is not None, timeout=20_000)
    assert [k for k, _, _ in ws.window.session.state.custody_notes] == ["opened_offline"]


def test_server_stopped_refuses_by_default(qtbot: Any, fhir: dict[str, Any],
                                           tmp_path: Path) -> None:
    ws, relay, _, _ = _offline_bedside(qtbot, fhir, tmp_path)
    try:
        relay.cut()
        chooser = ws.window.current_page().received
        chooser.form.openButton.click()
        qtbot.waitUntil(lambda: "Not opened" in chooser.form.chooserMessageLabel.text(),
                        timeout=20_000)
        assert "call IT" in chooser.form.chooserMessageLabel.text()
        assert ws.window.session.state.order is None
    finally:
        ws.close()
        relay.cut()


def test_opened_offline_then_the_server_back_claims_it(qtbot: Any, fhir: dict[str, Any],
                                                       tmp_path: Path) -> None:
    ws, relay, _, dins = _offline_bedside(qtbot, fhir, tmp_path, offline_opening="signed")
    try:
        _open_offline(qtbot, ws, relay, "server down; conditioning window closes at 16:00")
        assert steps_of(client(fhir), dins[0]) == ()  # nothing on the server yet
        relay.restore()
        back = time.monotonic()
        watch = ws.window.custody
        watch.poll()  # the next poll (every 15 s) once the server answers
        qtbot.waitUntil(lambda: len(ws.window.session.state.custody_notes) == 2,
                        timeout=30_000)
        print(f"\n[figure] claimed {time.monotonic() - back:.2f} s after the poll that found "
              "the server back")
        kinds = [k for k, _, _ in ws.window.session.state.custody_notes]
        assert kinds == ["opened_offline", "reconciled"], ws.window.session.state.custody_notes
        for din in dins:
            [step] = steps_of(client(fhir), din)
            assert (step.kind, step.workstation) == ("claim", "Ward 4")
            assert step.procedure_id == ws.window.session.state.procedure_id
        assert "custody_conflict" not in {a.key for a in ws.window.alarms.current}
        assert not watch.notice.isVisible()
    finally:
        ws.close()
        relay.cut()


def test_opened_offline_then_the_server_shows_another_holder_raises_the_alarm(
        qtbot: Any, fhir: dict[str, Any], tmp_path: Path) -> None:
    ws, relay, _, dins = _offline_bedside(qtbot, fhir, tmp_path, offline_opening="signed")
    try:
        _open_offline(qtbot, ws, relay, "server down")
        # meanwhile workstation C, which could reach the server, opened the same product
        won = claim(client(fhir), dins, Who("C", "n-c", "Carla Nurse"), receipt_id="r-c",
                    procedure_id="proc-c")
        assert won.won, won.message
        relay.restore()
        ws.window.custody.poll()
        qtbot.waitUntil(lambda: any(k == "conflict" for k, _, _ in
                                    ws.window.session.state.custody_notes), timeout=30_000)
        [conflict] = [d for k, _, d in ws.window.session.state.custody_notes if k == "conflict"]
        assert "workstation C" in conflict["reason"] and "Carla Nurse" in conflict["reason"]
        assert "custody_conflict" in {a.key for a in ws.window.alarms.current}
        assert ws.window.custody.notice.isVisible()
        assert "workstation C" in ws.window.custody.notice.text()
        refused = ws.window.session.submit("confirm_backup", {"available": True,
                                                              "cd34_per_kg": 3e6})
        assert refused.rejection is not None and refused.rejection.rule == "custody"
    finally:
        ws.close()
        relay.cut()


def test_take_over_from_the_window_after_kill_9_and_the_first_window_is_fenced(
        qtbot: Any, fhir: dict[str, Any], tmp_path: Path) -> None:
    from kresladi_bedside.clock import FakeClock, SystemClock
    from kresladi_bedside.engine.countdowns import countdowns
    from tests.receipt.conftest import START, make_desk

    make_desk(tmp_path / "a.db", FakeClock(START)).store.close()  # A's people: Nora Nurse, …
    started, killed = thaw_on_a_then_kill_9(fhir, tmp_path / "a.db")
    pid = started["procedure_id"]
    thaw_start = datetime.fromisoformat(started["thaw_started"])

    clock = SystemClock()
    b = Workstation(qtbot, clock, open_store(tmp_path / "b.db"), _site(fhir, "B"), "b")
    try:
        b.sign_in("N20002", PIN_N)
        b.window.take_over.start(ask=False)
        qtbot.waitUntil(lambda: bool(b.window.take_over.found), timeout=30_000)
        [found] = b.window.take_over.found
        assert found.procedure_id == pid and found.workstation == "A"
        assert "RIVERA" in found.patient and "thaw started (bag 1)" in found.step
        nurse = b.people.sign("performed", pin=PIN_N)
        witness = b.people.witness(badge("W30003"), PIN_W, source="wedge")
        b.window.take_over.take(pid, "workstation A froze mid-thaw", nurse, witness)
        qtbot.waitUntil(lambda: b.window.take_over.taken is not None, timeout=30_000)
        took = time.monotonic() - killed
        print(f"\n[figure] taken over in B's window {took:.1f} s after A's kill -9")
        assert took < 60, took
        state = b.window.session.state
        assert state.procedure_id == pid
        # one event for the take-over: the route, the steps, the reason, both signatures
        [note] = [e.data for e in b.window.session.store.events(pid)
                  if e.type in ("procedure_taken_over", "custody_taken_over")]
        assert (note["from_workstation"], note["to_workstation"]) == ("A", "B")
        assert note["reason"] == "workstation A froze mid-thaw"
        assert len(note["steps"]) == 2 and len(note["signatures"]) == 2
        assert note["witness"] == witness.user
        for din in (bag.bag_id for bag in state.order.bags):
            head = steps_of(client(fhir), din)[-1]
            assert (head.kind, head.workstation) == ("handover", "B")
        now = clock.now()
        thaw = next(c for c in countdowns(state, now, PROFILE) if c.id == "thaw")
        deadline = now.wall.timestamp() + thaw.remaining_s
        assert abs(deadline - (thaw_start.timestamp() + thaw.limit_s)) < 1.0
        # on screen: the header's thaw tile points at A's deadline (time of day)
        b.window.tick()
        tile = next(t for t in b.window.header.tiles.values()
                    if t.title.text() == "Thaw, bag 1")
        shown = {datetime.fromtimestamp(thaw_start.timestamp() + thaw.limit_s + d)
                 .astimezone().strftime("%H:%M") for d in (-1, 0, 1)}
        assert any(hhmm in tile.caption.text() for hhmm in shown), (tile.caption.text(), shown)
        assert b.window.current_page().step_name == "thaw"  # the page of the running thaw
        done = b.window.session.submit("complete_thaw", {"bag": 1, "attest": {
            "no_visible_ice": True}})
        assert done.accepted, done.rejection
    finally:
        b.close()

    a_store = open_store(tmp_path / "a.db")
    again = Workstation(qtbot, SystemClock(), a_store, _site(fhir, "A"), "a-again",
                        procedure=Procedure.rebuild(PROFILE, SystemClock(),
                                                    a_store.events(pid)))
    try:
        again.sign_in("N20002", PIN_N)
        watch = again.window.custody
        qtbot.waitUntil(lambda: watch.notice.isVisible(), timeout=20_000)
        text = watch.notice.text()
        assert "THIS PROCEDURE MOVED" in text and "taken over by workstation B" in text, text
        assert "Nora Nurse" in text  # who took it, and when (the step's time)
        refused = again.window.session.submit("complete_thaw", {"bag": 1, "attest": {
            "no_visible_ice": True}})
        assert refused.rejection is not None and refused.rejection.rule == "custody"
        assert "workstation B" in refused.rejection.reason
    finally:
        again.close()
        a_store.close()

"""The Qt-free side of issue 24's window work (sync/open_custody.py): what the nurse is told when
the server cannot say who holds a product (by the site's `offline_opening`), and the fence as
the window uses it — it only reads answers and hands the question to `ask_later`."""

from __future__ import annotations

import socket

from kresladi_bedside.engine import Command
from kresladi_bedside.sync.open_custody import CustodyFence, Reconciled, unknown_decision
from kresladi_bedside.sync.transport import FhirClient
from tests.engine.driver import DINS, NURSE, Driver


def test_refused_by_default_naming_the_cause_and_the_last_state() -> None:
    d = unknown_decision("the server did not answer", "last read 4 min ago: free", "refused")
    assert not d.allowed and d.unknown and not d.offline_allowed
    assert "could not say who holds this product (the server did not answer)" in d.message
    assert "Custody last read 4 min ago: free" in d.message and "call IT" in d.message


def test_a_site_that_allows_it_offers_the_signed_way_in_and_still_refuses_to_open() -> None:
    d = unknown_decision("HTTP 401: the server refused the token", "never read", "signed")
    assert not d.allowed  # the decision itself never opens: only the signed act does
    assert d.offline_allowed and d.last_known == "never read"
    assert d.cause == "HTTP 401: the server refused the token"
    assert "signed by you and a witness" in d.message


def test_a_reconciliation_is_recorded_with_the_servers_steps() -> None:
    r = Reconciled("conflict", "RECONCILIATION: bag W1 is held by workstation C")
    assert r.note_args() == {"kind": "conflict", "reason": r.message, "steps": []}


def _closed_client() -> FhirClient:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return FhirClient(f"http://127.0.0.1:{port}/fhir", timeout_s=1.0)


class Asked:
    def __init__(self) -> None:
        self.asked: list[tuple[str, list[str]]] = []

    def __call__(self, procedure_id: str, dins: list[str]) -> None:
        self.asked.append((procedure_id, dins))


def _command(name: str) -> Command:
    return Command(name, {}, user=NURSE)


def test_the_window_fence_never_asks_on_the_calling_thread() -> None:
    now = [1000.0]
    ask = Asked()
    fence = CustodyFence(_closed_client(), "Ward 4", monotonic=lambda: now[0], ask_later=ask)
    d = Driver().open().order()
    state, pid = d.proc.state, d.proc.state.procedure_id
    first = fence(state, _command("confirm_backup"), None)
    assert first is not None and first.rule == "custody"
    assert "Checking custody on the hospital server" in first.reason
    assert ask.asked == [(pid, list(DINS))]
    assert fence(state, _command("confirm_backup"), None) is not None
    assert len(ask.asked) == 1  # one question in flight, not one per preview
    # notes go through meanwhile: an alarm answered, the clock, custody itself
    for name in ("acknowledge_alarm", "silence_alarm", "note_clock_change", "note_custody"):
        assert fence(state, _command(name), None) is None, name
    # the answer comes (here: no server → unknown): the command goes through, as before
    assert fence.refresh(pid, list(DINS)) is None
    assert fence.known(pid) == ("unknown", None)
    assert fence(state, _command("confirm_backup"), None) is None
    now[0] += 61  # an unknown answer is asked again after a minute, meanwhile still used
    assert fence(state, _command("confirm_backup"), None) is None
    assert len(ask.asked) == 2


def test_a_won_claim_needs_no_question_and_a_conflict_refuses_all_but_a_stop() -> None:
    ask = Asked()
    fence = CustodyFence(_closed_client(), "Ward 4", ask_later=ask)
    d = Driver().open().order()
    pid = d.proc.state.procedure_id
    fence.note_ours(pid)
    assert fence(d.proc.state, _command("confirm_backup"), None) is None
    assert ask.asked == []
    out = d.proc.handle(Command("note_custody", {
        "kind": "conflict", "reason": "RECONCILIATION: bag W1 is held by workstation C."},
        user=NURSE))
    assert out.accepted
    refused = fence(d.proc.state, _command("confirm_backup"), None)
    assert refused is not None and "held by workstation C" in refused.reason
    assert fence(d.proc.state, _command("stop_procedure"), None) is None
    assert fence(d.proc.state, _command("note_custody"), None) is None

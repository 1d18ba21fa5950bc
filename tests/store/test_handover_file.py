"""An open procedure handed over by a signed file, without a server (issue 24): two workstations,
two logs, two keys. Workstation A thaws bag 1 and hands the procedure over; B takes it over with
the thaw deadline unchanged; A refuses every command for it; a tampered file, a second import,
a file already taken over elsewhere and a file A wrote coming back are refused."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from kresladi_bedside.clock import FakeClock
from kresladi_bedside.engine import Command, Procedure
from kresladi_bedside.engine.identity import ExactMatchVerifier
from kresladi_bedside.store import Store, StoreListener, open_store
from kresladi_bedside.store.handover_file import (
    HandoverFileError,
    hand_over_to_file,
    mark_path,
    take_over_from_file,
)
from kresladi_bedside.store.recovery import recover, unfinished_procedures
from kresladi_bedside.store.signing import SigningKey, workstation_signing_key
from kresladi_bedside.store.transfer import TransferError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from engine.driver import NURSE, START, Driver

VERIFIER = ExactMatchVerifier()


@dataclass
class Workstation:
    name: str
    store: Store
    clock: FakeClock
    key: SigningKey

    def enrolled(self, *others: Workstation) -> dict[str, tuple[str, str]]:
        return {o.key.key_id: (o.name, o.key.public_hex) for o in others}

    def procedure(self, procedure_id: str) -> Procedure:
        proc = Procedure.rebuild(Driver().profile, self.clock, self.store.events(procedure_id),
                                 VERIFIER)
        proc.subscribe(StoreListener(self.store))
        return proc


def workstation(tmp_path: Path, name: str, boot: str) -> Workstation:
    folder = tmp_path / name
    folder.mkdir()
    store = open_store(folder / "procedures.db", key_path=folder / "workstation.key")
    assert store.key is not None
    key = workstation_signing_key(store.key.path.with_name("workstation-signing.key"))
    return Workstation(name, store, FakeClock(START, boot=boot), key)


@pytest.fixture
def two(tmp_path: Path):
    a = workstation(tmp_path, "A", "boot-of-A")
    b = workstation(tmp_path, "B", "boot-of-B")
    yield a, b
    a.store.close()
    b.store.close()


def thawing_on(a: Workstation) -> str:
    """Bag 1 thawing on A for 2 minutes: the 5-minute thaw limit runs."""
    d = Driver(clock=a.clock, verifier=VERIFIER)
    d.proc.subscribe(StoreListener(a.store))
    d.ready_to_thaw()
    d.ok("start_thaw", bag=1, method="water_bath", attest={"sterile_overbag": True})
    d.advance(120)
    return d.proc.procedure_id


def thaw_deadline(proc: Procedure) -> tuple[float, object]:
    thaw = next(c for c in proc.countdowns() if c.id == "thaw")
    return thaw.remaining_s, proc.state.bag(1).thaw_started


def hand_over(a: Workstation, pid: str, path: Path) -> None:
    hand_over_to_file(a.store, Driver().profile, a.clock, pid, NURSE, path,
                      from_workstation=a.name, to_workstation="B")


def take_over(b: Workstation, path: Path, *signers: Workstation):
    return take_over_from_file(b.store, Driver().profile, b.clock, path, user="u-nurse-b",
                               workstation=b.name, enrolled=b.enrolled(*signers),
                               own=b.key, verifier=VERIFIER)


def test_taken_over_with_its_clock_and_the_first_workstation_fenced(two, tmp_path) -> None:
    a, b = two
    pid = thawing_on(a)
    before = thaw_deadline(a.procedure(pid))
    assert 170 <= before[0] <= 180  # 3 of the 5 minutes left
    path = tmp_path / "handover.jsonl"
    hand_over(a, pid, path)
    # A: the procedure moved; every command refused naming where, who and when; no countdown
    fenced = a.procedure(pid)
    assert fenced.step().name == "moved" and fenced.countdowns() == []
    for name, args in (("complete_thaw", {"bag": 1, "attest": {"no_visible_ice": True}}),
                       ("stop_procedure", {"reason": "x"}),
                       ("acknowledge_alarm", {"alarm": "thaw_time"})):
        refused = fenced.handle(Command(name, args, user=NURSE))
        assert refused.rejection is not None, name
        assert "moved" in refused.rejection.reason and "to workstation B" in \
            refused.rejection.reason and NURSE in refused.rejection.reason
    assert pid not in unfinished_procedures(a.store)
    assert a.store.events(pid)[-1].type == "command_rejected"  # the attempts are on A's record
    # B, 30 s later by the same wall time, another boot: the same deadline
    b.clock.set(a.clock.now().wall + timedelta(seconds=30))
    done = take_over(b, path, a)
    assert done.procedure_id == pid and done.from_workstation == "A" and done.signed_by == "A"
    assert done.mark is not None and mark_path(path).is_file()
    resumed = b.procedure(pid)
    after = thaw_deadline(resumed)
    assert after[1] == before[1]  # the thaw start, as recorded on A
    assert after[0] == pytest.approx(before[0] - 30, abs=0.01)
    assert pid in unfinished_procedures(b.store)
    # B's window at start-up resumes it (store/recovery.py), A's does not
    assert [r.procedure.procedure_id for r in recover(b.store, Driver().profile, b.clock,
                                                      VERIFIER).procedures] == [pid]
    assert recover(a.store, Driver().profile, a.clock, VERIFIER).procedures == []
    taken = b.store.events(pid)[-1]
    assert taken.type == "procedure_taken_over" and taken.user == "u-nurse-b"
    assert taken.data["from_workstation"] == "A" and taken.data["to_workstation"] == "B"
    assert taken.data["handed_over_by"] == NURSE and len(taken.data["file_sha256"]) == 64
    # B goes on: the thaw completes inside its 5 minutes
    assert resumed.handle(Command("complete_thaw", {"bag": 1,
                                                    "attest": {"no_visible_ice": True}},
                                  user="u-nurse-b")).accepted


def test_a_second_import_and_a_file_already_taken_elsewhere_are_refused(two, tmp_path) -> None:
    a, b = two
    pid = thawing_on(a)
    path = tmp_path / "handover.jsonl"
    hand_over(a, pid, path)
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(path.read_bytes())
    take_over(b, path, a)
    count = len(b.store.events(pid))
    with pytest.raises(HandoverFileError, match="already used: taken over on workstation B"):
        take_over(b, path, a)
    # a copy made before the import escapes the mark, but not this workstation's log
    with pytest.raises(HandoverFileError, match="already holds procedure"):
        take_over(b, copy, a)
    assert len(b.store.events(pid)) == count
    # the file coming back to the workstation that wrote it
    copy2 = tmp_path / "back.jsonl"
    copy2.write_bytes(path.read_bytes())
    with pytest.raises(HandoverFileError, match="already holds procedure"):
        take_over(a, copy2, a)


def test_a_changed_file_and_an_unknown_signer_are_refused(two, tmp_path) -> None:
    a, b = two
    pid = thawing_on(a)
    path = tmp_path / "handover.jsonl"
    hand_over(a, pid, path)
    text = path.read_text(encoding="utf-8")
    changed = tmp_path / "changed.jsonl"
    changed.write_text(text.replace('"water_bath"', '"dry_thaw"', 1), encoding="utf-8")
    with pytest.raises(TransferError, match="changed after A signed it"):
        take_over(b, changed, a)
    with pytest.raises(TransferError, match="not enrolled here"):
        take_over(b, path)
    assert list(b.store.rows(pid)) == []


def test_only_a_hand_over_file_is_taken_over(two, tmp_path) -> None:
    """A plain export of an open procedure (no hand-over in it) is not a hand-over: A still
    holds the procedure."""
    from kresladi_bedside.store.transfer import write_export

    a, b = two
    pid = thawing_on(a)
    plain = tmp_path / "plain.jsonl"
    with plain.open("w", encoding="utf-8") as out:
        write_export(a.store, pid, out, a.key)
    with pytest.raises(HandoverFileError, match="does not hand over"):
        take_over(b, plain, a)


def test_a_file_that_cannot_be_written_is_written_again_once_recorded(two, tmp_path) -> None:
    a, _b = two
    pid = thawing_on(a)
    with pytest.raises(HandoverFileError, match="could not be written"):
        hand_over(a, pid, tmp_path / "no-such-folder" / "handover.jsonl")
    assert a.procedure(pid).step().name == "moved"  # recorded: A is fenced already
    path = tmp_path / "handover.jsonl"
    hand_over(a, pid, path)
    types = [e.type for e in a.store.events(pid)]
    assert types.count("procedure_handed_over") == 1 and path.is_file()


def test_a_take_over_by_file_needs_the_files_own_hand_over(two) -> None:
    a, _b = two
    pid = thawing_on(a)
    proc = a.procedure(pid)
    refused = proc.handle(Command("take_over", {"via": "file", "handover_id": "h1",
                                                "from_workstation": "X",
                                                "to_workstation": "A"}, user=NURSE))
    assert refused.rejection is not None and "hands over" in refused.rejection.reason
    assert proc.handle(Command("hand_over", {"via": "file", "handover_id": "h2",
                                             "from_workstation": "A"}, user=NURSE)).accepted
    wrong = proc.handle(Command("take_over", {"via": "file", "handover_id": "h1",
                                              "from_workstation": "A",
                                              "to_workstation": "B"}, user=NURSE))
    assert wrong.rejection is not None and "h2" in wrong.rejection.reason

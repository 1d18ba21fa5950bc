"""Every command the window gives, with the signatures it needs: a witness where the site wants
one (asked once per step, `witness_for`), and a signed deviation where the engine says a limit
is passed (`run` asks and gives the command again with it).

The people layer decides who must witness and checks every signature; the engine decides what
needs a deviation. This module only asks the right person at the right moment."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from ..engine import Deviation, Rejection, Signature
from ..people import People
from .display import refusal_text
from .session import Result, Session

# (procedure, step, bag) -> the witness signature that covers that step
WitnessKey = tuple[object, ...]


class SignedCommands:
    def __init__(self, session: Session, people: People, parent: QWidget) -> None:
        self.session = session
        self.people = people
        self.parent = parent  # the dialogs' parent
        self._witness: tuple[WitnessKey, Signature] | None = None

    def forget_witness(self) -> None:
        """Another user signed in (or none): their commands get their own witness."""
        self._witness = None

    def submit(self, name: str, args: dict[str, Any] | None = None, *,
               deviation: Deviation | None = None,
               signatures: tuple[Signature, ...] = ()) -> Result:
        """The command with a witness when the site wants one for it. If the witness dialog
        is cancelled the command still goes, and the guard's refusal is logged."""
        command = self.session.command(name, args, deviation=deviation, signatures=signatures)
        reasons = self.people.witness_required(self.session.state, command)
        witness = self.witness_for(reasons) if reasons else None
        return self.session.submit(name, args, deviation=deviation, signatures=signatures,
                                   witness=witness)

    def run(self, name: str, args: dict[str, Any] | None = None) -> Result:
        """`submit`; when the engine answers that a limit is passed, the deviation dialog
        opens and, once signed, the same command goes again with it."""
        result = self.submit(name, args)
        rejection = result.rejection
        if rejection is not None and rejection.kind == "deviation_required":
            signed = self.ask_deviation(rejection)
            if signed is not None:
                deviation, signature = signed
                result = self.submit(name, args, deviation=deviation, signatures=(signature,))
        return result

    def witness_for(self, reasons: list[str]) -> Signature | None:
        """The witness of this step. Rule: one witness signature covers every witnessed command
        of the same step (procedure, step, bag) while the people layer holds it valid, whatever
        the reasons — the witness stands at the bed for the whole identity check. Only a typed
        identifier always asks: the witness reads that typed text against the label itself; their
        signature then covers the rest of the step too."""
        from .dialogs import WitnessDialog

        step = self.session.step()
        key = (self.session.procedure.procedure_id, step.name, step.bag)
        if "typed_identifier" not in reasons and self._witness is not None and \
                self._witness[0] == key and \
                self.people.signature_problem(self._witness[1],
                                              self.session.clock.now()) is None:
            return self._witness[1]
        dialog = WitnessDialog(reasons, self.people, self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.signature is None:
            return None
        self._witness = (key, dialog.signature)
        return dialog.signature

    def ask_deviation(self, rejection: Rejection) -> tuple[Deviation, Signature] | None:
        from .dialogs import DeviationDialog

        dialog = DeviationDialog(refusal_text(rejection), self.people, self.parent)
        if dialog.exec() == DeviationDialog.DialogCode.Accepted and dialog.deviation:
            assert dialog.signature is not None
            return dialog.deviation, dialog.signature
        return None

"""'Received products awaiting infusion' on the order page: the infusion day starts from a
receipt (this workstation's, one read back from the EHR, or one imported from a receipt file);
the JSON order file stays for IT and tests only."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..engine.model import Signature
from ..receipt import (
    RECEIPT_ROLE,
    ReceiptState,
    awaiting_infusion,
    describe,
    dispense,
    infusion_order_args,
)
from ..store import StorageError
from .background import run_in_background
from .fitted import pin_rows
from .forms import OrderForm, ReceiptChooserForm, box_layout
from .host import PageHost, ProcedureModel
from .session import Result

# Who countersigns a receipt file imported here (issue 26): the people who receive KRESLADI.
RECEIPT_IMPORT_ROLES: tuple[str, ...] = ("pharmacy", "administrator")


class OrderPage(Protocol):
    """What the chooser needs of the order page (named by shape: `qt.pages` imports this module,
    so importing the page's class here would close a cycle)."""

    win: PageHost
    form: OrderForm
    actionBar: QVBoxLayout | None

    @property
    def model(self) -> ProcedureModel: ...

    def submit(self, name: str, args: dict[str, Any] | None = None) -> Result: ...


class ReceivedChooser:
    """Added under the order page's form by `attach` (the page keeps its own widgets)."""

    def __init__(self, page: OrderPage) -> None:
        self.page = page
        self.win = page.win
        self.model = page.model
        self.form = ReceiptChooserForm.load()
        self.form.ehrButton.clicked.connect(self.check_ehr)
        self.form.importButton.clicked.connect(lambda: self.import_file())
        self.form.openButton.clicked.connect(self.open_selected)
        self.form.productList.itemDoubleClicked.connect(lambda _item: self.open_selected())
        # the signed-in pharmacist's one press to the receipt (the menu's Receipt ▸ Receive a
        # product… is two): shown to the pharmacy role only, where she lands after sign-in
        self.receiveButton = QPushButton("&Receive a product…")
        self.receiveButton.setAccessibleName("Receive a product…")
        self.receiveButton.setMinimumSize(180, 44)
        self.receiveButton.setAutoDefault(False)
        row = next(lay for lay in self.form.widget.findChildren(QHBoxLayout)
                   if lay.indexOf(self.form.importButton) >= 0)
        row.insertWidget(0, self.receiveButton)
        self.receiveButton.clicked.connect(lambda: self.win.receive_product())
        from ..sync import client_for

        self.ehr = None if self.model.training else client_for(self.win.site)
        self.form.ehrButton.setVisible(self.ehr is not None)
        self.products: list[ReceiptState] = []
        # custody lives on the server (issue 24): what this workstation last read, and when
        from ..sync import LastKnown

        self.custody = LastKnown()
        self.claiming: Any = None  # the claim under way (custody_open.OpeningClaim)

    @classmethod
    def attach(cls, page: OrderPage) -> ReceivedChooser:
        chooser = cls(page)
        box_layout(page.form.widget).insertWidget(2, chooser.form.widget)
        # "Open the infusion for this product" with the page's own buttons, below its scroll
        # area: a 768-line screen shows it whatever the list's length (issue 25)
        bar = pin_rows(chooser.form.widget, [chooser.form.openButton])
        if bar is not None and page.actionBar is not None:
            bar.setContentsMargins(0, 0, 0, 0)
            page.actionBar.insertLayout(0, bar)
        return chooser

    def message(self, text: str) -> None:
        self.form.chooserMessageLabel.setText(text)

    def refresh(self) -> None:
        # Once the procedure has its order, the chooser has done its work on this page.
        # Hidden then, so the stored receipts are not read back again on every refresh.
        self.form.widget.setVisible(self.model.state.order is None)
        if self.model.state.order is not None:
            return
        user = self.model.user
        self.receiveButton.setVisible(user is not None and user.has_role(RECEIPT_ROLE))
        store = self.win.log
        self.products = [] if store is None else awaiting_infusion(
            store, training=self.model.training)
        products = self.form.productList
        products.clear()
        now = self.model.clock.now().wall
        for state in self.products:
            text = describe(state, now)
            if self.ehr is not None and state.receipt_id is not None:
                text += f"\nOn the server: {self.custody.describe(state.receipt_id)}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, state.receipt_id)
            products.addItem(item)
        # One product: it is the one (Open is the nurse's choice of it; the wristband scan that
        # follows decides). Several: none chosen for her, she picks the patient's.
        if len(self.products) == 1:
            products.setCurrentRow(0)
        self.form.openButton.setEnabled(bool(self.products))
        self.form.chooserLabel.setText(
            f"Received products awaiting infusion ({len(self.products)})" if self.products else
            "No received product awaits infusion here. The pharmacy receives it first"
            + (" (then Check the EHR)" if self.ehr else " (then Import its receipt file)") + ".")

    def selected(self) -> ReceiptState | None:
        item = self.form.productList.currentItem()
        if item is None:
            return None
        rid = item.data(Qt.ItemDataRole.UserRole)
        return next((p for p in self.products if p.receipt_id == rid), None)

    def open_selected(self) -> bool:
        """Open the infusion procedure with the order built at receipt. With `[sync]` the
        product is claimed on the hospital's server first, off the GUI thread: this returns
        False at once, and the procedure opens when (and only if) the server answers that this
        workstation holds every bag (`custody_open`)."""
        state = self.selected()
        if state is None:
            self.message("Choose a received product first.")
            return False
        if self.claiming is not None:
            self.message("Checking custody on the hospital server… (still waiting)")
            return False
        page, model = self.page, self.model
        if model.step().name == "new" and not page.submit(
                "open", {"training": model.training}).accepted:
            return False
        args = infusion_order_args(state)
        if model.preview("prepare_order", args) is not None:
            return page.submit("prepare_order", args).accepted  # shows the engine's refusal
        procedure_id = model.state.procedure_id
        assert state.receipt_id is not None and procedure_id is not None
        if self.ehr is None:
            return self._open(state, [])
        self._claim(state, procedure_id)
        return False

    def _open(self, state: ReceiptState, custody: list[str]) -> bool:
        """The order, then the receipt given to this procedure (`custody`: the server's claim
        steps, when there is a server)."""
        page, model, store = self.page, self.model, self.win.log
        procedure_id = model.state.procedure_id
        assert store is not None and state.receipt_id is not None and procedure_id is not None
        result = page.submit("prepare_order", infusion_order_args(state))
        if not result.accepted:
            return False
        user = model.user.id if model.user else ""
        try:
            dispense(store, model.profile, model.clock, state.receipt_id, procedure_id, user,
                     custody=custody)
        except StorageError as exc:
            self.win.not_recorded("dispense", str(exc))
        self.refresh()
        return True

    def _busy(self, busy: bool) -> None:
        for widget in (self.form.openButton, self.form.ehrButton, self.form.importButton,
                       self.form.productList):
            widget.setEnabled(not busy)

    def _claim(self, state: ReceiptState, procedure_id: str) -> None:
        """Claim the product on the hospital's server, off the GUI thread (fail closed; names
        the holder; a deadline)."""
        from ..sync import SyncSettings, Who
        from .custody_open import OpeningClaim

        settings = SyncSettings.from_config(self.win.site)
        user = self.model.user
        who = Who(settings.workstation, user.id if user else "", user.name if user else "")
        self._busy(True)
        self.message("Checking custody on the hospital server… Nothing opens until it answers "
                     f"(at most {settings.custody_timeout_s:g} s).")
        self.claiming = OpeningClaim(self.form.widget, settings, state, who, procedure_id,
                                     self.custody,
                                     lambda decision: self._claimed(state, procedure_id,
                                                                    decision))
        self.claiming.late_seen = self._late

    def _claimed(self, state: ReceiptState, procedure_id: str, decision: Any) -> None:
        self.claiming = None
        self._busy(False)
        model = self.model
        if model.state.procedure_id != procedure_id or model.state.order is not None:
            self.message("The procedure changed while custody was checked: nothing was opened "
                         "from this product.")
            return
        if decision.allowed:
            fence = getattr(self.win, "custody", None)
            if fence is not None:
                fence.fence.note_ours(procedure_id)
            self._open(state, [s.reference for s in decision.steps])
            self.message(decision.message)
            return
        self.message(decision.message)
        self.refresh()
        if decision.offline_allowed:
            self._offer_offline(state, procedure_id, decision)

    def _late(self, decision: Any) -> None:
        """The server answered after the deadline: the nurse was told "not opened"; a claim it
        made is this workstation's (opening again takes it up; the pharmacy can release it)."""
        if decision.allowed:
            self.message("The hospital server answered after the deadline: it now shows this "
                         "product held by this workstation. Press Open again to continue, or "
                         "ask the pharmacy to release it.")

    def _offer_offline(self, state: ReceiptState, procedure_id: str, decision: Any) -> None:
        """The site allows opening while the server cannot say: a reason signed by the nurse
        and a witness, recorded before the order; the claim follows when the server is back."""
        from ..sync import offline_opening_args
        from .custody_dialogs import ask_signed_reason

        watch = getattr(self.win, "custody", None)
        if watch is None:
            return
        parent = self.page if isinstance(self.page, QWidget) else None
        asked = ask_signed_reason(
            "Open without the hospital server",
            f"{decision.message}\n\nOpen this product anyway, OFFLINE?", "Sign and open &offline",
            "offline_opening", self.win.people, parent)
        if asked is None:
            self.message(decision.message + "\nNot opened.")
            return
        reason, nurse, witness = asked
        if self.model.state.procedure_id != procedure_id or self.model.state.order is not None:
            return
        noted = watch.opened_offline(offline_opening_args(decision, reason), nurse, witness)
        if not noted.accepted:
            why = noted.rejection.reason if noted.rejection is not None else "not recorded"
            self.message(f"Not opened: {why}")
            return
        if self._open(state, []):
            self.message("Opened OFFLINE on a signed reason. The claim is made on the hospital's "
                         "server when it answers again; an alarm sounds if someone else holds "
                         "the product.")
            watch.show_state()

    def check_ehr(self) -> None:
        """Received products the EHR holds that this workstation has not yet: read back and
        checked against the EHR's Patient now, off the GUI thread ("Checking the EHR…"
        meanwhile; the client's deadline bounds each request). Says how many were added."""
        store = self.win.log
        if self.ehr is None or store is None:
            return
        from ..sync import EhrError, import_from_ehr, received_products

        client, system = self.ehr
        model = self.model
        profile, clock, user = model.profile, model.clock, model.user.id if model.user else ""

        from ..sync import CustodyUnknown, read_custody

        def read() -> tuple[int, list[str]]:
            added, problems = 0, list[str]()
            try:  # a malformed product is named in `problems`, never hides the others
                for product in received_products(client, problems=problems):
                    if not product.available:
                        continue
                    outcome = import_from_ehr(client, store, profile, clock, product, system,
                                              user)
                    if outcome is None:
                        continue
                    if outcome.accepted:
                        added += 1
                    else:
                        problems.append(f"{product.order.patient.mrn}: "
                                        f"{outcome.rejection.reason}")
                for state in awaiting_infusion(store, training=model.training):
                    try:  # custody read where it lives, now: shown under each product
                        read_custody(client, state, self.custody)
                    except CustodyUnknown as exc:
                        problems.append(f"Custody of {state.receipt_id} not read: {exc}")
            except (EhrError, StorageError) as exc:
                problems.append(str(exc))
            return added, problems

        self.form.ehrButton.setEnabled(False)
        self.message("Checking the EHR for received products…")
        run_in_background(read, owner=self.form.widget, success=self._read,
                          failure=lambda exc: self._read((0, [f"{type(exc).__name__}: {exc}"])))

    def _read(self, answer: tuple[int, list[str]]) -> None:
        added, problems = answer
        self.form.ehrButton.setEnabled(True)
        self.refresh()
        self.message("\n".join([f"{added} received product(s) read from the EHR.", *problems]))

    def import_file(self, path: str | None = None, signature: Signature | None = None) -> int:
        """A receipt exported on a workstation without the EHR: signed by an enrolled
        workstation, countersigned here by a pharmacist or an administrator, and decided again
        by this workstation's receipt engine (sync/receipt_file.py). Returns the events
        recorded (0: nothing)."""
        from ..store.signing import own_signing_key
        from ..store.transfer import TransferError, read_signed_file
        from ..sync import import_receipt_file

        store = self.win.log
        people = self.win.people
        if store is None:
            return 0
        if path is None:
            parent = self.page if isinstance(self.page, QWidget) else None
            path, _ = QFileDialog.getOpenFileName(parent, "Import a receipt", "",
                                                  "Receipt (*.jsonl)")
            if not path:
                return 0
        if signature is None:
            signature = self._receipt_signature()
            if signature is None:
                return 0
        problem = self._signature_problem(signature)
        if problem is not None:
            self.message(f"Not imported: {problem}")
            return 0
        model = self.model
        try:
            rows, signer = read_signed_file(path, people.enrolled_workstations(),
                                            own_signing_key(store.key.path if store.key else None))
            done = import_receipt_file(store, rows, signer, model.profile, model.clock,
                                       signature.user, (signature,))
        except (TransferError, StorageError) as exc:
            self.message(f"Not imported: {exc}")
            return 0
        self.refresh()
        if done.outcome is None:
            self.message("This receipt is already here.")
            return 0
        if not done.outcome.accepted:
            reason = done.outcome.rejection.reason if done.outcome.rejection else "refused"
            self.message(f"Not imported: {reason}")
            return 0
        self.message(f"Imported the receipt from {signer.name}, checked again here.")
        return len(done.outcome.events)

    def _receipt_signature(self) -> Signature | None:
        """A pharmacist's or an administrator's badge and PIN (the window's witness dialog)."""
        from .dialogs import WitnessDialog

        parent = self.page if isinstance(self.page, QWidget) else None
        dialog = WitnessDialog(["receipt_import"], self.win.people, parent,
                               roles=RECEIPT_IMPORT_ROLES)
        return dialog.signature if dialog.exec() else None

    def _signature_problem(self, signature: Signature) -> str | None:
        people = self.win.people
        problem = people.signature_problem(signature, people.clock.now())
        if problem is not None:
            return problem
        signer = people.user(signature.user)
        if signer is None or not signer.has_role(*RECEIPT_IMPORT_ROLES):
            return (f"{signature.name} is not a pharmacist or an administrator: a receipt file "
                    "is imported under their signature")
        return None


def attach_chooser(page: OrderPage) -> ReceivedChooser:
    return ReceivedChooser.attach(page)

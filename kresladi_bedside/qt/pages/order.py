"""The order page: the received product chosen (or an order file opened) and prepared."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from ...engine import Order, OrderError
from ...people.roles import ADMIN_ROLE
from ..forms import OrderForm
from ..page_views import order_text
from .base import StepPage


class OrderPage(StepPage[OrderForm]):
    steps = ("new", "order")

    def setup(self) -> None:
        self.form.instructionLabel.setText(
            "Choose this patient's received product (received and verified at the pharmacy) and "
            "open its infusion.")
        self.form.openOrderButton.setToolTip("For IT and tests: an order exported as a JSON "
                                             "file. Nurses open the received product above.")
        self.form.sampleButton.setVisible(self.model.training)
        self.form.sampleButton.clicked.connect(self.use_sample)
        self.form.openOrderButton.clicked.connect(self.open_file)
        from ..receipt_chooser import attach_chooser  # issue 18: start from a received product

        self.received = attach_chooser(self)

    def show_instructions(self) -> None:
        self.form.remindersLabel.setVisible(False)

    def use_sample(self) -> None:
        from ...training.sample import sample_order

        self.prepare(sample_order(self.model.clock.now()))

    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open order", "", "Order (*.json)")
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        try:
            order = Order.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:  # OrderError and JSON errors are ValueErrors
            kind = "order" if isinstance(exc, OrderError) else "file"
            self.form.messageLabel.setText(f"This {kind} cannot be used: {exc}")
            return
        self.prepare(order)

    def prepare(self, order: Order) -> None:
        if self.model.step().name == "new":
            opened = self.submit("open", {"training": self.model.training})
            if not opened.accepted:
                return
        self.submit("prepare_order", {"order": order.to_dict()})

    def refresh(self) -> None:
        self.received.refresh()
        self.form.orderLabel.setText(order_text(self.model.state.order))
        # An order file is for IT and tests (issue 25, item 14): shown in training and to an
        # administrator only, never to every nurse at the bedside
        user = self.model.user
        self.form.openOrderButton.setVisible(
            self.model.training or (user is not None and user.has_role(ADMIN_ROLE)))

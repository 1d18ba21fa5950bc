"""What every step page shares: the base page that asks the engine where the procedure is,
the attestation list, and the helpers the page families use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, get_args

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...engine import Outcome
from ...profile import Instruction
from ..display import refusal_text, step_title
from ..fitted import FittedLabel, pin_rows
from ..forms import PageForm, StepForm, box_layout
from ..headed_page import HeadedPage
from ..session import Result

if TYPE_CHECKING:
    from ..host import PageHost

FormT = TypeVar("FormT", bound=StepForm)
DONE_PX = 30  # one line at 22 px (FittedLabel makes a longer note smaller, never cut)
MESSAGE_PX = 60  # two lines at 20 px: the reason (first) always shows; a long citation is cut


class AttestList:
    """The profile's attestations for a step, as check boxes (or, where the profile lists the
    possible answers, one large radio button per answer: a drop-down is hard to use with gloves
    and closes under a hurried click). Unconfirmed items are left out: the engine names what is
    missing."""

    def __init__(self, box: QWidget, items: tuple[Instruction, ...]) -> None:
        self.widgets: dict[str, QCheckBox | QButtonGroup] = {}
        self.texts: dict[str, str] = {}
        self.by_button: str | None = None
        self.together = False
        self.box = box
        layout = box_layout(box)
        for item in items:
            self.texts[item.id] = item.text
            if item.values:
                text = QLabel(item.text)
                text.setTextFormat(Qt.TextFormat.PlainText)
                text.setWordWrap(True)
                layout.addWidget(text)
                row = QHBoxLayout()
                group = QButtonGroup(box)
                for value in item.values:
                    radio = QRadioButton(value)
                    radio.setAccessibleName(f"{item.text}: {value}")
                    radio.setProperty("value", value)
                    group.addButton(radio)
                    row.addWidget(radio)
                row.addStretch(1)
                layout.addLayout(row)
                self.widgets[item.id] = group
            elif (same := self._same_sentence(items, item)) is not None:
                # One sentence of the label, one box: "Do not use an in-line blood filter or
                # infusion pump" is asked as one check; each item is still recorded by its id.
                check = same
                check.setText(f"{check.text()} {item.text}")
                check.setAccessibleName(check.text())
                self.widgets[item.id] = check
            else:
                check = QCheckBox(item.text)
                check.setAccessibleName(item.text)
                check.setMinimumHeight(44)
                layout.addWidget(check)
                self.widgets[item.id] = check

    def _same_sentence(self, items: tuple[Instruction, ...], item: Instruction) -> QCheckBox | None:
        """The box already made for an earlier plain item quoting the same label sentence."""
        for other in items:
            if other is item:
                return None
            w = self.widgets.get(other.id)
            if not other.values and other.sentence == item.sentence and isinstance(w, QCheckBox):
                return w
        return None

    def as_button(self, box: QWidget, button: QPushButton, action: str) -> None:
        """A step with one plain attestation is attested by its own button: the button says the
        sentence, and pressing it is the attestation (one press, never a forgotten tick)."""
        if len(self.widgets) != 1:
            return
        key, w = next(iter(self.widgets.items()))
        if not isinstance(w, QCheckBox):
            return
        self.by_button = key
        box.setVisible(False)
        button.setText(f"{self.texts[key]} — {action}")
        button.setAccessibleName(f"{action}: {self.texts[key]}")

    def as_one(self, box: QWidget, button: QPushButton, action: str) -> None:
        """Instructions acknowledged together (the profile's `[acknowledge] together`): each
        sentence stays on the page in full, one press acknowledges them all, and each is
        recorded as acknowledged (the same record as ticking every box)."""
        if not self.widgets or not all(isinstance(w, QCheckBox) for w in self.widgets.values()):
            return
        layout = box_layout(box)
        for key, w in self.widgets.items():
            assert isinstance(w, QCheckBox)
            line = QLabel(f"• {self.texts[key]}")
            line.setTextFormat(Qt.TextFormat.PlainText)
            line.setWordWrap(True)
            line.setAccessibleName(self.texts[key])
            layout.insertWidget(layout.indexOf(w), line)
            w.setVisible(False)
        self.together = True
        button.setText(f"These instructions are given and in place — {action}")
        button.setAccessibleName(f"{action.replace('&', '')}: these instructions are given "
                                 "and in place")

    def answers_beside_question(self) -> None:
        """Each question's answers on its own line, after the question (one line, not two:
        the gates fit 1366×768 with every entry in view)."""
        layout = box_layout(self.box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        for i in range(layout.count() - 1):
            here, after = layout.itemAt(i), layout.itemAt(i + 1)
            text = here.widget() if here is not None else None
            row = after.layout() if after is not None else None
            if isinstance(text, QLabel) and isinstance(row, QHBoxLayout):
                layout.removeWidget(text)
                text.setWordWrap(False)
                row.insertWidget(0, text)
                row.insertSpacing(1, 12)

    def in_columns(self, box: QWidget, column_px: int) -> bool:
        """Four or more plain check boxes in two columns, read down the first then the second
        (half the height: a 768-line screen shows every line check with the banner). Only
        where every sentence fits its column whole; False (one column kept) otherwise."""
        if any(not isinstance(w, QCheckBox) for w in self.widgets.values()):
            return False
        # one box may stand for two items quoting one sentence of the label: each box once
        boxes = list(dict.fromkeys(w for w in self.widgets.values()
                                   if isinstance(w, QCheckBox)))
        if len(boxes) < 4 or any(w.sizeHint().width() > column_px for w in boxes):
            return False
        layout = box_layout(box)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        rows = (len(boxes) + 1) // 2
        for i, w in enumerate(boxes):
            layout.removeWidget(w)
            grid.addWidget(w, i % rows, i // rows)
        layout.addLayout(grid)
        return True

    def values(self) -> dict[str, Any]:
        if self.by_button:
            return {self.by_button: True}  # the button's own sentence was pressed
        if self.together:
            return {key: True for key in self.widgets}  # every sentence shown was acknowledged
        out: dict[str, Any] = {}
        for key, w in self.widgets.items():
            if isinstance(w, QCheckBox):
                if w.isChecked():
                    out[key] = True
            elif (checked := w.checkedButton()) is not None:
                out[key] = checked.property("value")
        return out

    def unanswered(self) -> list[str]:
        """The items not ticked or chosen, in words (to list them all at once)."""
        given = self.values()
        return [self.texts[key] for key in self.widgets if key not in given]

    def focusable(self) -> list[QWidget]:
        """The boxes and answers, in the order they are shown (for the page's tab order)."""
        out: list[QWidget] = []
        for w in self.widgets.values():
            out += [w] if isinstance(w, QCheckBox) else list(w.buttons())
        return list(dict.fromkeys(out))  # a box asking two items is one stop

    def text_of(self, key: str) -> str:
        return self.texts[key]

    def set_one(self, key: str) -> None:
        w = self.widgets[key]
        if isinstance(w, QCheckBox):
            w.setChecked(True)
        else:
            w.buttons()[0].setChecked(True)

    def choose(self, key: str, value: str) -> None:
        w = self.widgets[key]
        assert isinstance(w, QButtonGroup)
        next(b for b in w.buttons() if b.property("value") == value).setChecked(True)

    def set_all(self) -> None:
        """Tick every box and take each choice's first answer (tests and screenshots)."""
        for key in self.widgets:
            self.set_one(key)


class ContentScroll(QScrollArea):
    """A scroll area as tall as its content where there is room (so a page's pinned buttons
    follow its fields on a large screen), shorter, scrolling, where there is not."""

    def sizeHint(self) -> QSize:
        inner = self.widget()
        if inner is None:
            return super().sizeHint()
        hint = inner.sizeHint()
        return QSize(hint.width(), hint.height() + 2 * self.frameWidth())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the content's height changed: so did this hint
        return super().eventFilter(watched, event)


def scrolling(widget: QWidget) -> QScrollArea:
    # QWizard is as tall as its tallest page; scrolling keeps the header's clocks from being
    # squeezed on a small screen.
    area = ContentScroll()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setAccessibleName(widget.accessibleName())
    return area


class StepPage(HeadedPage, Generic[FormT]):
    """A page for one engine step, typed by its form: `class ThawPage(StepPage[ThawForm])`
    loads thaw.ui as a `ThawForm`, so `self.form.startButton` is a checked QPushButton."""

    form_class: type[StepForm] = StepForm  # set from the subscript, by __init_subclass__
    form: FormT
    steps: tuple[str, ...] = ()  # the engine steps this page shows
    instruction_steps: tuple[str, ...] = ()  # profile instruction steps shown here
    # The rows holding the page's primary buttons (by object name, in order): they sit below
    # the scroll area, never in it, so a 1366×768 screen shows them without scrolling.
    primary: tuple[str, ...] = ()

    def __init__(self, win: PageHost, step: str, bag: int | None = None) -> None:
        super().__init__()
        self.win = win
        self.model = win.model  # what the page reads; the host is what it asks
        self.step_name = step
        self.bag = bag
        self.form = cast(FormT, self.form_class.load())  # the subscript's class
        self.column = layout = QVBoxLayout(self)  # message lines on top, then the form
        layout.setContentsMargins(0, 0, 0, 0)
        # At the top, never scrolled away: what the previous step recorded (once the window
        # moved on by itself) and why the last action was refused. Both keep a fixed height,
        # empty or not, so nothing below them moves when a message appears. Each has the
        # page's width: side by side, the note wrapped in 2/5 of it (issue 25).
        self.doneLabel = FittedLabel()
        self.doneLabel.setObjectName("doneLabel")
        self.doneLabel.setAccessibleName("What was just recorded")
        self.doneLabel.setTextFormat(Qt.TextFormat.PlainText)
        self.doneLabel.setWordWrap(True)
        message = self.form.messageLabel
        box_layout(self.form.widget).removeWidget(message)
        top = QVBoxLayout()
        top.setSpacing(0)  # the note's line has its own leading
        for label, height in ((self.doneLabel, DONE_PX), (message, MESSAGE_PX)):
            label.setFixedHeight(height)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            top.addWidget(label)
        layout.addLayout(top)
        layout.addWidget(scrolling(self.form.widget))
        self.actionBar = pin_rows(self.form.widget, [getattr(self.form, name)
                                                     for name in self.primary])
        if self.actionBar is not None:
            layout.addLayout(self.actionBar)
        layout.addStretch(1)  # the room a large screen has to spare: below the buttons
        self.setAccessibleName(step_title(step, bag, None))
        self._repainted_for: Outcome | None = None  # the command _changed last repainted for
        self.model.changed.connect(self._changed)
        self.setup()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """The form class is the one in the subscript (`StepPage[ThawForm]`): named once."""
        super().__init_subclass__(**kwargs)
        for base in cls.__dict__.get("__orig_bases__", ()):
            for arg in get_args(base):
                if isinstance(arg, type) and issubclass(arg, StepForm):
                    cls.form_class = arg

    @property
    def number(self) -> int:
        """The bag of a per-bag page (the window builds each with its bag)."""
        if self.bag is None:
            raise RuntimeError(f"{type(self).__name__} for {self.step_name} has no bag")
        return self.bag

    def _changed(self, outcome: Outcome) -> None:
        """Session.changed: the page on screen repaints from the engine after every command."""
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            self._repainted_for = outcome
            self.refresh()
            self.completeChanged.emit()

    # ---------------------------------------------------------------- what subclasses fill in
    def setup(self) -> None:
        """Connect the form's buttons."""

    def refresh(self) -> None:
        """Show the state as the engine now has it."""

    # ---------------------------------------------------------------- asking the engine
    def initializePage(self) -> None:
        state = self.model.state
        count = len(state.order.bags) if state.order else None
        self.setTitle(step_title(self.step_name, self.bag, count))
        self.show_instructions()
        self.form.messageLabel.setText("")
        self.doneLabel.setText(self.win.take_done_note())
        self.refresh()

    def here(self) -> bool:
        step = self.model.step()
        return step.name in (self.steps or (self.step_name,)) and step.bag == self.bag

    def isComplete(self) -> bool:
        return not self.here()

    def validatePage(self) -> bool:
        return not self.here()

    def nextId(self) -> int:
        return self.win.page_id_for(self.model.step())

    # ---------------------------------------------------------------- helpers
    def show_instructions(self) -> None:
        form = self.form
        if not isinstance(form, PageForm) or not self.instruction_steps:
            return
        profile = self.model.profile
        enforce: list[str] = []
        remind: list[str] = []
        for step in self.instruction_steps:
            enforce += [i.text for i in profile.instructions_for(step, "enforce")]
            remind += [i.text for i in profile.instructions_for(step, "remind")]
        form.instructionLabel.setText("\n".join(enforce))
        form.instructionLabel.setVisible(bool(enforce))
        form.remindersLabel.setText("\n".join(f"• {t}" for t in remind))
        form.remindersLabel.setVisible(bool(remind))

    def submit(self, name: str, args: dict[str, Any] | None = None) -> Result:
        """Send a command; show the engine's answer on this page. A limit passed opens the
        deviation dialog and, once signed, sends the same command again with it."""
        result = self.win.run(name, args)
        self.show_result(result)
        return result

    def show_result(self, result: Result) -> None:
        if result.storage_error is not None:
            self.form.messageLabel.setText(
                f"NOT RECORDED — this step is not done.\n{result.storage_error}")
        elif result.rejection is not None:
            self.form.messageLabel.setText(refusal_text(result.rejection))
        else:
            self.form.messageLabel.setText("")
        # Session.changed has repainted this page already when it was on screen as the engine
        # answered: a second completeChanged would move the keyboard focus again (window.py).
        # Not recorded (no outcome), or not repainted then (not on screen yet): repaint here.
        if result.outcome is None or result.outcome is not self._repainted_for:
            self.refresh()
            self.completeChanged.emit()






def add_correction_button(page: StepPage[Any]) -> QPushButton:
    """A way to the flush correction from the pages that follow a flush."""
    button = QPushButton("&Correct a recorded flush volume…")
    button.setAccessibleName("Correct a recorded flush volume")
    button.setMinimumHeight(48)
    button.clicked.connect(page.win.correct_flush)
    row = QHBoxLayout()
    row.setContentsMargins(9, 4, 9, 0)  # the form's side margins, as the pinned rows'
    row.addWidget(button)
    row.addStretch(1)
    # below the page's scroll area, with its pinned rows (before the spare room at the end):
    # in view on a 768-line screen
    page.column.insertLayout(page.column.count() - 1, row)
    return button

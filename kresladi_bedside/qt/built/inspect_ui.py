# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'inspect.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QComboBox, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_InspectPage(object):
    def setupUi(self, InspectPage):
        if not InspectPage.objectName():
            InspectPage.setObjectName(u"InspectPage")
        self.InspectPageLayout = QVBoxLayout(InspectPage)
        self.InspectPageLayout.setObjectName(u"InspectPageLayout")
        self.instructionLabel = QLabel(InspectPage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.InspectPageLayout.addWidget(self.instructionLabel)

        self.remindersLabel = QLabel(InspectPage)
        self.remindersLabel.setObjectName(u"remindersLabel")
        self.remindersLabel.setTextFormat(Qt.PlainText)
        self.remindersLabel.setWordWrap(True)

        self.InspectPageLayout.addWidget(self.remindersLabel)

        self.row26 = QHBoxLayout()
        self.row26.setObjectName(u"row26")
        self.methodCaption = QLabel(InspectPage)
        self.methodCaption.setObjectName(u"methodCaption")
        self.methodCaption.setTextFormat(Qt.PlainText)

        self.row26.addWidget(self.methodCaption)

        self.methodCombo = QComboBox(InspectPage)
        self.methodCombo.setObjectName(u"methodCombo")
        self.methodCombo.setMinimumSize(QSize(220, 48))

        self.row26.addWidget(self.methodCombo)

        self.thawButton = QPushButton(InspectPage)
        self.thawButton.setObjectName(u"thawButton")
        self.thawButton.setMinimumSize(QSize(160, 48))

        self.row26.addWidget(self.thawButton)

        self.spacer26 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row26.addItem(self.spacer26)


        self.InspectPageLayout.addLayout(self.row26)

        self.row27 = QHBoxLayout()
        self.row27.setObjectName(u"row27")
        self.noteEdit = QLineEdit(InspectPage)
        self.noteEdit.setObjectName(u"noteEdit")
        self.noteEdit.setMinimumSize(QSize(0, 48))

        self.row27.addWidget(self.noteEdit)

        self.intactButton = QPushButton(InspectPage)
        self.intactButton.setObjectName(u"intactButton")
        self.intactButton.setMinimumSize(QSize(160, 48))

        self.row27.addWidget(self.intactButton)

        self.compromisedButton = QPushButton(InspectPage)
        self.compromisedButton.setObjectName(u"compromisedButton")
        self.compromisedButton.setMinimumSize(QSize(160, 48))

        self.row27.addWidget(self.compromisedButton)


        self.InspectPageLayout.addLayout(self.row27)

        self.messageLabel = QLabel(InspectPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.InspectPageLayout.addWidget(self.messageLabel)

        self.spacer28 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.InspectPageLayout.addItem(self.spacer28)


        self.retranslateUi(InspectPage)

        QMetaObject.connectSlotsByName(InspectPage)
    # setupUi

    def retranslateUi(self, InspectPage):
#if QT_CONFIG(accessibility)
        InspectPage.setAccessibleName(QCoreApplication.translate("InspectPage", u"InspectPage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("InspectPage", u"Instructions for this step", None))
#endif // QT_CONFIG(accessibility)
        self.remindersLabel.setText("")
#if QT_CONFIG(accessibility)
        self.remindersLabel.setAccessibleName(QCoreApplication.translate("InspectPage", u"Reminders from the prescribing information", None))
#endif // QT_CONFIG(accessibility)
        self.methodCaption.setText(QCoreApplication.translate("InspectPage", u"Thaw method:", None))
#if QT_CONFIG(accessibility)
        self.methodCaption.setAccessibleName(QCoreApplication.translate("InspectPage", u"Thaw method caption", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.methodCombo.setAccessibleName(QCoreApplication.translate("InspectPage", u"Thaw method", None))
#endif // QT_CONFIG(accessibility)
        self.thawButton.setText(QCoreApplication.translate("InspectPage", u"Intact \u2014 &START THAW (timer starts)", None))
#if QT_CONFIG(accessibility)
        self.thawButton.setAccessibleName(QCoreApplication.translate("InspectPage", u"Bag intact, start the thaw now", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.noteEdit.setAccessibleName(QCoreApplication.translate("InspectPage", u"Inspection note", None))
#endif // QT_CONFIG(accessibility)
        self.noteEdit.setPlaceholderText(QCoreApplication.translate("InspectPage", u"Note (what you saw)", None))
        self.intactButton.setText(QCoreApplication.translate("InspectPage", u"Bag is &intact (thaw later)", None))
#if QT_CONFIG(accessibility)
        self.intactButton.setAccessibleName(QCoreApplication.translate("InspectPage", u"Bag is intact, no breaks or cracks", None))
#endif // QT_CONFIG(accessibility)
        self.compromisedButton.setText(QCoreApplication.translate("InspectPage", u"Bag is &damaged", None))
#if QT_CONFIG(accessibility)
        self.compromisedButton.setAccessibleName(QCoreApplication.translate("InspectPage", u"Bag is damaged: breaks or cracks", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("InspectPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


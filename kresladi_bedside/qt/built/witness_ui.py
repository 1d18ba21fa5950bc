# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'witness.ui'
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
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_WitnessForm(object):
    def setupUi(self, WitnessForm):
        if not WitnessForm.objectName():
            WitnessForm.setObjectName(u"WitnessForm")
        self.WitnessFormLayout = QVBoxLayout(WitnessForm)
        self.WitnessFormLayout.setObjectName(u"WitnessFormLayout")
        self.whatLabel = QLabel(WitnessForm)
        self.whatLabel.setObjectName(u"whatLabel")
        self.whatLabel.setTextFormat(Qt.PlainText)
        self.whatLabel.setWordWrap(True)

        self.WitnessFormLayout.addWidget(self.whatLabel)

        self.instructionLabel = QLabel(WitnessForm)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.WitnessFormLayout.addWidget(self.instructionLabel)

        self.badgeEdit = QLineEdit(WitnessForm)
        self.badgeEdit.setObjectName(u"badgeEdit")
        self.badgeEdit.setMinimumSize(QSize(0, 48))

        self.WitnessFormLayout.addWidget(self.badgeEdit)

        self.pinEdit = QLineEdit(WitnessForm)
        self.pinEdit.setObjectName(u"pinEdit")
        self.pinEdit.setMinimumSize(QSize(0, 48))
        self.pinEdit.setEchoMode(QLineEdit.Password)

        self.WitnessFormLayout.addWidget(self.pinEdit)

        self.rowWitness = QHBoxLayout()
        self.rowWitness.setObjectName(u"rowWitness")
        self.spacerWitness = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.rowWitness.addItem(self.spacerWitness)

        self.cancelButton = QPushButton(WitnessForm)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setMinimumSize(QSize(160, 48))

        self.rowWitness.addWidget(self.cancelButton)

        self.signButton = QPushButton(WitnessForm)
        self.signButton.setObjectName(u"signButton")
        self.signButton.setMinimumSize(QSize(160, 48))

        self.rowWitness.addWidget(self.signButton)


        self.WitnessFormLayout.addLayout(self.rowWitness)

        self.messageLabel = QLabel(WitnessForm)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.WitnessFormLayout.addWidget(self.messageLabel)


        self.retranslateUi(WitnessForm)

        QMetaObject.connectSlotsByName(WitnessForm)
    # setupUi

    def retranslateUi(self, WitnessForm):
#if QT_CONFIG(accessibility)
        WitnessForm.setAccessibleName(QCoreApplication.translate("WitnessForm", u"WitnessForm", None))
#endif // QT_CONFIG(accessibility)
        self.whatLabel.setText("")
#if QT_CONFIG(accessibility)
        self.whatLabel.setAccessibleName(QCoreApplication.translate("WitnessForm", u"What is witnessed", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText(QCoreApplication.translate("WitnessForm", u"A second person watches this step and signs for it with their OWN badge and PIN. The nurse doing the step cannot witness it.", None))
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("WitnessForm", u"Witness instructions", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.badgeEdit.setAccessibleName(QCoreApplication.translate("WitnessForm", u"Witness badge", None))
#endif // QT_CONFIG(accessibility)
        self.badgeEdit.setPlaceholderText(QCoreApplication.translate("WitnessForm", u"Witness: scan your badge", None))
#if QT_CONFIG(accessibility)
        self.pinEdit.setAccessibleName(QCoreApplication.translate("WitnessForm", u"Witness PIN", None))
#endif // QT_CONFIG(accessibility)
        self.pinEdit.setPlaceholderText(QCoreApplication.translate("WitnessForm", u"Witness: PIN", None))
        self.cancelButton.setText(QCoreApplication.translate("WitnessForm", u"Cancel", None))
#if QT_CONFIG(accessibility)
        self.cancelButton.setAccessibleName(QCoreApplication.translate("WitnessForm", u"Cancel", None))
#endif // QT_CONFIG(accessibility)
        self.signButton.setText(QCoreApplication.translate("WitnessForm", u"Witness signs", None))
#if QT_CONFIG(accessibility)
        self.signButton.setAccessibleName(QCoreApplication.translate("WitnessForm", u"Witness signs", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("WitnessForm", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'receipt_verify.ui'
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
from PySide6.QtWidgets import (QApplication, QGridLayout, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QSpacerItem,
    QSpinBox, QVBoxLayout, QWidget)

class Ui_ReceiptVerifyForm(object):
    def setupUi(self, ReceiptVerifyForm):
        if not ReceiptVerifyForm.objectName():
            ReceiptVerifyForm.setObjectName(u"ReceiptVerifyForm")
        self.ReceiptVerifyFormLayout = QVBoxLayout(ReceiptVerifyForm)
        self.ReceiptVerifyFormLayout.setObjectName(u"ReceiptVerifyFormLayout")
        self.whatLabel = QLabel(ReceiptVerifyForm)
        self.whatLabel.setObjectName(u"whatLabel")
        self.whatLabel.setTextFormat(Qt.PlainText)
        self.whatLabel.setWordWrap(True)

        self.ReceiptVerifyFormLayout.addWidget(self.whatLabel)

        self.instructionLabel = QLabel(ReceiptVerifyForm)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.ReceiptVerifyFormLayout.addWidget(self.instructionLabel)

        self.f34 = QGridLayout()
        self.f34.setObjectName(u"f34")
        self.vmrnLabel = QLabel(ReceiptVerifyForm)
        self.vmrnLabel.setObjectName(u"vmrnLabel")
        self.vmrnLabel.setTextFormat(Qt.PlainText)
        self.vmrnLabel.setWordWrap(False)

        self.f34.addWidget(self.vmrnLabel, 0, 0, 1, 1)

        self.sheetMrnEdit = QLineEdit(ReceiptVerifyForm)
        self.sheetMrnEdit.setObjectName(u"sheetMrnEdit")
        self.sheetMrnEdit.setMinimumSize(QSize(0, 40))

        self.f34.addWidget(self.sheetMrnEdit, 0, 1, 1, 1)

        self.vnameLabel = QLabel(ReceiptVerifyForm)
        self.vnameLabel.setObjectName(u"vnameLabel")
        self.vnameLabel.setTextFormat(Qt.PlainText)
        self.vnameLabel.setWordWrap(False)

        self.f34.addWidget(self.vnameLabel, 0, 2, 1, 1)

        self.nameEdit = QLineEdit(ReceiptVerifyForm)
        self.nameEdit.setObjectName(u"nameEdit")
        self.nameEdit.setMinimumSize(QSize(0, 40))

        self.f34.addWidget(self.nameEdit, 0, 3, 1, 1)

        self.vdobLabel = QLabel(ReceiptVerifyForm)
        self.vdobLabel.setObjectName(u"vdobLabel")
        self.vdobLabel.setTextFormat(Qt.PlainText)
        self.vdobLabel.setWordWrap(False)

        self.f34.addWidget(self.vdobLabel, 1, 0, 1, 1)

        self.dobEdit = QLineEdit(ReceiptVerifyForm)
        self.dobEdit.setObjectName(u"dobEdit")
        self.dobEdit.setMinimumSize(QSize(0, 40))

        self.f34.addWidget(self.dobEdit, 1, 1, 1, 1)

        self.vcoiLabel = QLabel(ReceiptVerifyForm)
        self.vcoiLabel.setObjectName(u"vcoiLabel")
        self.vcoiLabel.setTextFormat(Qt.PlainText)
        self.vcoiLabel.setWordWrap(False)

        self.f34.addWidget(self.vcoiLabel, 1, 2, 1, 1)

        self.coiEdit = QLineEdit(ReceiptVerifyForm)
        self.coiEdit.setObjectName(u"coiEdit")
        self.coiEdit.setMinimumSize(QSize(0, 40))

        self.f34.addWidget(self.coiEdit, 1, 3, 1, 1)

        self.vpatientIdLabel = QLabel(ReceiptVerifyForm)
        self.vpatientIdLabel.setObjectName(u"vpatientIdLabel")
        self.vpatientIdLabel.setTextFormat(Qt.PlainText)
        self.vpatientIdLabel.setWordWrap(False)

        self.f34.addWidget(self.vpatientIdLabel, 2, 0, 1, 1)

        self.patientIdEdit = QLineEdit(ReceiptVerifyForm)
        self.patientIdEdit.setObjectName(u"patientIdEdit")
        self.patientIdEdit.setMinimumSize(QSize(0, 40))

        self.f34.addWidget(self.patientIdEdit, 2, 1, 1, 1)

        self.vweightLabel = QLabel(ReceiptVerifyForm)
        self.vweightLabel.setObjectName(u"vweightLabel")
        self.vweightLabel.setTextFormat(Qt.PlainText)
        self.vweightLabel.setWordWrap(False)

        self.f34.addWidget(self.vweightLabel, 2, 2, 1, 1)

        self.weightEdit = QLineEdit(ReceiptVerifyForm)
        self.weightEdit.setObjectName(u"weightEdit")
        self.weightEdit.setMinimumSize(QSize(0, 40))

        self.f34.addWidget(self.weightEdit, 2, 3, 1, 1)

        self.vcountLabel = QLabel(ReceiptVerifyForm)
        self.vcountLabel.setObjectName(u"vcountLabel")
        self.vcountLabel.setTextFormat(Qt.PlainText)
        self.vcountLabel.setWordWrap(False)

        self.f34.addWidget(self.vcountLabel, 3, 0, 1, 1)

        self.countSpin = QSpinBox(ReceiptVerifyForm)
        self.countSpin.setObjectName(u"countSpin")
        self.countSpin.setMinimumSize(QSize(120, 40))
        self.countSpin.setMinimum(0)
        self.countSpin.setMaximum(9)

        self.f34.addWidget(self.countSpin, 3, 1, 1, 1)

        self.bag1Label = QLabel(ReceiptVerifyForm)
        self.bag1Label.setObjectName(u"bag1Label")
        self.bag1Label.setTextFormat(Qt.PlainText)
        self.bag1Label.setWordWrap(False)

        self.f34.addWidget(self.bag1Label, 4, 0, 1, 2)

        self.h32 = QHBoxLayout()
        self.h32.setObjectName(u"h32")
        self.bag1CellsEdit = QLineEdit(ReceiptVerifyForm)
        self.bag1CellsEdit.setObjectName(u"bag1CellsEdit")
        self.bag1CellsEdit.setMinimumSize(QSize(0, 40))

        self.h32.addWidget(self.bag1CellsEdit)

        self.bag1VolumeEdit = QLineEdit(ReceiptVerifyForm)
        self.bag1VolumeEdit.setObjectName(u"bag1VolumeEdit")
        self.bag1VolumeEdit.setMinimumSize(QSize(0, 40))

        self.h32.addWidget(self.bag1VolumeEdit)


        self.f34.addLayout(self.h32, 4, 2, 1, 2)

        self.bag2Label = QLabel(ReceiptVerifyForm)
        self.bag2Label.setObjectName(u"bag2Label")
        self.bag2Label.setTextFormat(Qt.PlainText)
        self.bag2Label.setWordWrap(False)

        self.f34.addWidget(self.bag2Label, 5, 0, 1, 2)

        self.h33 = QHBoxLayout()
        self.h33.setObjectName(u"h33")
        self.bag2CellsEdit = QLineEdit(ReceiptVerifyForm)
        self.bag2CellsEdit.setObjectName(u"bag2CellsEdit")
        self.bag2CellsEdit.setMinimumSize(QSize(0, 40))

        self.h33.addWidget(self.bag2CellsEdit)

        self.bag2VolumeEdit = QLineEdit(ReceiptVerifyForm)
        self.bag2VolumeEdit.setObjectName(u"bag2VolumeEdit")
        self.bag2VolumeEdit.setMinimumSize(QSize(0, 40))

        self.h33.addWidget(self.bag2VolumeEdit)


        self.f34.addLayout(self.h33, 5, 2, 1, 2)


        self.ReceiptVerifyFormLayout.addLayout(self.f34)

        self.badgeEdit = QLineEdit(ReceiptVerifyForm)
        self.badgeEdit.setObjectName(u"badgeEdit")
        self.badgeEdit.setMinimumSize(QSize(0, 40))

        self.ReceiptVerifyFormLayout.addWidget(self.badgeEdit)

        self.pinEdit = QLineEdit(ReceiptVerifyForm)
        self.pinEdit.setObjectName(u"pinEdit")
        self.pinEdit.setMinimumSize(QSize(0, 40))
        self.pinEdit.setEchoMode(QLineEdit.Password)

        self.ReceiptVerifyFormLayout.addWidget(self.pinEdit)

        self.h36 = QHBoxLayout()
        self.h36.setObjectName(u"h36")
        self.s35 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.h36.addItem(self.s35)

        self.cancelButton = QPushButton(ReceiptVerifyForm)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setMinimumSize(QSize(180, 44))

        self.h36.addWidget(self.cancelButton)

        self.signButton = QPushButton(ReceiptVerifyForm)
        self.signButton.setObjectName(u"signButton")
        self.signButton.setMinimumSize(QSize(180, 44))

        self.h36.addWidget(self.signButton)


        self.ReceiptVerifyFormLayout.addLayout(self.h36)

        self.messageLabel = QLabel(ReceiptVerifyForm)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.ReceiptVerifyFormLayout.addWidget(self.messageLabel)


        self.retranslateUi(ReceiptVerifyForm)

        QMetaObject.connectSlotsByName(ReceiptVerifyForm)
    # setupUi

    def retranslateUi(self, ReceiptVerifyForm):
#if QT_CONFIG(accessibility)
        ReceiptVerifyForm.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"ReceiptVerifyForm", None))
#endif // QT_CONFIG(accessibility)
        self.whatLabel.setText("")
#if QT_CONFIG(accessibility)
        self.whatLabel.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"What is verified", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText(QCoreApplication.translate("ReceiptVerifyForm", u"Second person: read the PAPER Lot Information Sheet and type its values. You do not see the first entry. Then sign with your own badge and PIN.", None))
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Verifier instructions", None))
#endif // QT_CONFIG(accessibility)
        self.vmrnLabel.setText(QCoreApplication.translate("ReceiptVerifyForm", u"MRN on the sheet", None))
#if QT_CONFIG(accessibility)
        self.vmrnLabel.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"MRN label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.sheetMrnEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"MRN on the sheet", None))
#endif // QT_CONFIG(accessibility)
        self.sheetMrnEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"as printed on the Lot Information Sheet", None))
        self.vnameLabel.setText(QCoreApplication.translate("ReceiptVerifyForm", u"Patient name on the sheet", None))
#if QT_CONFIG(accessibility)
        self.vnameLabel.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Name label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.nameEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Patient name on the sheet", None))
#endif // QT_CONFIG(accessibility)
        self.nameEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"LAST, FIRST as printed", None))
        self.vdobLabel.setText(QCoreApplication.translate("ReceiptVerifyForm", u"Date of birth on the sheet", None))
#if QT_CONFIG(accessibility)
        self.vdobLabel.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Date of birth label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.dobEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Date of birth on the sheet", None))
#endif // QT_CONFIG(accessibility)
        self.dobEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"YYYY-MM-DD or YYYYMMDD", None))
        self.vcoiLabel.setText(QCoreApplication.translate("ReceiptVerifyForm", u"Chain-of-identity number on the sheet", None))
#if QT_CONFIG(accessibility)
        self.vcoiLabel.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Chain-of-identity number on the sheet label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.coiEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Chain-of-identity number on the sheet", None))
#endif // QT_CONFIG(accessibility)
        self.coiEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"as printed on the Lot Information Sheet", None))
        self.vpatientIdLabel.setText(QCoreApplication.translate("ReceiptVerifyForm", u"Patient ID on the sheet", None))
#if QT_CONFIG(accessibility)
        self.vpatientIdLabel.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Patient ID on the sheet label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.patientIdEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Patient ID on the sheet", None))
#endif // QT_CONFIG(accessibility)
        self.patientIdEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"as printed on the Lot Information Sheet", None))
        self.vweightLabel.setText(QCoreApplication.translate("ReceiptVerifyForm", u"Weight before the first apheresis (kg)", None))
#if QT_CONFIG(accessibility)
        self.vweightLabel.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Weight label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.weightEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Weight before the first apheresis in kg", None))
#endif // QT_CONFIG(accessibility)
        self.weightEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"kg, as printed on the sheet", None))
        self.vcountLabel.setText(QCoreApplication.translate("ReceiptVerifyForm", u"Number of bags the sheet lists", None))
#if QT_CONFIG(accessibility)
        self.vcountLabel.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Bag count label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.countSpin.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Number of bags the sheet lists", None))
#endif // QT_CONFIG(accessibility)
        self.bag1Label.setText(QCoreApplication.translate("ReceiptVerifyForm", u"Bag 1", None))
#if QT_CONFIG(accessibility)
        self.bag1Label.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Bag 1", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.bag1CellsEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Bag 1 CD34+ cells per kg, times ten to the sixth", None))
#endif // QT_CONFIG(accessibility)
        self.bag1CellsEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"CD34+ \u00d7 10\u2076/kg as printed", None))
#if QT_CONFIG(accessibility)
        self.bag1VolumeEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Bag 1 volume in mL", None))
#endif // QT_CONFIG(accessibility)
        self.bag1VolumeEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"volume mL", None))
        self.bag2Label.setText(QCoreApplication.translate("ReceiptVerifyForm", u"Bag 2", None))
#if QT_CONFIG(accessibility)
        self.bag2Label.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Bag 2", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.bag2CellsEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Bag 2 CD34+ cells per kg, times ten to the sixth", None))
#endif // QT_CONFIG(accessibility)
        self.bag2CellsEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"CD34+ \u00d7 10\u2076/kg as printed", None))
#if QT_CONFIG(accessibility)
        self.bag2VolumeEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Bag 2 volume in mL", None))
#endif // QT_CONFIG(accessibility)
        self.bag2VolumeEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"volume mL", None))
#if QT_CONFIG(accessibility)
        self.badgeEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Verifier badge", None))
#endif // QT_CONFIG(accessibility)
        self.badgeEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"Verifier: scan your badge", None))
#if QT_CONFIG(accessibility)
        self.pinEdit.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Verifier PIN", None))
#endif // QT_CONFIG(accessibility)
        self.pinEdit.setPlaceholderText(QCoreApplication.translate("ReceiptVerifyForm", u"Verifier: PIN", None))
        self.cancelButton.setText(QCoreApplication.translate("ReceiptVerifyForm", u"Cancel", None))
#if QT_CONFIG(accessibility)
        self.cancelButton.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Cancel", None))
#endif // QT_CONFIG(accessibility)
        self.signButton.setText(QCoreApplication.translate("ReceiptVerifyForm", u"Verify and sign", None))
#if QT_CONFIG(accessibility)
        self.signButton.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Verify and sign", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("ReceiptVerifyForm", u"Message", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


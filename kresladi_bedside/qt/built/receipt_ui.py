# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'receipt.ui'
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
from PySide6.QtWidgets import (QApplication, QCheckBox, QDoubleSpinBox, QFormLayout,
    QGridLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QSpacerItem,
    QSpinBox, QStackedWidget, QVBoxLayout, QWidget)

class Ui_ReceiptForm(object):
    def setupUi(self, ReceiptForm):
        if not ReceiptForm.objectName():
            ReceiptForm.setObjectName(u"ReceiptForm")
        self.ReceiptFormLayout = QVBoxLayout(ReceiptForm)
        self.ReceiptFormLayout.setObjectName(u"ReceiptFormLayout")
        self.headingLabel = QLabel(ReceiptForm)
        self.headingLabel.setObjectName(u"headingLabel")
        self.headingLabel.setTextFormat(Qt.PlainText)
        self.headingLabel.setWordWrap(True)

        self.ReceiptFormLayout.addWidget(self.headingLabel)

        self.patientLabel = QLabel(ReceiptForm)
        self.patientLabel.setObjectName(u"patientLabel")
        self.patientLabel.setTextFormat(Qt.PlainText)
        self.patientLabel.setWordWrap(True)

        self.ReceiptFormLayout.addWidget(self.patientLabel)

        self.instructionLabel = QLabel(ReceiptForm)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.ReceiptFormLayout.addWidget(self.instructionLabel)

        self.progressLabel = QLabel(ReceiptForm)
        self.progressLabel.setObjectName(u"progressLabel")
        self.progressLabel.setTextFormat(Qt.PlainText)
        self.progressLabel.setWordWrap(True)

        self.ReceiptFormLayout.addWidget(self.progressLabel)

        self.h2 = QHBoxLayout()
        self.h2.setObjectName(u"h2")
        self.scanResultLabel = QLabel(ReceiptForm)
        self.scanResultLabel.setObjectName(u"scanResultLabel")
        self.scanResultLabel.setTextFormat(Qt.PlainText)
        self.scanResultLabel.setWordWrap(True)

        self.h2.addWidget(self.scanResultLabel)

        self.typedButton = QPushButton(ReceiptForm)
        self.typedButton.setObjectName(u"typedButton")
        self.typedButton.setMinimumSize(QSize(180, 44))

        self.h2.addWidget(self.typedButton)

        self.h2.setStretch(0, 1)

        self.ReceiptFormLayout.addLayout(self.h2)

        self.stepStack = QStackedWidget(ReceiptForm)
        self.stepStack.setObjectName(u"stepStack")
        self.patientPage = QWidget()
        self.patientPage.setObjectName(u"patientPage")
        self.v5 = QVBoxLayout(self.patientPage)
        self.v5.setObjectName(u"v5")
        self.h3 = QHBoxLayout()
        self.h3.setObjectName(u"h3")
        self.mrnEdit = QLineEdit(self.patientPage)
        self.mrnEdit.setObjectName(u"mrnEdit")
        self.mrnEdit.setMinimumSize(QSize(0, 40))

        self.h3.addWidget(self.mrnEdit)

        self.lookupButton = QPushButton(self.patientPage)
        self.lookupButton.setObjectName(u"lookupButton")
        self.lookupButton.setMinimumSize(QSize(180, 44))

        self.h3.addWidget(self.lookupButton)


        self.v5.addLayout(self.h3)

        self.s4 = QSpacerItem(10, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.v5.addItem(self.s4)

        self.stepStack.addWidget(self.patientPage)
        self.labelsPage = QWidget()
        self.labelsPage.setObjectName(u"labelsPage")
        self.v7 = QVBoxLayout(self.labelsPage)
        self.v7.setObjectName(u"v7")
        self.s6 = QSpacerItem(10, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.v7.addItem(self.s6)

        self.stepStack.addWidget(self.labelsPage)
        self.storagePage = QWidget()
        self.storagePage.setObjectName(u"storagePage")
        self.v12 = QVBoxLayout(self.storagePage)
        self.v12.setObjectName(u"v12")
        self.f8 = QFormLayout()
        self.f8.setObjectName(u"f8")
        self.storageTempLabel = QLabel(self.storagePage)
        self.storageTempLabel.setObjectName(u"storageTempLabel")
        self.storageTempLabel.setTextFormat(Qt.PlainText)
        self.storageTempLabel.setWordWrap(False)

        self.f8.setWidget(0, QFormLayout.ItemRole.LabelRole, self.storageTempLabel)

        self.storageSpin = QDoubleSpinBox(self.storagePage)
        self.storageSpin.setObjectName(u"storageSpin")
        self.storageSpin.setMinimumSize(QSize(220, 40))
        self.storageSpin.setDecimals(1)
        self.storageSpin.setMinimum(-274.000000000000000)
        self.storageSpin.setMaximum(60.000000000000000)

        self.f8.setWidget(0, QFormLayout.ItemRole.FieldRole, self.storageSpin)

        self.locationLabel = QLabel(self.storagePage)
        self.locationLabel.setObjectName(u"locationLabel")
        self.locationLabel.setTextFormat(Qt.PlainText)
        self.locationLabel.setWordWrap(False)

        self.f8.setWidget(1, QFormLayout.ItemRole.LabelRole, self.locationLabel)

        self.locationEdit = QLineEdit(self.storagePage)
        self.locationEdit.setObjectName(u"locationEdit")
        self.locationEdit.setMinimumSize(QSize(0, 40))

        self.f8.setWidget(1, QFormLayout.ItemRole.FieldRole, self.locationEdit)


        self.v12.addLayout(self.f8)

        self.cassetteCheck = QCheckBox(self.storagePage)
        self.cassetteCheck.setObjectName(u"cassetteCheck")

        self.v12.addWidget(self.cassetteCheck)

        self.h10 = QHBoxLayout()
        self.h10.setObjectName(u"h10")
        self.s9 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.h10.addItem(self.s9)

        self.storageButton = QPushButton(self.storagePage)
        self.storageButton.setObjectName(u"storageButton")
        self.storageButton.setMinimumSize(QSize(180, 44))

        self.h10.addWidget(self.storageButton)


        self.v12.addLayout(self.h10)

        self.s11 = QSpacerItem(10, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.v12.addItem(self.s11)

        self.stepStack.addWidget(self.storagePage)
        self.sheetPage = QWidget()
        self.sheetPage.setObjectName(u"sheetPage")
        self.v18 = QVBoxLayout(self.sheetPage)
        self.v18.setObjectName(u"v18")
        self.f15 = QGridLayout()
        self.f15.setObjectName(u"f15")
        self.mrnLabel = QLabel(self.sheetPage)
        self.mrnLabel.setObjectName(u"mrnLabel")
        self.mrnLabel.setTextFormat(Qt.PlainText)
        self.mrnLabel.setWordWrap(False)

        self.f15.addWidget(self.mrnLabel, 0, 0, 1, 1)

        self.sheetMrnEdit = QLineEdit(self.sheetPage)
        self.sheetMrnEdit.setObjectName(u"sheetMrnEdit")
        self.sheetMrnEdit.setMinimumSize(QSize(0, 40))

        self.f15.addWidget(self.sheetMrnEdit, 0, 1, 1, 1)

        self.nameLabel = QLabel(self.sheetPage)
        self.nameLabel.setObjectName(u"nameLabel")
        self.nameLabel.setTextFormat(Qt.PlainText)
        self.nameLabel.setWordWrap(False)

        self.f15.addWidget(self.nameLabel, 0, 2, 1, 1)

        self.nameEdit = QLineEdit(self.sheetPage)
        self.nameEdit.setObjectName(u"nameEdit")
        self.nameEdit.setMinimumSize(QSize(0, 40))

        self.f15.addWidget(self.nameEdit, 0, 3, 1, 1)

        self.dobLabel = QLabel(self.sheetPage)
        self.dobLabel.setObjectName(u"dobLabel")
        self.dobLabel.setTextFormat(Qt.PlainText)
        self.dobLabel.setWordWrap(False)

        self.f15.addWidget(self.dobLabel, 1, 0, 1, 1)

        self.dobEdit = QLineEdit(self.sheetPage)
        self.dobEdit.setObjectName(u"dobEdit")
        self.dobEdit.setMinimumSize(QSize(0, 40))

        self.f15.addWidget(self.dobEdit, 1, 1, 1, 1)

        self.coiLabel = QLabel(self.sheetPage)
        self.coiLabel.setObjectName(u"coiLabel")
        self.coiLabel.setTextFormat(Qt.PlainText)
        self.coiLabel.setWordWrap(False)

        self.f15.addWidget(self.coiLabel, 1, 2, 1, 1)

        self.coiEdit = QLineEdit(self.sheetPage)
        self.coiEdit.setObjectName(u"coiEdit")
        self.coiEdit.setMinimumSize(QSize(0, 40))

        self.f15.addWidget(self.coiEdit, 1, 3, 1, 1)

        self.patientIdLabel = QLabel(self.sheetPage)
        self.patientIdLabel.setObjectName(u"patientIdLabel")
        self.patientIdLabel.setTextFormat(Qt.PlainText)
        self.patientIdLabel.setWordWrap(False)

        self.f15.addWidget(self.patientIdLabel, 2, 0, 1, 1)

        self.patientIdEdit = QLineEdit(self.sheetPage)
        self.patientIdEdit.setObjectName(u"patientIdEdit")
        self.patientIdEdit.setMinimumSize(QSize(0, 40))

        self.f15.addWidget(self.patientIdEdit, 2, 1, 1, 1)

        self.weightLabel = QLabel(self.sheetPage)
        self.weightLabel.setObjectName(u"weightLabel")
        self.weightLabel.setTextFormat(Qt.PlainText)
        self.weightLabel.setWordWrap(False)

        self.f15.addWidget(self.weightLabel, 2, 2, 1, 1)

        self.weightEdit = QLineEdit(self.sheetPage)
        self.weightEdit.setObjectName(u"weightEdit")
        self.weightEdit.setMinimumSize(QSize(0, 40))

        self.f15.addWidget(self.weightEdit, 2, 3, 1, 1)

        self.countLabel = QLabel(self.sheetPage)
        self.countLabel.setObjectName(u"countLabel")
        self.countLabel.setTextFormat(Qt.PlainText)
        self.countLabel.setWordWrap(False)

        self.f15.addWidget(self.countLabel, 3, 0, 1, 1)

        self.countSpin = QSpinBox(self.sheetPage)
        self.countSpin.setObjectName(u"countSpin")
        self.countSpin.setMinimumSize(QSize(120, 40))
        self.countSpin.setMinimum(0)
        self.countSpin.setMaximum(9)

        self.f15.addWidget(self.countSpin, 3, 1, 1, 1)

        self.bag1Label = QLabel(self.sheetPage)
        self.bag1Label.setObjectName(u"bag1Label")
        self.bag1Label.setTextFormat(Qt.PlainText)
        self.bag1Label.setWordWrap(False)

        self.f15.addWidget(self.bag1Label, 4, 0, 1, 2)

        self.h13 = QHBoxLayout()
        self.h13.setObjectName(u"h13")
        self.bag1CellsEdit = QLineEdit(self.sheetPage)
        self.bag1CellsEdit.setObjectName(u"bag1CellsEdit")
        self.bag1CellsEdit.setMinimumSize(QSize(0, 40))

        self.h13.addWidget(self.bag1CellsEdit)

        self.bag1VolumeEdit = QLineEdit(self.sheetPage)
        self.bag1VolumeEdit.setObjectName(u"bag1VolumeEdit")
        self.bag1VolumeEdit.setMinimumSize(QSize(0, 40))

        self.h13.addWidget(self.bag1VolumeEdit)


        self.f15.addLayout(self.h13, 4, 2, 1, 2)

        self.bag2Label = QLabel(self.sheetPage)
        self.bag2Label.setObjectName(u"bag2Label")
        self.bag2Label.setTextFormat(Qt.PlainText)
        self.bag2Label.setWordWrap(False)

        self.f15.addWidget(self.bag2Label, 5, 0, 1, 2)

        self.h14 = QHBoxLayout()
        self.h14.setObjectName(u"h14")
        self.bag2CellsEdit = QLineEdit(self.sheetPage)
        self.bag2CellsEdit.setObjectName(u"bag2CellsEdit")
        self.bag2CellsEdit.setMinimumSize(QSize(0, 40))

        self.h14.addWidget(self.bag2CellsEdit)

        self.bag2VolumeEdit = QLineEdit(self.sheetPage)
        self.bag2VolumeEdit.setObjectName(u"bag2VolumeEdit")
        self.bag2VolumeEdit.setMinimumSize(QSize(0, 40))

        self.h14.addWidget(self.bag2VolumeEdit)


        self.f15.addLayout(self.h14, 5, 2, 1, 2)


        self.v18.addLayout(self.f15)

        self.h17 = QHBoxLayout()
        self.h17.setObjectName(u"h17")
        self.s16 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.h17.addItem(self.s16)

        self.enterButton = QPushButton(self.sheetPage)
        self.enterButton.setObjectName(u"enterButton")
        self.enterButton.setMinimumSize(QSize(180, 44))

        self.h17.addWidget(self.enterButton)


        self.v18.addLayout(self.h17)

        self.stepStack.addWidget(self.sheetPage)
        self.verifyPage = QWidget()
        self.verifyPage.setObjectName(u"verifyPage")
        self.v22 = QVBoxLayout(self.verifyPage)
        self.v22.setObjectName(u"v22")
        self.typedLabel = QLabel(self.verifyPage)
        self.typedLabel.setObjectName(u"typedLabel")
        self.typedLabel.setTextFormat(Qt.PlainText)
        self.typedLabel.setWordWrap(True)

        self.v22.addWidget(self.typedLabel)

        self.h20 = QHBoxLayout()
        self.h20.setObjectName(u"h20")
        self.s19 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.h20.addItem(self.s19)

        self.verifyButton = QPushButton(self.verifyPage)
        self.verifyButton.setObjectName(u"verifyButton")
        self.verifyButton.setMinimumSize(QSize(180, 44))

        self.h20.addWidget(self.verifyButton)

        self.completeButton = QPushButton(self.verifyPage)
        self.completeButton.setObjectName(u"completeButton")
        self.completeButton.setMinimumSize(QSize(180, 44))

        self.h20.addWidget(self.completeButton)


        self.v22.addLayout(self.h20)

        self.s21 = QSpacerItem(10, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.v22.addItem(self.s21)

        self.stepStack.addWidget(self.verifyPage)
        self.donePage = QWidget()
        self.donePage.setObjectName(u"donePage")
        self.v26 = QVBoxLayout(self.donePage)
        self.v26.setObjectName(u"v26")
        self.doneLabel = QLabel(self.donePage)
        self.doneLabel.setObjectName(u"doneLabel")
        self.doneLabel.setTextFormat(Qt.PlainText)
        self.doneLabel.setWordWrap(True)

        self.v26.addWidget(self.doneLabel)

        self.h24 = QHBoxLayout()
        self.h24.setObjectName(u"h24")
        self.s23 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.h24.addItem(self.s23)

        self.sendButton = QPushButton(self.donePage)
        self.sendButton.setObjectName(u"sendButton")
        self.sendButton.setMinimumSize(QSize(180, 44))

        self.h24.addWidget(self.sendButton)

        self.exportButton = QPushButton(self.donePage)
        self.exportButton.setObjectName(u"exportButton")
        self.exportButton.setMinimumSize(QSize(180, 44))

        self.h24.addWidget(self.exportButton)


        self.v26.addLayout(self.h24)

        self.s25 = QSpacerItem(10, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.v26.addItem(self.s25)

        self.stepStack.addWidget(self.donePage)

        self.ReceiptFormLayout.addWidget(self.stepStack)

        self.concernBox = QGroupBox(ReceiptForm)
        self.concernBox.setObjectName(u"concernBox")
        self.v28 = QVBoxLayout(self.concernBox)
        self.v28.setObjectName(u"v28")
        self.h27 = QHBoxLayout()
        self.h27.setObjectName(u"h27")
        self.contactLabel = QLabel(self.concernBox)
        self.contactLabel.setObjectName(u"contactLabel")
        self.contactLabel.setTextFormat(Qt.PlainText)
        self.contactLabel.setWordWrap(False)

        self.h27.addWidget(self.contactLabel)

        self.concernEdit = QLineEdit(self.concernBox)
        self.concernEdit.setObjectName(u"concernEdit")
        self.concernEdit.setMinimumSize(QSize(0, 40))

        self.h27.addWidget(self.concernEdit)

        self.concernButton = QPushButton(self.concernBox)
        self.concernButton.setObjectName(u"concernButton")
        self.concernButton.setMinimumSize(QSize(180, 44))

        self.h27.addWidget(self.concernButton)


        self.v28.addLayout(self.h27)


        self.ReceiptFormLayout.addWidget(self.concernBox)

        self.h30 = QHBoxLayout()
        self.h30.setObjectName(u"h30")
        self.stopButton = QPushButton(ReceiptForm)
        self.stopButton.setObjectName(u"stopButton")
        self.stopButton.setMinimumSize(QSize(180, 44))

        self.h30.addWidget(self.stopButton)

        self.messageLabel = QLabel(ReceiptForm)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.h30.addWidget(self.messageLabel)

        self.closeButton = QPushButton(ReceiptForm)
        self.closeButton.setObjectName(u"closeButton")
        self.closeButton.setMinimumSize(QSize(180, 44))

        self.h30.addWidget(self.closeButton)

        self.h30.setStretch(1, 1)

        self.ReceiptFormLayout.addLayout(self.h30)


        self.retranslateUi(ReceiptForm)

        QMetaObject.connectSlotsByName(ReceiptForm)
    # setupUi

    def retranslateUi(self, ReceiptForm):
#if QT_CONFIG(accessibility)
        ReceiptForm.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"ReceiptForm", None))
#endif // QT_CONFIG(accessibility)
        self.headingLabel.setText(QCoreApplication.translate("ReceiptForm", u"Receive KRESLADI \u2014 receipt and storage (prescribing information \u00a72.2, 16.2)", None))
#if QT_CONFIG(accessibility)
        self.headingLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Title", None))
#endif // QT_CONFIG(accessibility)
        self.headingLabel.setStyleSheet(QCoreApplication.translate("ReceiptForm", u"font-size: 20px; font-weight: bold;", None))
        self.patientLabel.setText("")
        self.patientLabel.setStyleSheet(QCoreApplication.translate("ReceiptForm", u"font-size: 22px; font-weight: bold;", None))
#if QT_CONFIG(accessibility)
        self.patientLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Patient", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Instruction", None))
#endif // QT_CONFIG(accessibility)
        self.progressLabel.setText("")
#if QT_CONFIG(accessibility)
        self.progressLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Labels scanned", None))
#endif // QT_CONFIG(accessibility)
        self.scanResultLabel.setText("")
#if QT_CONFIG(accessibility)
        self.scanResultLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Last scan", None))
#endif // QT_CONFIG(accessibility)
        self.typedButton.setText(QCoreApplication.translate("ReceiptForm", u"&Type an identifier instead\u2026", None))
#if QT_CONFIG(accessibility)
        self.typedButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Type an identifier instead\u2026", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.stepStack.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Receipt step", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.patientPage.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Patient", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.mrnEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Patient MRN", None))
#endif // QT_CONFIG(accessibility)
        self.mrnEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"scan or type the patient's MRN", None))
        self.lookupButton.setText(QCoreApplication.translate("ReceiptForm", u"Find the &patient", None))
#if QT_CONFIG(accessibility)
        self.lookupButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Find the patient", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.labelsPage.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Labels", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.storagePage.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Storage", None))
#endif // QT_CONFIG(accessibility)
        self.storageTempLabel.setText(QCoreApplication.translate("ReceiptForm", u"Storage unit temperature (\u00b0C)", None))
#if QT_CONFIG(accessibility)
        self.storageTempLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Temperature label", None))
#endif // QT_CONFIG(accessibility)
        self.storageSpin.setSuffix(QCoreApplication.translate("ReceiptForm", u" \u00b0C", None))
#if QT_CONFIG(accessibility)
        self.storageSpin.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Storage temperature in degrees Celsius", None))
#endif // QT_CONFIG(accessibility)
        self.locationLabel.setText(QCoreApplication.translate("ReceiptForm", u"Storage unit and position", None))
#if QT_CONFIG(accessibility)
        self.locationLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Location label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.locationEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Storage unit and position", None))
#endif // QT_CONFIG(accessibility)
        self.locationEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"e.g. LN2 tank 2, rack B, position 4", None))
        self.cassetteCheck.setText(QCoreApplication.translate("ReceiptForm", u"The bags stay in their metal cassettes", None))
#if QT_CONFIG(accessibility)
        self.cassetteCheck.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Bags stay in their cassettes", None))
#endif // QT_CONFIG(accessibility)
        self.storageButton.setText(QCoreApplication.translate("ReceiptForm", u"&Record the storage transfer", None))
#if QT_CONFIG(accessibility)
        self.storageButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Record the storage transfer", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.sheetPage.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Lot Information Sheet", None))
#endif // QT_CONFIG(accessibility)
        self.mrnLabel.setText(QCoreApplication.translate("ReceiptForm", u"MRN on the sheet", None))
#if QT_CONFIG(accessibility)
        self.mrnLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"MRN label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.sheetMrnEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"MRN on the sheet", None))
#endif // QT_CONFIG(accessibility)
        self.sheetMrnEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"as printed on the Lot Information Sheet", None))
        self.nameLabel.setText(QCoreApplication.translate("ReceiptForm", u"Patient name on the sheet", None))
#if QT_CONFIG(accessibility)
        self.nameLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Name label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.nameEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Patient name on the sheet", None))
#endif // QT_CONFIG(accessibility)
        self.nameEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"LAST, FIRST as printed", None))
        self.dobLabel.setText(QCoreApplication.translate("ReceiptForm", u"Date of birth on the sheet", None))
#if QT_CONFIG(accessibility)
        self.dobLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Date of birth label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.dobEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Date of birth on the sheet", None))
#endif // QT_CONFIG(accessibility)
        self.dobEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"YYYY-MM-DD or YYYYMMDD", None))
        self.coiLabel.setText(QCoreApplication.translate("ReceiptForm", u"Chain-of-identity number on the sheet", None))
#if QT_CONFIG(accessibility)
        self.coiLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Chain-of-identity number on the sheet label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.coiEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Chain-of-identity number on the sheet", None))
#endif // QT_CONFIG(accessibility)
        self.coiEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"as printed on the Lot Information Sheet", None))
        self.patientIdLabel.setText(QCoreApplication.translate("ReceiptForm", u"Patient ID on the sheet", None))
#if QT_CONFIG(accessibility)
        self.patientIdLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Patient ID on the sheet label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.patientIdEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Patient ID on the sheet", None))
#endif // QT_CONFIG(accessibility)
        self.patientIdEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"as printed on the Lot Information Sheet", None))
        self.weightLabel.setText(QCoreApplication.translate("ReceiptForm", u"Weight before the first apheresis (kg)", None))
#if QT_CONFIG(accessibility)
        self.weightLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Weight label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.weightEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Weight before the first apheresis in kg", None))
#endif // QT_CONFIG(accessibility)
        self.weightEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"kg, e.g. 9.5", None))
        self.countLabel.setText(QCoreApplication.translate("ReceiptForm", u"Number of bags the sheet lists", None))
#if QT_CONFIG(accessibility)
        self.countLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Bag count label", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.countSpin.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Number of bags the sheet lists", None))
#endif // QT_CONFIG(accessibility)
        self.bag1Label.setText(QCoreApplication.translate("ReceiptForm", u"Bag 1", None))
#if QT_CONFIG(accessibility)
        self.bag1Label.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Bag 1", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.bag1CellsEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Bag 1 CD34+ cells per kg, times ten to the sixth", None))
#endif // QT_CONFIG(accessibility)
        self.bag1CellsEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"CD34+ \u00d7 10\u2076/kg, e.g. 3.1", None))
#if QT_CONFIG(accessibility)
        self.bag1VolumeEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Bag 1 volume in mL", None))
#endif // QT_CONFIG(accessibility)
        self.bag1VolumeEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"volume mL", None))
        self.bag2Label.setText(QCoreApplication.translate("ReceiptForm", u"Bag 2", None))
#if QT_CONFIG(accessibility)
        self.bag2Label.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Bag 2", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.bag2CellsEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Bag 2 CD34+ cells per kg, times ten to the sixth", None))
#endif // QT_CONFIG(accessibility)
        self.bag2CellsEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"CD34+ \u00d7 10\u2076/kg, e.g. 3.1", None))
#if QT_CONFIG(accessibility)
        self.bag2VolumeEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Bag 2 volume in mL", None))
#endif // QT_CONFIG(accessibility)
        self.bag2VolumeEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"volume mL", None))
        self.enterButton.setText(QCoreApplication.translate("ReceiptForm", u"&Enter the sheet values", None))
#if QT_CONFIG(accessibility)
        self.enterButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Enter the sheet values", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.verifyPage.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Verification", None))
#endif // QT_CONFIG(accessibility)
        self.typedLabel.setText("")
#if QT_CONFIG(accessibility)
        self.typedLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Typed values", None))
#endif // QT_CONFIG(accessibility)
        self.verifyButton.setText(QCoreApplication.translate("ReceiptForm", u"A second person &verifies\u2026", None))
#if QT_CONFIG(accessibility)
        self.verifyButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"A second person verifies\u2026", None))
#endif // QT_CONFIG(accessibility)
        self.completeButton.setText(QCoreApplication.translate("ReceiptForm", u"&Complete the receipt", None))
#if QT_CONFIG(accessibility)
        self.completeButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Complete the receipt", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.donePage.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Received", None))
#endif // QT_CONFIG(accessibility)
        self.doneLabel.setText("")
#if QT_CONFIG(accessibility)
        self.doneLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Received", None))
#endif // QT_CONFIG(accessibility)
        self.sendButton.setText(QCoreApplication.translate("ReceiptForm", u"&Send to the EHR", None))
#if QT_CONFIG(accessibility)
        self.sendButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Send to the EHR", None))
#endif // QT_CONFIG(accessibility)
        self.exportButton.setText(QCoreApplication.translate("ReceiptForm", u"E&xport for another workstation\u2026", None))
#if QT_CONFIG(accessibility)
        self.exportButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Export for another workstation\u2026", None))
#endif // QT_CONFIG(accessibility)
        self.concernBox.setTitle(QCoreApplication.translate("ReceiptForm", u"Any concern about the product or packaging on receipt: record it and call the manufacturer", None))
        self.contactLabel.setText("")
#if QT_CONFIG(accessibility)
        self.contactLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Manufacturer contact", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.concernEdit.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Concern", None))
#endif // QT_CONFIG(accessibility)
        self.concernEdit.setPlaceholderText(QCoreApplication.translate("ReceiptForm", u"describe the concern (recorded)", None))
        self.concernButton.setText(QCoreApplication.translate("ReceiptForm", u"Record the &concern", None))
#if QT_CONFIG(accessibility)
        self.concernButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Record the concern", None))
#endif // QT_CONFIG(accessibility)
        self.stopButton.setText(QCoreApplication.translate("ReceiptForm", u"End this receipt\u2026", None))
#if QT_CONFIG(accessibility)
        self.stopButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"End this receipt\u2026", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Message", None))
#endif // QT_CONFIG(accessibility)
        self.closeButton.setText(QCoreApplication.translate("ReceiptForm", u"Close", None))
#if QT_CONFIG(accessibility)
        self.closeButton.setAccessibleName(QCoreApplication.translate("ReceiptForm", u"Close", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


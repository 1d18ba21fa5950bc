# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'gates.ui'
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
from PySide6.QtWidgets import (QApplication, QDoubleSpinBox, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_GatesPage(object):
    def setupUi(self, GatesPage):
        if not GatesPage.objectName():
            GatesPage.setObjectName(u"GatesPage")
        self.GatesPageLayout = QVBoxLayout(GatesPage)
        self.GatesPageLayout.setObjectName(u"GatesPageLayout")
        self.instructionLabel = QLabel(GatesPage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.GatesPageLayout.addWidget(self.instructionLabel)

        self.remindersLabel = QLabel(GatesPage)
        self.remindersLabel.setObjectName(u"remindersLabel")
        self.remindersLabel.setTextFormat(Qt.PlainText)
        self.remindersLabel.setWordWrap(True)

        self.GatesPageLayout.addWidget(self.remindersLabel)

        self.attestBox = QWidget(GatesPage)
        self.attestBox.setObjectName(u"attestBox")
        self.attestBoxLayout = QVBoxLayout(self.attestBox)
        self.attestBoxLayout.setObjectName(u"attestBoxLayout")
        self.attestBoxLayout.setContentsMargins(0, 0, 0, 0)

        self.GatesPageLayout.addWidget(self.attestBox)

        self.row12 = QHBoxLayout()
        self.row12.setObjectName(u"row12")
        self.backupCaption = QLabel(GatesPage)
        self.backupCaption.setObjectName(u"backupCaption")
        self.backupCaption.setTextFormat(Qt.PlainText)
        self.backupCaption.setWordWrap(True)

        self.row12.addWidget(self.backupCaption)

        self.backupSpin = QDoubleSpinBox(GatesPage)
        self.backupSpin.setObjectName(u"backupSpin")
        self.backupSpin.setMinimumSize(QSize(200, 48))
        self.backupSpin.setDecimals(2)
        self.backupSpin.setMinimum(0.000000000000000)
        self.backupSpin.setMaximum(100.000000000000000)
        self.backupSpin.setValue(0.000000000000000)

        self.row12.addWidget(self.backupSpin)


        self.GatesPageLayout.addLayout(self.row12)

        self.row14 = QHBoxLayout()
        self.row14.setObjectName(u"row14")
        self.storageCaption = QLabel(GatesPage)
        self.storageCaption.setObjectName(u"storageCaption")
        self.storageCaption.setTextFormat(Qt.PlainText)
        self.storageCaption.setWordWrap(True)

        self.row14.addWidget(self.storageCaption)

        self.storageSpin = QDoubleSpinBox(GatesPage)
        self.storageSpin.setObjectName(u"storageSpin")
        self.storageSpin.setMinimumSize(QSize(200, 48))
        self.storageSpin.setDecimals(0)
        self.storageSpin.setMinimum(-273.000000000000000)
        self.storageSpin.setMaximum(40.000000000000000)
        self.storageSpin.setValue(-150.000000000000000)

        self.row14.addWidget(self.storageSpin)

        self.spacer14 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row14.addItem(self.spacer14)


        self.GatesPageLayout.addLayout(self.row14)

        self.row16 = QHBoxLayout()
        self.row16.setObjectName(u"row16")
        self.conditioningCaption = QLabel(GatesPage)
        self.conditioningCaption.setObjectName(u"conditioningCaption")
        self.conditioningCaption.setTextFormat(Qt.PlainText)
        self.conditioningCaption.setWordWrap(True)

        self.row16.addWidget(self.conditioningCaption)

        self.conditioningEdit = QLineEdit(GatesPage)
        self.conditioningEdit.setObjectName(u"conditioningEdit")
        self.conditioningEdit.setMinimumSize(QSize(320, 48))

        self.row16.addWidget(self.conditioningEdit)

        self.spacer16 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row16.addItem(self.spacer16)


        self.GatesPageLayout.addLayout(self.row16)

        self.row18 = QHBoxLayout()
        self.row18.setObjectName(u"row18")
        self.recordButton = QPushButton(GatesPage)
        self.recordButton.setObjectName(u"recordButton")
        self.recordButton.setMinimumSize(QSize(160, 48))

        self.row18.addWidget(self.recordButton)

        self.spacer18 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row18.addItem(self.spacer18)


        self.GatesPageLayout.addLayout(self.row18)

        self.messageLabel = QLabel(GatesPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.GatesPageLayout.addWidget(self.messageLabel)

        self.spacer19 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.GatesPageLayout.addItem(self.spacer19)


        self.retranslateUi(GatesPage)

        QMetaObject.connectSlotsByName(GatesPage)
    # setupUi

    def retranslateUi(self, GatesPage):
#if QT_CONFIG(accessibility)
        GatesPage.setAccessibleName(QCoreApplication.translate("GatesPage", u"GatesPage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("GatesPage", u"Instructions for this step", None))
#endif // QT_CONFIG(accessibility)
        self.remindersLabel.setText("")
#if QT_CONFIG(accessibility)
        self.remindersLabel.setAccessibleName(QCoreApplication.translate("GatesPage", u"Reminders from the prescribing information", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.attestBox.setAccessibleName(QCoreApplication.translate("GatesPage", u"Confirmations", None))
#endif // QT_CONFIG(accessibility)
        self.backupCaption.setText(QCoreApplication.translate("GatesPage", u"Back-up collection, cryopreserved and available \u2014 its CD34+ count:", None))
#if QT_CONFIG(accessibility)
        self.backupCaption.setAccessibleName(QCoreApplication.translate("GatesPage", u"Back-up collection caption", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.backupSpin.setAccessibleName(QCoreApplication.translate("GatesPage", u"Back-up collection CD34+ cells per kg, millions", None))
#endif // QT_CONFIG(accessibility)
        self.backupSpin.setSuffix(QCoreApplication.translate("GatesPage", u" \u00d7 10\u2076 CD34+/kg", None))
        self.storageCaption.setText(QCoreApplication.translate("GatesPage", u"On-site storage temperature:", None))
#if QT_CONFIG(accessibility)
        self.storageCaption.setAccessibleName(QCoreApplication.translate("GatesPage", u"Storage temperature caption", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.storageSpin.setAccessibleName(QCoreApplication.translate("GatesPage", u"On-site storage temperature in degrees Celsius", None))
#endif // QT_CONFIG(accessibility)
        self.storageSpin.setSuffix(QCoreApplication.translate("GatesPage", u" \u00b0C", None))
        self.conditioningCaption.setText(QCoreApplication.translate("GatesPage", u"Myeloablative conditioning ended at:", None))
#if QT_CONFIG(accessibility)
        self.conditioningCaption.setAccessibleName(QCoreApplication.translate("GatesPage", u"Conditioning end caption", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.conditioningEdit.setAccessibleName(QCoreApplication.translate("GatesPage", u"Conditioning end date and time", None))
#endif // QT_CONFIG(accessibility)
        self.conditioningEdit.setPlaceholderText(QCoreApplication.translate("GatesPage", u"YYYY-MM-DD HH:MM", None))
        self.recordButton.setText(QCoreApplication.translate("GatesPage", u"&Record these checks", None))
#if QT_CONFIG(accessibility)
        self.recordButton.setAccessibleName(QCoreApplication.translate("GatesPage", u"Record these checks", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("GatesPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


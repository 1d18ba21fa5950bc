# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'lock.ui'
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

class Ui_Lock(object):
    def setupUi(self, Lock):
        if not Lock.objectName():
            Lock.setObjectName(u"Lock")
        self.LockLayout = QVBoxLayout(Lock)
        self.LockLayout.setObjectName(u"LockLayout")
        self.instructionLabel = QLabel(Lock)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.LockLayout.addWidget(self.instructionLabel)

        self.badgeEdit = QLineEdit(Lock)
        self.badgeEdit.setObjectName(u"badgeEdit")
        self.badgeEdit.setMinimumSize(QSize(0, 48))

        self.LockLayout.addWidget(self.badgeEdit)

        self.pinEdit = QLineEdit(Lock)
        self.pinEdit.setObjectName(u"pinEdit")
        self.pinEdit.setMinimumSize(QSize(0, 48))
        self.pinEdit.setEchoMode(QLineEdit.Password)

        self.LockLayout.addWidget(self.pinEdit)

        self.row7 = QHBoxLayout()
        self.row7.setObjectName(u"row7")
        self.unlockButton = QPushButton(Lock)
        self.unlockButton.setObjectName(u"unlockButton")
        self.unlockButton.setMinimumSize(QSize(160, 48))

        self.row7.addWidget(self.unlockButton)

        self.spacer7 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row7.addItem(self.spacer7)


        self.LockLayout.addLayout(self.row7)

        self.messageLabel = QLabel(Lock)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.LockLayout.addWidget(self.messageLabel)

        self.spacer8 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.LockLayout.addItem(self.spacer8)


        self.retranslateUi(Lock)

        QMetaObject.connectSlotsByName(Lock)
    # setupUi

    def retranslateUi(self, Lock):
#if QT_CONFIG(accessibility)
        Lock.setAccessibleName(QCoreApplication.translate("Lock", u"Lock", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText(QCoreApplication.translate("Lock", u"Locked. The countdowns above keep running. Scan your badge and enter your PIN to continue.", None))
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("Lock", u"Lock screen instructions", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.badgeEdit.setAccessibleName(QCoreApplication.translate("Lock", u"Badge", None))
#endif // QT_CONFIG(accessibility)
        self.badgeEdit.setPlaceholderText(QCoreApplication.translate("Lock", u"Another nurse only: scan your badge here (leave empty to unlock as yourself)", None))
#if QT_CONFIG(accessibility)
        self.pinEdit.setAccessibleName(QCoreApplication.translate("Lock", u"PIN", None))
#endif // QT_CONFIG(accessibility)
        self.pinEdit.setPlaceholderText(QCoreApplication.translate("Lock", u"PIN", None))
        self.unlockButton.setText(QCoreApplication.translate("Lock", u"&Unlock", None))
#if QT_CONFIG(accessibility)
        self.unlockButton.setAccessibleName(QCoreApplication.translate("Lock", u"Unlock", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("Lock", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


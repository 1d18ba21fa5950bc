# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'identity.ui'
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
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QPushButton,
    QSizePolicy, QSpacerItem, QVBoxLayout, QWidget)

from kresladi_bedside.qt.fitted import FittedLabel

class Ui_IdentityPage(object):
    def setupUi(self, IdentityPage):
        if not IdentityPage.objectName():
            IdentityPage.setObjectName(u"IdentityPage")
        self.IdentityPageLayout = QVBoxLayout(IdentityPage)
        self.IdentityPageLayout.setObjectName(u"IdentityPageLayout")
        self.instructionLabel = QLabel(IdentityPage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.IdentityPageLayout.addWidget(self.instructionLabel)

        self.remindersLabel = QLabel(IdentityPage)
        self.remindersLabel.setObjectName(u"remindersLabel")
        self.remindersLabel.setTextFormat(Qt.PlainText)
        self.remindersLabel.setWordWrap(True)

        self.IdentityPageLayout.addWidget(self.remindersLabel)

        self.progressLabel = QLabel(IdentityPage)
        self.progressLabel.setObjectName(u"progressLabel")
        self.progressLabel.setTextFormat(Qt.PlainText)
        self.progressLabel.setWordWrap(True)

        self.IdentityPageLayout.addWidget(self.progressLabel)

        self.scanResultLabel = FittedLabel(IdentityPage)
        self.scanResultLabel.setObjectName(u"scanResultLabel")
        self.scanResultLabel.setTextFormat(Qt.PlainText)
        self.scanResultLabel.setWordWrap(True)

        self.IdentityPageLayout.addWidget(self.scanResultLabel)

        self.row21 = QHBoxLayout()
        self.row21.setObjectName(u"row21")
        self.typedButton = QPushButton(IdentityPage)
        self.typedButton.setObjectName(u"typedButton")
        self.typedButton.setMinimumSize(QSize(160, 48))

        self.row21.addWidget(self.typedButton)

        self.spacer21 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row21.addItem(self.spacer21)


        self.IdentityPageLayout.addLayout(self.row21)

        self.cameraBox = QWidget(IdentityPage)
        self.cameraBox.setObjectName(u"cameraBox")
        self.cameraBoxLayout = QVBoxLayout(self.cameraBox)
        self.cameraBoxLayout.setObjectName(u"cameraBoxLayout")
        self.cameraBoxLayout.setContentsMargins(0, 0, 0, 0)

        self.IdentityPageLayout.addWidget(self.cameraBox)

        self.messageLabel = QLabel(IdentityPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.IdentityPageLayout.addWidget(self.messageLabel)

        self.spacer22 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.IdentityPageLayout.addItem(self.spacer22)


        self.retranslateUi(IdentityPage)

        QMetaObject.connectSlotsByName(IdentityPage)
    # setupUi

    def retranslateUi(self, IdentityPage):
#if QT_CONFIG(accessibility)
        IdentityPage.setAccessibleName(QCoreApplication.translate("IdentityPage", u"IdentityPage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("IdentityPage", u"Instructions for this step", None))
#endif // QT_CONFIG(accessibility)
        self.remindersLabel.setText("")
#if QT_CONFIG(accessibility)
        self.remindersLabel.setAccessibleName(QCoreApplication.translate("IdentityPage", u"Reminders from the prescribing information", None))
#endif // QT_CONFIG(accessibility)
        self.progressLabel.setText("")
#if QT_CONFIG(accessibility)
        self.progressLabel.setAccessibleName(QCoreApplication.translate("IdentityPage", u"Labels confirmed so far", None))
#endif // QT_CONFIG(accessibility)
        self.scanResultLabel.setText(QCoreApplication.translate("IdentityPage", u"Waiting for a scan.", None))
#if QT_CONFIG(accessibility)
        self.scanResultLabel.setAccessibleName(QCoreApplication.translate("IdentityPage", u"Result of the last scan", None))
#endif // QT_CONFIG(accessibility)
        self.typedButton.setText(QCoreApplication.translate("IdentityPage", u"Type an identifier instead\u2026", None))
#if QT_CONFIG(accessibility)
        self.typedButton.setAccessibleName(QCoreApplication.translate("IdentityPage", u"Type an identifier instead of scanning", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.cameraBox.setAccessibleName(QCoreApplication.translate("IdentityPage", u"Camera", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("IdentityPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


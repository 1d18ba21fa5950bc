# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'bedside_identity.ui'
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

class Ui_BedsideIdentityPage(object):
    def setupUi(self, BedsideIdentityPage):
        if not BedsideIdentityPage.objectName():
            BedsideIdentityPage.setObjectName(u"BedsideIdentityPage")
        self.BedsideIdentityPageLayout = QVBoxLayout(BedsideIdentityPage)
        self.BedsideIdentityPageLayout.setObjectName(u"BedsideIdentityPageLayout")
        self.instructionLabel = QLabel(BedsideIdentityPage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.BedsideIdentityPageLayout.addWidget(self.instructionLabel)

        self.remindersLabel = QLabel(BedsideIdentityPage)
        self.remindersLabel.setObjectName(u"remindersLabel")
        self.remindersLabel.setTextFormat(Qt.PlainText)
        self.remindersLabel.setWordWrap(True)

        self.BedsideIdentityPageLayout.addWidget(self.remindersLabel)

        self.progressLabel = QLabel(BedsideIdentityPage)
        self.progressLabel.setObjectName(u"progressLabel")
        self.progressLabel.setTextFormat(Qt.PlainText)
        self.progressLabel.setWordWrap(True)

        self.BedsideIdentityPageLayout.addWidget(self.progressLabel)

        self.scanResultLabel = FittedLabel(BedsideIdentityPage)
        self.scanResultLabel.setObjectName(u"scanResultLabel")
        self.scanResultLabel.setTextFormat(Qt.PlainText)
        self.scanResultLabel.setWordWrap(True)

        self.BedsideIdentityPageLayout.addWidget(self.scanResultLabel)

        self.row24 = QHBoxLayout()
        self.row24.setObjectName(u"row24")
        self.typedButton = QPushButton(BedsideIdentityPage)
        self.typedButton.setObjectName(u"typedButton")
        self.typedButton.setMinimumSize(QSize(160, 48))

        self.row24.addWidget(self.typedButton)

        self.spacer24 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row24.addItem(self.spacer24)


        self.BedsideIdentityPageLayout.addLayout(self.row24)

        self.cameraBox = QWidget(BedsideIdentityPage)
        self.cameraBox.setObjectName(u"cameraBox")
        self.cameraBoxLayout = QVBoxLayout(self.cameraBox)
        self.cameraBoxLayout.setObjectName(u"cameraBoxLayout")
        self.cameraBoxLayout.setContentsMargins(0, 0, 0, 0)

        self.BedsideIdentityPageLayout.addWidget(self.cameraBox)

        self.messageLabel = QLabel(BedsideIdentityPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.BedsideIdentityPageLayout.addWidget(self.messageLabel)

        self.spacer25 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.BedsideIdentityPageLayout.addItem(self.spacer25)


        self.retranslateUi(BedsideIdentityPage)

        QMetaObject.connectSlotsByName(BedsideIdentityPage)
    # setupUi

    def retranslateUi(self, BedsideIdentityPage):
#if QT_CONFIG(accessibility)
        BedsideIdentityPage.setAccessibleName(QCoreApplication.translate("BedsideIdentityPage", u"BedsideIdentityPage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("BedsideIdentityPage", u"Instructions for this step", None))
#endif // QT_CONFIG(accessibility)
        self.remindersLabel.setText("")
#if QT_CONFIG(accessibility)
        self.remindersLabel.setAccessibleName(QCoreApplication.translate("BedsideIdentityPage", u"Reminders from the prescribing information", None))
#endif // QT_CONFIG(accessibility)
        self.progressLabel.setText("")
#if QT_CONFIG(accessibility)
        self.progressLabel.setAccessibleName(QCoreApplication.translate("BedsideIdentityPage", u"Labels confirmed so far", None))
#endif // QT_CONFIG(accessibility)
        self.scanResultLabel.setText(QCoreApplication.translate("BedsideIdentityPage", u"Waiting for a scan.", None))
#if QT_CONFIG(accessibility)
        self.scanResultLabel.setAccessibleName(QCoreApplication.translate("BedsideIdentityPage", u"Result of the last scan", None))
#endif // QT_CONFIG(accessibility)
        self.typedButton.setText(QCoreApplication.translate("BedsideIdentityPage", u"Type an identifier instead\u2026", None))
#if QT_CONFIG(accessibility)
        self.typedButton.setAccessibleName(QCoreApplication.translate("BedsideIdentityPage", u"Type an identifier instead of scanning", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.cameraBox.setAccessibleName(QCoreApplication.translate("BedsideIdentityPage", u"Camera", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("BedsideIdentityPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


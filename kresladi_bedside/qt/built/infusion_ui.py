# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'infusion.ui'
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

class Ui_InfusionPage(object):
    def setupUi(self, InfusionPage):
        if not InfusionPage.objectName():
            InfusionPage.setObjectName(u"InfusionPage")
        self.InfusionPageLayout = QVBoxLayout(InfusionPage)
        self.InfusionPageLayout.setObjectName(u"InfusionPageLayout")
        self.instructionLabel = QLabel(InfusionPage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.InfusionPageLayout.addWidget(self.instructionLabel)

        self.remindersLabel = QLabel(InfusionPage)
        self.remindersLabel.setObjectName(u"remindersLabel")
        self.remindersLabel.setTextFormat(Qt.PlainText)
        self.remindersLabel.setWordWrap(True)

        self.InfusionPageLayout.addWidget(self.remindersLabel)

        self.row38 = QHBoxLayout()
        self.row38.setObjectName(u"row38")
        self.startButton = QPushButton(InfusionPage)
        self.startButton.setObjectName(u"startButton")
        self.startButton.setMinimumSize(QSize(160, 48))

        self.row38.addWidget(self.startButton)

        self.spacer38 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row38.addItem(self.spacer38)


        self.InfusionPageLayout.addLayout(self.row38)

        self.attestBox = QWidget(InfusionPage)
        self.attestBox.setObjectName(u"attestBox")
        self.attestBoxLayout = QVBoxLayout(self.attestBox)
        self.attestBoxLayout.setObjectName(u"attestBoxLayout")
        self.attestBoxLayout.setContentsMargins(0, 0, 0, 0)

        self.InfusionPageLayout.addWidget(self.attestBox)

        self.row40 = QHBoxLayout()
        self.row40.setObjectName(u"row40")
        self.endButton = QPushButton(InfusionPage)
        self.endButton.setObjectName(u"endButton")
        self.endButton.setMinimumSize(QSize(160, 48))

        self.row40.addWidget(self.endButton)

        self.spacer40 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row40.addItem(self.spacer40)


        self.InfusionPageLayout.addLayout(self.row40)

        self.messageLabel = QLabel(InfusionPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.InfusionPageLayout.addWidget(self.messageLabel)

        self.spacer41 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.InfusionPageLayout.addItem(self.spacer41)


        self.retranslateUi(InfusionPage)

        QMetaObject.connectSlotsByName(InfusionPage)
    # setupUi

    def retranslateUi(self, InfusionPage):
#if QT_CONFIG(accessibility)
        InfusionPage.setAccessibleName(QCoreApplication.translate("InfusionPage", u"InfusionPage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("InfusionPage", u"Instructions for this step", None))
#endif // QT_CONFIG(accessibility)
        self.remindersLabel.setText("")
#if QT_CONFIG(accessibility)
        self.remindersLabel.setAccessibleName(QCoreApplication.translate("InfusionPage", u"Reminders from the prescribing information", None))
#endif // QT_CONFIG(accessibility)
        self.startButton.setText(QCoreApplication.translate("InfusionPage", u"&Start infusion", None))
#if QT_CONFIG(accessibility)
        self.startButton.setAccessibleName(QCoreApplication.translate("InfusionPage", u"Start infusion now", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.attestBox.setAccessibleName(QCoreApplication.translate("InfusionPage", u"At the end of the infusion", None))
#endif // QT_CONFIG(accessibility)
        self.endButton.setText(QCoreApplication.translate("InfusionPage", u"&End infusion", None))
#if QT_CONFIG(accessibility)
        self.endButton.setAccessibleName(QCoreApplication.translate("InfusionPage", u"End infusion now", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("InfusionPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


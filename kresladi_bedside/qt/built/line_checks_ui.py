# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'line_checks.ui'
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

class Ui_LineChecksPage(object):
    def setupUi(self, LineChecksPage):
        if not LineChecksPage.objectName():
            LineChecksPage.setObjectName(u"LineChecksPage")
        self.LineChecksPageLayout = QVBoxLayout(LineChecksPage)
        self.LineChecksPageLayout.setObjectName(u"LineChecksPageLayout")
        self.instructionLabel = QLabel(LineChecksPage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.LineChecksPageLayout.addWidget(self.instructionLabel)

        self.remindersLabel = QLabel(LineChecksPage)
        self.remindersLabel.setObjectName(u"remindersLabel")
        self.remindersLabel.setTextFormat(Qt.PlainText)
        self.remindersLabel.setWordWrap(True)

        self.LineChecksPageLayout.addWidget(self.remindersLabel)

        self.attestBox = QWidget(LineChecksPage)
        self.attestBox.setObjectName(u"attestBox")
        self.attestBoxLayout = QVBoxLayout(self.attestBox)
        self.attestBoxLayout.setObjectName(u"attestBoxLayout")
        self.attestBoxLayout.setContentsMargins(0, 0, 0, 0)

        self.LineChecksPageLayout.addWidget(self.attestBox)

        self.row35 = QHBoxLayout()
        self.row35.setObjectName(u"row35")
        self.confirmButton = QPushButton(LineChecksPage)
        self.confirmButton.setObjectName(u"confirmButton")
        self.confirmButton.setMinimumSize(QSize(160, 48))

        self.row35.addWidget(self.confirmButton)

        self.spacer35 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row35.addItem(self.spacer35)


        self.LineChecksPageLayout.addLayout(self.row35)

        self.messageLabel = QLabel(LineChecksPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.LineChecksPageLayout.addWidget(self.messageLabel)

        self.spacer36 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.LineChecksPageLayout.addItem(self.spacer36)


        self.retranslateUi(LineChecksPage)

        QMetaObject.connectSlotsByName(LineChecksPage)
    # setupUi

    def retranslateUi(self, LineChecksPage):
#if QT_CONFIG(accessibility)
        LineChecksPage.setAccessibleName(QCoreApplication.translate("LineChecksPage", u"LineChecksPage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("LineChecksPage", u"Instructions for this step", None))
#endif // QT_CONFIG(accessibility)
        self.remindersLabel.setText("")
#if QT_CONFIG(accessibility)
        self.remindersLabel.setAccessibleName(QCoreApplication.translate("LineChecksPage", u"Reminders from the prescribing information", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.attestBox.setAccessibleName(QCoreApplication.translate("LineChecksPage", u"Line checks", None))
#endif // QT_CONFIG(accessibility)
        self.confirmButton.setText(QCoreApplication.translate("LineChecksPage", u"Line checked, port connected \u2014 &START INFUSION", None))
#if QT_CONFIG(accessibility)
        self.confirmButton.setAccessibleName(QCoreApplication.translate("LineChecksPage", u"Confirm line checks and start the infusion", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("LineChecksPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


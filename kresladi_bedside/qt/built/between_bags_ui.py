# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'between_bags.ui'
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
from PySide6.QtWidgets import (QApplication, QLabel, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_BetweenBagsPage(object):
    def setupUi(self, BetweenBagsPage):
        if not BetweenBagsPage.objectName():
            BetweenBagsPage.setObjectName(u"BetweenBagsPage")
        self.BetweenBagsPageLayout = QVBoxLayout(BetweenBagsPage)
        self.BetweenBagsPageLayout.setObjectName(u"BetweenBagsPageLayout")
        self.instructionLabel = QLabel(BetweenBagsPage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.BetweenBagsPageLayout.addWidget(self.instructionLabel)

        self.remindersLabel = QLabel(BetweenBagsPage)
        self.remindersLabel.setObjectName(u"remindersLabel")
        self.remindersLabel.setTextFormat(Qt.PlainText)
        self.remindersLabel.setWordWrap(True)

        self.BetweenBagsPageLayout.addWidget(self.remindersLabel)

        self.waitLabel = QLabel(BetweenBagsPage)
        self.waitLabel.setObjectName(u"waitLabel")
        self.waitLabel.setTextFormat(Qt.PlainText)
        self.waitLabel.setWordWrap(True)

        self.BetweenBagsPageLayout.addWidget(self.waitLabel)

        self.messageLabel = QLabel(BetweenBagsPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.BetweenBagsPageLayout.addWidget(self.messageLabel)

        self.spacer47 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.BetweenBagsPageLayout.addItem(self.spacer47)


        self.retranslateUi(BetweenBagsPage)

        QMetaObject.connectSlotsByName(BetweenBagsPage)
    # setupUi

    def retranslateUi(self, BetweenBagsPage):
#if QT_CONFIG(accessibility)
        BetweenBagsPage.setAccessibleName(QCoreApplication.translate("BetweenBagsPage", u"BetweenBagsPage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("BetweenBagsPage", u"Instructions for this step", None))
#endif // QT_CONFIG(accessibility)
        self.remindersLabel.setText("")
#if QT_CONFIG(accessibility)
        self.remindersLabel.setAccessibleName(QCoreApplication.translate("BetweenBagsPage", u"Reminders from the prescribing information", None))
#endif // QT_CONFIG(accessibility)
        self.waitLabel.setText("")
#if QT_CONFIG(accessibility)
        self.waitLabel.setAccessibleName(QCoreApplication.translate("BetweenBagsPage", u"Waiting for the second bag", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("BetweenBagsPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


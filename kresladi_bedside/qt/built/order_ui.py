# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'order.ui'
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

class Ui_OrderPage(object):
    def setupUi(self, OrderPage):
        if not OrderPage.objectName():
            OrderPage.setObjectName(u"OrderPage")
        self.OrderPageLayout = QVBoxLayout(OrderPage)
        self.OrderPageLayout.setObjectName(u"OrderPageLayout")
        self.instructionLabel = QLabel(OrderPage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.OrderPageLayout.addWidget(self.instructionLabel)

        self.remindersLabel = QLabel(OrderPage)
        self.remindersLabel.setObjectName(u"remindersLabel")
        self.remindersLabel.setTextFormat(Qt.PlainText)
        self.remindersLabel.setWordWrap(True)

        self.OrderPageLayout.addWidget(self.remindersLabel)

        self.orderLabel = QLabel(OrderPage)
        self.orderLabel.setObjectName(u"orderLabel")
        self.orderLabel.setTextFormat(Qt.PlainText)
        self.orderLabel.setWordWrap(True)

        self.OrderPageLayout.addWidget(self.orderLabel)

        self.row10 = QHBoxLayout()
        self.row10.setObjectName(u"row10")
        self.openOrderButton = QPushButton(OrderPage)
        self.openOrderButton.setObjectName(u"openOrderButton")
        self.openOrderButton.setMinimumSize(QSize(160, 48))

        self.row10.addWidget(self.openOrderButton)

        self.sampleButton = QPushButton(OrderPage)
        self.sampleButton.setObjectName(u"sampleButton")
        self.sampleButton.setMinimumSize(QSize(160, 48))

        self.row10.addWidget(self.sampleButton)

        self.spacer10 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row10.addItem(self.spacer10)


        self.OrderPageLayout.addLayout(self.row10)

        self.messageLabel = QLabel(OrderPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.OrderPageLayout.addWidget(self.messageLabel)

        self.spacer11 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.OrderPageLayout.addItem(self.spacer11)


        self.retranslateUi(OrderPage)

        QMetaObject.connectSlotsByName(OrderPage)
    # setupUi

    def retranslateUi(self, OrderPage):
#if QT_CONFIG(accessibility)
        OrderPage.setAccessibleName(QCoreApplication.translate("OrderPage", u"OrderPage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("OrderPage", u"Instructions for this step", None))
#endif // QT_CONFIG(accessibility)
        self.remindersLabel.setText("")
#if QT_CONFIG(accessibility)
        self.remindersLabel.setAccessibleName(QCoreApplication.translate("OrderPage", u"Reminders from the prescribing information", None))
#endif // QT_CONFIG(accessibility)
        self.orderLabel.setText(QCoreApplication.translate("OrderPage", u"No order loaded.", None))
#if QT_CONFIG(accessibility)
        self.orderLabel.setAccessibleName(QCoreApplication.translate("OrderPage", u"Order summary", None))
#endif // QT_CONFIG(accessibility)
        self.openOrderButton.setText(QCoreApplication.translate("OrderPage", u"&Open order file\u2026", None))
#if QT_CONFIG(accessibility)
        self.openOrderButton.setAccessibleName(QCoreApplication.translate("OrderPage", u"Open order file", None))
#endif // QT_CONFIG(accessibility)
        self.sampleButton.setText(QCoreApplication.translate("OrderPage", u"Use the &training sample order", None))
#if QT_CONFIG(accessibility)
        self.sampleButton.setAccessibleName(QCoreApplication.translate("OrderPage", u"Use the training sample order", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("OrderPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


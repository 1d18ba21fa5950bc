# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'complete.ui'
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

class Ui_CompletePage(object):
    def setupUi(self, CompletePage):
        if not CompletePage.objectName():
            CompletePage.setObjectName(u"CompletePage")
        self.CompletePageLayout = QVBoxLayout(CompletePage)
        self.CompletePageLayout.setObjectName(u"CompletePageLayout")
        self.instructionLabel = QLabel(CompletePage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.CompletePageLayout.addWidget(self.instructionLabel)

        self.summaryLabel = QLabel(CompletePage)
        self.summaryLabel.setObjectName(u"summaryLabel")
        self.summaryLabel.setTextFormat(Qt.PlainText)
        self.summaryLabel.setWordWrap(True)

        self.CompletePageLayout.addWidget(self.summaryLabel)

        self.row52 = QHBoxLayout()
        self.row52.setObjectName(u"row52")
        self.printButton = QPushButton(CompletePage)
        self.printButton.setObjectName(u"printButton")
        self.printButton.setMinimumSize(QSize(160, 48))

        self.row52.addWidget(self.printButton)

        self.spacer52 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row52.addItem(self.spacer52)


        self.CompletePageLayout.addLayout(self.row52)

        self.messageLabel = QLabel(CompletePage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.CompletePageLayout.addWidget(self.messageLabel)

        self.spacer53 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.CompletePageLayout.addItem(self.spacer53)


        self.retranslateUi(CompletePage)

        QMetaObject.connectSlotsByName(CompletePage)
    # setupUi

    def retranslateUi(self, CompletePage):
#if QT_CONFIG(accessibility)
        CompletePage.setAccessibleName(QCoreApplication.translate("CompletePage", u"CompletePage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("CompletePage", u"Procedure complete", None))
#endif // QT_CONFIG(accessibility)
        self.summaryLabel.setText("")
#if QT_CONFIG(accessibility)
        self.summaryLabel.setAccessibleName(QCoreApplication.translate("CompletePage", u"Summary of the procedure", None))
#endif // QT_CONFIG(accessibility)
        self.printButton.setText(QCoreApplication.translate("CompletePage", u"&Print or save the record\u2026", None))
#if QT_CONFIG(accessibility)
        self.printButton.setAccessibleName(QCoreApplication.translate("CompletePage", u"Print or save the procedure record", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("CompletePage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


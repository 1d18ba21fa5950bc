# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'stopped.ui'
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

class Ui_StoppedPage(object):
    def setupUi(self, StoppedPage):
        if not StoppedPage.objectName():
            StoppedPage.setObjectName(u"StoppedPage")
        self.StoppedPageLayout = QVBoxLayout(StoppedPage)
        self.StoppedPageLayout.setObjectName(u"StoppedPageLayout")
        self.titleLabel = QLabel(StoppedPage)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setTextFormat(Qt.PlainText)
        self.titleLabel.setWordWrap(True)

        self.StoppedPageLayout.addWidget(self.titleLabel)

        self.whatLabel = QLabel(StoppedPage)
        self.whatLabel.setObjectName(u"whatLabel")
        self.whatLabel.setTextFormat(Qt.PlainText)
        self.whatLabel.setWordWrap(True)

        self.StoppedPageLayout.addWidget(self.whatLabel)

        self.contactLabel = QLabel(StoppedPage)
        self.contactLabel.setObjectName(u"contactLabel")
        self.contactLabel.setTextFormat(Qt.PlainText)
        self.contactLabel.setWordWrap(True)

        self.StoppedPageLayout.addWidget(self.contactLabel)

        self.recordedLabel = QLabel(StoppedPage)
        self.recordedLabel.setObjectName(u"recordedLabel")
        self.recordedLabel.setTextFormat(Qt.PlainText)
        self.recordedLabel.setWordWrap(True)

        self.StoppedPageLayout.addWidget(self.recordedLabel)

        self.row55 = QHBoxLayout()
        self.row55.setObjectName(u"row55")
        self.printButton = QPushButton(StoppedPage)
        self.printButton.setObjectName(u"printButton")
        self.printButton.setMinimumSize(QSize(160, 48))

        self.row55.addWidget(self.printButton)

        self.spacer55 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row55.addItem(self.spacer55)


        self.StoppedPageLayout.addLayout(self.row55)

        self.messageLabel = QLabel(StoppedPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.StoppedPageLayout.addWidget(self.messageLabel)

        self.spacer56 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.StoppedPageLayout.addItem(self.spacer56)


        self.retranslateUi(StoppedPage)

        QMetaObject.connectSlotsByName(StoppedPage)
    # setupUi

    def retranslateUi(self, StoppedPage):
#if QT_CONFIG(accessibility)
        StoppedPage.setAccessibleName(QCoreApplication.translate("StoppedPage", u"StoppedPage", None))
#endif // QT_CONFIG(accessibility)
        self.titleLabel.setText(QCoreApplication.translate("StoppedPage", u"STOPPED", None))
#if QT_CONFIG(accessibility)
        self.titleLabel.setAccessibleName(QCoreApplication.translate("StoppedPage", u"Procedure stopped", None))
#endif // QT_CONFIG(accessibility)
        self.whatLabel.setText("")
#if QT_CONFIG(accessibility)
        self.whatLabel.setAccessibleName(QCoreApplication.translate("StoppedPage", u"What is wrong", None))
#endif // QT_CONFIG(accessibility)
        self.contactLabel.setText("")
#if QT_CONFIG(accessibility)
        self.contactLabel.setAccessibleName(QCoreApplication.translate("StoppedPage", u"Manufacturer contact", None))
#endif // QT_CONFIG(accessibility)
        self.recordedLabel.setText("")
#if QT_CONFIG(accessibility)
        self.recordedLabel.setAccessibleName(QCoreApplication.translate("StoppedPage", u"What was recorded", None))
#endif // QT_CONFIG(accessibility)
        self.printButton.setText(QCoreApplication.translate("StoppedPage", u"&Print or save the record\u2026", None))
#if QT_CONFIG(accessibility)
        self.printButton.setAccessibleName(QCoreApplication.translate("StoppedPage", u"Print or save the procedure record", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("StoppedPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'flush.ui'
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
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_FlushPage(object):
    def setupUi(self, FlushPage):
        if not FlushPage.objectName():
            FlushPage.setObjectName(u"FlushPage")
        self.FlushPageLayout = QVBoxLayout(FlushPage)
        self.FlushPageLayout.setObjectName(u"FlushPageLayout")
        self.instructionLabel = QLabel(FlushPage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.FlushPageLayout.addWidget(self.instructionLabel)

        self.remindersLabel = QLabel(FlushPage)
        self.remindersLabel.setObjectName(u"remindersLabel")
        self.remindersLabel.setTextFormat(Qt.PlainText)
        self.remindersLabel.setWordWrap(True)

        self.FlushPageLayout.addWidget(self.remindersLabel)

        self.row43 = QHBoxLayout()
        self.row43.setObjectName(u"row43")
        self.volumeCaption = QLabel(FlushPage)
        self.volumeCaption.setObjectName(u"volumeCaption")
        self.volumeCaption.setTextFormat(Qt.PlainText)
        self.volumeCaption.setWordWrap(True)

        self.row43.addWidget(self.volumeCaption)

        self.volumeSpin = QDoubleSpinBox(FlushPage)
        self.volumeSpin.setObjectName(u"volumeSpin")
        self.volumeSpin.setMinimumSize(QSize(200, 48))
        self.volumeSpin.setDecimals(1)
        self.volumeSpin.setMinimum(0.000000000000000)
        self.volumeSpin.setMaximum(1000.000000000000000)
        self.volumeSpin.setValue(0.000000000000000)

        self.row43.addWidget(self.volumeSpin)

        self.spacer43 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row43.addItem(self.spacer43)


        self.FlushPageLayout.addLayout(self.row43)

        self.row45 = QHBoxLayout()
        self.row45.setObjectName(u"row45")
        self.flushButton = QPushButton(FlushPage)
        self.flushButton.setObjectName(u"flushButton")
        self.flushButton.setMinimumSize(QSize(160, 48))

        self.row45.addWidget(self.flushButton)

        self.spacer45 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row45.addItem(self.spacer45)


        self.FlushPageLayout.addLayout(self.row45)

        self.totalLabel = QLabel(FlushPage)
        self.totalLabel.setObjectName(u"totalLabel")
        self.totalLabel.setTextFormat(Qt.PlainText)
        self.totalLabel.setWordWrap(True)

        self.FlushPageLayout.addWidget(self.totalLabel)

        self.messageLabel = QLabel(FlushPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.FlushPageLayout.addWidget(self.messageLabel)

        self.spacer46 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.FlushPageLayout.addItem(self.spacer46)


        self.retranslateUi(FlushPage)

        QMetaObject.connectSlotsByName(FlushPage)
    # setupUi

    def retranslateUi(self, FlushPage):
#if QT_CONFIG(accessibility)
        FlushPage.setAccessibleName(QCoreApplication.translate("FlushPage", u"FlushPage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("FlushPage", u"Instructions for this step", None))
#endif // QT_CONFIG(accessibility)
        self.remindersLabel.setText("")
#if QT_CONFIG(accessibility)
        self.remindersLabel.setAccessibleName(QCoreApplication.translate("FlushPage", u"Reminders from the prescribing information", None))
#endif // QT_CONFIG(accessibility)
        self.volumeCaption.setText(QCoreApplication.translate("FlushPage", u"Normal saline flush volume:", None))
#if QT_CONFIG(accessibility)
        self.volumeCaption.setAccessibleName(QCoreApplication.translate("FlushPage", u"Flush volume caption", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.volumeSpin.setAccessibleName(QCoreApplication.translate("FlushPage", u"Flush volume in millilitres", None))
#endif // QT_CONFIG(accessibility)
        self.volumeSpin.setSuffix(QCoreApplication.translate("FlushPage", u" mL", None))
        self.flushButton.setText(QCoreApplication.translate("FlushPage", u"&Log flush", None))
#if QT_CONFIG(accessibility)
        self.flushButton.setAccessibleName(QCoreApplication.translate("FlushPage", u"Log flush", None))
#endif // QT_CONFIG(accessibility)
        self.totalLabel.setText("")
#if QT_CONFIG(accessibility)
        self.totalLabel.setAccessibleName(QCoreApplication.translate("FlushPage", u"Flush total", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("FlushPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


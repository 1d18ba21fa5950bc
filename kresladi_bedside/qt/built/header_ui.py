# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'header.ui'
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
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_Header(object):
    def setupUi(self, Header):
        if not Header.objectName():
            Header.setObjectName(u"Header")
        self.HeaderLayout = QVBoxLayout(Header)
        self.HeaderLayout.setObjectName(u"HeaderLayout")
        self.trainingBanner = QLabel(Header)
        self.trainingBanner.setObjectName(u"trainingBanner")
        self.trainingBanner.setTextFormat(Qt.PlainText)
        self.trainingBanner.setWordWrap(True)

        self.HeaderLayout.addWidget(self.trainingBanner)

        self.row1 = QHBoxLayout()
        self.row1.setObjectName(u"row1")
        self.patientLabel = QLabel(Header)
        self.patientLabel.setObjectName(u"patientLabel")
        self.patientLabel.setTextFormat(Qt.PlainText)
        self.patientLabel.setWordWrap(True)

        self.row1.addWidget(self.patientLabel)

        self.idsLabel = QLabel(Header)
        self.idsLabel.setObjectName(u"idsLabel")
        self.idsLabel.setTextFormat(Qt.PlainText)
        self.idsLabel.setWordWrap(True)

        self.row1.addWidget(self.idsLabel)

        self.bagLabel = QLabel(Header)
        self.bagLabel.setObjectName(u"bagLabel")
        self.bagLabel.setTextFormat(Qt.PlainText)
        self.bagLabel.setWordWrap(True)

        self.row1.addWidget(self.bagLabel)

        self.userLabel = QLabel(Header)
        self.userLabel.setObjectName(u"userLabel")
        self.userLabel.setTextFormat(Qt.PlainText)
        self.userLabel.setWordWrap(True)

        self.row1.addWidget(self.userLabel)


        self.HeaderLayout.addLayout(self.row1)

        self.countdownBox = QWidget(Header)
        self.countdownBox.setObjectName(u"countdownBox")
        self.countdownBoxLayout = QVBoxLayout(self.countdownBox)
        self.countdownBoxLayout.setObjectName(u"countdownBoxLayout")
        self.countdownBoxLayout.setContentsMargins(0, 0, 0, 0)

        self.HeaderLayout.addWidget(self.countdownBox)

        self.recordBanner = QLabel(Header)
        self.recordBanner.setObjectName(u"recordBanner")
        self.recordBanner.setTextFormat(Qt.PlainText)
        self.recordBanner.setWordWrap(True)

        self.HeaderLayout.addWidget(self.recordBanner)

        self.row2 = QHBoxLayout()
        self.row2.setObjectName(u"row2")
        self.alarmLabel = QLabel(Header)
        self.alarmLabel.setObjectName(u"alarmLabel")
        self.alarmLabel.setTextFormat(Qt.PlainText)
        self.alarmLabel.setWordWrap(True)

        self.row2.addWidget(self.alarmLabel)

        self.silenceButton = QPushButton(Header)
        self.silenceButton.setObjectName(u"silenceButton")
        self.silenceButton.setMinimumSize(QSize(160, 48))

        self.row2.addWidget(self.silenceButton)

        self.acknowledgeButton = QPushButton(Header)
        self.acknowledgeButton.setObjectName(u"acknowledgeButton")
        self.acknowledgeButton.setMinimumSize(QSize(160, 48))

        self.row2.addWidget(self.acknowledgeButton)


        self.HeaderLayout.addLayout(self.row2)


        self.retranslateUi(Header)

        QMetaObject.connectSlotsByName(Header)
    # setupUi

    def retranslateUi(self, Header):
#if QT_CONFIG(accessibility)
        Header.setAccessibleName(QCoreApplication.translate("Header", u"Header", None))
#endif // QT_CONFIG(accessibility)
        self.trainingBanner.setText(QCoreApplication.translate("Header", u"TRAINING \u2014 practice only. Nothing here is given to a patient; records are never sent.", None))
#if QT_CONFIG(accessibility)
        self.trainingBanner.setAccessibleName(QCoreApplication.translate("Header", u"Training mode banner", None))
#endif // QT_CONFIG(accessibility)
        self.patientLabel.setText(QCoreApplication.translate("Header", u"No patient yet", None))
#if QT_CONFIG(accessibility)
        self.patientLabel.setAccessibleName(QCoreApplication.translate("Header", u"Patient name", None))
#endif // QT_CONFIG(accessibility)
        self.idsLabel.setText("")
#if QT_CONFIG(accessibility)
        self.idsLabel.setAccessibleName(QCoreApplication.translate("Header", u"Patient MRN and date of birth", None))
#endif // QT_CONFIG(accessibility)
        self.bagLabel.setText("")
#if QT_CONFIG(accessibility)
        self.bagLabel.setAccessibleName(QCoreApplication.translate("Header", u"Bag number", None))
#endif // QT_CONFIG(accessibility)
        self.userLabel.setText("")
#if QT_CONFIG(accessibility)
        self.userLabel.setAccessibleName(QCoreApplication.translate("Header", u"Signed-in user", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.countdownBox.setAccessibleName(QCoreApplication.translate("Header", u"Countdowns", None))
#endif // QT_CONFIG(accessibility)
        self.recordBanner.setText("")
#if QT_CONFIG(accessibility)
        self.recordBanner.setAccessibleName(QCoreApplication.translate("Header", u"Storage alarm: not recorded", None))
#endif // QT_CONFIG(accessibility)
        self.alarmLabel.setText("")
#if QT_CONFIG(accessibility)
        self.alarmLabel.setAccessibleName(QCoreApplication.translate("Header", u"Active alarms", None))
#endif // QT_CONFIG(accessibility)
        self.silenceButton.setText(QCoreApplication.translate("Header", u"Silence 2 min", None))
#if QT_CONFIG(accessibility)
        self.silenceButton.setAccessibleName(QCoreApplication.translate("Header", u"Silence alarm sound for two minutes", None))
#endif // QT_CONFIG(accessibility)
        self.acknowledgeButton.setText(QCoreApplication.translate("Header", u"Acknowledge", None))
#if QT_CONFIG(accessibility)
        self.acknowledgeButton.setAccessibleName(QCoreApplication.translate("Header", u"Acknowledge alarm", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


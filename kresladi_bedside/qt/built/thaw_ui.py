# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'thaw.ui'
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
from PySide6.QtWidgets import (QApplication, QComboBox, QHBoxLayout, QLabel,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_ThawPage(object):
    def setupUi(self, ThawPage):
        if not ThawPage.objectName():
            ThawPage.setObjectName(u"ThawPage")
        self.ThawPageLayout = QVBoxLayout(ThawPage)
        self.ThawPageLayout.setObjectName(u"ThawPageLayout")
        self.instructionLabel = QLabel(ThawPage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.ThawPageLayout.addWidget(self.instructionLabel)

        self.remindersLabel = QLabel(ThawPage)
        self.remindersLabel.setObjectName(u"remindersLabel")
        self.remindersLabel.setTextFormat(Qt.PlainText)
        self.remindersLabel.setWordWrap(True)

        self.ThawPageLayout.addWidget(self.remindersLabel)

        self.attestBox = QWidget(ThawPage)
        self.attestBox.setObjectName(u"attestBox")
        self.attestBoxLayout = QVBoxLayout(self.attestBox)
        self.attestBoxLayout.setObjectName(u"attestBoxLayout")
        self.attestBoxLayout.setContentsMargins(0, 0, 0, 0)

        self.ThawPageLayout.addWidget(self.attestBox)

        self.row30 = QHBoxLayout()
        self.row30.setObjectName(u"row30")
        self.methodCaption = QLabel(ThawPage)
        self.methodCaption.setObjectName(u"methodCaption")
        self.methodCaption.setTextFormat(Qt.PlainText)
        self.methodCaption.setWordWrap(True)

        self.row30.addWidget(self.methodCaption)

        self.methodCombo = QComboBox(ThawPage)
        self.methodCombo.setObjectName(u"methodCombo")
        self.methodCombo.setMinimumSize(QSize(220, 48))

        self.row30.addWidget(self.methodCombo)

        self.startButton = QPushButton(ThawPage)
        self.startButton.setObjectName(u"startButton")
        self.startButton.setMinimumSize(QSize(160, 48))

        self.row30.addWidget(self.startButton)

        self.spacer30 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row30.addItem(self.spacer30)


        self.ThawPageLayout.addLayout(self.row30)

        self.completeAttestBox = QWidget(ThawPage)
        self.completeAttestBox.setObjectName(u"completeAttestBox")
        self.completeAttestBoxLayout = QVBoxLayout(self.completeAttestBox)
        self.completeAttestBoxLayout.setObjectName(u"completeAttestBoxLayout")
        self.completeAttestBoxLayout.setContentsMargins(0, 0, 0, 0)

        self.ThawPageLayout.addWidget(self.completeAttestBox)

        self.row32 = QHBoxLayout()
        self.row32.setObjectName(u"row32")
        self.completeButton = QPushButton(ThawPage)
        self.completeButton.setObjectName(u"completeButton")
        self.completeButton.setMinimumSize(QSize(160, 48))

        self.row32.addWidget(self.completeButton)

        self.spacer32 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row32.addItem(self.spacer32)


        self.ThawPageLayout.addLayout(self.row32)

        self.messageLabel = QLabel(ThawPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.ThawPageLayout.addWidget(self.messageLabel)

        self.spacer33 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.ThawPageLayout.addItem(self.spacer33)


        self.retranslateUi(ThawPage)

        QMetaObject.connectSlotsByName(ThawPage)
    # setupUi

    def retranslateUi(self, ThawPage):
#if QT_CONFIG(accessibility)
        ThawPage.setAccessibleName(QCoreApplication.translate("ThawPage", u"ThawPage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("ThawPage", u"Instructions for this step", None))
#endif // QT_CONFIG(accessibility)
        self.remindersLabel.setText("")
#if QT_CONFIG(accessibility)
        self.remindersLabel.setAccessibleName(QCoreApplication.translate("ThawPage", u"Reminders from the prescribing information", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.attestBox.setAccessibleName(QCoreApplication.translate("ThawPage", u"Before the thaw", None))
#endif // QT_CONFIG(accessibility)
        self.methodCaption.setText(QCoreApplication.translate("ThawPage", u"Thaw method:", None))
#if QT_CONFIG(accessibility)
        self.methodCaption.setAccessibleName(QCoreApplication.translate("ThawPage", u"Thaw method caption", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.methodCombo.setAccessibleName(QCoreApplication.translate("ThawPage", u"Thaw method", None))
#endif // QT_CONFIG(accessibility)
        self.startButton.setText(QCoreApplication.translate("ThawPage", u"&Start thaw", None))
#if QT_CONFIG(accessibility)
        self.startButton.setAccessibleName(QCoreApplication.translate("ThawPage", u"Start thaw now", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.completeAttestBox.setAccessibleName(QCoreApplication.translate("ThawPage", u"After the thaw", None))
#endif // QT_CONFIG(accessibility)
        self.completeButton.setText(QCoreApplication.translate("ThawPage", u"Thaw &complete", None))
#if QT_CONFIG(accessibility)
        self.completeButton.setAccessibleName(QCoreApplication.translate("ThawPage", u"Thaw complete now", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("ThawPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


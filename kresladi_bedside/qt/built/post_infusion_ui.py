# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'post_infusion.ui'
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

class Ui_PostInfusionPage(object):
    def setupUi(self, PostInfusionPage):
        if not PostInfusionPage.objectName():
            PostInfusionPage.setObjectName(u"PostInfusionPage")
        self.PostInfusionPageLayout = QVBoxLayout(PostInfusionPage)
        self.PostInfusionPageLayout.setObjectName(u"PostInfusionPageLayout")
        self.instructionLabel = QLabel(PostInfusionPage)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.PostInfusionPageLayout.addWidget(self.instructionLabel)

        self.remindersLabel = QLabel(PostInfusionPage)
        self.remindersLabel.setObjectName(u"remindersLabel")
        self.remindersLabel.setTextFormat(Qt.PlainText)
        self.remindersLabel.setWordWrap(True)

        self.PostInfusionPageLayout.addWidget(self.remindersLabel)

        self.attestBox = QWidget(PostInfusionPage)
        self.attestBox.setObjectName(u"attestBox")
        self.attestBoxLayout = QVBoxLayout(self.attestBox)
        self.attestBoxLayout.setObjectName(u"attestBoxLayout")
        self.attestBoxLayout.setContentsMargins(0, 0, 0, 0)

        self.PostInfusionPageLayout.addWidget(self.attestBox)

        self.row49 = QHBoxLayout()
        self.row49.setObjectName(u"row49")
        self.acknowledgeButton = QPushButton(PostInfusionPage)
        self.acknowledgeButton.setObjectName(u"acknowledgeButton")
        self.acknowledgeButton.setMinimumSize(QSize(160, 48))

        self.row49.addWidget(self.acknowledgeButton)

        self.spacer49 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row49.addItem(self.spacer49)


        self.PostInfusionPageLayout.addLayout(self.row49)

        self.messageLabel = QLabel(PostInfusionPage)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.PostInfusionPageLayout.addWidget(self.messageLabel)

        self.spacer50 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.PostInfusionPageLayout.addItem(self.spacer50)


        self.retranslateUi(PostInfusionPage)

        QMetaObject.connectSlotsByName(PostInfusionPage)
    # setupUi

    def retranslateUi(self, PostInfusionPage):
#if QT_CONFIG(accessibility)
        PostInfusionPage.setAccessibleName(QCoreApplication.translate("PostInfusionPage", u"PostInfusionPage", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText("")
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("PostInfusionPage", u"Instructions for this step", None))
#endif // QT_CONFIG(accessibility)
        self.remindersLabel.setText("")
#if QT_CONFIG(accessibility)
        self.remindersLabel.setAccessibleName(QCoreApplication.translate("PostInfusionPage", u"Reminders from the prescribing information", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.attestBox.setAccessibleName(QCoreApplication.translate("PostInfusionPage", u"After the infusion", None))
#endif // QT_CONFIG(accessibility)
        self.acknowledgeButton.setText(QCoreApplication.translate("PostInfusionPage", u"&Record and finish", None))
#if QT_CONFIG(accessibility)
        self.acknowledgeButton.setAccessibleName(QCoreApplication.translate("PostInfusionPage", u"Record and finish", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("PostInfusionPage", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


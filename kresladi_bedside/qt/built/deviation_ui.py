# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'deviation.ui'
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
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_DeviationForm(object):
    def setupUi(self, DeviationForm):
        if not DeviationForm.objectName():
            DeviationForm.setObjectName(u"DeviationForm")
        self.DeviationFormLayout = QVBoxLayout(DeviationForm)
        self.DeviationFormLayout.setObjectName(u"DeviationFormLayout")
        self.ruleLabel = QLabel(DeviationForm)
        self.ruleLabel.setObjectName(u"ruleLabel")
        self.ruleLabel.setTextFormat(Qt.PlainText)
        self.ruleLabel.setWordWrap(True)

        self.DeviationFormLayout.addWidget(self.ruleLabel)

        self.reasonEdit = QPlainTextEdit(DeviationForm)
        self.reasonEdit.setObjectName(u"reasonEdit")
        self.reasonEdit.setMinimumSize(QSize(0, 88))
        self.reasonEdit.setTabChangesFocus(True)

        self.DeviationFormLayout.addWidget(self.reasonEdit)

        self.signerLabel = QLabel(DeviationForm)
        self.signerLabel.setObjectName(u"signerLabel")
        self.signerLabel.setTextFormat(Qt.PlainText)
        self.signerLabel.setWordWrap(True)

        self.DeviationFormLayout.addWidget(self.signerLabel)

        self.pinEdit = QLineEdit(DeviationForm)
        self.pinEdit.setObjectName(u"pinEdit")
        self.pinEdit.setMinimumSize(QSize(0, 48))
        self.pinEdit.setEchoMode(QLineEdit.Password)

        self.DeviationFormLayout.addWidget(self.pinEdit)

        self.row58 = QHBoxLayout()
        self.row58.setObjectName(u"row58")
        self.spacer58 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row58.addItem(self.spacer58)

        self.cancelButton = QPushButton(DeviationForm)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setMinimumSize(QSize(160, 48))

        self.row58.addWidget(self.cancelButton)

        self.signButton = QPushButton(DeviationForm)
        self.signButton.setObjectName(u"signButton")
        self.signButton.setMinimumSize(QSize(160, 48))

        self.row58.addWidget(self.signButton)


        self.DeviationFormLayout.addLayout(self.row58)

        self.messageLabel = QLabel(DeviationForm)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.DeviationFormLayout.addWidget(self.messageLabel)


        self.retranslateUi(DeviationForm)

        QMetaObject.connectSlotsByName(DeviationForm)
    # setupUi

    def retranslateUi(self, DeviationForm):
#if QT_CONFIG(accessibility)
        DeviationForm.setAccessibleName(QCoreApplication.translate("DeviationForm", u"DeviationForm", None))
#endif // QT_CONFIG(accessibility)
        self.ruleLabel.setText("")
#if QT_CONFIG(accessibility)
        self.ruleLabel.setAccessibleName(QCoreApplication.translate("DeviationForm", u"The limit that was passed", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.reasonEdit.setAccessibleName(QCoreApplication.translate("DeviationForm", u"Reason for the deviation", None))
#endif // QT_CONFIG(accessibility)
        self.reasonEdit.setPlaceholderText(QCoreApplication.translate("DeviationForm", u"Reason (required)", None))
        self.signerLabel.setText("")
#if QT_CONFIG(accessibility)
        self.signerLabel.setAccessibleName(QCoreApplication.translate("DeviationForm", u"Who signs the deviation", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.pinEdit.setAccessibleName(QCoreApplication.translate("DeviationForm", u"Signer PIN", None))
#endif // QT_CONFIG(accessibility)
        self.pinEdit.setPlaceholderText(QCoreApplication.translate("DeviationForm", u"Your PIN", None))
        self.cancelButton.setText(QCoreApplication.translate("DeviationForm", u"Cancel", None))
#if QT_CONFIG(accessibility)
        self.cancelButton.setAccessibleName(QCoreApplication.translate("DeviationForm", u"Cancel", None))
#endif // QT_CONFIG(accessibility)
        self.signButton.setText(QCoreApplication.translate("DeviationForm", u"Sign and continue", None))
#if QT_CONFIG(accessibility)
        self.signButton.setAccessibleName(QCoreApplication.translate("DeviationForm", u"Sign and continue", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("DeviationForm", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


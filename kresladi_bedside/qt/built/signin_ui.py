# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'signin.ui'
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
from PySide6.QtWidgets import (QApplication, QCheckBox, QHBoxLayout, QLabel,
    QLineEdit, QPushButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_SignIn(object):
    def setupUi(self, SignIn):
        if not SignIn.objectName():
            SignIn.setObjectName(u"SignIn")
        self.SignInLayout = QVBoxLayout(SignIn)
        self.SignInLayout.setObjectName(u"SignInLayout")
        self.instructionLabel = QLabel(SignIn)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.SignInLayout.addWidget(self.instructionLabel)

        self.nameEdit = QLineEdit(SignIn)
        self.nameEdit.setObjectName(u"nameEdit")
        self.nameEdit.setMinimumSize(QSize(0, 48))
        self.nameEdit.setVisible(False)

        self.SignInLayout.addWidget(self.nameEdit)

        self.badgeEdit = QLineEdit(SignIn)
        self.badgeEdit.setObjectName(u"badgeEdit")
        self.badgeEdit.setMinimumSize(QSize(0, 48))

        self.SignInLayout.addWidget(self.badgeEdit)

        self.pinEdit = QLineEdit(SignIn)
        self.pinEdit.setObjectName(u"pinEdit")
        self.pinEdit.setMinimumSize(QSize(0, 48))
        self.pinEdit.setEchoMode(QLineEdit.Password)

        self.SignInLayout.addWidget(self.pinEdit)

        self.pinAgainEdit = QLineEdit(SignIn)
        self.pinAgainEdit.setObjectName(u"pinAgainEdit")
        self.pinAgainEdit.setMinimumSize(QSize(0, 48))
        self.pinAgainEdit.setEchoMode(QLineEdit.Password)
        self.pinAgainEdit.setVisible(False)

        self.SignInLayout.addWidget(self.pinAgainEdit)

        self.nurseCheck = QCheckBox(SignIn)
        self.nurseCheck.setObjectName(u"nurseCheck")
        self.nurseCheck.setChecked(True)
        self.nurseCheck.setVisible(False)

        self.SignInLayout.addWidget(self.nurseCheck)

        self.row4 = QHBoxLayout()
        self.row4.setObjectName(u"row4")
        self.signInButton = QPushButton(SignIn)
        self.signInButton.setObjectName(u"signInButton")
        self.signInButton.setMinimumSize(QSize(160, 48))

        self.row4.addWidget(self.signInButton)

        self.spacer4 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row4.addItem(self.spacer4)


        self.SignInLayout.addLayout(self.row4)

        self.messageLabel = QLabel(SignIn)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.SignInLayout.addWidget(self.messageLabel)

        self.trainingLabel = QLabel(SignIn)
        self.trainingLabel.setObjectName(u"trainingLabel")
        self.trainingLabel.setTextFormat(Qt.PlainText)
        self.trainingLabel.setWordWrap(True)
        self.trainingLabel.setVisible(False)

        self.SignInLayout.addWidget(self.trainingLabel)

        self.spacer5 = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.SignInLayout.addItem(self.spacer5)


        self.retranslateUi(SignIn)

        QMetaObject.connectSlotsByName(SignIn)
    # setupUi

    def retranslateUi(self, SignIn):
#if QT_CONFIG(accessibility)
        SignIn.setAccessibleName(QCoreApplication.translate("SignIn", u"SignIn", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText(QCoreApplication.translate("SignIn", u"Scan your badge, then enter your PIN.", None))
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("SignIn", u"Sign-in instructions", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.nameEdit.setAccessibleName(QCoreApplication.translate("SignIn", u"Administrator name", None))
#endif // QT_CONFIG(accessibility)
        self.nameEdit.setPlaceholderText(QCoreApplication.translate("SignIn", u"Your name as printed on signatures (e.g. OKAFOR, ADA)", None))
#if QT_CONFIG(accessibility)
        self.badgeEdit.setAccessibleName(QCoreApplication.translate("SignIn", u"Badge", None))
#endif // QT_CONFIG(accessibility)
        self.badgeEdit.setPlaceholderText(QCoreApplication.translate("SignIn", u"Badge (scan or type)", None))
#if QT_CONFIG(accessibility)
        self.pinEdit.setAccessibleName(QCoreApplication.translate("SignIn", u"PIN", None))
#endif // QT_CONFIG(accessibility)
        self.pinEdit.setPlaceholderText(QCoreApplication.translate("SignIn", u"PIN", None))
#if QT_CONFIG(accessibility)
        self.pinAgainEdit.setAccessibleName(QCoreApplication.translate("SignIn", u"PIN again", None))
#endif // QT_CONFIG(accessibility)
        self.pinAgainEdit.setPlaceholderText(QCoreApplication.translate("SignIn", u"PIN again", None))
        self.nurseCheck.setText(QCoreApplication.translate("SignIn", u"I am also a nurse who gives infusions here", None))
#if QT_CONFIG(accessibility)
        self.nurseCheck.setAccessibleName(QCoreApplication.translate("SignIn", u"Also a nurse", None))
#endif // QT_CONFIG(accessibility)
        self.signInButton.setText(QCoreApplication.translate("SignIn", u"&Sign in", None))
#if QT_CONFIG(accessibility)
        self.signInButton.setAccessibleName(QCoreApplication.translate("SignIn", u"Sign in", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("SignIn", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
        self.trainingLabel.setText("")
#if QT_CONFIG(accessibility)
        self.trainingLabel.setAccessibleName(QCoreApplication.translate("SignIn", u"Training badges and PINs", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


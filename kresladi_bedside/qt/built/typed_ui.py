# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'typed.ui'
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
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_TypedEntryForm(object):
    def setupUi(self, TypedEntryForm):
        if not TypedEntryForm.objectName():
            TypedEntryForm.setObjectName(u"TypedEntryForm")
        self.TypedEntryFormLayout = QVBoxLayout(TypedEntryForm)
        self.TypedEntryFormLayout.setObjectName(u"TypedEntryFormLayout")
        self.instructionLabel = QLabel(TypedEntryForm)
        self.instructionLabel.setObjectName(u"instructionLabel")
        self.instructionLabel.setTextFormat(Qt.PlainText)
        self.instructionLabel.setWordWrap(True)

        self.TypedEntryFormLayout.addWidget(self.instructionLabel)

        self.payloadEdit = QLineEdit(TypedEntryForm)
        self.payloadEdit.setObjectName(u"payloadEdit")
        self.payloadEdit.setMinimumSize(QSize(0, 48))

        self.TypedEntryFormLayout.addWidget(self.payloadEdit)

        self.reasonEdit = QLineEdit(TypedEntryForm)
        self.reasonEdit.setObjectName(u"reasonEdit")
        self.reasonEdit.setMinimumSize(QSize(0, 48))

        self.TypedEntryFormLayout.addWidget(self.reasonEdit)

        self.row60 = QHBoxLayout()
        self.row60.setObjectName(u"row60")
        self.spacer60 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.row60.addItem(self.spacer60)

        self.cancelButton = QPushButton(TypedEntryForm)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setMinimumSize(QSize(160, 48))

        self.row60.addWidget(self.cancelButton)

        self.submitButton = QPushButton(TypedEntryForm)
        self.submitButton.setObjectName(u"submitButton")
        self.submitButton.setMinimumSize(QSize(160, 48))

        self.row60.addWidget(self.submitButton)


        self.TypedEntryFormLayout.addLayout(self.row60)

        self.messageLabel = QLabel(TypedEntryForm)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setTextFormat(Qt.PlainText)
        self.messageLabel.setWordWrap(True)

        self.TypedEntryFormLayout.addWidget(self.messageLabel)


        self.retranslateUi(TypedEntryForm)

        QMetaObject.connectSlotsByName(TypedEntryForm)
    # setupUi

    def retranslateUi(self, TypedEntryForm):
#if QT_CONFIG(accessibility)
        TypedEntryForm.setAccessibleName(QCoreApplication.translate("TypedEntryForm", u"TypedEntryForm", None))
#endif // QT_CONFIG(accessibility)
        self.instructionLabel.setText(QCoreApplication.translate("TypedEntryForm", u"Typing is not scanning. Use it only when the label cannot be scanned, and say why. It is recorded as typed.", None))
#if QT_CONFIG(accessibility)
        self.instructionLabel.setAccessibleName(QCoreApplication.translate("TypedEntryForm", u"Typed entry instructions", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.payloadEdit.setAccessibleName(QCoreApplication.translate("TypedEntryForm", u"Label contents", None))
#endif // QT_CONFIG(accessibility)
        self.payloadEdit.setPlaceholderText(QCoreApplication.translate("TypedEntryForm", u"What the label says", None))
#if QT_CONFIG(accessibility)
        self.reasonEdit.setAccessibleName(QCoreApplication.translate("TypedEntryForm", u"Reason for typing", None))
#endif // QT_CONFIG(accessibility)
        self.reasonEdit.setPlaceholderText(QCoreApplication.translate("TypedEntryForm", u"Why it cannot be scanned (required)", None))
        self.cancelButton.setText(QCoreApplication.translate("TypedEntryForm", u"Cancel", None))
#if QT_CONFIG(accessibility)
        self.cancelButton.setAccessibleName(QCoreApplication.translate("TypedEntryForm", u"Cancel", None))
#endif // QT_CONFIG(accessibility)
        self.submitButton.setText(QCoreApplication.translate("TypedEntryForm", u"Submit typed entry", None))
#if QT_CONFIG(accessibility)
        self.submitButton.setAccessibleName(QCoreApplication.translate("TypedEntryForm", u"Submit typed entry", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("TypedEntryForm", u"Why the last action was refused", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


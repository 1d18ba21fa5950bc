# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'receipt_chooser.ui'
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
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListWidget,
    QListWidgetItem, QPushButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_ReceiptChooserForm(object):
    def setupUi(self, ReceiptChooserForm):
        if not ReceiptChooserForm.objectName():
            ReceiptChooserForm.setObjectName(u"ReceiptChooserForm")
        self.ReceiptChooserFormLayout = QVBoxLayout(ReceiptChooserForm)
        self.ReceiptChooserFormLayout.setObjectName(u"ReceiptChooserFormLayout")
        self.chooserLabel = QLabel(ReceiptChooserForm)
        self.chooserLabel.setObjectName(u"chooserLabel")
        self.chooserLabel.setTextFormat(Qt.PlainText)
        self.chooserLabel.setWordWrap(True)

        self.ReceiptChooserFormLayout.addWidget(self.chooserLabel)

        self.productList = QListWidget(ReceiptChooserForm)
        self.productList.setObjectName(u"productList")
        self.productList.setMinimumSize(QSize(0, 120))

        self.ReceiptChooserFormLayout.addWidget(self.productList)

        self.h39 = QHBoxLayout()
        self.h39.setObjectName(u"h39")
        self.ehrButton = QPushButton(ReceiptChooserForm)
        self.ehrButton.setObjectName(u"ehrButton")
        self.ehrButton.setMinimumSize(QSize(180, 44))

        self.h39.addWidget(self.ehrButton)

        self.importButton = QPushButton(ReceiptChooserForm)
        self.importButton.setObjectName(u"importButton")
        self.importButton.setMinimumSize(QSize(180, 44))

        self.h39.addWidget(self.importButton)

        self.s38 = QSpacerItem(20, 10, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.h39.addItem(self.s38)

        self.openButton = QPushButton(ReceiptChooserForm)
        self.openButton.setObjectName(u"openButton")
        self.openButton.setMinimumSize(QSize(180, 44))

        self.h39.addWidget(self.openButton)


        self.ReceiptChooserFormLayout.addLayout(self.h39)

        self.chooserMessageLabel = QLabel(ReceiptChooserForm)
        self.chooserMessageLabel.setObjectName(u"chooserMessageLabel")
        self.chooserMessageLabel.setTextFormat(Qt.PlainText)
        self.chooserMessageLabel.setWordWrap(True)

        self.ReceiptChooserFormLayout.addWidget(self.chooserMessageLabel)


        self.retranslateUi(ReceiptChooserForm)

        QMetaObject.connectSlotsByName(ReceiptChooserForm)
    # setupUi

    def retranslateUi(self, ReceiptChooserForm):
#if QT_CONFIG(accessibility)
        ReceiptChooserForm.setAccessibleName(QCoreApplication.translate("ReceiptChooserForm", u"ReceiptChooserForm", None))
#endif // QT_CONFIG(accessibility)
        self.chooserLabel.setText(QCoreApplication.translate("ReceiptChooserForm", u"Received products awaiting infusion", None))
#if QT_CONFIG(accessibility)
        self.chooserLabel.setAccessibleName(QCoreApplication.translate("ReceiptChooserForm", u"Received products", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.productList.setAccessibleName(QCoreApplication.translate("ReceiptChooserForm", u"Received products awaiting infusion", None))
#endif // QT_CONFIG(accessibility)
        self.ehrButton.setText(QCoreApplication.translate("ReceiptChooserForm", u"Check the &EHR", None))
#if QT_CONFIG(accessibility)
        self.ehrButton.setAccessibleName(QCoreApplication.translate("ReceiptChooserForm", u"Check the EHR", None))
#endif // QT_CONFIG(accessibility)
        self.importButton.setText(QCoreApplication.translate("ReceiptChooserForm", u"&Import a receipt file\u2026", None))
#if QT_CONFIG(accessibility)
        self.importButton.setAccessibleName(QCoreApplication.translate("ReceiptChooserForm", u"Import a receipt file\u2026", None))
#endif // QT_CONFIG(accessibility)
        self.openButton.setText(QCoreApplication.translate("ReceiptChooserForm", u"&Open the infusion for this product", None))
#if QT_CONFIG(accessibility)
        self.openButton.setAccessibleName(QCoreApplication.translate("ReceiptChooserForm", u"Open the infusion for this product", None))
#endif // QT_CONFIG(accessibility)
        self.chooserMessageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.chooserMessageLabel.setAccessibleName(QCoreApplication.translate("ReceiptChooserForm", u"Received products message", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi


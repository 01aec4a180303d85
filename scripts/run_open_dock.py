"""`make run` start-up script (qgis --code): open the Nadir panel once QGIS is up."""

from qgis.PyQt.QtWidgets import QAction
from qgis.utils import iface

for action in iface.mainWindow().findChildren(QAction):
    if action.objectName() == "NadirToggleDock" and not action.isChecked():
        action.trigger()

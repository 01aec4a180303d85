"""Nadir inside QGIS's own menus: the layer context menu and files dropped on the map."""

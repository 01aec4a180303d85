"""Deliveries on the QGIS side: download preferences, delivered rasters as layers, streamed layers' credentials."""

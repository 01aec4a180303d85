"""Orders on the QGIS side: orders as vector features, the existing-orders overlay's saved filters."""

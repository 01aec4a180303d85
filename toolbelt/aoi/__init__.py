"""Areas of interest on the QGIS side: reading files and layers through OGR, the project's AOI layer."""

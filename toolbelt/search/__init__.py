"""Archive search on the QGIS side: captures as vector features (the Search layer and Processing output)."""

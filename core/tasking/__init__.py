"""Tasking: the data product's JSON schema as fields, its checks, and the
order geometry from an AOI. Pure Python: no Qt, no QGIS."""

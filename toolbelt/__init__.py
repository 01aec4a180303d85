"""QGIS-side services: settings, auth, network, logging, layers, compat.

The only package that touches QgsSettings, QgsAuthManager and network configuration.
"""

"""Pure-Python domain: models, AOI geometry, grid, cart, outbox, order state machines.

Imports no qgis, PyQt or sip (tests/unit/test_architecture.py enforces it).
"""

"""Geopera stand-in internals; ``sandbox/providers/geopera.py`` wires them."""

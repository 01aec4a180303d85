"""Airbus OneAtlas: adapter and wire format."""

"""Geopera: adapter and wire models."""

"""Helpers shared by the test tiers (importable as ``support`` once tests/ is on sys.path)."""

"""Deliveries: Load, Download and Stream in the orders panel (DESIGN.md F10)."""

"""Deliveries: Load, Download and Stream in the orders panel; delivered imagery back as layers."""

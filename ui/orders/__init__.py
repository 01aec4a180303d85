"""Orders: panel with live status, cancellation, existing-orders overlay (DESIGN.md F3, F7)."""

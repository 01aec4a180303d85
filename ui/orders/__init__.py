"""Orders: panel with live status of every provider's orders, cancellation, existing-orders overlay."""

"""ClearSKY Vision: adapter, wire format, deliveries as retrievals."""

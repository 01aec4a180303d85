"""Ordering: the cart and its file, ClearSKY's configure rules, checkout through the outbox."""

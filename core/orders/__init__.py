"""Orders after placement: the order book, filters, and polling the providers."""

"""UP42: adapter (tasking, orders), catalog, wire models."""

"""UP42 stand-in internals; ``sandbox/providers/up42.py`` wires them."""

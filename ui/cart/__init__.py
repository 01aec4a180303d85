"""The ordering money path: configure dialog, cart dock section, checkout, outbox service."""

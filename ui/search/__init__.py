"""The archive search section."""

"""Tasking (ordering new acquisitions): the data product's schema as a form."""

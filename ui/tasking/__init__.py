"""Tasking (DESIGN.md F9): the data product's schema as a form."""

"""Processing for archive search: nadir:search_archive."""

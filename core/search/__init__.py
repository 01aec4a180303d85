"""Archive search: query several providers, merge, stream results."""

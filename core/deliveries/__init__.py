"""Deliveries: which assets to fetch, where their files go, unpacking, and the fetch itself."""

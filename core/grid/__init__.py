"""A provider's tile grid: cells and zones, the cache, covers of an AOI, the selection, fetching."""

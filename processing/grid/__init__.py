"""Processing for the tile grid: nadir:tile_cover."""

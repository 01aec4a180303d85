"""Processing for ordering: nadir:estimate and nadir:place_order."""

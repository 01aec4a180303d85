"""Processing for areas of interest: nadir:import_aoi."""

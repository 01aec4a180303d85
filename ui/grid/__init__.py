"""The tile grid feature (ClearSKY's UTM tiles and minitiles): layer, map tool, dock section,
presenter."""

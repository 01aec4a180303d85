"""The tile grid feature (DESIGN.md F2): layer, map tool, dock section, presenter."""

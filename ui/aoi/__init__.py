"""Areas of interest (DESIGN.md F1): dock section, map tools, dialogs, the AOI service."""

"""Areas of interest (drawn, taken from layers, imported or pasted; validated per provider): dock
section, map tools, dialogs, the AOI service."""

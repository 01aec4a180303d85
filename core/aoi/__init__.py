"""Areas of interest: the model, reading texts and files, geometry checks and fixes, provider rules."""

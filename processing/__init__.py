"""The Processing provider ``nadir`` and its algorithms (toolbox, models, batch, ``qgis_process``)."""

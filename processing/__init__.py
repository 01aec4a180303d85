"""The Processing provider ``nadir`` and its algorithms (toolbox, models, batch, ``qgis_process``).

``provider.py`` and ``algorithms.py`` (the shared ``NadirAlgorithm`` base and the list of
algorithms) sit here; each feature's algorithms live in its package (``aoi/``, ``grid/``,
``ordering/``, ``orders/``, ``deliveries/``, ``search/``, ``tasking/``).
"""

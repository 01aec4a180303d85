"""Local stand-ins for the ClearSKY, UP42, Geopera and OneAtlas APIs (DESIGN.md 5).

Written from ``shared/seeds`` and ``shared/contracts`` only, never from Nadir's
adapters; it shares no code or models with ``core/`` or ``providers/``. Not shipped
in the plugin zip.

Layout of one running sandbox (one port, one base URL per provider API host)::

    /clearsky          ClearSKY Vision API (https://api.clearsky.vision)
    /up42              UP42 API (https://api.up42.com)
    /up42-auth         UP42 token server (https://auth.up42.com)
    /geopera           Geopera API (https://api.geopera.com)
    /oneatlas-data     OneAtlas Living Library data API
    /oneatlas-auth     OneAtlas token server
    /oneatlas-search   OneAtlas search API
    /oneatlas-access   OneAtlas access/download API
    /_sandbox          sandbox administration: faults, clock, request log, reset
"""

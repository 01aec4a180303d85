"""Local stand-ins for the ClearSKY, UP42, Geopera and OneAtlas APIs, strict and stateful, on loopback.

Written from the providers' own documents only (their guides and API references, and the
specs and SDK fixtures copied in ``contract_data/``), never from Nadir's adapters; it shares
no code or models with ``core/`` or ``providers/``. Not shipped in the plugin zip.

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

"""Provider adapters: one package per provider over httpx, Qt-free; core never imports them.

Each adapter implements the small capability protocols of :mod:`core.ports` it
supports, returns :mod:`core.models` and raises :mod:`core.errors`. The registry builds
adapters from plain connection values and resolved credentials.
"""

"""One module per provider API. Each exposes ``build(ctx) -> ProviderBuild``.

Modules are discovered by name, so adding a provider needs no edit elsewhere.
"""

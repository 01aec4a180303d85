"""The QgsTask contract (:mod:`.base`): work from core and providers runs off the GUI thread
through :class:`.base.FunctionTask`, with progress, cancellation and partial results."""

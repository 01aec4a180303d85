"""Names the grid stores in projects (standard library only: read at start-up)."""

from __future__ import annotations

#: project entry holding the serialised selection (see core.grid.selection)
ENTRY_SCOPE = "Nadir"
ENTRY_KEY = "grid/selection"
#: custom property marking the grid layer, so a reopened project's layer is adopted
ROLE_PROPERTY = "nadir/role"
ROLE = "tile-grid"

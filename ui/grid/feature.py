"""The tile grid feature: wires the dock section, the ``"grid"`` service (see
:class:`.service.GridService`), the project signals and, once the grid is used, the
presenter and the map tool.

Start-up stays light: only the panel and the service are built in ``init_gui``. The
presenter (and with it shapely, numpy and pydantic) loads on the first use of the
section, or when the open project has a grid selection or a grid layer.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Optional

from qgis.core import QgsMapLayer, QgsProject, QgsVectorLayer

from ...core.errors import InputError, NadirError, NotSupported
from ...core.grid.zones import zone_label
from ...toolbelt.i18n import area, number, tr, trn
from ..feature import PluginContext
from ..services import AOIS, CONFIGURE, GRID
from .keys import ENTRY_KEY, ENTRY_SCOPE, ROLE, ROLE_PROPERTY
from .panel import GridPanel
from .service import GridService

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from ...core.grid.cover import CoverResult
    from ...core.ports import SupportsGrid
    from .maptool import GridSelectTool
    from .presenter import GridPresenter

LOGGER = logging.getLogger(__name__)
SECTION = "grid"
ACTIVE_LAYER_SOURCE = "layer:active"
CHOSEN_AOIS_SOURCE = "aois:chosen"
AOI_SOURCE_PREFIX = "aoi:"


def clearsky_source(ctx: PluginContext) -> SupportsGrid:
    """The ClearSKY adapter of the configured connection (GUI thread: reads credentials)."""
    from ...core.ports import SupportsGrid, close_adapter
    from ...toolbelt.connections import adapter_for

    adapter = adapter_for("clearsky", ctx.settings.current)
    if not isinstance(adapter, SupportsGrid):
        close_adapter(adapter)
        raise NotSupported("The ClearSKY adapter has no tile grid.")
    return adapter


def layer_aoi(layer: Optional[QgsMapLayer]) -> BaseGeometry:
    """The selected polygons of a layer, as one lon/lat geometry."""
    import shapely

    from ...toolbelt.compat import POLYGON_GEOMETRY
    from ...toolbelt.geometry import qgs_to_wgs84

    if not isinstance(layer, QgsVectorLayer) or layer.geometryType() != POLYGON_GEOMETRY:
        raise InputError(tr("Make a polygon layer the active layer and select the AOI features in it."))
    features = list(layer.getSelectedFeatures())
    if not features:
        raise InputError(tr("Select the AOI features in the active layer ({}) first.").format(layer.name()))
    context = QgsProject.instance().transformContext()
    geoms = [qgs_to_wgs84(f.geometry(), layer.crs(), context) for f in features]
    parts = [g for g in geoms if g is not None and not g.is_empty]
    if not parts:
        raise InputError(tr("The selected features have no geometry."))
    return shapely.union_all(parts)


def project_uses_grid(project: QgsProject) -> bool:
    """Does the project hold a grid selection or a grid layer? (cheap: no grid imports)"""
    text, found = project.readEntry(ENTRY_SCOPE, ENTRY_KEY, "")
    if found and text:
        return True
    return any(layer.customProperty(ROLE_PROPERTY) == ROLE for layer in project.mapLayers().values())


class GridFeature:
    provides = (GRID,)
    needs = (AOIS, CONFIGURE)

    def __init__(self, ctx: PluginContext) -> None:
        self.ctx = ctx
        self.service: Optional[GridService] = None
        self.panel: Optional[GridPanel] = None
        self.presenter: Optional[GridPresenter] = None
        self.tool: Optional[GridSelectTool] = None

    # ------------------------------------------------------------------ wiring
    def init_gui(self) -> None:
        ctx = self.ctx
        project = QgsProject.instance()
        self.service = GridService()
        ctx.services.provide(GRID, self.service)
        self.panel = GridPanel()
        ctx.dock.add_section(SECTION, tr("Tile grid"), self.panel)
        self.panel.grid_toggled.connect(self._grid_toggled)
        self.panel.tool_toggled.connect(self._tool_toggled)
        self.panel.zone_toggled.connect(self._zone_toggled)
        self.panel.clear_requested.connect(self._clear_requested)
        self.panel.cover_requested.connect(self._cover_requested)
        self.panel.configure_order.connect(self._configure_order)
        project.writeProject.connect(self._project_written)
        project.readProject.connect(self._project_read)
        project.cleared.connect(self._project_cleared)
        ctx.settings.on_change(self._settings_changed)
        aois = ctx.services.get(AOIS)
        if aois is not None:
            aois.changed.connect(self._aois_changed)
        self.panel.set_aoi_sources(self._aoi_sources())
        if project_uses_grid(project):  # a project was open before the plugin loaded
            self._project_read()
        self._show_status()

    def _configure_order(self) -> None:
        """ "Configure order…": the ordering feature (``CONFIGURE``) takes over."""
        configure = self.ctx.services.get(CONFIGURE)
        if configure is None:
            self.ctx.notifier.warning(tr("Ordering is not available in this session."))
            return
        configure.open_for_selected_cells()

    def unload(self) -> None:
        ctx = self.ctx
        project = QgsProject.instance()
        ctx.settings.remove_listener(self._settings_changed)
        aois = ctx.services.get(AOIS)
        if aois is not None:
            aois.changed.disconnect(self._aois_changed)
        project.cleared.disconnect(self._project_cleared)
        project.readProject.disconnect(self._project_read)
        project.writeProject.disconnect(self._project_written)
        if self.tool is not None:
            if ctx.iface.mapCanvas().mapTool() is self.tool:
                ctx.iface.mapCanvas().unsetMapTool(self.tool)
            self.tool.deleteLater()
            self.tool = None
        if self.panel is not None:
            ctx.dock.remove_section(SECTION)
            self.panel = None
        if self.presenter is not None:
            self.presenter.shutdown()
            self.presenter.deleteLater()
            self.presenter = None
        ctx.services.withdraw(GRID)
        if self.service is not None:
            self.service.deleteLater()
            self.service = None

    def ensure_presenter(self) -> GridPresenter:
        """The presenter and map tool, built on first use."""
        if self.presenter is None:
            from .maptool import GridSelectTool
            from .presenter import GridPresenter

            ctx = self.ctx
            canvas = ctx.iface.mapCanvas()
            self.presenter = GridPresenter(
                canvas,
                ctx.runner,
                ctx.settings,
                ctx.notifier,
                lambda: clearsky_source(ctx),
                QgsProject.instance(),
                self.service,
            )
            self.presenter.status_changed.connect(self._show_status)
            self.presenter.covers.done.connect(self._show_cover)
            self.tool = GridSelectTool(canvas, self.presenter, ctx.notifier)
            self.tool.deactivated.connect(self._tool_deactivated)
        return self.presenter

    # ------------------------------------------------------------------ project
    def _project_written(self, *_: Any) -> None:
        if self.presenter is not None:  # never loaded: the project's entry is left as it was read
            self.presenter.write_project()

    def _project_read(self, *_: Any) -> None:
        if self.presenter is not None or project_uses_grid(QgsProject.instance()):
            self.ensure_presenter().read_project()

    def _project_cleared(self) -> None:
        if self.presenter is not None:
            self.presenter.project_cleared()

    # ------------------------------------------------------------------ slots
    def _grid_toggled(self, on: bool) -> None:
        presenter = self.ensure_presenter()
        presenter.activate(on)
        canvas = self.ctx.iface.mapCanvas()
        if not on and self.tool is not None and canvas.mapTool() is self.tool:
            canvas.unsetMapTool(self.tool)
        self._show_status()

    def _tool_toggled(self, on: bool) -> None:
        canvas = self.ctx.iface.mapCanvas()
        if on:
            self.ensure_presenter().activate(True)
            canvas.setMapTool(self.tool)
        elif self.tool is not None and canvas.mapTool() is self.tool:
            canvas.unsetMapTool(self.tool)
        self._show_status()

    def _tool_deactivated(self) -> None:
        if self.panel is not None:
            self.panel.set_tool_active(False)

    def _zone_toggled(self, epsg: int, on: bool) -> None:
        self.ensure_presenter().set_zone_enabled(epsg, on)

    def _clear_requested(self) -> None:
        self.ensure_presenter().clear_selection()

    def _settings_changed(self, _settings: object) -> None:
        if self.presenter is not None:
            self.presenter.settings_changed()

    def _aois_changed(self) -> None:
        if self.panel is not None:
            self.panel.set_aoi_sources(self._aoi_sources())

    def _aoi_sources(self) -> list[tuple[str, str]]:
        """AOIs of the AOI feature (``AOIS``) first, then the active layer."""
        sources = []
        aois = self.ctx.services.get(AOIS)
        if aois is not None:
            everything = aois.aois()
            if aois.chosen():
                sources.append((CHOSEN_AOIS_SOURCE, tr("AOIs chosen for the order")))
            sources += [
                (AOI_SOURCE_PREFIX + a.id, tr("AOI: {} ({})").format(a.name, area(a.area_km2)))
                for a in everything
                if a.valid
            ]
        sources.append((ACTIVE_LAYER_SOURCE, tr("Selected features of the active layer")))
        return sources

    def aoi_geometry(self, source: str) -> BaseGeometry:
        """The lon/lat geometry of an AOI source of the panel."""
        import shapely

        aois = self.ctx.services.get(AOIS)
        if source == ACTIVE_LAYER_SOURCE:
            return layer_aoi(self.ctx.iface.activeLayer())
        if source == CHOSEN_AOIS_SOURCE and aois is not None:
            chosen = aois.chosen()
            if not chosen:
                raise InputError(tr("No AOI is chosen for the order."))
            return shapely.union_all([a.geometry for a in chosen])
        if source.startswith(AOI_SOURCE_PREFIX) and aois is not None:
            aoi = aois.get(source[len(AOI_SOURCE_PREFIX) :])
            if aoi is None:
                raise InputError(tr("That AOI no longer exists."))
            return aoi.geometry
        raise InputError(tr("Choose where the AOI comes from."))

    def _cover_requested(self, source: str, level: str) -> None:
        from ...core.models import CellLevel

        presenter = self.ensure_presenter()
        try:
            presenter.covers.cover(self.aoi_geometry(source), CellLevel(level))
        except NadirError as exc:
            self.ctx.notifier.warning(exc.message, exc.details)
        self._show_status()

    # ------------------------------------------------------------------ view updates
    def _show_status(self) -> None:
        panel, service = self.panel, self.service
        if panel is None or service is None:
            return
        presenter = self.presenter
        panel.set_grid_shown(presenter is not None and presenter.active)
        panel.set_tool_active(self.tool is not None and self.ctx.iface.mapCanvas().mapTool() is self.tool)
        panel.set_hint(self._hint())
        panel.set_zones(presenter.zones() if presenter is not None else [])
        summary = service.summary()
        tiles = trn("%n tile(s)", summary.tiles)
        minis = trn("%n minitile(s)", summary.minitiles)
        text = f"{tiles}, {minis} · {area(summary.area_km2)}"
        off = sorted(presenter.selection.disabled_zones) if presenter is not None else []
        if off:
            text += " · " + tr("zones off: {}").format(", ".join(zone_label(z) for z in off))
        panel.set_summary(text)
        panel.set_busy(presenter is not None and presenter.busy)

    def _hint(self) -> str:
        presenter = self.presenter
        if presenter is None or not presenter.active:
            return tr("Show the tile grid to pick cells on the map.")
        if presenter.problem:
            return presenter.problem
        if not presenter.zoomed_in:
            return tr("Zoom in to 1:{} or closer to see the tile grid (now 1:{}).").format(
                number(presenter.threshold), number(presenter.scale)
            )
        if presenter.busy:
            return tr("Loading the tile grid…")
        return ""

    def _show_cover(self, result: CoverResult) -> None:
        if self.panel is None:
            return
        text = tr("{}, coverage ratio {}: {} of cells for an AOI of {}.").format(
            trn("%n cell(s)", len(result.guids)), number(result.ratio, 2), area(result.cells_km2), area(result.aoi_km2)
        )
        if result.uncovered_km2 > 0:
            text += " " + tr("{} of the AOI are not covered (zones switched off or outside the grid).").format(
                area(result.uncovered_km2)
            )
        self.panel.set_ratio(text)
        self._show_status()

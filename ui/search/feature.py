"""The Search feature: the "Search" tab, the footprints layer and the ``SEARCH`` service.

The service gives other features the selected captures (``selected_captures()``) and the
area searched (``aoi_geometry()``, EPSG:4326 GeoJSON). "Add to cart…" hands the
selection to the ``ARCHIVE_ORDER`` service when a feature offers product options;
without it the captures go into the cart with each provider's default options, one item
per provider, each buying AOI ∩ footprint.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Optional

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QTimer
from shapely.geometry import mapping

from ...core.errors import NadirError
from ...core.models import Capture, GeoJSON
from ...core.ordering.archive_options import plan_archive
from ...core.provider_info import PROVIDERS
from ...toolbelt.i18n import tr
from ..feature import PluginContext
from ..services import AOIS, ARCHIVE_ORDER, CART, SEARCH
from .layer import ResultsLayer
from .presenter import ARCHIVE_PROVIDERS, SearchPresenter
from .section import SELECTED_FEATURES, VIEW_EXTENT, SearchSection
from .table import ResultsModel

LOGGER = logging.getLogger(__name__)
SECTION = "search"


def selected_features_wgs84(layer: Any, project: QgsProject) -> Optional[GeoJSON]:
    """The union of the active vector layer's selected features, in EPSG:4326."""
    if not isinstance(layer, QgsVectorLayer) or layer.selectedFeatureCount() == 0:
        return None
    union = QgsGeometry.unaryUnion([f.geometry() for f in layer.selectedFeatures() if f.hasGeometry()])
    if union.isNull() or union.isEmpty():
        return None
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    if layer.crs() != wgs84:
        union.transform(QgsCoordinateTransform(layer.crs(), wgs84, project))
    value = json.loads(union.asJson())
    return value if isinstance(value, dict) else None


class SearchFeature:
    provides = (SEARCH,)
    needs = (AOIS, ARCHIVE_ORDER, CART)

    def __init__(self, ctx: PluginContext, adapters: Optional[Callable[[str], Any]] = None) -> None:
        """``adapters(provider_id)`` makes an adapter (GUI thread); the configured
        connections' by default."""
        self.ctx = ctx
        self._adapters = adapters
        self.model: Optional[ResultsModel] = None
        self.layer: Optional[ResultsLayer] = None
        self.presenter: Optional[SearchPresenter] = None
        self.section: Optional[SearchSection] = None
        self.quicklooks: Any = None
        self._shown_timer: Optional[QTimer] = None
        self._store: Any = None

    def init_gui(self) -> None:
        from ...toolbelt.connections import adapter_for

        injected = self._adapters
        factory = adapter_for if injected is None else (lambda provider, _settings: injected(provider))
        self.model = ResultsModel()
        self.layer = ResultsLayer(QgsProject.instance())
        self.presenter = SearchPresenter(self.ctx.runner, self.ctx.settings, factory, self.layer, self.model)
        self.section = SearchSection(self.model)
        self.ctx.dock.add_section(SECTION, tr("Search"), self.section)
        self._start_quicklooks(factory)
        section, presenter = self.section, self.presenter
        section.search_requested.connect(self.search)
        section.stop_requested.connect(presenter.stop)
        section.zoom_requested.connect(self.zoom_to_selection)
        section.add_to_cart.connect(self.add_to_cart)
        section.rows_selected.connect(presenter.select_keys)
        presenter.map_selection.connect(section.select_keys)
        presenter.status_changed.connect(section.show_status)
        presenter.field_problem.connect(section.show_problem)
        presenter.running_changed.connect(section.set_running)
        presenter.sources_loaded.connect(section.set_sources)
        self.ctx.dock.tabs.currentChanged.connect(self._tab_changed)
        self.ctx.settings.on_change(self._settings_changed)
        self._settings_changed(self.ctx.settings.current)
        self._store = self.ctx.services.get(AOIS)
        if self._store is not None:
            self._store.changed.connect(self._aois_changed)
        self._aois_changed()
        self.ctx.services.provide(SEARCH, self)

    def unload(self) -> None:
        self.ctx.services.withdraw(SEARCH)
        if self._shown_timer is not None:
            self._shown_timer.stop()
            self._shown_timer = None
        if self.quicklooks is not None:
            self.quicklooks.shutdown()
            self.quicklooks = None
        self.ctx.settings.remove_listener(self._settings_changed)
        try:
            self.ctx.dock.tabs.currentChanged.disconnect(self._tab_changed)
        except (TypeError, RuntimeError):
            pass
        if self._store is not None:
            try:
                self._store.changed.disconnect(self._aois_changed)
            except (TypeError, RuntimeError):
                pass
            self._store = None
        if self.presenter is not None:
            self.presenter.close()
            self.presenter = None
        self.ctx.dock.remove_section(SECTION)
        self.section = None
        self.layer = None
        self.model = None

    # ------------------------------------------------------------------ quicklooks
    def _start_quicklooks(self, factory: Callable[[str, Any], Any]) -> None:
        """Thumbnails in the table's first column, loaded in the background for the rows in
        view (never all 10,000 of a large search), kept in a disk cache between sessions."""
        from ...core.search.quicklook_cache import QuicklookCache
        from ...toolbelt.paths import quicklook_cache_dir
        from .quicklooks import QuicklookService

        assert self.model is not None and self.section is not None
        adapters = self.ctx.settings

        self.quicklooks = QuicklookService(
            self.ctx.runner,
            lambda provider: factory(provider, adapters.current),
            QuicklookCache(quicklook_cache_dir()),
            thumb_size=32,
        )
        self.model.set_thumbnail_source(self.quicklooks.thumbnail)
        self.quicklooks.ready.connect(self.model.thumbnail_ready)
        self._shown_timer = QTimer()
        self._shown_timer.setSingleShot(True)
        self._shown_timer.setInterval(150)
        self._shown_timer.timeout.connect(self._load_shown_quicklooks)
        self.section.rows_shown.connect(self._rows_shown)
        self.section.drape_requested.connect(self.drape_selected)

    def _rows_shown(self) -> None:
        # at most every 150 ms, also while batches keep arriving (a restarted timer would
        # wait for the search to end before any thumbnail loads)
        if self._shown_timer is not None and not self._shown_timer.isActive():
            self._shown_timer.start()

    def _load_shown_quicklooks(self) -> None:
        if self.quicklooks is None or self.section is None or self.presenter is None:
            return
        keys = self.section.shown_keys()
        self.quicklooks.request(self.presenter.captures(keys))
        self.quicklooks.prioritise(keys)

    def drape_selected(self) -> list[Any]:
        """The quicklooks of the selected captures on their footprints (at most 20 at a time)."""
        if self.quicklooks is None:
            return []
        return [self.quicklooks.drape(capture) for capture in self.selected_captures()[:20]]

    # ------------------------------------------------------------------ form sources
    def _tab_changed(self, index: int) -> None:
        if self.section is not None and self.presenter is not None and self.ctx.dock.tabs.widget(index) is self.section:
            self.presenter.load_sources()

    def _settings_changed(self, settings: Any) -> None:
        if self.section is None:
            return
        reasons = {}
        for provider in ARCHIVE_PROVIDERS:
            connection = settings.connection(provider)
            if not connection.enabled:
                reasons[provider] = tr("The {} connection is switched off in Nadir's options.").format(
                    PROVIDERS[provider].title
                )
            elif not connection.authcfg:
                reasons[provider] = tr("Set the {} credentials in Nadir's options to search it.").format(
                    PROVIDERS[provider].title
                )
        self.section.set_enabled_providers(reasons)

    def _aois_changed(self) -> None:
        if self.section is None:
            return
        aois = self._store.aois() if self._store is not None else []
        self.section.set_aoi_choices([(a.id, a.name) for a in aois])

    # ------------------------------------------------------------------ search
    def area(self) -> tuple[Optional[GeoJSON], str]:
        """The area the form points at, in EPSG:4326, and its name."""
        assert self.section is not None
        choice = self.section.aoi_choice()
        project = QgsProject.instance()
        if choice == VIEW_EXTENT:
            from ...toolbelt.geometry import extent_to_wgs84

            canvas = self.ctx.iface.mapCanvas()
            box = extent_to_wgs84(canvas.extent(), canvas.mapSettings().destinationCrs())
            return dict(mapping(box)), tr("map view")
        if choice == SELECTED_FEATURES:
            layer = self.ctx.iface.activeLayer()
            return selected_features_wgs84(layer, project), layer.name() if layer is not None else ""
        aoi = self._store.get(choice) if self._store is not None and choice else None
        if aoi is None:
            return None, ""
        return dict(mapping(aoi.geometry)), aoi.name

    def search(self) -> Any:
        if self.section is None or self.presenter is None:
            return None
        if self.quicklooks is not None:
            self.quicklooks.clear()
        aoi, label = self.area()
        if aoi is None and self.section.aoi_choice() == SELECTED_FEATURES:
            self.section.show_problem("", "")
            self.section.show_problem(
                "aoi", tr("Select features on the active layer first, or choose another area to search.")
            )
            return None
        return self.presenter.search(self.section.request(aoi, label))

    def zoom_to_selection(self) -> None:
        if self.layer is not None and self.layer.layer is not None:
            self.ctx.iface.mapCanvas().zoomToSelected(self.layer.layer)

    # ------------------------------------------------------------------ the service
    def selected_captures(self) -> list[Capture]:
        if self.section is None or self.presenter is None:
            return []
        return self.presenter.captures(self.section.selected_keys())

    def aoi_geometry(self) -> Optional[GeoJSON]:
        """The area of the last search (EPSG:4326)."""
        request = self.presenter.request if self.presenter is not None else None
        return request.aoi if request is not None else None

    def add_to_cart(self) -> Any:
        captures = self.selected_captures()
        if not captures:
            return None
        ordering = self.ctx.services.get(ARCHIVE_ORDER)
        if ordering is None and self.ctx.services.get(CART) is None:
            self.ctx.wake()  # the cart feature registers the archive options dialog when it starts
            ordering = self.ctx.services.get(ARCHIVE_ORDER)
        if ordering is not None:
            return ordering.open_for(captures, self.aoi_geometry())
        cart = self.ctx.services.get(CART)
        if cart is None:
            self.ctx.wake()
            cart = self.ctx.services.get(CART)
        if cart is None:
            self.ctx.notifier.warning(tr("The cart is not available yet. Open the Cart tab once and try again."))
            return None
        plan = plan_archive(captures, self.aoi_geometry())
        added = []
        for planned in plan.specs:
            spec, area = planned.spec, planned.area_km2
            count = len(spec.captures)
            if count == 1:
                title = tr("{} archive: 1 capture").format(PROVIDERS[spec.provider].title)
                summary = tr("1 capture, {:.1f} km²").format(area)
            else:
                title = tr("{} archive: {} captures").format(PROVIDERS[spec.provider].title, count)
                summary = tr("{} captures, {:.1f} km²").format(count, area)
            try:
                added.append(cart.add(spec, title=title, summary=summary, area_km2=area))
            except NadirError as exc:
                self.ctx.notifier.error(exc.message)
        if plan.dropped:
            self.ctx.notifier.warning(
                tr("{} captures do not overlap the searched area and were not added.").format(len(plan.dropped))
            )
        if added:
            self.ctx.notifier.success(tr("{} archive items added to the cart.").format(len(added)))
        return added

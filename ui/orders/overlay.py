"""The existing-orders overlay: past and live orders as a polygon layer, off by default.

A memory layer "Nadir existing orders" rebuilt from the order book, so it is never out
of step with the panel: the filters (model, date range fully within / any overlap,
live / completed) are applied in :mod:`core.orders.filters` and the layer holds exactly
the matching orders. It is styled by lifecycle and added to the project switched off,
as in ClearSKY's dashboard ("Order Data" guide: "Show existing orders ... default: off"); adding it
does not mark the project as modified. A layer kept from an earlier session (found by a
custom property) is adopted rather than duplicated; a layer the user removed is not
added back until they ask to show it again.
"""

from __future__ import annotations

from typing import Optional

from qgis.core import QgsFeature, QgsFields, QgsLayerTreeLayer, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ...core.models import Order
from ...core.orders.filters import OrderFilterSpec
from ...toolbelt.i18n import tr
from ...toolbelt.layer_tree import add_to_nadir_group
from ...toolbelt.orders.layer import MEMORY_URI, order_feature, order_fields, style_orders
from ...toolbelt.styles import ORDERS, load_style

LAYER_NAME = "Nadir existing orders"
ROLE_PROPERTY = "nadir/role"
ROLE = "existing-orders"


Prepared = list[tuple[Order, QgsFeature]]


def prepare_features(orders: list[Order], fields: QgsFields) -> Prepared:
    """Every order with an area as a feature: plain values, safe to build in a task."""
    prepared = []
    for order in orders:
        feature = order_feature(order, fields)
        if feature is not None:
            prepared.append((order, feature))
    return prepared


class ExistingOrdersOverlay(QObject):
    visibility_changed = pyqtSignal(bool)
    rebuilt = pyqtSignal(int)  # number of orders on the layer

    def __init__(self, project: QgsProject, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self._project = project
        self._spec = OrderFilterSpec()
        self._orders: list[Order] = []
        self._prepared: Prepared = []
        self.fields = order_fields()
        self._removed_by_user = False
        self._removing = False
        self._node: Optional[QgsLayerTreeLayer] = None
        project.layersWillBeRemoved.connect(self._layers_removed)
        project.cleared.connect(self._project_cleared)
        project.readProject.connect(self._project_read)

    def unload(self) -> None:
        """Disconnect and take the layer out of the project (it is derived data)."""
        for signal, slot in (
            (self._project.layersWillBeRemoved, self._layers_removed),
            (self._project.cleared, self._project_cleared),
            (self._project.readProject, self._project_read),
        ):
            try:
                signal.disconnect(slot)
            except TypeError:
                pass
        layer = self.layer()
        if layer is not None:
            self._removing = True
            self._without_dirtying(lambda: self._project.removeMapLayer(layer.id()))
            self._removing = False
        self._node = None

    # ------------------------------------------------------------------ state
    @property
    def spec(self) -> OrderFilterSpec:
        return self._spec

    def layer(self) -> Optional[QgsVectorLayer]:
        for layer in self._project.mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and layer.customProperty(ROLE_PROPERTY) == ROLE:
                return layer
        return None

    def is_visible(self) -> bool:
        node = self._tree_node()
        return bool(node is not None and node.isVisible())

    def set_orders(self, orders: list[Order]) -> None:
        self.set_prepared(orders, prepare_features(orders, self.fields))

    def set_prepared(self, orders: list[Order], prepared: Prepared) -> None:
        """Show orders whose features :func:`prepare_features` built (possibly in a task)."""
        self._orders = list(orders)
        self._prepared = prepared
        self._rebuild(create=bool(orders) and not self._removed_by_user)

    def set_filter(self, spec: OrderFilterSpec) -> None:
        self._spec = spec
        self._rebuild(create=False)

    def set_visible(self, visible: bool) -> None:
        if visible:
            self._removed_by_user = False
            self._rebuild(create=True)
        node = self._tree_node()
        if node is not None and node.itemVisibilityChecked() != visible:
            node.setItemVisibilityChecked(visible)

    # ------------------------------------------------------------------ building
    def _rebuild(self, create: bool) -> None:
        layer = self.layer()
        if layer is None:
            if not create:
                return
            layer = self._create()
        if self._spec == OrderFilterSpec():  # no filter: skip thousands of Python calls
            features = [feature for _order, feature in self._prepared]
        else:
            features = [feature for order, feature in self._prepared if self._spec.matches(order)]
        provider = layer.dataProvider()
        provider.truncate()
        provider.addFeatures(features)
        layer.updateExtents()
        layer.triggerRepaint()
        self.rebuilt.emit(len(features))

    def _create(self) -> QgsVectorLayer:
        layer = QgsVectorLayer(MEMORY_URI, LAYER_NAME, "memory")
        layer.setCustomProperty(ROLE_PROPERTY, ROLE)
        # Rebuilt from the order book at every change: nothing is lost when a project closes, so
        # QGIS must not ask "temporary scratch layers will be lost?" (a modal that also blocks a
        # project opened from the command line once the first poll has filled the overlay).
        layer.setCustomProperty("skipMemoryLayersCheck", 1)
        load_style(layer, ORDERS, style_orders)  # resources/styles/existing_orders.qml, or the user's own
        layer.setOpacity(0.9)
        layer.setAbstract(
            tr(
                "Orders known to Nadir, from every provider, filtered in the Orders panel. "
                "Rebuilt from the order list; edits are not kept."
            )
        )

        def add() -> None:
            node = add_to_nadir_group(self._project, layer)
            node.setItemVisibilityChecked(False)
            node.setExpanded(False)  # its eight status classes would push the user's layers down

        self._without_dirtying(add)
        self._watch(self._tree_node())
        return layer

    def _without_dirtying(self, change: object) -> None:
        was_dirty = self._project.isDirty()
        change()  # type: ignore[operator]
        if not was_dirty:
            self._project.setDirty(False)

    # ------------------------------------------------------------------ tree and project
    def _tree_node(self) -> Optional[QgsLayerTreeLayer]:
        layer = self.layer()
        if layer is None:
            return None
        node = self._project.layerTreeRoot().findLayer(layer.id())
        if node is not None and node is not self._node:
            self._watch(node)
        return node

    def _watch(self, node: Optional[QgsLayerTreeLayer]) -> None:
        if node is None or node is self._node:
            return
        self._node = node
        node.visibilityChanged.connect(self._node_visibility_changed)

    def _node_visibility_changed(self, *_args: object) -> None:
        self.visibility_changed.emit(self.is_visible())

    def _layers_removed(self, layer_ids: list[str]) -> None:
        layer = self.layer()
        if layer is not None and layer.id() in layer_ids:
            self._node = None
            if not self._removing:
                self._removed_by_user = True
                self.visibility_changed.emit(False)

    def _project_cleared(self) -> None:
        self._node = None
        self._removed_by_user = False
        self.visibility_changed.emit(False)

    def _project_read(self, *_args: object) -> None:
        if self.layer() is not None:  # kept from the session that saved the project: refill it
            self._rebuild(create=False)
            self.visibility_changed.emit(self.is_visible())
        elif self._orders:
            self._rebuild(create=True)

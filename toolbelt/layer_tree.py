"""One "Nadir" group in the layer tree for every layer Nadir makes.

AOIs, the tile grid, the existing-orders overlay and the delivery groups all go into
it, so Nadir's layers stay together and out of the way of the user's own. The group
is found by a custom property (renaming it keeps it Nadir's), created at the top of
the tree when missing, and survives save and reopen like any group.
"""

from __future__ import annotations

from qgis.core import QgsLayerTreeGroup, QgsLayerTreeLayer, QgsMapLayer, QgsProject

GROUP_PROPERTY = "nadir/group"
GROUP_NAME = "Nadir"


def find_nadir_group(project: QgsProject) -> QgsLayerTreeGroup | None:
    root = project.layerTreeRoot()
    for group in root.findGroups(True):
        if group.customProperty(GROUP_PROPERTY):
            return group
    return None


def nadir_group(project: QgsProject) -> QgsLayerTreeGroup:
    """Nadir's group, created at the top of the layer tree when missing."""
    group = find_nadir_group(project)
    if group is None:
        group = project.layerTreeRoot().insertGroup(0, GROUP_NAME)
        group.setCustomProperty(GROUP_PROPERTY, 1)
    return group


def add_to_nadir_group(project: QgsProject, layer: QgsMapLayer, index: int = 0) -> QgsLayerTreeLayer:
    """Add ``layer`` to the project (if needed) and place it in Nadir's group."""
    if project.mapLayer(layer.id()) is None:
        project.addMapLayer(layer, False)
    return nadir_group(project).insertLayer(index, layer)

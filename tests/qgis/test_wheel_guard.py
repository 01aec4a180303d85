"""Mouse wheel over a form: unfocused combos and spin boxes keep their value, the form
scrolls (issue 16 item 3: scrolling Settings > Options > Nadir switched a provider's
credentials)."""

from __future__ import annotations

from qgis.PyQt.QtCore import QPoint, QPointF, Qt
from qgis.PyQt.QtGui import QWheelEvent
from qgis.PyQt.QtWidgets import QAbstractSpinBox, QApplication, QComboBox


def wheel(widget, steps: int = -1) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def two_configs(auth_manager):
    from nadir.toolbelt.auth import store_basic

    return [store_basic(f"Nadir wheel test {n}", "", f"key-{n}") for n in (1, 2)]


def test_wheel_over_unfocused_options_combos_changes_nothing(qgis_app, auth_manager, clean_settings):
    from nadir.toolbelt.settings import ProviderConnection, SettingsStore
    from nadir.ui.options import NadirOptionsPage

    configs = two_configs(auth_manager)
    try:
        store = SettingsStore()
        store.update(store.current.with_connection(ProviderConnection("clearsky", authcfg=configs[0])))
        page = NadirOptionsPage(store)
        page.resize(600, 400)
        page.show()
        QApplication.processEvents()
        box = page.connection_boxes["clearsky"]
        auth_combo = box.auth_select.findChild(QComboBox)
        assert auth_combo is not None and auth_combo.count() >= 3
        level = page.general.logLevel
        spin = page.general.pollInterval
        before = (auth_combo.currentIndex(), level.currentIndex(), spin.value(), box.auth_select.configId())
        page.setFocus()
        for widget in (auth_combo, level, spin):
            assert not widget.hasFocus()
            wheel(widget, -1)
            wheel(widget, +1)
            wheel(widget, -1)
        QApplication.processEvents()
        assert (auth_combo.currentIndex(), level.currentIndex(), spin.value(), box.auth_select.configId()) == before
        assert page.settings().connection("clearsky").authcfg == configs[0]
        # a focused combo still takes the wheel (the wheel is not switched off altogether)
        level.setFocus()
        QApplication.processEvents()
        if level.hasFocus():  # offscreen windows may not take focus
            wheel(level, -1)
            assert level.currentIndex() != before[1]
        page.close()
    finally:
        for config in configs:
            auth_manager.removeAuthenticationConfig(config)


def test_every_value_widget_of_nadir_forms_wants_strong_focus(qgis_app, clean_settings):
    from nadir.core.models import OrderKind
    from nadir.toolbelt.settings import SettingsStore
    from nadir.ui.cart.configure_dialog import ConfigureDialog
    from nadir.ui.dock import NadirDock
    from nadir.ui.grid.panel import GridPanel
    from nadir.ui.options import NadirOptionsPage
    from nadir.ui.orders.panel import OrdersPanel

    dock = NadirDock()
    dock.add_section("grid", "Grid", GridPanel())
    dock.add_section("orders", "Orders", OrdersPanel())
    forms = [NadirOptionsPage(SettingsStore()), ConfigureDialog(OrderKind.COMPOSITE), dock]
    for form in forms:
        form.show()  # dialogs guard their rows when shown (rows may be added after __init__)
        QApplication.processEvents()
        widgets = form.findChildren(QComboBox) + form.findChildren(QAbstractSpinBox)
        assert len(widgets) >= 3, form
        loose = [w.objectName() or type(w).__name__ for w in widgets if w.focusPolicy() != Qt.FocusPolicy.StrongFocus]
        assert not loose, (type(form).__name__, loose)
    dialog = forms[1]
    frequency = dialog.frequencySpin.value()
    model_index = dialog.modelCombo.currentIndex()
    for widget in (dialog.frequencySpin, dialog.storageSpin, dialog.modelCombo, dialog.fromEdit):
        wheel(widget, +1)
    assert dialog.frequencySpin.value() == frequency and dialog.modelCombo.currentIndex() == model_index
    for form in forms:
        form.close()
    dock.deleteLater()


def test_a_panel_built_later_into_a_shown_section_is_guarded_too(qgis_app):
    """The Orders tab is a light container; its panel is built once the tab shows."""
    from qgis.PyQt.QtWidgets import QVBoxLayout, QWidget

    from nadir.ui.dock import NadirDock
    from nadir.ui.orders.panel import OrdersPanel

    dock = NadirDock()
    container = QWidget()
    QVBoxLayout(container)
    dock.add_section("orders", "Orders", container)
    dock.show()
    dock.show_section("orders")
    QApplication.processEvents()
    panel = OrdersPanel()
    container.layout().addWidget(panel)
    QApplication.processEvents()
    combos = panel.findChildren(QComboBox)
    assert combos and all(c.focusPolicy() == Qt.FocusPolicy.StrongFocus for c in combos)
    status = panel.overlay_controls.status_combo
    before = status.currentIndex()
    wheel(status, -1)
    assert status.currentIndex() == before
    dock.close()
    dock.deleteLater()

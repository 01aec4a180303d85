"""Nadir speaks QGIS's language: the translator follows QGIS's locale setting.

A fresh QGIS (its own interpreter and settings) with the user locale overridden to
German shows the dock in German; unloading the plugin removes the translator. Core's
English messages shown by the UI are translated through their known templates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QLocale

from nadir.toolbelt import i18n
from nadir.toolbelt.core_text import tr_core
from support.package import package_parent

INNER_TEST = """
import json


def test_german(qgis_iface):
    from qgis.core import QgsSettings
    from qgis.PyQt.QtWidgets import QApplication, QPushButton, QToolButton
    import nadir
    from nadir.toolbelt.i18n import tr

    QgsSettings().setValue("locale/overrideFlag", True)
    QgsSettings().setValue("locale/userLocale", "de_DE")
    plugin = nadir.classFactory(qgis_iface)
    plugin.initGui()
    plugin.action.trigger()  # open the dock: every section is built, in steps
    import time
    deadline = time.monotonic() + 60
    while not plugin.awake and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.005)
    tabs = plugin.dock.tabs
    buttons = sorted({b.text() for b in plugin.dock.findChildren((QPushButton, QToolButton)) if b.text()})
    out = {"tabs": [tabs.tabText(i) for i in range(tabs.count())], "buttons": buttons,
           "tooltip": plugin.action.toolTip(), "help": plugin.help_action.text(), "loaded": plugin.translator is not None}
    from qgis.PyQt.QtWidgets import QLabel
    page = plugin.options_factory.createWidget(None)  # Settings > Options > Nadir (a .ui form and code)
    out["options"] = sorted({w.text() for w in page.findChildren((QLabel, QPushButton)) if w.text()})
    page.deleteLater()
    plugin.unload()
    out["after_unload"] = tr("Cart")
    print("RESULT " + json.dumps(out), flush=True)
"""


def _run_inner(tmp_path, test: str) -> dict:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NADIR_DATA_DIR": str(tmp_path / "data"),
        "QGIS_CUSTOM_CONFIG_PATH": str(tmp_path / "config"),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(package_parent()), *sys.path]),
    }
    inner = tmp_path / "inner" / "test_inner_locale.py"
    inner.parent.mkdir()
    inner.write_text(textwrap.dedent(test))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", str(inner)],
        cwd=inner.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert done.returncode == 0 and line, done.stdout[-2000:] + done.stderr[-3000:]
    return json.loads(line[len("RESULT ") :])


def test_qgis_in_german_shows_the_dock_in_german(tmp_path):
    out = _run_inner(tmp_path, INNER_TEST)
    assert out["loaded"]
    assert out["tabs"] == ["Start", "Interessengebiete", "Kachelgitter", "Warenkorb", "Suche", "Tasking", "Aufträge"], (
        out["tabs"]
    )
    for german in (
        "Polygon zeichnen",
        "Rechteck zeichnen",
        "Datei importieren…",
        "Zur Kasse…",
        "Auftrag konfigurieren…",
        "Anbieterverbindungen…",
        "In den Warenkorb…",
        "Prüfen",
    ):
        assert german in out["buttons"], (german, out["buttons"])
    assert "Draw a polygon" not in out["buttons"] and "Checkout…" not in out["buttons"]
    assert "Nadir-Bedienfeld ein- oder ausblenden: Satellitenbilder bestellen" in out["tooltip"]  # + shortcut
    assert out["help"] == "Nadir-Hilfe"
    assert "Downloadordner" in out["options"] and "Zugangsdaten" in out["options"], out["options"]
    assert "Download folder" not in out["options"]
    assert out["after_unload"] == "Cart"  # the translator left with the plugin


@pytest.fixture
def german(qgis_app):
    settings = QgsSettings()
    saved = {k: settings.value(k) for k in ("locale/overrideFlag", "locale/userLocale")}
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "de")
    translator = i18n.install_translator()
    yield translator
    i18n.remove_translator(translator)
    for key, value in saved.items():
        if value is None:
            settings.remove(key)
        else:
            settings.setValue(key, value)


def test_locale_is_read_from_qgis_settings(german):
    assert german is not None
    assert i18n.user_locale() == "de"
    assert i18n.tr("Cart") == "Warenkorb"


def test_core_messages_shown_in_the_ui_are_translated(german):
    from nadir.core.provider_info import PROVIDERS

    assert i18n.tr_marked(PROVIDERS["up42"].url_roles[1].label) == "Token-Server"
    assert tr_core("valid") == "gültig"
    assert tr_core("valid, 2 warnings") == "gültig, 2 Warnung(en)"
    assert tr_core("invalid: self intersection (+1 more)") == "ungültig: self intersection (+1 weitere)"
    assert tr_core(
        "ClearSKY Vision could not be reached (the request timed out). Check the network connection and the "
        "proxy settings in Settings > Options > Network, then try again."
    ) == (
        "ClearSKY Vision war nicht erreichbar (die Anfrage hat das Zeitlimit überschritten). Prüfen Sie die "
        "Netzwerkverbindung und die Proxy-Einstellungen unter Einstellungen > Optionen > Netzwerk und versuchen "
        "Sie es erneut."
    )
    assert tr_core(
        "UP42 did not accept the credentials (HTTP 401: bad key). Check the UP42 credentials in "
        "Settings > Options > Nadir."
    ).startswith("UP42 hat die Zugangsdaten nicht akzeptiert (HTTP 401: bad")
    assert (
        tr_core("Repaired: 2 polygons (was 1), 1.000 km² (was 1.100 km², -9.09 %).")
        == "Repariert: 2 Polygon(e) (vorher 1), 1.000 km² (vorher 1.100 km², -9.09 %)."
    )
    assert tr_core("Something nobody templated.") == "Something nobody templated."


def test_core_messages_stay_english_without_a_translator(qgis_app):
    assert tr_core("valid, 1 warning") == "valid, 1 warning"


def test_plurals_take_the_german_singular_and_plural(german):
    """trn() asks Qt with the count: lrelease built the numerus forms of nadir_de.ts into the .qm."""
    assert i18n.trn("%n AOI(s)", 1) == "1 AOI"
    assert i18n.trn("%n AOI(s)", 3) == "3 AOIs"
    assert i18n.trn("%n feature(s)", 3) == "3 Objekte"
    assert i18n.trn("%n (vertex|vertices)", 1) == "1 Stützpunkt"
    assert i18n.trn("%n (vertex|vertices)", 3) == "3 Stützpunkte"
    assert i18n.trn("%n order(s)", 1) == "1 Auftrag"
    assert i18n.trn("%n order(s)", 3) == "3 Aufträge"
    saved = QLocale()
    QLocale.setDefault(QLocale("de_DE"))  # as QGIS sets it for a German user
    try:
        assert i18n.trn("%n tile(s)", 1234) == "1.234 Kacheln"  # the count in the German locale
        assert i18n.trn("%n feature(s)", 1) == "1 Objekt"
    finally:
        QLocale.setDefault(saved)
    assert i18n.trn("%n day(s)", 0) == "0 Tage"  # German: 0 takes the plural


def test_plurals_stay_english_without_a_translator(qgis_app):
    assert i18n.trn("%n AOI(s)", 1) == "1 AOI"
    assert i18n.trn("%n AOI(s)", 3) == "3 AOIs"
    assert i18n.trn("%n (vertex|vertices)", 1) == "1 vertex"
    assert i18n.trn("%n (vertex|vertices)", 3) == "3 vertices"


def test_sentences_with_markup_are_translated_whole(german):
    """The tr() calls that sat inside f-string braces: one translated sentence each, links and bold kept."""
    from nadir.core.models import AccessStatus, DataProduct
    from nadir.core.tasking.products import CONSOLE_URL
    from nadir.ui.start import Step, steps_html
    from nadir.ui.tasking.section import access_advice

    steps = steps_html([Step("Eins", True), Step("Zwei", False), Step("Drei", False)])
    assert "<b>Erste Schritte</b>" in steps and "<li><b>Als Nächstes:</b> Zwei</li>" in steps
    assert "Next" not in steps and "First steps" not in steps

    denied = access_advice(DataProduct(id="p", name="p", collection_title="Pléiades Neo", access=AccessStatus.DENIED))
    assert denied == (
        "UP42 hat den Zugangsantrag für Pléiades Neo abgelehnt. Bitten Sie den UP42-Support über die "
        f'<a href="{CONSOLE_URL}">UP42-Konsole</a>, ihn erneut zu beantragen.'
    )
    unknown = access_advice(DataProduct(id="p", name="p", collection="phr", access=AccessStatus.NOT_REQUESTED))
    assert unknown.startswith("phr braucht die Freigabe von UP42")
    assert f'Öffnen Sie in der <a href="{CONSOLE_URL}">UP42-Konsole</a> Tasking' in unknown
    assert "wählen Sie phr und" in unknown


def test_sentences_with_markup_stay_english_without_a_translator(qgis_app):
    from nadir.core.models import AccessStatus, DataProduct
    from nadir.core.tasking.products import CONSOLE_URL
    from nadir.ui.tasking.section import access_advice

    denied = access_advice(DataProduct(id="p", name="p", collection_title="Pléiades Neo", access=AccessStatus.DENIED))
    assert denied == (
        "UP42 rejected the access request for Pléiades Neo. Ask UP42 support from the "
        f'<a href="{CONSOLE_URL}">UP42 console</a> to request it again.'
    )

"""Help for every feature: the Help menu, a help button for each dock section and the
help URL of every Processing algorithm open pages that exist (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QUrl

from nadir.plugin import NadirPlugin
from nadir.toolbelt import help as nadir_help
from nadir.ui.integration.feature import IntegrationFeature


class Opened:
    urls: ClassVar[list] = []

    @classmethod
    def openUrl(cls, url: QUrl) -> bool:
        cls.urls.append(url)
        return True


@pytest.fixture
def opened(monkeypatch):
    Opened.urls = []
    monkeypatch.setattr(nadir_help, "QDesktopServices", Opened)
    return Opened.urls


@pytest.fixture
def plugin(qgis_iface, clean_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("NADIR_DATA_DIR", str(tmp_path / "data"))
    plugin = NadirPlugin(qgis_iface)
    plugin.initGui()
    yield plugin
    plugin.unload()


def opened_page(url: QUrl) -> Path:
    assert url.isLocalFile(), url.toString()
    path = Path(url.toLocalFile())
    assert path.is_file(), path
    assert path.parent == nadir_help.HELP_DIR
    return path


def test_each_dock_section_has_help_that_opens_its_page(plugin, opened):
    plugin.activate()
    dock = plugin.dock
    (feature,) = [f for f in plugin.features if isinstance(f, IntegrationFeature)]
    button = feature.help_button
    assert dock.tabs.cornerWidget() is button and button.isVisibleTo(dock)
    expected = {
        "start": "index.html",
        "aois": "aois.html",
        "grid": "grid.html",
        "cart": "cart.html",
        "orders": "orders.html",
        "search": "search.html",
        "tasking": "tasking.html",
    }
    assert set(dock.section_keys) | {"start"} == set(expected)
    for key, page in expected.items():
        dock.tabs.setCurrentWidget(dock.start_page if key == "start" else dock.section(key))
        button.click()
        assert opened_page(opened[-1]).name == page, key
    assert len(opened) == len(expected)


def test_the_help_menu_opens_the_overview(plugin, qgis_iface, opened):
    qgis_iface.pluginHelpMenu().addAction.assert_called_with(plugin.help_action)
    plugin.help_action.trigger()
    assert opened_page(opened[-1]).name == "index.html"


def test_every_processing_algorithm_has_a_help_page(plugin):
    provider = QgsApplication.processingRegistry().providerById("nadir")
    algorithms = provider.algorithms()
    assert len(algorithms) >= 7
    for algorithm in algorithms:
        url = QUrl(algorithm.helpUrl())
        assert url.scheme() == "file", algorithm.id()
        page = Path(url.toLocalFile())
        assert page.is_file() and page.parent == nadir_help.HELP_DIR, (algorithm.id(), page)
        assert page.name != "index.html", algorithm.id()  # the page of its own feature


FEATURE_PAGES = {
    "index.html",
    "aois.html",
    "grid.html",
    "cart.html",
    "checkout.html",
    "orders.html",
    "deliveries.html",
    "search.html",
    "tasking.html",
    "processing.html",
}


@pytest.mark.parametrize(("folder", "coming"), [("", "Coming."), ("de", "Demnächst.")])
def test_every_feature_has_a_page_and_every_link_resolves(folder, coming):
    where = nadir_help.HELP_DIR / folder
    assert {p.name for p in where.glob("*.html")} == FEATURE_PAGES
    for page in where.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for link in re.findall(r'href="([^"#:]+)(?:#([^"]*))?"', text):
            target = page.parent / link[0]
            assert target.is_file(), (page, link)
            if link[1]:
                assert f'id="{link[1]}"' in target.read_text(encoding="utf-8"), (page, link)
    # archive search and tasking are built: their pages no longer say "coming"
    for page in ("search.html", "tasking.html", "processing.html"):
        assert coming not in (where / page).read_text(encoding="utf-8"), page


def test_help_follows_the_qgis_language(qgis_app, monkeypatch):
    monkeypatch.setattr(nadir_help, "user_locale", lambda: "de")
    assert nadir_help.help_path("grid.html") == nadir_help.HELP_DIR / "de" / "grid.html"
    assert "Kachelgitter" in nadir_help.help_path("grid.html").read_text(encoding="utf-8")
    monkeypatch.setattr(nadir_help, "user_locale", lambda: "fr")  # no French pages: English
    assert nadir_help.help_path("grid.html") == nadir_help.HELP_DIR / "grid.html"

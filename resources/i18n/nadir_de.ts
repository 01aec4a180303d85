<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
    <context>
        <name>Nadir</name>
        <message>
            <location filename="../../core/errors.py" />
            <source>Something went wrong inside Nadir. The details are in the log (Nadir tab).</source>
            <translation>In Nadir ist etwas schiefgegangen. Die Details stehen im Protokoll (Reiter Nadir).</translation>
        </message>
        <message>
            <location filename="../../core/orders/cancellation.py" />
            <source>The order is {}: there is nothing to cancel.</source>
            <translation>Der Auftrag ist {}: Es gibt nichts zu stornieren.</translation>
        </message>
        <message>
            <location filename="../../core/provider_info.py" />
            <source>API</source>
            <translation>API</translation>
        </message>
        <message>
            <location filename="../../core/provider_info.py" />
            <source>Access API</source>
            <translation>Access-API</translation>
        </message>
        <message>
            <location filename="../../core/provider_info.py" />
            <source>Basic configuration: the API key as password (user name unused).</source>
            <translation>Basic-Konfiguration: der API-Schlüssel als Passwort (Benutzername wird nicht verwendet).</translation>
        </message>
        <message>
            <location filename="../../core/provider_info.py" />
            <source>Basic configuration: the OneAtlas API key as password (user name unused).</source>
            <translation>Basic-Konfiguration: der OneAtlas-API-Schlüssel als Passwort (Benutzername wird nicht verwendet).</translation>
        </message>
        <message>
            <location filename="../../core/provider_info.py" />
            <source>Basic configuration: your Geopera account e-mail and password (needed to place orders), or a gpra_ API key as password (search, prices and orders only).</source>
            <translation>Basic-Konfiguration: die E-Mail-Adresse und das Passwort Ihres Geopera-Kontos (zum Bestellen nötig) oder ein gpra_-API-Schlüssel als Passwort (nur Suche, Preise und Bestellungen ansehen).</translation>
        </message>
        <message>
            <location filename="../../core/provider_info.py" />
            <source>Basic configuration: your UP42 account e-mail and password.</source>
            <translation>Basic-Konfiguration: E-Mail-Adresse und Passwort Ihres UP42-Kontos.</translation>
        </message>
        <message>
            <location filename="../../core/provider_info.py" />
            <source>Data API</source>
            <translation>Daten-API</translation>
        </message>
        <message>
            <location filename="../../core/provider_info.py" />
            <source>Search API</source>
            <translation>Such-API</translation>
        </message>
        <message>
            <location filename="../../core/provider_info.py" />
            <source>Token server</source>
            <translation>Token-Server</translation>
        </message>
        <message>
            <location filename="../../plugin.py" />
            <source>Show or hide the Nadir panel: order satellite imagery</source>
            <translation>Nadir-Bedienfeld ein- oder ausblenden: Satellitenbilder bestellen</translation>
        </message>
        <message>
            <location filename="../../plugin.py" />
            <source>{} help</source>
            <translation>{}-Hilfe</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>(none)</source>
            <translation>(keine)</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Areas of interest</source>
            <translation>Interessengebiete</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Check the rules of a provider</source>
            <translation>Regeln eines Anbieters prüfen</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Dissolve all features into one AOI</source>
            <translation>Alle Objekte zu einem AOI auflösen</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Give either a layer (INPUT) or a file (FILE), not both and not neither.</source>
            <translation>Geben Sie entweder einen Layer (INPUT) oder eine Datei (FILE) an, nicht beides und nicht keins von beiden.</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Import areas of interest</source>
            <translation>Interessengebiete importieren</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Imported AOIs</source>
            <translation>Importierte AOIs</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Makes AOIs from a vector layer or from a file (GeoJSON, JSON, WKT, TXT, KML, zipped shapefile, GeoPackage or anything OGR reads; every polygon layer of the file). Every AOI is reprojected to EPSG:4326, split at the antimeridian if it crosses it, and checked: the output has its geodesic area in km² (WGS84), whether it is valid, and each problem with where it is and what to do. Features that cannot be areas (points, lines, empty or out-of-range coordinates) are reported and left out. Optionally repairs invalid shapes and checks a provider's rules (minimum area, vertex limit).</source>
            <translation>Erzeugt AOIs aus einem Vektorlayer oder aus einer Datei (GeoJSON, JSON, WKT, TXT, KML, gezipptes Shapefile, GeoPackage oder alles, was OGR liest; jeder Polygonlayer der Datei). Jedes AOI wird nach EPSG:4326 reprojiziert, an der Datumsgrenze geteilt, wenn es sie überquert, und geprüft: Die Ausgabe enthält seine geodätische Fläche in km² (WGS84), ob es gültig ist, und jedes Problem mit Ort und Lösungsweg. Objekte, die keine Flächen sein können (Punkte, Linien, leere Geometrien oder Koordinaten außerhalb des Wertebereichs), werden gemeldet und ausgelassen. Optional werden ungültige Formen repariert und die Regeln eines Anbieters geprüft (Mindestfläche, Höchstzahl an Stützpunkten).</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>No AOI could be made: {}</source>
            <translation>Es konnte kein AOI erzeugt werden: {}</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Number of AOIs</source>
            <translation>Anzahl AOIs</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Number of features refused</source>
            <translation>Anzahl abgelehnter Objekte</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Number of invalid AOIs</source>
            <translation>Anzahl ungültiger AOIs</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Polygon layer</source>
            <translation>Polygonlayer</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>Repair invalid AOIs (keep their polygonal parts)</source>
            <translation>Ungültige AOIs reparieren (ihre Flächenanteile behalten)</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>layer</source>
            <translation>Layer</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>the input holds no features</source>
            <translation>die Eingabe enthält keine Objekte</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>{} AOI(s), {:,.3f} km² in total; {} invalid; {} feature(s) refused.</source>
            <translation>{} AOI(s), insgesamt {:,.3f} km²; {} ungültig; {} Objekt(e) abgelehnt.</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>{}: repaired</source>
            <translation>{}: repariert</translation>
        </message>
        <message>
            <location filename="../../processing/aoi/import_aoi.py" />
            <source>…or a file (GeoJSON, JSON, WKT, TXT, KML, zipped shapefile, GeoPackage…)</source>
            <translation>…oder eine Datei (GeoJSON, JSON, WKT, TXT, KML, gezipptes Shapefile, GeoPackage…)</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>Assets that failed</source>
            <translation>Fehlgeschlagene Assets</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>Download deliveries</source>
            <translation>Lieferungen herunterladen</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>Download folder (empty: Nadir's download folder)</source>
            <translation>Downloadordner (leer: Nadirs Downloadordner)</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>Downloads everything a provider delivered for an order into a folder of its own (&lt;download folder&gt;/&lt;provider&gt;_&lt;order id&gt;): GeoTIFF, COG and JPEG 2000 files, zips unpacked. Partial files from an earlier run are resumed and complete ones are not downloaded again; sizes and checksums are checked before a file gets its final name.

Download folder: empty means Nadir's download folder (Settings &gt; Options &gt; Nadir).
Load as layers: in QGIS, adds the rasters to the current project in a group for the order, with provenance (provider, order id, capture date, product) in the layer metadata. Headless (qgis_process) only files are written.</source>
            <translation>Lädt alles, was ein Anbieter zu einem Auftrag geliefert hat, in einen eigenen Ordner herunter (&lt;Downloadordner&gt;/&lt;Anbieter&gt;_&lt;Auftrags-ID&gt;): GeoTIFF-, COG- und JPEG-2000-Dateien, ZIP-Archive entpackt. Unvollständige Dateien eines früheren Laufs werden fortgesetzt, vollständige nicht erneut heruntergeladen; Größen und Prüfsummen werden geprüft, bevor eine Datei ihren endgültigen Namen erhält.

Downloadordner: leer bedeutet Nadirs Downloadordner (Einstellungen &gt; Optionen &gt; Nadir).
Als Layer laden: fügt in QGIS die Raster dem aktuellen Projekt in einer Gruppe für den Auftrag hinzu, mit der Herkunft (Anbieter, Auftrags-ID, Aufnahmedatum, Produkt) in den Layer-Metadaten. Ohne Oberfläche (qgis_process) werden nur Dateien geschrieben.</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>Give the id of the order to download.</source>
            <translation>Geben Sie die ID des herunterzuladenden Auftrags an.</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>Layers added</source>
            <translation>Hinzugefügte Layer</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>Load as layers (in QGIS)</source>
            <translation>Als Layer laden (in QGIS)</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>Order folder</source>
            <translation>Auftragsordner</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>Raster files</source>
            <translation>Rasterdateien</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>The provider lists nothing delivered for this order yet.</source>
            <translation>Der Anbieter führt für diesen Auftrag noch keine Lieferung auf.</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>{} deliveries cannot be fetched by Nadir.</source>
            <translation>Lieferungen von {} kann Nadir nicht abrufen.</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>{} layer(s) added to the project ({} already there).</source>
            <translation>{} Layer zum Projekt hinzugefügt ({} waren schon vorhanden).</translation>
        </message>
        <message>
            <location filename="../../processing/deliveries/download_deliveries.py" />
            <source>{} order {}: {}</source>
            <translation>{} Auftrag {}: {}</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>AOI area (km²)</source>
            <translation>AOI-Fläche (km²)</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>AOI area not covered (km²)</source>
            <translation>Nicht abgedeckte AOI-Fläche (km²)</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>AOI layer</source>
            <translation>AOI-Layer</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>Cell area (km²)</source>
            <translation>Zellfläche (km²)</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>Cells</source>
            <translation>Zellen</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>ClearSKY Vision (Nadir settings)</source>
            <translation>ClearSKY Vision (Nadir-Einstellungen)</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>Coverage ratio</source>
            <translation>Abdeckungsverhältnis</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>Finds the cells of the provider's tile grid (ClearSKY Vision: UTM tiles of 5120x5120 px and minitiles of 320x320 px at 10 m) that cover the AOI, at tile or minitile level. Where UTM zones overlap, each part of the AOI is covered by the cells of its own zone; a neighbouring zone's cells are used only where its own zone has none (or is excluded). Tile orders bill the cells: the coverage ratio (cell area / AOI area) is reported. The provider connection and its credentials come from Settings &gt; Options &gt; Nadir.</source>
            <translation>Findet die Zellen des Kachelgitters des Anbieters (ClearSKY Vision: UTM-Kacheln zu 5120x5120 px und Minikacheln zu 320x320 px bei 10 m), die das AOI abdecken, auf Kachel- oder Minikachelebene. Wo sich UTM-Zonen überlappen, wird jeder Teil des AOI von den Zellen seiner eigenen Zone abgedeckt; die Zellen einer Nachbarzone werden nur verwendet, wo die eigene Zone keine hat (oder ausgeschlossen ist). Kachelaufträge berechnen die Zellen: Das Abdeckungsverhältnis (Zellfläche / AOI-Fläche) wird ausgegeben. Die Anbieterverbindung und ihre Zugangsdaten stammen aus Einstellungen &gt; Optionen &gt; Nadir.</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>Level</source>
            <translation>Ebene</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>Minitiles</source>
            <translation>Minikacheln</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>Number of cells</source>
            <translation>Anzahl Zellen</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>Provider calls: {} in {:.2f} s; client-side work {:.3f} s.</source>
            <translation>Anbieteraufrufe: {} in {:.2f} s; Arbeit auf dem Client {:.3f} s.</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>The AOI layer has no polygon features.</source>
            <translation>Der AOI-Layer enthält keine Polygonobjekte.</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>Tile cover (provider grid)</source>
            <translation>Kachelabdeckung (Gitter des Anbieters)</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>Tile grid</source>
            <translation>Kachelgitter</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>Tiles</source>
            <translation>Kacheln</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>UTM zones to leave out (e.g. 31N, 32N)</source>
            <translation>Auszulassende UTM-Zonen (z. B. 31N, 32N)</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>{:,.1f} km² of the AOI are not covered (excluded zones or outside the grid).</source>
            <translation>{:,.1f} km² des AOI sind nicht abgedeckt (ausgeschlossene Zonen oder außerhalb des Gitters).</translation>
        </message>
        <message>
            <location filename="../../processing/grid/tile_cover.py" />
            <source>{} cells; coverage ratio {:.3f} ({:,.1f} km² of cells for {:,.1f} km² of AOI).</source>
            <translation>{} Zellen; Abdeckungsverhältnis {:.3f} ({:,.1f} km² Zellen für {:,.1f} km² AOI).</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>AI model</source>
            <translation>KI-Modell</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>API requests</source>
            <translation>API-Abrufe</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>ARCHIVE_OPTIONS is not valid JSON ({}). Give an object such as {{"productType": "bundle"}}.</source>
            <translation>ARCHIVE_OPTIONS ist kein gültiges JSON ({}). Geben Sie ein Objekt wie {{"productType": "bundle"}} an.</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>ARCHIVE_OPTIONS must be a JSON object such as {"productType": "bundle"}.</source>
            <translation>ARCHIVE_OPTIONS muss ein JSON-Objekt sein, etwa {"productType": "bundle"}.</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Archive captures are ordered from Geopera, OneAtlas or UP42: choose that provider. ClearSKY orders take an AOI layer or tile GUIDs.</source>
            <translation>Archivaufnahmen werden bei Geopera, OneAtlas oder UP42 bestellt: Wählen Sie diesen Anbieter. ClearSKY-Aufträge nehmen einen AOI-Layer oder Kachel-GUIDs.</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Archive captures: capture ids of the chosen provider (with an AOI layer: the part bought)</source>
            <translation>Archivaufnahmen: Aufnahme-IDs des gewählten Anbieters (mit einem AOI-Layer: der gekaufte Teil)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Archive captures: footprints layer with provider and capture_id fields (the output of Search archive); the part bought is the AOI inside each footprint</source>
            <translation>Archivaufnahmen: Footprint-Layer mit den Feldern provider und capture_id (die Ausgabe von Archivbilder suchen); gekauft wird das AOI innerhalb jedes Footprints</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Archive product options (JSON), e.g. {"productType": "bundle", "crsCode": "EPSG:32631"} (OneAtlas), {"split_by_date": true} (Geopera), {"data_product": "&lt;id&gt;"} (UP42); empty: the defaults</source>
            <translation>Archiv-Produktoptionen (JSON), z. B. {"productType": "bundle", "crsCode": "EPSG:32631"} (OneAtlas), {"split_by_date": true} (Geopera), {"data_product": "&lt;id&gt;"} (UP42); leer: die Vorgaben</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Areas of interest (polygons; each feature is one AOI of a composite order)</source>
            <translation>Interessengebiete (Polygone; jedes Objekt ist ein AOI eines Composite-Auftrags)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Asks the provider for the price of a ClearSKY composite order (AOI layer) or tile order (tile and minitile GUIDs), or of archive captures from Geopera, OneAtlas or UP42 (a footprints layer from Search archive, or capture ids with an AOI layer; product options as JSON), after checking the configuration against the provider's rules. Nothing is ordered.</source>
            <translation>Fragt den Anbieter nach dem Preis eines ClearSKY-Composite-Auftrags (AOI-Layer) oder Kachelauftrags (GUIDs von Kacheln und Minikacheln) oder von Archivaufnahmen bei Geopera, OneAtlas oder UP42 (ein Footprint-Layer aus Archivbilder suchen oder Aufnahme-IDs mit einem AOI-Layer; Produktoptionen als JSON), nachdem die Konfiguration gegen die Regeln des Anbieters geprüft wurde. Es wird nichts bestellt.</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Capture ids alone do not say which part to buy: give an AOI layer too, or a footprints layer (the output of Search archive).</source>
            <translation>Aufnahme-IDs allein sagen nicht, welcher Teil gekauft wird: Geben Sie auch einen AOI-Layer an oder einen Footprint-Layer (die Ausgabe von Archivbilder suchen).</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>ClearSKY {} order (Processing)</source>
            <translation>ClearSKY-{}-Auftrag (Processing)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>ClearSKY {} order, {}: {}</source>
            <translation>ClearSKY-{}-Auftrag, {}: {}</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Confirm: place the order and pay the estimated price (without it, only estimate)</source>
            <translation>Bestätigen: Auftrag erteilen und den geschätzten Preis bezahlen (ohne dies nur schätzen)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Currency</source>
            <translation>Währung</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Estimate an order</source>
            <translation>Auftrag schätzen</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Estimates a ClearSKY order or archive captures (Geopera, OneAtlas, UP42) and, only with CONFIRM set, places it. The order goes through Nadir's outbox: it is recorded with its reference before it is sent, so running this again with the same parameters (or the same client reference) never orders twice; it reports the order already placed. Give a new client reference to order the same thing again on purpose.</source>
            <translation>Schätzt einen ClearSKY-Auftrag oder Archivaufnahmen (Geopera, OneAtlas, UP42) und erteilt ihn nur, wenn CONFIRM gesetzt ist. Der Auftrag läuft über Nadirs Postausgang: Er wird mit seiner Referenz gespeichert, bevor er gesendet wird, daher bestellt ein erneuter Lauf mit denselben Parametern (oder derselben Client-Referenz) nie doppelt, sondern meldet den bereits erteilten Auftrag. Geben Sie eine neue Client-Referenz an, um dasselbe absichtlich noch einmal zu bestellen.</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Finishing the placement started earlier (reference {}).</source>
            <translation>Die früher begonnene Auftragserteilung wird abgeschlossen (Referenz {}).</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Following month: {}</source>
            <translation>Folgemonat: {}</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>From (first month: the 1st day of a month, or YYYY-MM; ClearSKY only)</source>
            <translation>Von (erster Monat: der 1. Tag eines Monats oder JJJJ-MM; nur ClearSKY)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>From is required for a ClearSKY order: the first month, as YYYY-MM or the 1st day of a month.</source>
            <translation>Von ist für einen ClearSKY-Auftrag nötig: der erste Monat, als JJJJ-MM oder der 1. Tag eines Monats.</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Give an AOI layer or tile/minitile GUIDs.</source>
            <translation>Geben Sie einen AOI-Layer oder GUIDs von Kacheln/Minikacheln an.</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Give either an AOI layer (composite order) or tile/minitile GUIDs (tile order), not both.</source>
            <translation>Geben Sie entweder einen AOI-Layer (Composite-Auftrag) oder GUIDs von Kacheln/Minikacheln (Kachelauftrag) an, nicht beides.</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Image dates</source>
            <translation>Bilddaten</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Image dates ({}): {}</source>
            <translation>Bilddaten ({}): {}</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Image frequency (days between images)</source>
            <translation>Bildfrequenz (Tage zwischen zwei Bildern)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Loading the AI models from ClearSKY…</source>
            <translation>Die KI-Modelle werden von ClearSKY geladen…</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Minitile GUIDs (for a tile order)</source>
            <translation>GUIDs der Minikacheln (für einen Kachelauftrag)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>No capture overlaps the AOI: nothing to order.</source>
            <translation>Keine Aufnahme überschneidet das AOI: Es gibt nichts zu bestellen.</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>No {} capture to order: give a footprints layer with this provider's captures, or capture ids and an AOI layer.</source>
            <translation>Keine Aufnahme von {} zu bestellen: Geben Sie einen Footprint-Layer mit Aufnahmen dieses Anbieters an oder Aufnahme-IDs und einen AOI-Layer.</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Not priced: {}: {}</source>
            <translation>Ohne Preis: {}: {}</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Outbox reference</source>
            <translation>Postausgang-Referenz</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Place an order</source>
            <translation>Auftrag erteilen</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Placing the order (reference {})…</source>
            <translation>Der Auftrag wird erteilt (Referenz {})…</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Reference date aligning the schedule (empty: From)</source>
            <translation>Referenzdatum, an dem sich der Zeitplan ausrichtet (leer: Von)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Satellite constellations (comma separated; empty: the model's required ones)</source>
            <translation>Satellitenkonstellationen (durch Kommas getrennt; leer: die vom Modell verlangten)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Storage months (the first month is free)</source>
            <translation>Speichermonate (der erste Monat ist kostenlos)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>The AOI layer has no polygons (or none are selected).</source>
            <translation>Der AOI-Layer enthält keine Polygone (oder keine sind gewählt).</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>The ClearSKY account's limits could not be read ({}); the largest composite it can deliver is not checked.</source>
            <translation>Die Grenzen des ClearSKY-Kontos konnten nicht gelesen werden ({}); die größte lieferbare Komposit-Fläche wird nicht geprüft.</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>The footprints layer needs a capture_id field (the output of Search archive has it).</source>
            <translation>Der Footprint-Layer braucht ein Feld capture_id (die Ausgabe von Archivbilder suchen hat es).</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>The order cannot be configured like this:
</source>
            <translation>Der Auftrag kann so nicht konfiguriert werden:
</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>The provider's estimate (JSON)</source>
            <translation>Die Schätzung des Anbieters (JSON)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Tile GUIDs (for a tile order; separated by commas or spaces)</source>
            <translation>GUIDs der Kacheln (für einen Kachelauftrag; durch Kommas oder Leerzeichen getrennt)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>Tile deduplication (tile orders only)</source>
            <translation>Kachel-Deduplizierung (nur Kachelaufträge)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>To (last image date; empty: recurring live order, renews every month until cancelled)</source>
            <translation>Bis (letztes Bilddatum; leer: wiederkehrender Live-Auftrag, verlängert sich jeden Monat bis zur Stornierung)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>fixed period ending {}</source>
            <translation>fester Zeitraum bis {}</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>recurring live order (renews every month until cancelled)</source>
            <translation>wiederkehrender Live-Auftrag (verlängert sich jeden Monat bis zur Stornierung)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>{} archive order (Processing)</source>
            <translation>{}-Archivauftrag (Processing)</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>{} archive order: {}; options {}</source>
            <translation>{}-Archivauftrag: {}; Optionen {}</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>{} footprints of other providers were left out: one order is for one provider (the Provider parameter).</source>
            <translation>{} Footprints anderer Anbieter wurden ausgelassen: Ein Auftrag gilt einem Anbieter (der Parameter Anbieter).</translation>
        </message>
        <message>
            <location filename="../../processing/ordering/order_algorithms.py" />
            <source>{} must be a date as YYYY-MM-DD (or a month as YYYY-MM), not {!r}.</source>
            <translation>{} muss ein Datum im Format JJJJ-MM-TT (oder ein Monat im Format JJJJ-MM) sein, nicht {!r}.</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>All</source>
            <translation>Alle</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Awaiting your decision</source>
            <translation>Wartet auf Ihre Entscheidung</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Can be cancelled</source>
            <translation>Stornierbar</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Cancel order</source>
            <translation>Auftrag stornieren</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Cancelled</source>
            <translation>Storniert</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Cancelled: the order is now {}.</source>
            <translation>Storniert: Der Auftrag ist jetzt {}.</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Cancels an order, following the provider's rules (ClearSKY: an order in review is cancelled completely; a recurring order completes its current month and does not renew; nothing else can be cancelled).

Without 'Confirm' nothing is cancelled: the algorithm only reports whether the order can be cancelled and what would happen. With 'Confirm' it cancels, or fails with the provider's reason.</source>
            <translation>Storniert einen Auftrag nach den Regeln des Anbieters (ClearSKY: Ein Auftrag in Prüfung wird vollständig storniert; ein wiederkehrender Auftrag schließt seinen laufenden Monat ab und verlängert sich nicht; alles andere kann nicht storniert werden).

Ohne „Bestätigen“ wird nichts storniert: Der Algorithmus meldet nur, ob der Auftrag stornierbar ist und was geschehen würde. Mit „Bestätigen“ storniert er oder scheitert mit der Begründung des Anbieters.</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Completed</source>
            <translation>Abgeschlossen</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Confirm: really cancel (otherwise only report what would happen)</source>
            <translation>Bestätigen: wirklich stornieren (sonst nur melden, was geschehen würde)</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Failed or cancelled</source>
            <translation>Fehlgeschlagen oder storniert</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Give the id of the order to cancel.</source>
            <translation>Geben Sie die ID des zu stornierenden Auftrags an.</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Last day produced (a stopped recurring order)</source>
            <translation>Letzter produzierter Tag (ein beendeter wiederkehrender Auftrag)</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>List orders</source>
            <translation>Aufträge auflisten</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Lists every order of a provider connection, finished ones included, as polygons of their areas of interest (EPSG:4326) with provider, order id, kind, model, status and sub-status exactly as the provider sent them, lifecycle, start, end (empty for a recurring order), cancellation date, price and creation time. Orders without an area (some archive orders) have no geometry.

Status: a group of lifecycles. Provider statuses: the provider's own status values, comma separated (for example Review,UpToDate), sent to the provider as its filter.</source>
            <translation>Listet jeden Auftrag einer Anbieterverbindung auf, abgeschlossene eingeschlossen, als Polygone ihrer Interessengebiete (EPSG:4326), mit Anbieter, Auftrags-ID, Art, Modell, Status und Unterstatus genau so, wie der Anbieter sie gesendet hat, Lebenszyklus, Beginn, Ende (leer bei einem wiederkehrenden Auftrag), Stornierungsdatum, Preis und Erstellungszeit. Aufträge ohne Fläche (manche Archivaufträge) haben keine Geometrie.

Status: eine Gruppe von Lebenszyklen. Anbieterstatus: die eigenen Statuswerte des Anbieters, durch Kommas getrennt (zum Beispiel Review,UpToDate), als Filter an den Anbieter gesendet.</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Live (not finished)</source>
            <translation>Laufend (nicht abgeschlossen)</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Nothing was cancelled: set Confirm to cancel.</source>
            <translation>Es wurde nichts storniert: Setzen Sie „Bestätigen“, um zu stornieren.</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Number of orders</source>
            <translation>Anzahl Aufträge</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Order id</source>
            <translation>Auftrags-ID</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Order {} is {}. {}</source>
            <translation>Auftrag {} ist {}. {}</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Orders</source>
            <translation>Aufträge</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Provider connection</source>
            <translation>Anbieterverbindung</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Provider statuses (comma separated)</source>
            <translation>Anbieterstatus (durch Kommas getrennt)</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Status after</source>
            <translation>Status danach</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>The provider connection was not prepared.</source>
            <translation>Die Anbieterverbindung wurde nicht vorbereitet.</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>Unknown status</source>
            <translation>Unbekannter Status</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>What cancelling does</source>
            <translation>Was die Stornierung bewirkt</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>{} orders</source>
            <translation>{}-Aufträge</translation>
        </message>
        <message>
            <location filename="../../processing/orders/tracking.py" />
            <source>{} orders cannot be listed or cancelled from Nadir.</source>
            <translation>{}-Aufträge können in Nadir nicht aufgelistet oder storniert werden.</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>'Acquired until' is before 'Acquired from'. Swap the dates.</source>
            <translation>„Aufgenommen bis“ liegt vor „Aufgenommen ab“. Tauschen Sie die Daten.</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Acquired from</source>
            <translation>Aufgenommen ab</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Acquired until</source>
            <translation>Aufgenommen bis</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Area to search</source>
            <translation>Zu durchsuchendes Gebiet</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>At most, per provider</source>
            <translation>Höchstens, je Anbieter</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Captures</source>
            <translation>Aufnahmen</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Choose at least one provider to search.</source>
            <translation>Wählen Sie mindestens einen Anbieter für die Suche.</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Max cloud cover (%)</source>
            <translation>Maximale Wolkenbedeckung (%)</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Max incidence angle (°)</source>
            <translation>Maximaler Einfallswinkel (°)</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>No provider could be searched; see the log.</source>
            <translation>Kein Anbieter konnte durchsucht werden; siehe Protokoll.</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Number of captures</source>
            <translation>Anzahl Aufnahmen</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Ordering</source>
            <translation>Bestellen</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Providers</source>
            <translation>Anbieter</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Search archive imagery</source>
            <translation>Archivbilder suchen</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>Searches the archives of Geopera, Airbus OneAtlas and UP42 over the features of a layer and writes the footprints of the captures found (EPSG:4326) with provider, capture id, collection, constellation, acquisition time, cloud cover, incidence angle, GSD, the % of the area each covers, the price where the provider adds one, and the host.

UP42 searches one collection on one host: give it as collection@host (for example phr@oneatlas). A provider that fails is reported in the log and the others are still written.</source>
            <translation>Durchsucht die Archive von Geopera, Airbus OneAtlas und UP42 über den Objekten eines Layers und schreibt die Footprints der gefundenen Aufnahmen (EPSG:4326) mit Anbieter, Aufnahme-ID, Kollektion, Konstellation, Aufnahmezeit, Wolkenbedeckung, Einfallswinkel, GSD, dem Anteil des Gebiets in %, den jede abdeckt, dem Preis, wo der Anbieter einen mitliefert, und dem Host.

UP42 durchsucht eine Kollektion auf einem Host: Geben Sie sie als kollektion@host an (zum Beispiel phr@oneatlas). Ein Anbieter, der scheitert, wird im Protokoll gemeldet, die anderen werden trotzdem geschrieben.</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>The area cannot be read as a polygon.</source>
            <translation>Das Gebiet kann nicht als Polygon gelesen werden.</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>The area layer has no polygon to search over.</source>
            <translation>Der Gebietslayer enthält kein Polygon, über dem gesucht werden kann.</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>UP42 collection@host</source>
            <translation>UP42-Kollektion@Host</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>UP42: give the collection to search as collection@host, for example phr@oneatlas.</source>
            <translation>UP42: Geben Sie die zu durchsuchende Kollektion als kollektion@host an, zum Beispiel phr@oneatlas.</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>{} captures</source>
            <translation>{} Aufnahmen</translation>
        </message>
        <message>
            <location filename="../../processing/search/search_archive.py" />
            <source>{}: {} captures so far</source>
            <translation>{}: bisher {} Aufnahmen</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Area of interest (polygons)</source>
            <translation>Interessengebiet (Polygone)</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>CONFIRM is not set: no decision was sent.</source>
            <translation>CONFIRM ist nicht gesetzt: Es wurde keine Entscheidung gesendet.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>CONFIRM is not set: nothing was ordered. The estimate is {}. Run again with CONFIRM=true to place the order.</source>
            <translation>CONFIRM ist nicht gesetzt: Es wurde nichts bestellt. Die Schätzung beträgt {}. Führen Sie den Algorithmus mit CONFIRM=true erneut aus, um den Auftrag zu erteilen.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Client reference (a re-run with the same reference never orders twice; empty: the parameters themselves)</source>
            <translation>Client-Referenz (ein erneuter Lauf mit derselben Referenz bestellt nie doppelt; leer: die Parameter selbst)</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Confirm: place the order (without it, only the price is asked)</source>
            <translation>Bestätigen: Auftrag erteilen (ohne dies wird nur der Preis erfragt)</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Confirm: send the decision (otherwise only report what waits)</source>
            <translation>Bestätigen: Entscheidung senden (sonst nur melden, was wartet)</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Decide a tasking order (UP42)</source>
            <translation>Tasking-Auftrag entscheiden (UP42)</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Decide the quotation with accept or reject.</source>
            <translation>Entscheiden Sie das Angebot mit accept oder reject.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Decision: a feasibility option id, or accept / reject for a quotation</source>
            <translation>Entscheidung: eine Machbarkeits-Options-ID oder accept / reject für ein Angebot</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Estimate: {}</source>
            <translation>Schätzung: {}</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Estimated total</source>
            <translation>Geschätzte Summe</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Feasibility option {}: {}</source>
            <translation>Machbarkeitsoption {}: {}</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Give the id of the UP42 data product to task.</source>
            <translation>Geben Sie die ID des zu beauftragenden UP42-Datenprodukts an.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Give the id of the UP42 order.</source>
            <translation>Geben Sie die ID des UP42-Auftrags an.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>One order per polygon</source>
            <translation>Ein Auftrag je Polygon</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>One outline around all polygons</source>
            <translation>Ein Umriss um alle Polygone</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Only the largest polygon</source>
            <translation>Nur das größte Polygon</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Orders a new acquisition of a UP42 tasking data product over the polygons of a layer. Parameters: the product's parameters as a JSON object (for example {"displayName": "My order", "acquisitionStart": "2027-01-01T00:00:00Z", ...}), checked against the product's schema from UP42; each problem names its field. The geometry comes from the layer: UP42 tasks one polygon per order with at most 999 vertices (choose what to do with several polygons; Simplify fits a detailed outline).

Without Confirm only the price is asked; with it the order is placed through Nadir's outbox, so a re-run with the same parameters or client reference never orders twice.</source>
            <translation>Bestellt eine neue Aufnahme eines UP42-Tasking-Datenprodukts über den Polygonen eines Layers. Parameter: die Parameter des Produkts als JSON-Objekt (zum Beispiel {"displayName": "My order", "acquisitionStart": "2027-01-01T00:00:00Z", ...}), gegen das Schema des Produkts von UP42 geprüft; jedes Problem nennt sein Feld. Die Geometrie kommt aus dem Layer: UP42 beauftragt ein Polygon je Auftrag mit höchstens 999 Stützpunkten (wählen Sie, was mit mehreren Polygonen geschieht; Vereinfachen passt einen detaillierten Umriss an).

Ohne Bestätigen wird nur der Preis erfragt; mit Bestätigen wird der Auftrag über Nadirs Postausgang erteilt, sodass ein erneuter Lauf mit denselben Parametern oder derselben Client-Referenz nie doppelt bestellt.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Outcome: estimated only, placed, failed, unknown</source>
            <translation>Ergebnis: nur geschätzt, erteilt, fehlgeschlagen, unbekannt</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Parameters (JSON object)</source>
            <translation>Parameter (JSON-Objekt)</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Parameters are not valid JSON: line {}, column {}: {}.</source>
            <translation>Die Parameter sind kein gültiges JSON: Zeile {}, Spalte {}: {}.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Parameters must be a JSON object: {"name": value, …}.</source>
            <translation>Die Parameter müssen ein JSON-Objekt sein: {"name": value, …}.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Placed: order {}.</source>
            <translation>Erteilt: Auftrag {}.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Provider order ids</source>
            <translation>Auftrags-IDs des Anbieters</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Refuse (UP42 tasks one polygon)</source>
            <translation>Ablehnen (UP42 beauftragt ein Polygon)</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Reports what a UP42 tasking order waits for: a feasibility study's options (their ids and descriptions) or a quotation's price. With Confirm it sends the decision: an option id to choose that feasibility option, or accept or reject for the quotation. Without Confirm nothing is sent.</source>
            <translation>Meldet, worauf ein UP42-Tasking-Auftrag wartet: die Optionen einer Machbarkeitsstudie (ihre IDs und Beschreibungen) oder den Preis eines Angebots. Mit Bestätigen wird die Entscheidung gesendet: eine Options-ID, um diese Machbarkeitsoption zu wählen, oder accept bzw. reject für das Angebot. Ohne Bestätigen wird nichts gesendet.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Sent: {}.</source>
            <translation>Gesendet: {}.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Several polygons</source>
            <translation>Mehrere Polygone</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Simplify to UP42's 999 vertices when needed</source>
            <translation>Bei Bedarf auf die 999 Stützpunkte von UP42 vereinfachen</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Task a new acquisition (UP42)</source>
            <translation>Neue Aufnahme beauftragen (UP42)</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>Tasking</source>
            <translation>Tasking</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>The UP42 connection was not prepared.</source>
            <translation>Die UP42-Verbindung wurde nicht vorbereitet.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>The area layer has no polygon to task.</source>
            <translation>Der Gebietslayer enthält kein Polygon für das Tasking.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>The decision sent, if any</source>
            <translation>Die gesendete Entscheidung, falls eine</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>The options or the quotation (JSON)</source>
            <translation>Die Optionen oder das Angebot (JSON)</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>The order waits for a decision on the quotation: {}.</source>
            <translation>Der Auftrag wartet auf eine Entscheidung über das Angebot: {}.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>The order waits for no decision.</source>
            <translation>Der Auftrag wartet auf keine Entscheidung.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>The order was not placed ({}): {}</source>
            <translation>Der Auftrag wurde nicht erteilt ({}): {}</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>This order was already placed (order {}, reference {}); nothing was sent again.</source>
            <translation>Dieser Auftrag wurde bereits erteilt (Auftrag {}, Referenz {}); es wurde nichts erneut gesendet.</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>UP42 data product id</source>
            <translation>ID des UP42-Datenprodukts</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>UP42 order id</source>
            <translation>UP42-Auftrags-ID</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>UP42 tasking (Processing)</source>
            <translation>UP42-Tasking (Processing)</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>What the order waits for: feasibility, quotation or nothing</source>
            <translation>Worauf der Auftrag wartet: feasibility, quotation oder nothing</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>parameters</source>
            <translation>Parameter</translation>
        </message>
        <message>
            <location filename="../../processing/tasking/tasking_algorithms.py" />
            <source>{} parameter(s) do not match the product's schema; see the log.</source>
            <translation>{} Parameter passen nicht zum Schema des Produkts; siehe Protokoll.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>AOI {}</source>
            <translation>AOI {}</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>Chosen for the order</source>
            <translation>Für den Auftrag gewählt</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>Could not add AOIs to the AOI layer: {}</source>
            <translation>AOIs konnten nicht zum AOI-Layer hinzugefügt werden: {}</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>Could not create the AOI GeoPackage {}: {}</source>
            <translation>Das AOI-GeoPackage {} konnte nicht angelegt werden: {}</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>Could not delete AOIs from the AOI layer.</source>
            <translation>AOIs konnten nicht aus dem AOI-Layer gelöscht werden.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>Could not open the AOI GeoPackage {}.</source>
            <translation>Das AOI-GeoPackage {} konnte nicht geöffnet werden.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>Could not update AOI '{}'.</source>
            <translation>AOI „{}“ konnte nicht aktualisiert werden.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>Could not update the AOI layer.</source>
            <translation>Der AOI-Layer konnte nicht aktualisiert werden.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>Could not update the shape of AOI '{}'.</source>
            <translation>Die Form des AOI „{}“ konnte nicht aktualisiert werden.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>Invalid</source>
            <translation>Ungültig</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>Not chosen</source>
            <translation>Nicht gewählt</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>The AOI layer '{}' cannot be opened (its GeoPackage is missing). Remove the layer to start a new one.</source>
            <translation>Der AOI-Layer „{}“ kann nicht geöffnet werden (sein GeoPackage fehlt). Entfernen Sie den Layer, um einen neuen anzulegen.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>The AOI layer is in editing mode. Save or discard its edits (toolbar: Toggle Editing), then try again.</source>
            <translation>Der AOI-Layer ist im Bearbeitungsmodus. Speichern oder verwerfen Sie seine Änderungen (Werkzeugleiste: Bearbeitungsstatus umschalten) und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/aoi/layer.py" />
            <source>edited in QGIS</source>
            <translation>in QGIS bearbeitet</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>Repaired: {} polygon(s) (was {}), {} km² (was {} km², {} %).</source>
            <translation>Repariert: {} Polygon(e) (vorher {}), {} km² (vorher {} km², {} %).</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>Simplified from {} to {} vertices; the outline moved at most {} (tolerance {}); area {} km² ({} %).</source>
            <translation>Vereinfacht von {} auf {} Stützpunkte; der Umriss hat sich höchstens um {} verschoben (Toleranz {}); Fläche {} km² ({} %).</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>The TLS certificate of {} (or of a proxy in between) is not trusted, so Nadir did not connect. If your organisation uses its own certificate authority, add its CA certificate to QGIS's trusted authorities in Settings &gt; Options &gt; Authentication &gt; Certificate Manager.</source>
            <translation>Das TLS-Zertifikat von {} (oder eines Proxys dazwischen) ist nicht vertrauenswürdig, daher hat Nadir keine Verbindung aufgebaut. Wenn Ihre Organisation eine eigene Zertifizierungsstelle verwendet, fügen Sie deren CA-Zertifikat den vertrauenswürdigen Stellen von QGIS hinzu unter Einstellungen &gt; Optionen &gt; Authentifizierung &gt; Zertifikatsmanager.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>The operation was cancelled.</source>
            <translation>Der Vorgang wurde abgebrochen.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>an empty body instead of JSON</source>
            <translation>einen leeren Inhalt statt JSON</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>invalid: {}</source>
            <translation>ungültig: {}</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>invalid: {} (+{} more)</source>
            <translation>ungültig: {} (+{} weitere)</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>malformed or truncated JSON</source>
            <translation>fehlerhaftes oder abgeschnittenes JSON</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>the connection could not be opened</source>
            <translation>die Verbindung konnte nicht geöffnet werden</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>the connection failed</source>
            <translation>die Verbindung ist fehlgeschlagen</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>the connection was closed before the answer was complete</source>
            <translation>die Verbindung wurde geschlossen, bevor die Antwort vollständig war</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>the request timed out</source>
            <translation>die Anfrage hat das Zeitlimit überschritten</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>valid</source>
            <translation>gültig</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>valid, {} warning(s)</source>
            <translation>gültig, {} Warnung(en)</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>{} could not be reached ({}). Check the network connection and the proxy settings in Settings &gt; Options &gt; Network, then try again.</source>
            <translation>{} war nicht erreichbar ({}). Prüfen Sie die Netzwerkverbindung und die Proxy-Einstellungen unter Einstellungen &gt; Optionen &gt; Netzwerk und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>{} did not accept the credentials (HTTP 401{}). Check the {} credentials in Settings &gt; Options &gt; Nadir.</source>
            <translation>{} hat die Zugangsdaten nicht akzeptiert (HTTP 401{}). Prüfen Sie die Zugangsdaten für {} unter Einstellungen &gt; Optionen &gt; Nadir.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>{} is limiting the request rate ({}). Try again later.</source>
            <translation>{} begrenzt die Anfragerate ({}). Versuchen Sie es später erneut.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>{} is limiting the request rate ({}). Wait {} s and try again.</source>
            <translation>{} begrenzt die Anfragerate ({}). Warten Sie {} s und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>{} is not available right now ({}). Try again later.</source>
            <translation>{} ist gerade nicht verfügbar ({}). Versuchen Sie es später erneut.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>{} refused access (HTTP 403{}): the credentials are not allowed to do this. Check the {} account and credentials in Settings &gt; Options &gt; Nadir.</source>
            <translation>{} hat den Zugriff verweigert (HTTP 403{}): Die Zugangsdaten erlauben das nicht. Prüfen Sie das Konto und die Zugangsdaten für {} unter Einstellungen &gt; Optionen &gt; Nadir.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/core_text.py" />
            <source>{} returned {} ({}). Try again later; if it persists, the service or a proxy in between is misbehaving.</source>
            <translation>{} hat {} geliefert ({}). Versuchen Sie es später erneut; bleibt der Fehler, stört der Dienst oder ein Proxy dazwischen.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/notify.py" />
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <location filename="../../toolbelt/notify.py" />
            <source>Fix credentials</source>
            <translation>Zugangsdaten korrigieren</translation>
        </message>
        <message>
            <location filename="../../toolbelt/orders/layer.py" />
            <source>Failed</source>
            <translation>Fehlgeschlagen</translation>
        </message>
        <message>
            <location filename="../../toolbelt/orders/layer.py" />
            <source>In progress</source>
            <translation>In Bearbeitung</translation>
        </message>
        <message>
            <location filename="../../toolbelt/orders/layer.py" />
            <source>Live (recurring)</source>
            <translation>Laufend (wiederkehrend)</translation>
        </message>
        <message>
            <location filename="../../toolbelt/orders/layer.py" />
            <source>Pending (in review)</source>
            <translation>Ausstehend (in Prüfung)</translation>
        </message>
        <message>
            <location filename="../../toolbelt/standin.py" />
            <source>Install</source>
            <translation>Installieren</translation>
        </message>
        <message>
            <location filename="../../toolbelt/standin.py" />
            <source>Install Nadir's missing Python packages…</source>
            <translation>Fehlende Python-Pakete für Nadir installieren…</translation>
        </message>
        <message>
            <location filename="../../toolbelt/standin.py" />
            <source>Installation failed</source>
            <translation>Installation fehlgeschlagen</translation>
        </message>
        <message>
            <location filename="../../toolbelt/standin.py" />
            <source>Installing Nadir's Python packages</source>
            <translation>Python-Pakete für Nadir werden installiert</translation>
        </message>
        <message>
            <location filename="../../toolbelt/standin.py" />
            <source>Installing the packages failed. See the details.</source>
            <translation>Die Installation der Pakete ist fehlgeschlagen. Siehe Details.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/standin.py" />
            <source>Installing {} into {}…</source>
            <translation>{} wird in {} installiert…</translation>
        </message>
        <message>
            <location filename="../../toolbelt/standin.py" />
            <source>Packages installed into {}. Restart QGIS to start {}.</source>
            <translation>Pakete in {} installiert. Starten Sie QGIS neu, um {} zu starten.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/standin.py" />
            <source>{} cannot start: missing Python packages: {}.</source>
            <translation>{} kann nicht starten: fehlende Python-Pakete: {}.</translation>
        </message>
        <message>
            <location filename="../../toolbelt/standin.py" />
            <source>{} cannot start: {}</source>
            <translation>{} kann nicht starten: {}</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/feature.py" />
            <source>Choosing AOIs</source>
            <translation>AOIs wählen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/feature.py" />
            <source>Delete AOIs</source>
            <translation>AOIs löschen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/feature.py" />
            <source>Delete {}? {}</source>
            <translation>{} löschen? {}</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/feature.py" />
            <source>Deleting</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/feature.py" />
            <source>Renaming</source>
            <translation>Umbenennen</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/aoi/import_dialog.py" />
            <source>%n byte(s)</source>
            <translation>
                <numerusform>%n Byte</numerusform>
                <numerusform>%n Bytes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/aoi/import_dialog.py" />
            <source>%n character(s)</source>
            <translation>
                <numerusform>%n Zeichen</numerusform>
                <numerusform>%n Zeichen</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.py" />
            <source>Choose a file with areas of interest</source>
            <translation>Datei mit Interessengebieten wählen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.py" />
            <source>Found: {}</source>
            <translation>Gefunden: {}</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.py" />
            <source>Layer: {}</source>
            <translation>Layer: {}</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.py" />
            <source>Not polygons: cannot be an AOI</source>
            <translation>Keine Polygone: kann kein AOI sein</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.py" />
            <source>Text file ({}): read as WKT, GeoJSON or JSON.</source>
            <translation>Textdatei ({}): wird als WKT, GeoJSON oder JSON gelesen.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.py" />
            <source>Vector data ({});;All files (*)</source>
            <translation>Vektordaten ({});;Alle Dateien (*)</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.py" />
            <source>pasted</source>
            <translation>eingefügt</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.py" />
            <source>{} with polygons: choose one.</source>
            <translation>{} mit Polygonen: bitte einen auswählen.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.py" />
            <source>{}: checked when imported.</source>
            <translation>{}: wird beim Import geprüft.</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/aoi/layer_dialog.py" />
            <source>%n feature(s)</source>
            <translation>
                <numerusform>%n Objekt</numerusform>
                <numerusform>%n Objekte</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/aoi/layer_dialog.py" />
            <source>Selected features only ({} selected)</source>
            <translation>Nur gewählte Objekte ({} gewählt)</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/layer_dialog.py" />
            <source>There is no polygon layer in the project.</source>
            <translation>Das Projekt enthält keinen Polygonlayer.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/layer_dialog.py" />
            <source>{} will be imported, CRS {}.</source>
            <translation>Zu importieren: {}, KBS {}.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/model.py" />
            <source>Area</source>
            <translation>Fläche</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/model.py" />
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/model.py" />
            <source>Use in the next order</source>
            <translation>Im nächsten Auftrag verwenden</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source> ({} more in the details)</source>
            <translation> ({} weitere in den Details)</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Added {}.</source>
            <translation>{} hinzugefügt.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Drawing</source>
            <translation>Zeichnen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Importing {}…</source>
            <translation>{} wird importiert…</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>No AOI could be made. {}{}</source>
            <translation>Es konnte kein AOI erzeugt werden. {}{}</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Pasted AOI</source>
            <translation>Eingefügtes AOI</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Pasted text</source>
            <translation>Eingefügter Text</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Polygon</source>
            <translation>Polygon</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Reading pasted AOIs…</source>
            <translation>Eingefügte AOIs werden gelesen…</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Reading {}…</source>
            <translation>{} wird gelesen…</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Rectangle</source>
            <translation>Rechteck</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Repairing {}…</source>
            <translation>{} wird repariert…</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Saving AOIs</source>
            <translation>AOIs speichern</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>Simplifying {}…</source>
            <translation>{} wird vereinfacht…</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>The layer is no longer in the project.</source>
            <translation>Der Layer ist nicht mehr im Projekt.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>The new shape is shown in green over the original in red.</source>
            <translation>Die neue Form ist grün über dem Original in Rot dargestellt.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>drawn {}</source>
            <translation>gezeichnet {}</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>layer {}</source>
            <translation>Layer {}</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/presenter.py" />
            <source>pasted text</source>
            <translation>eingefügter Text</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/aoi/section.py" />
            <source>%n (vertex|vertices)</source>
            <translation>
                <numerusform>%n Stützpunkt</numerusform>
                <numerusform>%n Stützpunkte</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/aoi/section.py" />
            <source>%n polygon(s)</source>
            <translation>
                <numerusform>%n Polygon</numerusform>
                <numerusform>%n Polygone</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>&lt;p&gt;&lt;b&gt;No areas of interest yet.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Draw a rectangle or polygon on the map, take features of a polygon layer, import a file or paste WKT/GeoJSON with the buttons above. Files can also be dropped on this panel.&lt;/p&gt;</source>
            <translation>&lt;p&gt;&lt;b&gt;Noch keine Interessengebiete.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Zeichnen Sie ein Rechteck oder Polygon auf der Karte, übernehmen Sie Objekte eines Polygonlayers, importieren Sie eine Datei oder fügen Sie WKT/GeoJSON mit den Schaltflächen oben ein. Dateien können auch auf dieses Bedienfeld gezogen werden.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>&lt;p&gt;Select an AOI to see its checks.&lt;/p&gt;</source>
            <translation>&lt;p&gt;Wählen Sie ein AOI, um seine Prüfungen zu sehen.&lt;/p&gt;</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Accept</source>
            <translation>Übernehmen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Click the corners; right-click or double-click finishes, Backspace removes the last corner, Esc cancels.</source>
            <translation>Klicken Sie die Ecken an; Rechtsklick oder Doppelklick beendet, Rücktaste entfernt die letzte Ecke, Esc bricht ab.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Configure a ClearSKY composite order for the chosen AOIs and add it to the cart.</source>
            <translation>Einen ClearSKY-Composite-Auftrag für die gewählten AOIs konfigurieren und in den Warenkorb legen.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Delete</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Discard</source>
            <translation>Verwerfen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Drag a rectangle on the map. Esc cancels.</source>
            <translation>Ziehen Sie ein Rechteck auf der Karte auf. Esc bricht ab.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Draw a polygon</source>
            <translation>Polygon zeichnen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Draw a rectangle</source>
            <translation>Rechteck zeichnen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>From a layer…</source>
            <translation>Aus einem Layer…</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>GeoJSON, JSON, WKT, TXT, KML, zipped shapefile, GeoPackage… You can also drop files on this panel.</source>
            <translation>GeoJSON, JSON, WKT, TXT, KML, gezipptes Shapefile, GeoPackage… Sie können Dateien auch auf dieses Bedienfeld ziehen.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Import a file…</source>
            <translation>Datei importieren…</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>One AOI per polygon</source>
            <translation>Ein AOI pro Polygon</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Paste text…</source>
            <translation>Text einfügen…</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Repair…</source>
            <translation>Reparieren…</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Selected or all features of a polygon layer, in any CRS</source>
            <translation>Gewählte oder alle Objekte eines Polygonlayers, in beliebigem KBS</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Simplify to at most {}</source>
            <translation>Vereinfachen auf höchstens {}</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Simplify…</source>
            <translation>Vereinfachen…</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Split</source>
            <translation>Teilen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Valid.</source>
            <translation>Gültig.</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>WKT, GeoJSON or JSON text</source>
            <translation>WKT-, GeoJSON- oder JSON-Text</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>Zoom to</source>
            <translation>Zoomen auf</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>accepted</source>
            <translation>akzeptiert</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>repair it first</source>
            <translation>zuerst reparieren</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>{aois}, {area} · for order: {c}, {carea}</source>
            <translation>{aois}, {area} · für den Auftrag: {c}, {carea}</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/section.py" />
            <source>{area} (geodesic, WGS84) · {p} · {v}</source>
            <translation>{area} (geodätisch, WGS84) · {p} · {v}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive.py" />
            <source>1 archive item added to the cart.</source>
            <translation>1 Archiveintrag in den Warenkorb gelegt.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive.py" />
            <source>Nadir: UP42 data products</source>
            <translation>Nadir: UP42-Datenprodukte</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive.py" />
            <source>Nothing was added to the cart: no selected capture overlaps the area of interest. Select captures whose footprint meets the AOI.</source>
            <translation>Nichts wurde in den Warenkorb gelegt: Keine gewählte Aufnahme überschneidet das Interessengebiet. Wählen Sie Aufnahmen, deren Footprint das AOI berührt.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive.py" />
            <source>Only archive items are edited in this dialog.</source>
            <translation>In diesem Dialog werden nur Archiveinträge bearbeitet.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive.py" />
            <source>UP42's data products could not be loaded ({}); the order uses each collection's archive product.</source>
            <translation>Die Datenprodukte von UP42 konnten nicht geladen werden ({}); der Auftrag nutzt das Archivprodukt jeder Kollektion.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Add archive captures to the cart</source>
            <translation>Archivaufnahmen in den Warenkorb legen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Archive order options</source>
            <translation>Optionen des Archivauftrags</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Data product</source>
            <translation>Datenprodukt</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Image format</source>
            <translation>Bildformat</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Licence type</source>
            <translation>Lizenztyp</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Price and order each acquisition date as its own group</source>
            <translation>Jedes Aufnahmedatum als eigene Gruppe bepreisen und bestellen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Product type</source>
            <translation>Produkttyp</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Product type (Pleiades Neo)</source>
            <translation>Produkttyp (Pléiades Neo)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Product type (SPOT, Pleiades)</source>
            <translation>Produkttyp (SPOT, Pléiades)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Projection</source>
            <translation>Projektion</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Radiometric processing</source>
            <translation>Radiometrische Verarbeitung</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Save</source>
            <translation>Speichern</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>Split by date</source>
            <translation>Nach Datum teilen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>The collection's archive product</source>
            <translation>Das Archivprodukt der Kollektion</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>{} (UTM zone of the AOI)</source>
            <translation>{} (UTM-Zone des AOI)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>{} (WGS 84 geographic)</source>
            <translation>{} (WGS 84 geographisch)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>{} · 1 capture, {:.1f} km²</source>
            <translation>{} · 1 Aufnahme, {:.1f} km²</translation>
        </message>
        <message>
            <location filename="../../ui/cart/archive_dialog.py" />
            <source>{} · {} captures, {:.1f} km²</source>
            <translation>{} · {} Aufnahmen, {:.1f} km²</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>; not ordered: {}</source>
            <translation>; nicht bestellt: {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>I confirm placing these {} order(s) for {}, billed by each provider.</source>
            <translation>Ich bestätige die Erteilung dieser {} Aufträge über {}, abgerechnet von jedem Anbieter.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Not placed.</source>
            <translation>Nicht erteilt.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Not placed: {}</source>
            <translation>Nicht erteilt: {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Nothing left to place.</source>
            <translation>Nichts mehr zu erteilen.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Outcome unknown: {} Retry checks with the provider first; it never orders twice.</source>
            <translation>Ergebnis unbekannt: {} „Erneut versuchen“ fragt zuerst beim Anbieter nach; es wird nie doppelt bestellt.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Place {} order(s)</source>
            <translation>{} Auftrag/Aufträge erteilen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Placed: order {}</source>
            <translation>Erteilt: Auftrag {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Placed: order {} ({})</source>
            <translation>Erteilt: Auftrag {} ({})</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Placed: {} order(s) for {}</source>
            <translation>Erteilt: {} Auftrag/Aufträge über {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Placement in progress.</source>
            <translation>Auftragserteilung läuft.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Queued…</source>
            <translation>In der Warteschlange…</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Sending…</source>
            <translation>Wird gesendet…</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Tick the confirmation first.</source>
            <translation>Setzen Sie zuerst das Häkchen zur Bestätigung.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Total to order: {} ({} item(s))</source>
            <translation>Gesamtbetrag: {} ({} Position(en))</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>Waiting for current prices of {} item(s).</source>
            <translation>Warten auf aktuelle Preise für {} Position(en).</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>billed on your organisation's monthly invoice</source>
            <translation>über die Monatsrechnung Ihrer Organisation abgerechnet</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>billing mode {}</source>
            <translation>Abrechnungsart {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>paid by card: a hold, captured on delivery and voided if the order fails</source>
            <translation>per Karte bezahlt: eine Vormerkung, bei Lieferung eingezogen und verfällt, wenn der Auftrag scheitert</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>paid with credits reserved from your prepaid balance</source>
            <translation>mit Credits bezahlt, reserviert aus Ihrem Guthaben</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>{} not placed (still in the cart)</source>
            <translation>{} nicht erteilt (noch im Warenkorb)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>{} placed</source>
            <translation>{} erteilt</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>{} recurring live order(s): the price is this month's; they renew every month until cancelled.</source>
            <translation>{} wiederkehrende(r) Live-Auftrag/Aufträge: Der Preis gilt für diesen Monat; sie verlängern sich jeden Monat bis zur Stornierung.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>{} with an unknown outcome (checked before any retry)</source>
            <translation>{} mit unbekanntem Ergebnis (wird vor jedem neuen Versuch geprüft)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout.py" />
            <source>“{}” cannot be delivered: {} Untick it or change it.</source>
            <translation>„{}“ kann nicht geliefert werden: {} Auswahl aufheben oder ändern.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout_dialog.py" />
            <source>Check every item and the totals. Prices are the providers' own estimates; each provider bills its orders in its own currency.</source>
            <translation>Prüfen Sie jede Position und die Summen. Die Preise sind die eigenen Schätzungen der Anbieter; jeder Anbieter rechnet seine Aufträge in seiner Währung ab.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout_dialog.py" />
            <source>Checkout: review and confirm</source>
            <translation>Zur Kasse: prüfen und bestätigen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout_dialog.py" />
            <source>Close</source>
            <translation>Schließen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout_dialog.py" />
            <source>Place orders</source>
            <translation>Aufträge erteilen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/checkout_dialog.py" />
            <source>Retry</source>
            <translation>Erneut versuchen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure.py" />
            <source> and </source>
            <translation> und </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/cart/configure.py" />
            <source>%n AOI(s)</source>
            <translation>
                <numerusform>%n AOI</numerusform>
                <numerusform>%n AOIs</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure.py" />
            <source>Composite order</source>
            <translation>Composite-Auftrag</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure.py" />
            <source>Nadir: ClearSKY AI models</source>
            <translation>Nadir: ClearSKY-KI-Modelle</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure.py" />
            <source>Only ClearSKY orders are configured in this dialog.</source>
            <translation>In diesem Dialog werden nur ClearSKY-Aufträge konfiguriert.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure.py" />
            <source>Tile order</source>
            <translation>Kachelauftrag</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure.py" />
            <source>no cells</source>
            <translation>keine Zellen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure.py" />
            <source>“{}” added to the cart ({} item(s)); the Cart tab shows its price.</source>
            <translation>„{}“ in den Warenkorb gelegt ({} Position(en)); der Reiter Warenkorb zeigt den Preis.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure.py" />
            <source>“{}” saved; its price is being updated in the Cart tab.</source>
            <translation>„{}“ gespeichert; der Preis wird im Reiter Warenkorb aktualisiert.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source> day</source>
            <translation> Tag</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source> days</source>
            <translation> Tage</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source> month</source>
            <translation> Monat</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source> months</source>
            <translation> Monate</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source>&lt;b&gt;Recurring live order&lt;/b&gt;: no To date, so it renews every month until you cancel it. Each month is billed as it starts.</source>
            <translation>&lt;b&gt;Wiederkehrender Live-Auftrag&lt;/b&gt;: kein Bis-Datum, daher verlängert er sich jeden Monat, bis Sie ihn stornieren. Jeder Monat wird zu seinem Beginn abgerechnet.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source>ClearSKY looks for earlier tile orders with the same model, satellites and dates; data already produced (even if deleted) is neither made nor billed again.</source>
            <translation>ClearSKY sucht nach früheren Kachelaufträgen mit demselben Modell, denselben Satelliten und Daten; bereits erzeugte Daten (auch gelöschte) werden weder neu erzeugt noch erneut berechnet.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source>Configure ClearSKY order</source>
            <translation>ClearSKY-Auftrag konfigurieren</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source>Edit ClearSKY order</source>
            <translation>ClearSKY-Auftrag bearbeiten</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source>Fixed period: the last image date is the To date.</source>
            <translation>Fester Zeitraum: Das letzte Bilddatum ist das Bis-Datum.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source>Optional input; adds to the price per km².</source>
            <translation>Optionale Eingabe; erhöht den Preis pro km².</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source>Save changes</source>
            <translation>Änderungen speichern</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source>The AI models could not be loaded: {}</source>
            <translation>Die KI-Modelle konnten nicht geladen werden: {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source>Tile deduplication applies to tile and minitile orders only.</source>
            <translation>Die Kachel-Deduplizierung gilt nur für Kachel- und Minikachelaufträge.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source>{} (required)</source>
            <translation>{} (erforderlich)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.py" />
            <source>{} always uses this input.</source>
            <translation>{} verwendet diese Eingabe immer.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Billed area</source>
            <translation>Abgerechnete Fläche</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Covers</source>
            <translation>Umfasst</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Estimate lines</source>
            <translation>Positionen der Schätzung</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Following month</source>
            <translation>Folgemonat</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Model and satellites</source>
            <translation>Modell und Satelliten</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Not priced</source>
            <translation>Ohne Preis</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Order type</source>
            <translation>Auftragsart</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Price state</source>
            <translation>Preisstatus</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Priced at</source>
            <translation>Preis vom</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Refresh price</source>
            <translation>Preis aktualisieren</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Schedule</source>
            <translation>Zeitplan</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>Tile deduplication</source>
            <translation>Kachel-Deduplizierung</translation>
        </message>
        <message>
            <location filename="../../ui/cart/detail_dialog.py" />
            <source>{:,.2f} km²</source>
            <translation>{:,.2f} km²</translation>
        </message>
        <message>
            <location filename="../../ui/cart/feature.py" />
            <source>Cart</source>
            <translation>Warenkorb</translation>
        </message>
        <message>
            <location filename="../../ui/cart/feature.py" />
            <source>Cart ({})</source>
            <translation>Warenkorb ({})</translation>
        </message>
        <message>
            <location filename="../../ui/cart/feature.py" />
            <source>This kind of item cannot be edited here; duplicate or remove it.</source>
            <translation>Diese Art von Position kann hier nicht bearbeitet werden; duplizieren oder entfernen Sie sie.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/feature.py" />
            <source>{} order(s) interrupted last time were found at the provider and are recorded as placed.</source>
            <translation>{} beim letzten Mal unterbrochene(r) Auftrag/Aufträge wurde(n) beim Anbieter gefunden und als erteilt vermerkt.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/feature.py" />
            <source>{} placed: order {}.</source>
            <translation>{} erteilt: Auftrag {}.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/outbox_service.py" />
            <source>Nadir: checking unfinished placements</source>
            <translation>Nadir: unfertige Auftragserteilungen werden geprüft</translation>
        </message>
        <message>
            <location filename="../../ui/cart/outbox_service.py" />
            <source>Nadir: placing {}</source>
            <translation>Nadir: {} wird erteilt</translation>
        </message>
        <message>
            <location filename="../../ui/cart/presenter.py" />
            <source>Nadir: price of {}</source>
            <translation>Nadir: Preis von {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/presenter.py" />
            <source>The cart saved in this project could not be read ({}); the cart was left as it was.</source>
            <translation>Der in diesem Projekt gespeicherte Warenkorb konnte nicht gelesen werden ({}); der Warenkorb blieb unverändert.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/presenter.py" />
            <source>{} item(s) from this project's cart were added to the cart.</source>
            <translation>{} Position(en) aus dem Warenkorb dieses Projekts wurden in den Warenkorb gelegt.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Add a copy of the selected item, to change it.</source>
            <translation>Eine Kopie der gewählten Position hinzufügen, um sie zu ändern.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Ask every provider again for the price of each item.</source>
            <translation>Jeden Anbieter erneut nach dem Preis jeder Position fragen.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Change the selected item's settings.</source>
            <translation>Die Einstellungen der gewählten Position ändern.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Checkout…</source>
            <translation>Zur Kasse…</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Composite for the chosen AOIs…</source>
            <translation>Composite für die gewählten AOIs…</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Configure a ClearSKY order for the chosen AOIs or the selected tiles.</source>
            <translation>Einen ClearSKY-Auftrag für die gewählten AOIs oder die gewählten Kacheln konfigurieren.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Deduplication</source>
            <translation>Deduplizierung</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Details…</source>
            <translation>Details…</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Duplicate</source>
            <translation>Duplizieren</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Edit…</source>
            <translation>Bearbeiten…</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Estimate</source>
            <translation>Schätzung</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Everything about the selected item, all image dates included.</source>
            <translation>Alles zur gewählten Position, mit allen Bilddaten.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Item</source>
            <translation>Position</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Model &amp; satellites</source>
            <translation>Modell &amp; Satelliten</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Price state: {}</source>
            <translation>Preisstatus: {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Refresh prices</source>
            <translation>Preise aktualisieren</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Review every item and the totals, then confirm the orders.</source>
            <translation>Jede Position und die Summen prüfen, dann die Aufträge bestätigen.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Storage</source>
            <translation>Speicherung</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Take the selected item out.</source>
            <translation>Die gewählte Position herausnehmen.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>The cart is empty. Choose AOIs or select tiles on the grid, then &lt;b&gt;Configure order…&lt;/b&gt;</source>
            <translation>Der Warenkorb ist leer. Wählen Sie AOIs oder Kacheln im Gitter, dann &lt;b&gt;Auftrag konfigurieren…&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Tile order for the selected grid cells…</source>
            <translation>Kachelauftrag für die gewählten Gitterzellen…</translation>
        </message>
        <message>
            <location filename="../../ui/cart/section.py" />
            <source>Type</source>
            <translation>Art</translation>
        </message>
        <message>
            <location filename="../../ui/cart/selection.py" />
            <source>Choose one or more AOIs in the AOI tab first (draw, import or take them from a layer).</source>
            <translation>Wählen Sie zuerst ein oder mehrere AOIs im Reiter AOI (zeichnen, importieren oder aus einem Layer übernehmen).</translation>
        </message>
        <message>
            <location filename="../../ui/cart/selection.py" />
            <source>Select tiles or minitiles on the grid first (zoom in until it shows, then click cells).</source>
            <translation>Wählen Sie zuerst Kacheln oder Minikacheln im Gitter (hineinzoomen, bis es erscheint, dann Zellen anklicken).</translation>
        </message>
        <message>
            <location filename="../../ui/cart/selection.py" />
            <source>Some chosen AOIs are not valid ({}); repair or remove them in the AOI tab first.</source>
            <translation>Einige gewählte AOIs sind ungültig ({}); reparieren oder entfernen Sie sie zuerst im Reiter AOI.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/selection.py" />
            <source>The AOI tools are not available, so there are no AOIs to order for.</source>
            <translation>Die AOI-Werkzeuge sind nicht verfügbar, daher gibt es keine AOIs für einen Auftrag.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/selection.py" />
            <source>The tile grid is not available, so there are no cells to order.</source>
            <translation>Das Kachelgitter ist nicht verfügbar, daher gibt es keine Zellen für einen Auftrag.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source> (then every {} until cancelled)</source>
            <translation> (danach alle {} bis zur Stornierung)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/cart/text.py" />
            <source>%n capture(s)</source>
            <translation>
                <numerusform>%n Aufnahme</numerusform>
                <numerusform>%n Aufnahmen</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/cart/text.py" />
            <source>%n day(s)</source>
            <translation>
                <numerusform>%n Tag</numerusform>
                <numerusform>%n Tage</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/cart/text.py" />
            <source>%n month(s)</source>
            <translation>
                <numerusform>%n Monat</numerusform>
                <numerusform>%n Monate</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>Archive: {}</source>
            <translation>Archiv: {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>Composite</source>
            <translation>Composite</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>From {} to {}, every {}</source>
            <translation>Von {} bis {}, alle {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>From {}, every {}: recurring live order, renews every month until cancelled</source>
            <translation>Ab {}, alle {}: wiederkehrender Live-Auftrag, verlängert sich jeden Monat bis zur Stornierung</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>Not priced by the provider: {}. Remove or fix these before placing.</source>
            <translation>Vom Anbieter nicht bepreist: {}. Entfernen oder korrigieren Sie diese vor der Erteilung.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>Off</source>
            <translation>Aus</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>On</source>
            <translation>Ein</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>Tiles: {}</source>
            <translation>Kacheln: {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>Total: {}</source>
            <translation>Summe: {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>after the estimate</source>
            <translation>nach der Schätzung</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>changed, to be priced again</source>
            <translation>geändert, wird neu bepreist</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>data product {}</source>
            <translation>Datenprodukt {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>estimating…</source>
            <translation>wird geschätzt…</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>failed</source>
            <translation>fehlgeschlagen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>fresh</source>
            <translation>aktuell</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>licence {}</source>
            <translation>Lizenz {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>n/a (composite)</source>
            <translation>entfällt (Composite)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>not priced</source>
            <translation>ohne Preis</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>not priced yet</source>
            <translation>noch ohne Preis</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>price unavailable: {}</source>
            <translation>Preis nicht verfügbar: {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>split by date</source>
            <translation>nach Datum geteilt</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>stale</source>
            <translation>veraltet</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>{} (old price, to be refreshed)</source>
            <translation>{} (alter Preis, wird aktualisiert)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>{} (updating…)</source>
            <translation>{} (wird aktualisiert…)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>{} being priced</source>
            <translation>{} werden bepreist</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>{} dates, {} … {}</source>
            <translation>{} Daten, {} … {}</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>{} to {} (to be acquired)</source>
            <translation>{} bis {} (noch aufzunehmen)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>{} with an old price</source>
            <translation>{} mit altem Preis</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>{} without a price</source>
            <translation>{} ohne Preis</translation>
        </message>
        <message>
            <location filename="../../ui/cart/text.py" />
            <source>{}, first free</source>
            <translation>{}, der erste kostenlos</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/actions.py" />
            <source>Add cloud-optimised GeoTIFFs as layers read remotely, without downloading them; the rest is downloaded. Credentials come from the QGIS authentication database, never the layer source.</source>
            <translation>Cloud-optimierte GeoTIFFs als entfernt gelesene Layer hinzufügen, ohne sie herunterzuladen; der Rest wird heruntergeladen. Die Zugangsdaten stammen aus der QGIS-Authentifizierungsdatenbank, nie aus der Layerquelle.</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/actions.py" />
            <source>Delivering… (see the task manager for progress)</source>
            <translation>Lieferung läuft… (Fortschritt in der Aufgabenverwaltung)</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/actions.py" />
            <source>Download</source>
            <translation>Herunterladen</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/actions.py" />
            <source>Download the delivered files into the download folder only (Settings &gt; Options &gt; Nadir), one folder per order</source>
            <translation>Die gelieferten Dateien nur in den Downloadordner herunterladen (Einstellungen &gt; Optionen &gt; Nadir), ein Ordner pro Auftrag</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/actions.py" />
            <source>Download the delivered imagery into the download folder (resuming partial files) and add it as layers in a group for this order</source>
            <translation>Die gelieferten Bilder in den Downloadordner herunterladen (unvollständige Dateien werden fortgesetzt) und als Layer in einer Gruppe für diesen Auftrag hinzufügen</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/actions.py" />
            <source>Load</source>
            <translation>Laden</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/actions.py" />
            <source>Load when delivered</source>
            <translation>Laden, sobald geliefert</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/actions.py" />
            <source>Stop the running delivery; partial files are kept and resumed next time</source>
            <translation>Die laufende Lieferung anhalten; unvollständige Dateien bleiben erhalten und werden beim nächsten Mal fortgesetzt</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/actions.py" />
            <source>Stream</source>
            <translation>Streamen</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/actions.py" />
            <source>When this order is completed, download it and add its layers by itself</source>
            <translation>Sobald dieser Auftrag abgeschlossen ist, ihn selbsttätig herunterladen und seine Layer hinzufügen</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source> ({} already loaded)</source>
            <translation> ({} bereits geladen)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/deliveries/presenter.py" />
            <source>%n asset(s)</source>
            <translation>
                <numerusform>%n Asset</numerusform>
                <numerusform>%n Assets</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/deliveries/presenter.py" />
            <source>%n file(s)</source>
            <translation>
                <numerusform>%n Datei</numerusform>
                <numerusform>%n Dateien</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/deliveries/presenter.py" />
            <source>%n layer(s)</source>
            <translation>
                <numerusform>%n Layer</numerusform>
                <numerusform>%n Layer</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/deliveries/presenter.py" />
            <source>%n problem(s)</source>
            <translation>
                <numerusform>%n Problem</numerusform>
                <numerusform>%n Probleme</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>; nothing could be streamed, the images were downloaded</source>
            <translation>; nichts konnte gestreamt werden, die Bilder wurden heruntergeladen</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>; {} failed, see Details.</source>
            <translation>; {} fehlgeschlagen, siehe Details.</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>; {}, see Details.</source>
            <translation>; {}, siehe Details.</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>Delivering {}</source>
            <translation>{} wird geliefert</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>Delivering {} order {}</source>
            <translation>{}-Auftrag {} wird geliefert</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>Nadir: delivering {} order {}</source>
            <translation>Nadir: {}-Auftrag {} wird geliefert</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>Nothing is delivered while the order is {}.</source>
            <translation>Solange der Auftrag {} ist, wird nichts geliefert.</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>{} makes each image on request, so QGIS cannot read it remotely: use Load to download the images and add them as layers.</source>
            <translation>{} erzeugt jedes Bild auf Anfrage, daher kann QGIS es nicht entfernt lesen: mit Laden die Bilder herunterladen und als Layer hinzufügen.</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>{} order {} is being delivered already.</source>
            <translation>{}-Auftrag {} wird bereits geliefert.</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>{}: delivery stopped. Partial files are kept and resumed next time.</source>
            <translation>{}: Lieferung angehalten. Unvollständige Dateien bleiben erhalten und werden beim nächsten Mal fortgesetzt.</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>{}: the provider lists nothing to deliver yet.</source>
            <translation>{}: Der Anbieter führt noch nichts zur Lieferung auf.</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>{}: {} added to the group '{}'</source>
            <translation>{}: {} zur Gruppe '{}' hinzugefügt</translation>
        </message>
        <message>
            <location filename="../../ui/deliveries/presenter.py" />
            <source>{}: {} in {}</source>
            <translation>{}: {} in {}</translation>
        </message>
        <message>
            <location filename="../../ui/dock.py" />
            <source>Order satellite imagery without leaving the map.</source>
            <translation>Satellitenbilder bestellen, ohne die Karte zu verlassen.</translation>
        </message>
        <message>
            <location filename="../../ui/dock.py" />
            <source>Provider connections…</source>
            <translation>Anbieterverbindungen…</translation>
        </message>
        <message>
            <location filename="../../ui/dock.py" />
            <source>credentials set ({})</source>
            <translation>Zugangsdaten gesetzt ({})</translation>
        </message>
        <message>
            <location filename="../../ui/dock.py" />
            <source>no credentials yet</source>
            <translation>noch keine Zugangsdaten</translation>
        </message>
        <message>
            <location filename="../../ui/grid/cover.py" />
            <source>A cover is already being computed; wait for it to finish.</source>
            <translation>Eine Abdeckung wird bereits berechnet; warten Sie, bis sie fertig ist.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/cover.py" />
            <source>Selecting ClearSKY cells covering an AOI</source>
            <translation>ClearSKY-Zellen werden gewählt, die ein AOI abdecken</translation>
        </message>
        <message>
            <location filename="../../ui/grid/cover.py" />
            <source>The cells covering the AOI could not be selected</source>
            <translation>Die Zellen, die das AOI abdecken, konnten nicht gewählt werden</translation>
        </message>
        <message>
            <location filename="../../ui/grid/cover.py" />
            <source>The covering cells could not be selected</source>
            <translation>Die abdeckenden Zellen konnten nicht gewählt werden</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/grid/feature.py" />
            <source>%n cell(s)</source>
            <translation>
                <numerusform>%n Zelle</numerusform>
                <numerusform>%n Zellen</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/grid/feature.py" />
            <source>%n minitile(s)</source>
            <translation>
                <numerusform>%n Minikachel</numerusform>
                <numerusform>%n Minikacheln</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/grid/feature.py" />
            <source>%n tile(s)</source>
            <translation>
                <numerusform>%n Kachel</numerusform>
                <numerusform>%n Kacheln</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>AOI: {} ({})</source>
            <translation>AOI: {} ({})</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>AOIs chosen for the order</source>
            <translation>Für den Auftrag gewählte AOIs</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>Choose where the AOI comes from.</source>
            <translation>Wählen Sie, woher das AOI kommt.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>Loading the tile grid…</source>
            <translation>Das Kachelgitter wird geladen…</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>Make a polygon layer the active layer and select the AOI features in it.</source>
            <translation>Machen Sie einen Polygonlayer zum aktiven Layer und wählen Sie darin die AOI-Objekte.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>No AOI is chosen for the order.</source>
            <translation>Für den Auftrag ist kein AOI gewählt.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>Ordering is not available in this session.</source>
            <translation>Bestellen ist in dieser Sitzung nicht verfügbar.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>Select the AOI features in the active layer ({}) first.</source>
            <translation>Wählen Sie zuerst die AOI-Objekte im aktiven Layer ({}).</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>Show the tile grid to pick cells on the map.</source>
            <translation>Das Kachelgitter anzeigen, um Zellen auf der Karte zu wählen.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>That AOI no longer exists.</source>
            <translation>Dieses AOI existiert nicht mehr.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>The selected features have no geometry.</source>
            <translation>Die gewählten Objekte haben keine Geometrie.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>Zoom in to 1:{} or closer to see the tile grid (now 1:{}).</source>
            <translation>Zoomen Sie auf 1:{} oder näher, um das Kachelgitter zu sehen (jetzt 1:{}).</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>zones off: {}</source>
            <translation>Zonen aus: {}</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>{} of the AOI are not covered (zones switched off or outside the grid).</source>
            <translation>{} des AOI sind nicht abgedeckt (Zonen ausgeschaltet oder außerhalb des Gitters).</translation>
        </message>
        <message>
            <location filename="../../ui/grid/feature.py" />
            <source>{}, coverage ratio {}: {} of cells for an AOI of {}.</source>
            <translation>{}, Abdeckungsverhältnis {}: {} Zellen für ein AOI von {}.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/layer.py" />
            <source>Being split</source>
            <translation>Wird geteilt</translation>
        </message>
        <message>
            <location filename="../../ui/grid/layer.py" />
            <source>Nadir tile grid (ClearSKY)</source>
            <translation>Nadir-Kachelgitter (ClearSKY)</translation>
        </message>
        <message>
            <location filename="../../ui/grid/layer.py" />
            <source>Not selected</source>
            <translation>Nicht gewählt</translation>
        </message>
        <message>
            <location filename="../../ui/grid/layer.py" />
            <source>Selected</source>
            <translation>Gewählt</translation>
        </message>
        <message>
            <location filename="../../ui/grid/layer.py" />
            <source>Zone switched off</source>
            <translation>Zone ausgeschaltet</translation>
        </message>
        <message>
            <location filename="../../ui/grid/layer.py" />
            <source>{} (minitiles)</source>
            <translation>{} (Minikacheln)</translation>
        </message>
        <message>
            <location filename="../../ui/grid/layer.py" />
            <source>{} (tiles)</source>
            <translation>{} (Kacheln)</translation>
        </message>
        <message>
            <location filename="../../ui/grid/maptool.py" />
            <source>Merge back into its tile (tile not selected)</source>
            <translation>Wieder zu ihrer Kachel zusammenführen (Kachel nicht gewählt)</translation>
        </message>
        <message>
            <location filename="../../ui/grid/maptool.py" />
            <source>Merge back into its tile (tile selected: {} of {} minitiles are)</source>
            <translation>Wieder zu ihrer Kachel zusammenführen (Kachel gewählt: {} von {} Minikacheln sind es)</translation>
        </message>
        <message>
            <location filename="../../ui/grid/maptool.py" />
            <source>Select this minitile</source>
            <translation>Diese Minikachel wählen</translation>
        </message>
        <message>
            <location filename="../../ui/grid/maptool.py" />
            <source>Unselect this minitile</source>
            <translation>Auswahl dieser Minikachel aufheben</translation>
        </message>
        <message>
            <location filename="../../ui/grid/maptool.py" />
            <source>Zoom in to 1:{:,.0f} or closer to pick tiles.</source>
            <translation>Zoomen Sie auf 1:{:,.0f} oder näher, um Kacheln zu wählen.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>AOI</source>
            <translation>AOI</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Clear</source>
            <translation>Leeren</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Click: select or unselect. Right-click a tile: split it into minitiles. Right-click a minitile: merge it back.</source>
            <translation>Klick: wählen oder Auswahl aufheben. Rechtsklick auf eine Kachel: in Minikacheln teilen. Rechtsklick auf eine Minikachel: wieder zusammenführen.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Configure a ClearSKY tile order for the selected cells and add it to the cart.</source>
            <translation>Einen ClearSKY-Kachelauftrag für die gewählten Zellen konfigurieren und in den Warenkorb legen.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Configure order…</source>
            <translation>Auftrag konfigurieren…</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Pick ClearSKY tiles and minitiles on your own maps. Click a tile to select it, right-click it to split it into minitiles.</source>
            <translation>ClearSKY-Kacheln und -Minikacheln auf Ihren eigenen Karten wählen. Klicken Sie auf eine Kachel, um sie zu wählen, Rechtsklick teilt sie in Minikacheln.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Select cells covering an AOI</source>
            <translation>Zellen wählen, die ein AOI abdecken</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Select cells on the map</source>
            <translation>Zellen auf der Karte wählen</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Select covering cells</source>
            <translation>Abdeckende Zellen wählen</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Selection</source>
            <translation>Auswahl</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Show the tile grid</source>
            <translation>Kachelgitter anzeigen</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Switch a zone off to tell its tiles from the overlapping tiles of the next zone. Cells of a switched-off zone cannot be selected and are not ordered.</source>
            <translation>Schalten Sie eine Zone aus, um ihre Kacheln von den überlappenden Kacheln der Nachbarzone zu unterscheiden. Zellen einer ausgeschalteten Zone können nicht gewählt werden und werden nicht bestellt.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>Tile orders bill the selected cells, not the AOI: the ratio is the cells' area divided by the AOI's area.</source>
            <translation>Kachelaufträge berechnen die gewählten Zellen, nicht das AOI: Das Verhältnis ist die Fläche der Zellen geteilt durch die Fläche des AOI.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>UTM zone {} (EPSG:{})</source>
            <translation>UTM-Zone {} (EPSG:{})</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>UTM zones in view</source>
            <translation>UTM-Zonen im Kartenausschnitt</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>none</source>
            <translation>keine</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>{}: off. Its cells cannot be selected and are not ordered.
Click to switch it on.</source>
            <translation>{}: aus. Ihre Zellen können nicht gewählt werden und werden nicht bestellt.
Klicken zum Einschalten.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/panel.py" />
            <source>{}: on. Its cells are drawn and can be selected.
Click to switch it off, to tell its tiles from the overlapping tiles of the next zone.</source>
            <translation>{}: an. Ihre Zellen werden gezeichnet und können gewählt werden.
Klicken zum Ausschalten, um ihre Kacheln von den überlappenden Kacheln der nächsten Zone zu unterscheiden.</translation>
        </message>
        <message>
            <location filename="../../ui/grid/presenter.py" />
            <source>Drawing the ClearSKY tile grid</source>
            <translation>Das ClearSKY-Kachelraster wird gezeichnet</translation>
        </message>
        <message>
            <location filename="../../ui/grid/presenter.py" />
            <source>Loading the ClearSKY tile grid</source>
            <translation>Das ClearSKY-Kachelgitter wird geladen</translation>
        </message>
        <message>
            <location filename="../../ui/grid/presenter.py" />
            <source>Splitting a ClearSKY tile</source>
            <translation>Eine ClearSKY-Kachel wird geteilt</translation>
        </message>
        <message>
            <location filename="../../ui/grid/presenter.py" />
            <source>The tile could not be split</source>
            <translation>Die Kachel konnte nicht geteilt werden</translation>
        </message>
        <message>
            <location filename="../../ui/grid/presenter.py" />
            <source>The tile grid could not be drawn</source>
            <translation>Das Kachelraster konnte nicht gezeichnet werden</translation>
        </message>
        <message>
            <location filename="../../ui/grid/presenter.py" />
            <source>The tile grid could not be loaded</source>
            <translation>Das Kachelgitter konnte nicht geladen werden</translation>
        </message>
        <message>
            <location filename="../../ui/grid/presenter.py" />
            <source>UTM zone {} is switched off: switch it on to split its tiles.</source>
            <translation>UTM-Zone {} ist ausgeschaltet: Schalten Sie sie ein, um ihre Kacheln zu teilen.</translation>
        </message>
        <message>
            <location filename="../../ui/integration/feature.py" />
            <source>Add as layer</source>
            <translation>Als Layer hinzufügen</translation>
        </message>
        <message>
            <location filename="../../ui/integration/feature.py" />
            <source>Help for this part of Nadir</source>
            <translation>Hilfe zu diesem Teil von Nadir</translation>
        </message>
        <message>
            <location filename="../../ui/integration/feature.py" />
            <source>Make a polygon layer the active layer first.</source>
            <translation>Machen Sie zuerst einen Polygonlayer zum aktiven Layer.</translation>
        </message>
        <message>
            <location filename="../../ui/integration/feature.py" />
            <source>Nadir: dropped file</source>
            <translation>Nadir: abgelegte Datei</translation>
        </message>
        <message>
            <location filename="../../ui/integration/feature.py" />
            <source>Nadir: make AOIs of this layer's selected features (all if none)</source>
            <translation>Nadir: AOIs aus den gewählten Objekten dieses Layers erzeugen (aus allen, wenn keine gewählt sind)</translation>
        </message>
        <message>
            <location filename="../../ui/integration/feature.py" />
            <source>The AOI tools are not available in this session.</source>
            <translation>Die AOI-Werkzeuge sind in dieser Sitzung nicht verfügbar.</translation>
        </message>
        <message>
            <location filename="../../ui/integration/feature.py" />
            <source>Use as area of interest</source>
            <translation>Als Interessengebiet verwenden</translation>
        </message>
        <message>
            <location filename="../../ui/integration/feature.py" />
            <source>What should {} become?</source>
            <translation>Was soll aus {} werden?</translation>
        </message>
        <message>
            <location filename="../../ui/options.py" />
            <source>Credentials</source>
            <translation>Zugangsdaten</translation>
        </message>
        <message>
            <location filename="../../ui/options.py" />
            <source>General</source>
            <translation>Allgemein</translation>
        </message>
        <message>
            <location filename="../../ui/options.py" />
            <source>Leave empty to use {}</source>
            <translation>Leer lassen, um {} zu verwenden</translation>
        </message>
        <message>
            <location filename="../../ui/orders/cancellation.py" />
            <source>Cancelling order {}</source>
            <translation>Auftrag {} wird storniert</translation>
        </message>
        <message>
            <location filename="../../ui/orders/cancellation.py" />
            <source>Nadir: cancellation rules of {}</source>
            <translation>Nadir: Stornierungsregeln von {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/cancellation.py" />
            <source>Nadir: cancelling order {}</source>
            <translation>Nadir: Auftrag {} wird storniert</translation>
        </message>
        <message>
            <location filename="../../ui/orders/cancellation.py" />
            <source>The order {} is no longer known; refresh the list.</source>
            <translation>Der Auftrag {} ist nicht mehr bekannt; aktualisieren Sie die Liste.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/cancellation.py" />
            <source>{} order {}</source>
            <translation>{}-Auftrag {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/cancellation.py" />
            <source>{} orders cannot be cancelled from Nadir.</source>
            <translation>{}-Aufträge können in Nadir nicht storniert werden.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/cancellation.py" />
            <source>{}: cancellation accepted, now {}. {}</source>
            <translation>{}: Stornierung angenommen, jetzt {}. {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/cancellation.py" />
            <source>{}: cancellation accepted; it produces until {} and does not renew.</source>
            <translation>{}: Stornierung angenommen; er produziert bis {} und verlängert sich nicht.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/cancellation.py" />
            <source>{}: cancelled ({}). {}</source>
            <translation>{}: storniert ({}). {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/dialogs.py" />
            <source>Cancel the order</source>
            <translation>Auftrag stornieren</translation>
        </message>
        <message>
            <location filename="../../ui/orders/dialogs.py" />
            <source>Cancel {} order {}?</source>
            <translation>{}-Auftrag {} stornieren?</translation>
        </message>
        <message>
            <location filename="../../ui/orders/dialogs.py" />
            <source>Keep it</source>
            <translation>Behalten</translation>
        </message>
        <message>
            <location filename="../../ui/orders/dialogs.py" />
            <source>Price: {}</source>
            <translation>Preis: {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/dialogs.py" />
            <source>Refund: {}</source>
            <translation>Erstattung: {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/dialogs.py" />
            <source>Status now: {}</source>
            <translation>Status jetzt: {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/dialogs.py" />
            <source>{} order {} cannot be cancelled.</source>
            <translation>{}-Auftrag {} kann nicht storniert werden.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/feature.py" />
            <source>Loading orders…</source>
            <translation>Aufträge werden geladen…</translation>
        </message>
        <message>
            <location filename="../../ui/orders/feature.py" />
            <source>Nadir: preparing the orders list</source>
            <translation>Nadir: Auftragsliste wird vorbereitet</translation>
        </message>
        <message>
            <location filename="../../ui/orders/feature.py" />
            <source>Showing orders</source>
            <translation>Aufträge anzeigen</translation>
        </message>
        <message>
            <location filename="../../ui/orders/feature.py" />
            <source>This order has no area of interest to zoom to.</source>
            <translation>Dieser Auftrag hat kein Interessengebiet, auf das gezoomt werden kann.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay.py" />
            <source>Orders known to Nadir, from every provider, filtered in the Orders panel. Rebuilt from the order list; edits are not kept.</source>
            <translation>Nadir bekannte Aufträge aller Anbieter, gefiltert im Bedienfeld Aufträge. Wird aus der Auftragsliste neu aufgebaut; Änderungen bleiben nicht erhalten.</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>%n order(s)</source>
            <translation>
                <numerusform>%n Auftrag</numerusform>
                <numerusform>%n Aufträge</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>All models</source>
            <translation>Alle Modelle</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>Any overlap with the dates</source>
            <translation>Beliebige Überschneidung mit den Daten</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>Any overlap: orders covering at least one day of the range. Fully within: orders whose every day lies in the range (a recurring order has no end).</source>
            <translation>Beliebige Überschneidung: Aufträge, die mindestens einen Tag des Zeitraums abdecken. Vollständig innerhalb: Aufträge, deren jeder Tag im Zeitraum liegt (ein wiederkehrender Auftrag hat kein Ende).</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>Completed only</source>
            <translation>Nur abgeschlossene</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>Dates</source>
            <translation>Daten</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>Existing orders on the map</source>
            <translation>Bestehende Aufträge auf der Karte</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>From</source>
            <translation>Von</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>Fully within the dates</source>
            <translation>Vollständig innerhalb der Daten</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>Live and completed</source>
            <translation>Laufende und abgeschlossene</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>Live only</source>
            <translation>Nur laufende</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>Show existing orders</source>
            <translation>Bestehende Aufträge anzeigen</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>Show your past and live orders on the map while planning a new one (layer "Nadir existing orders").</source>
            <translation>Ihre früheren und laufenden Aufträge beim Planen eines neuen auf der Karte anzeigen (Layer „Nadir existing orders“).</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>Showing {} of {} with these filters</source>
            <translation>Mit diesen Filtern angezeigt: {}; insgesamt {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/overlay_controls.py" />
            <source>To</source>
            <translation>Bis</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>All providers</source>
            <translation>Alle Anbieter</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>All statuses</source>
            <translation>Alle Status</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Asking the provider's cancellation rule…</source>
            <translation>Die Stornierungsregel des Anbieters wird abgefragt…</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Cancel order…</source>
            <translation>Auftrag stornieren…</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Cancellation date</source>
            <translation>Stornierungsdatum</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Cannot tell whether this order can be cancelled: {}</source>
            <translation>Ob dieser Auftrag stornierbar ist, lässt sich nicht feststellen: {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Cart item</source>
            <translation>Warenkorbposition</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Check every provider's orders now</source>
            <translation>Die Aufträge aller Anbieter jetzt prüfen</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Checking…</source>
            <translation>Wird geprüft…</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Client reference</source>
            <translation>Client-Referenz</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Constellations</source>
            <translation>Konstellationen</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>If cancelled: {}</source>
            <translation>Bei Stornierung: {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Lifecycle</source>
            <translation>Lebenszyklus</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Live</source>
            <translation>Laufend</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Model</source>
            <translation>Modell</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Nadir reference</source>
            <translation>Nadir-Referenz</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Orders are checked in the background.</source>
            <translation>Aufträge werden im Hintergrund geprüft.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Select an order to see everything the provider reported.</source>
            <translation>Wählen Sie einen Auftrag, um alles zu sehen, was der Anbieter gemeldet hat.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Status (as sent)</source>
            <translation>Status (wie gesendet)</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Sub-status</source>
            <translation>Unterstatus</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Title</source>
            <translation>Titel</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Updated</source>
            <translation>Aktualisiert</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>Zoom to AOI</source>
            <translation>Auf AOI zoomen</translation>
        </message>
        <message>
            <location filename="../../ui/orders/panel.py" />
            <source>none: recurring</source>
            <translation>keins: wiederkehrend</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>1 order</source>
            <translation>1 Auftrag</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>Checked at {}</source>
            <translation>Geprüft um {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>Checking orders</source>
            <translation>Aufträge werden geprüft</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>Checking orders…</source>
            <translation>Aufträge werden geprüft…</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>Checking {} orders</source>
            <translation>{}-Aufträge werden geprüft</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>Nadir: checking orders</source>
            <translation>Nadir: Aufträge werden geprüft</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>Nadir: saving order states</source>
            <translation>Nadir: Auftragsstatus werden gespeichert</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>Set credentials in Settings &gt; Options &gt; Nadir to follow orders from {}.</source>
            <translation>Setzen Sie Zugangsdaten unter Einstellungen &gt; Optionen &gt; Nadir, um Aufträge von {} zu verfolgen.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>cannot list orders</source>
            <translation>kann Aufträge nicht auflisten</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>failed: {} Next try in {}.</source>
            <translation>fehlgeschlagen: {} Nächster Versuch in {}.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>next check in {}</source>
            <translation>nächste Prüfung in {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>not checked: no credentials</source>
            <translation>nicht geprüft: keine Zugangsdaten</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>not supported by this Nadir version</source>
            <translation>von dieser Nadir-Version nicht unterstützt</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>switched off</source>
            <translation>ausgeschaltet</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>{} h</source>
            <translation>{} h</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>{} min</source>
            <translation>{} min</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>{} orders are not checked: {}</source>
            <translation>{}-Aufträge werden nicht geprüft: {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>{} orders changed. Details lists them; the Orders panel shows them.</source>
            <translation>{} Aufträge haben sich geändert. Die Details listen sie auf; das Bedienfeld Aufträge zeigt sie.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>{} orders could not be checked: {} Nadir tries again in {}.</source>
            <translation>{}-Aufträge konnten nicht geprüft werden: {} Nadir versucht es in {} erneut.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>{} s</source>
            <translation>{} s</translation>
        </message>
        <message>
            <location filename="../../ui/orders/presenter.py" />
            <source>{}: orders can be checked again.</source>
            <translation>{}: Aufträge können wieder geprüft werden.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>Cart item: {}</source>
            <translation>Warenkorbposition: {}</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>Created</source>
            <translation>Erstellt</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>End</source>
            <translation>Ende</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>Kind</source>
            <translation>Art</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>Model / product</source>
            <translation>Modell / Produkt</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>Nadir does not know this status; it is shown exactly as {} sent it.</source>
            <translation>Nadir kennt diesen Status nicht; er wird genau so angezeigt, wie {} ihn gesendet hat.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>Nadir's estimate at checkout; {} reports no price for this order.</source>
            <translation>Nadirs Schätzung beim Bestellabschluss; {} meldet für diesen Auftrag keinen Preis.</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>Order</source>
            <translation>Auftrag</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>Placed by Nadir (reference {})</source>
            <translation>Von Nadir erteilt (Referenz {})</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>Start</source>
            <translation>Start</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>recurring</source>
            <translation>wiederkehrend</translation>
        </message>
        <message>
            <location filename="../../ui/orders/table.py" />
            <source>{} (stopped)</source>
            <translation>{} (beendet)</translation>
        </message>
        <message>
            <location filename="../../ui/search/feature.py" />
            <source>1 capture, {:.1f} km²</source>
            <translation>1 Aufnahme, {:.1f} km²</translation>
        </message>
        <message>
            <location filename="../../ui/search/feature.py" />
            <source>Select features on the active layer first, or choose another area to search.</source>
            <translation>Wählen Sie zuerst Objekte im aktiven Layer oder ein anderes Suchgebiet.</translation>
        </message>
        <message>
            <location filename="../../ui/search/feature.py" />
            <source>Set the {} credentials in Nadir's options to search it.</source>
            <translation>Hinterlegen Sie die Zugangsdaten für {} in Nadirs Optionen, um dort zu suchen.</translation>
        </message>
        <message>
            <location filename="../../ui/search/feature.py" />
            <source>The {} connection is switched off in Nadir's options.</source>
            <translation>Die Verbindung zu {} ist in Nadirs Optionen ausgeschaltet.</translation>
        </message>
        <message>
            <location filename="../../ui/search/feature.py" />
            <source>map view</source>
            <translation>Kartenausschnitt</translation>
        </message>
        <message>
            <location filename="../../ui/search/feature.py" />
            <source>{} archive items added to the cart.</source>
            <translation>{} Archiveinträge in den Warenkorb gelegt.</translation>
        </message>
        <message>
            <location filename="../../ui/search/feature.py" />
            <source>{} archive: 1 capture</source>
            <translation>{}-Archiv: 1 Aufnahme</translation>
        </message>
        <message>
            <location filename="../../ui/search/feature.py" />
            <source>{} archive: {} captures</source>
            <translation>{}-Archiv: {} Aufnahmen</translation>
        </message>
        <message>
            <location filename="../../ui/search/feature.py" />
            <source>{} captures do not overlap the searched area and were not added.</source>
            <translation>{} Aufnahmen überschneiden das gesuchte Gebiet nicht und wurden nicht hinzugefügt.</translation>
        </message>
        <message>
            <location filename="../../ui/search/feature.py" />
            <source>{} captures, {:.1f} km²</source>
            <translation>{} Aufnahmen, {:.1f} km²</translation>
        </message>
        <message>
            <location filename="../../ui/search/layer.py" />
            <source>Archive search results</source>
            <translation>Archivsuche – Ergebnisse</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>Choose the UP42 collection to search (UP42 searches one host at a time).</source>
            <translation>Wählen Sie die zu durchsuchende UP42-Kollektion (UP42 durchsucht jeweils einen Host).</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>Choose where to search: an AOI, the selected features or the map view.</source>
            <translation>Wählen Sie, wo gesucht wird: ein AOI, die gewählten Objekte oder der Kartenausschnitt.</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>Nadir: UP42 search collections</source>
            <translation>Nadir: UP42-Suchkollektionen</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>Nadir: archive search</source>
            <translation>Nadir: Archivsuche</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>No captures found.</source>
            <translation>Keine Aufnahmen gefunden.</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>No captures match this search. Widen the dates, allow more cloud or search a larger area.</source>
            <translation>Keine Aufnahme passt zu dieser Suche. Erweitern Sie den Zeitraum, erlauben Sie mehr Wolken oder suchen Sie in einem größeren Gebiet.</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>Search stopped: {} captures found before it stopped.</source>
            <translation>Suche angehalten: {} Aufnahmen bis dahin gefunden.</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>Searching… {} captures so far.</source>
            <translation>Suche läuft… bisher {} Aufnahmen.</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>The end date is before the start date. Choose an end after the start.</source>
            <translation>Das Enddatum liegt vor dem Startdatum. Wählen Sie ein Ende nach dem Start.</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>The search failed; see the log.</source>
            <translation>Die Suche ist fehlgeschlagen; siehe Protokoll.</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>UP42 collections could not be loaded: {}</source>
            <translation>UP42-Kollektionen konnten nicht geladen werden: {}</translation>
        </message>
        <message>
            <location filename="../../ui/search/presenter.py" />
            <source>{} captures ({}).</source>
            <translation>{} Aufnahmen ({}).</translation>
        </message>
        <message>
            <location filename="../../ui/search/quicklooks.py" />
            <source>Loading quicklooks</source>
            <translation>Vorschaubilder werden geladen</translation>
        </message>
        <message>
            <location filename="../../ui/search/quicklooks.py" />
            <source>Quicklook {}</source>
            <translation>Vorschaubild {}</translation>
        </message>
        <message>
            <location filename="../../ui/search/quicklooks.py" />
            <source>Quicklooks</source>
            <translation>Vorschaubilder</translation>
        </message>
        <message>
            <location filename="../../ui/search/quicklooks.py" />
            <source>Quicklooks could not be loaded (see the Nadir log).</source>
            <translation>Vorschaubilder konnten nicht geladen werden (siehe Nadir-Protokoll).</translation>
        </message>
        <message>
            <location filename="../../ui/search/quicklooks.py" />
            <source>The capture has no polygon footprint to drape its quicklook on.</source>
            <translation>Die Aufnahme hat keinen Polygon-Footprint, auf den ihr Vorschaubild gelegt werden kann.</translation>
        </message>
        <message>
            <location filename="../../ui/search/quicklooks.py" />
            <source>The capture's footprint is empty; its quicklook cannot be draped.</source>
            <translation>Der Footprint der Aufnahme ist leer; ihr Vorschaubild kann nicht aufgelegt werden.</translation>
        </message>
        <message>
            <location filename="../../ui/search/quicklooks.py" />
            <source>The provider's quicklook is not an image.</source>
            <translation>Das Vorschaubild des Anbieters ist kein Bild.</translation>
        </message>
        <message>
            <location filename="../../ui/search/quicklooks.py" />
            <source>The quicklook could not be georeferenced.</source>
            <translation>Das Vorschaubild konnte nicht georeferenziert werden.</translation>
        </message>
        <message>
            <location filename="../../ui/search/quicklooks.py" />
            <source>The quicklook is not an image GDAL can read.</source>
            <translation>Das Vorschaubild ist kein Bild, das GDAL lesen kann.</translation>
        </message>
        <message>
            <location filename="../../ui/search/quicklooks.py" />
            <source>The quicklook of {} could not be draped on its footprint.</source>
            <translation>Das Vorschaubild von {} konnte nicht auf seinen Footprint gelegt werden.</translation>
        </message>
        <message>
            <location filename="../../ui/search/quicklooks.py" />
            <source>This provider has no quicklooks.</source>
            <translation>Dieser Anbieter hat keine Vorschaubilder.</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>AOI: {}</source>
            <translation>AOI: {}</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Acquired from / to</source>
            <translation>Aufgenommen von / bis</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Add to cart…</source>
            <translation>In den Warenkorb…</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Filter results (provider, collection, date, id…)</source>
            <translation>Ergebnisse filtern (Anbieter, Kollektion, Datum, ID…)</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Loading UP42 collections…</source>
            <translation>UP42-Kollektionen werden geladen…</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Map view extent</source>
            <translation>Kartenausschnitt</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Max cloud cover</source>
            <translation>Maximale Wolkenbedeckung</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Max incidence angle</source>
            <translation>Maximaler Einfallswinkel</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Quicklook on map</source>
            <translation>Vorschaubild auf der Karte</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Search</source>
            <translation>Suche</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Selected features of the active layer</source>
            <translation>Gewählte Objekte des aktiven Layers</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Show the quicklook of each selected capture on its footprint (at most 20)</source>
            <translation>Das Vorschaubild jeder gewählten Aufnahme auf ihrem Footprint zeigen (höchstens 20)</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Stop</source>
            <translation>Anhalten</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>The most captures to read from each provider.</source>
            <translation>Die Höchstzahl an Aufnahmen, die von jedem Anbieter gelesen werden.</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>UP42 collection</source>
            <translation>UP42-Kollektion</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>UP42 offers no archive collection</source>
            <translation>UP42 bietet keine Archivkollektion an</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>UP42 searches one collection on one host; the list comes from UP42.</source>
            <translation>UP42 durchsucht eine Kollektion auf einem Host; die Liste kommt von UP42.</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Where</source>
            <translation>Wo</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>Zoom to selection</source>
            <translation>Auf Auswahl zoomen</translation>
        </message>
        <message>
            <location filename="../../ui/search/section.py" />
            <source>{} selected</source>
            <translation>{} gewählt</translation>
        </message>
        <message>
            <location filename="../../ui/search/table.py" />
            <source>% of AOI</source>
            <translation>% des AOI</translation>
        </message>
        <message>
            <location filename="../../ui/search/table.py" />
            <source>Acquired</source>
            <translation>Aufgenommen</translation>
        </message>
        <message>
            <location filename="../../ui/search/table.py" />
            <source>Cloud</source>
            <translation>Wolken</translation>
        </message>
        <message>
            <location filename="../../ui/search/table.py" />
            <source>Collection</source>
            <translation>Kollektion</translation>
        </message>
        <message>
            <location filename="../../ui/search/table.py" />
            <source>GSD</source>
            <translation>GSD</translation>
        </message>
        <message>
            <location filename="../../ui/search/table.py" />
            <source>Incidence</source>
            <translation>Einfallswinkel</translation>
        </message>
        <message>
            <location filename="../../ui/search/table.py" />
            <source>Price</source>
            <translation>Preis</translation>
        </message>
        <message>
            <location filename="../../ui/search/table.py" />
            <source>Provider</source>
            <translation>Anbieter</translation>
        </message>
        <message>
            <location filename="../../ui/start.py" />
            <source>&lt;b&gt;Next:&lt;/b&gt; {}</source>
            <translation>&lt;b&gt;Als Nächstes:&lt;/b&gt; {}</translation>
        </message>
        <message>
            <location filename="../../ui/start.py" />
            <source>Check out (&lt;i&gt;Checkout…&lt;/i&gt; in the &lt;i&gt;Cart&lt;/i&gt; tab): review the totals and confirm.</source>
            <translation>Bestellung abschließen (&lt;i&gt;Zur Kasse…&lt;/i&gt; im Reiter &lt;i&gt;Warenkorb&lt;/i&gt;): Summen prüfen und bestätigen.</translation>
        </message>
        <message>
            <location filename="../../ui/start.py" />
            <source>Click &lt;i&gt;Configure order…&lt;/i&gt; for the chosen AOIs or tiles: the order goes to the &lt;i&gt;Cart&lt;/i&gt; with the provider's price.</source>
            <translation>Für die gewählten AOIs oder Kacheln auf &lt;i&gt;Auftrag konfigurieren…&lt;/i&gt; klicken: der Auftrag kommt mit dem Preis des Anbieters in den &lt;i&gt;Warenkorb&lt;/i&gt;.</translation>
        </message>
        <message>
            <location filename="../../ui/start.py" />
            <source>Draw, import or paste an area of interest (&lt;i&gt;Areas of interest&lt;/i&gt; tab), or pick tiles on the &lt;i&gt;Tile grid&lt;/i&gt; tab.</source>
            <translation>Ein Interessengebiet zeichnen, importieren oder einfügen (Reiter &lt;i&gt;Interessengebiete&lt;/i&gt;) oder Kacheln im Reiter &lt;i&gt;Kachelgitter&lt;/i&gt; wählen.</translation>
        </message>
        <message>
            <location filename="../../ui/start.py" />
            <source>First steps</source>
            <translation>Erste Schritte</translation>
        </message>
        <message>
            <location filename="../../ui/start.py" />
            <source>Follow your orders in the &lt;i&gt;Orders&lt;/i&gt; tab and load the deliveries as layers.</source>
            <translation>Die Aufträge im Reiter &lt;i&gt;Aufträge&lt;/i&gt; verfolgen und die Lieferungen als Layer laden.</translation>
        </message>
        <message>
            <location filename="../../ui/start.py" />
            <source>Set up your provider credentials: &lt;i&gt;Settings › Options › Nadir&lt;/i&gt; (the button below).</source>
            <translation>Die Zugangsdaten der Anbieter einrichten: &lt;i&gt;Einstellungen › Optionen › Nadir&lt;/i&gt; (die Schaltfläche unten).</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>(no price given)</source>
            <translation>(kein Preis angegeben)</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Accept {}</source>
            <translation>{} annehmen</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Awaiting your decision ({}).</source>
            <translation>Wartet auf Ihre Entscheidung ({}).</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Choose a feasibility option or accept or reject the quotation of this UP42 tasking order</source>
            <translation>Eine Machbarkeitsoption wählen oder das Angebot dieses UP42-Tasking-Auftrags annehmen oder ablehnen</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Choose this option</source>
            <translation>Diese Option wählen</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Decide: {}</source>
            <translation>Entscheiden: {}</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Decide…</source>
            <translation>Entscheiden…</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Feasibility option chosen for {}; UP42 sends the quotation next.</source>
            <translation>Machbarkeitsoption für {} gewählt; als Nächstes schickt UP42 das Angebot.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Nadir: deciding UP42 order {}</source>
            <translation>Nadir: UP42-Auftrag {} wird entschieden</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Nadir: what UP42 order {} waits for</source>
            <translation>Nadir: worauf UP42-Auftrag {} wartet</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Quotation accepted for {}.</source>
            <translation>Angebot für {} angenommen.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Quotation rejected for {}.</source>
            <translation>Angebot für {} abgelehnt.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>Reject</source>
            <translation>Ablehnen</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>See the log.</source>
            <translation>Siehe Protokoll.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>The decision failed; see the log.</source>
            <translation>Die Entscheidung ist fehlgeschlagen; siehe Protokoll.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>This order waits for no decision any more.</source>
            <translation>Dieser Auftrag wartet auf keine Entscheidung mehr.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>UP42 order {} is awaiting your decision: select it in Orders and click Decide….</source>
            <translation>UP42-Auftrag {} wartet auf Ihre Entscheidung: Wählen Sie ihn unter Aufträge und klicken Sie auf Entscheiden….</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>UP42 quotes {} for this order. Accepting orders the acquisition at this price; rejecting ends the order.</source>
            <translation>UP42 bietet diesen Auftrag für {} an. Annehmen bestellt die Aufnahme zu diesem Preis; Ablehnen beendet den Auftrag.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/decisions.py" />
            <source>UP42 studied the feasibility of this order. Choose the option to go on with; a quotation with the final price follows.</source>
            <translation>UP42 hat die Machbarkeit dieses Auftrags geprüft. Wählen Sie die Option, mit der es weitergeht; ein Angebot mit dem endgültigen Preis folgt.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>, {} to {}</source>
            <translation>, {} bis {}</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>Choose a tasking product you have access to.</source>
            <translation>Wählen Sie ein Tasking-Produkt, für das Sie Zugang haben.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>Choose the area of interest to task, or draw or import one first.</source>
            <translation>Wählen Sie das Interessengebiet für das Tasking oder zeichnen bzw. importieren Sie zuerst eines.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>Loading the order form of {}…</source>
            <translation>Das Bestellformular von {} wird geladen…</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>Ready: {} tasking order(s). {}</source>
            <translation>Bereit: {} Tasking-Auftrag/-Aufträge. {}</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>Save to the cart item</source>
            <translation>Im Warenkorbeintrag speichern</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>The cart is not available yet. Open the Cart tab once and try again.</source>
            <translation>Der Warenkorb ist noch nicht bereit. Öffnen Sie einmal den Reiter Warenkorb und versuchen Sie es erneut.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>{} polygon(s), {:,.1f} km² to task.</source>
            <translation>{} Polygon(e), {:,.1f} km² zu beauftragen.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>{} tasking item(s) added to the cart.</source>
            <translation>{} Tasking-Eintrag/-Einträge in den Warenkorb gelegt.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>{} tasking item(s) in the cart. The cart asks UP42 for the price.</source>
            <translation>{} Tasking-Eintrag/-Einträge im Warenkorb. Der Warenkorb fragt UP42 nach dem Preis.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>{} value(s) need attention: see the messages under the fields.</source>
            <translation>{} Wert(e) brauchen Aufmerksamkeit: siehe die Hinweise unter den Feldern.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/feature.py" />
            <source>{}: {}, {:,.1f} km²{}</source>
            <translation>{}: {}, {:,.1f} km²{}</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/field_widgets.py" />
            <source>(not set)</source>
            <translation>(nicht gesetzt)</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/field_widgets.py" />
            <source>Choose…</source>
            <translation>Auswählen…</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/field_widgets.py" />
            <source>Clear: leave this value out of the order</source>
            <translation>Leeren: diesen Wert nicht mit der Bestellung senden</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/field_widgets.py" />
            <source>Half-ticked: not set (left out of the order)</source>
            <translation>Halb angehakt: nicht gesetzt (nicht Teil der Bestellung)</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/field_widgets.py" />
            <source>Yes</source>
            <translation>Ja</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/field_widgets.py" />
            <source>not set</source>
            <translation>nicht gesetzt</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/presenter.py" />
            <source>Nadir: UP42 order form</source>
            <translation>Nadir: UP42-Bestellformular</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/presenter.py" />
            <source>Nadir: UP42 tasking products</source>
            <translation>Nadir: UP42-Tasking-Produkte</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/presenter.py" />
            <source>Something went wrong; see the log.</source>
            <translation>Etwas ist schiefgegangen; siehe Protokoll.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/presenter.py" />
            <source>The order form of {} could not be loaded: {}</source>
            <translation>Das Bestellformular von {} konnte nicht geladen werden: {}</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/presenter.py" />
            <source>UP42 cannot be reached from Nadir: {}</source>
            <translation>UP42 ist von Nadir aus nicht erreichbar: {}</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/presenter.py" />
            <source>UP42's tasking products could not be loaded: {}</source>
            <translation>Die Tasking-Produkte von UP42 konnten nicht geladen werden: {}</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/schema_form.py" />
            <source>Enter the order parameters as JSON:</source>
            <translation>Geben Sie die Bestellparameter als JSON ein:</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/schema_form.py" />
            <source>Not valid JSON: line {line}, column {column}: {reason}.</source>
            <translation>Kein gültiges JSON: Zeile {line}, Spalte {column}: {reason}.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/schema_form.py" />
            <source>Not valid JSON: nested too deeply.</source>
            <translation>Kein gültiges JSON: zu tief verschachtelt.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/schema_form.py" />
            <source>Other parameters (JSON)</source>
            <translation>Weitere Parameter (JSON)</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/schema_form.py" />
            <source>Required.</source>
            <translation>Pflichtfeld.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/schema_form.py" />
            <source>The JSON must be an object in braces: {"name": value, …}.</source>
            <translation>Das JSON muss ein Objekt in geschweiften Klammern sein: {"name": value, …}.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/schema_form.py" />
            <source>The values cannot be checked before sending; the provider will check them.</source>
            <translation>Die Werte können vor dem Senden nicht geprüft werden; der Anbieter prüft sie.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/schema_form.py" />
            <source>These parameters cannot be shown as fields; enter them as JSON:</source>
            <translation>Diese Parameter können nicht als Felder angezeigt werden; geben Sie sie als JSON ein:</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/schema_form.py" />
            <source>Values the fields above cannot show; they are sent as they are:</source>
            <translation>Werte, die die Felder oben nicht anzeigen können; sie werden unverändert gesendet:</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/schema_form.py" />
            <source>{title}: is required</source>
            <translation>{title}: ist erforderlich</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>Add to cart</source>
            <translation>In den Warenkorb</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>Area of interest</source>
            <translation>Interessengebiet</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>Check</source>
            <translation>Prüfen</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>Draw or import an area of interest first</source>
            <translation>Zeichnen oder importieren Sie zuerst ein Interessengebiet</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>Load the products and your access status again.</source>
            <translation>Produkte und Ihren Zugangsstatus neu laden.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>Loading UP42's tasking products…</source>
            <translation>Die Tasking-Produkte von UP42 werden geladen…</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>Product</source>
            <translation>Produkt</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>Refresh</source>
            <translation>Aktualisieren</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>Simplify to 999 vertices if needed</source>
            <translation>Bei Bedarf auf 999 Stützpunkte vereinfachen</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>UP42 offers no tasking product to this account</source>
            <translation>UP42 bietet diesem Konto kein Tasking-Produkt an</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>UP42 rejected the access request for {product}. Ask UP42 support from the &lt;a href="{url}"&gt;UP42 console&lt;/a&gt; to request it again.</source>
            <translation>UP42 hat den Zugangsantrag für {product} abgelehnt. Bitten Sie den UP42-Support über die &lt;a href="{url}"&gt;UP42-Konsole&lt;/a&gt;, ihn erneut zu beantragen.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>UP42 takes at most 999 vertices per polygon; a more detailed outline is simplified and the change is shown.</source>
            <translation>UP42 nimmt höchstens 999 Stützpunkte je Polygon; ein detaillierterer Umriss wird vereinfacht und die Änderung angezeigt.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>Your access request for {} is pending. UP42 decides within 7 days and tells you by e-mail; Refresh shows the new status.</source>
            <translation>Ihr Zugangsantrag für {} ist ausstehend. UP42 entscheidet innerhalb von 7 Tagen und informiert Sie per E-Mail; Aktualisieren zeigt den neuen Stand.</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>granted</source>
            <translation>gewährt</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>not requested</source>
            <translation>nicht beantragt</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>pending</source>
            <translation>ausstehend</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>rejected</source>
            <translation>abgelehnt</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>unknown</source>
            <translation>unbekannt</translation>
        </message>
        <message>
            <location filename="../../ui/tasking/section.py" />
            <source>{product} needs UP42's approval before it can be ordered. In the &lt;a href="{url}"&gt;UP42 console&lt;/a&gt;, open Tasking &gt; New tasking order, select {product} and click Request Access; UP42 answers by e-mail within 7 days. Refresh here to see the status.</source>
            <translation>{product} braucht die Freigabe von UP42, bevor es bestellt werden kann. Öffnen Sie in der &lt;a href="{url}"&gt;UP42-Konsole&lt;/a&gt; Tasking &gt; New tasking order, wählen Sie {product} und klicken Sie auf Request Access; UP42 antwortet innerhalb von 7 Tagen per E-Mail. Aktualisieren zeigt hier den Stand.</translation>
        </message>
        <message>
            <location filename="../../ui/wakeup.py" />
            <source>A part of Nadir could not start ({}): {}</source>
            <translation>Ein Teil von Nadir konnte nicht starten ({}): {}</translation>
        </message>
        <message>
            <source> (then every {} day(s) until cancelled)</source>
            <translation type="vanished"> (danach alle {} Tag(e) bis zur Stornierung)</translation>
        </message>
        <message>
            <source>, {:,.2f} km²</source>
            <translation type="vanished">, {:,.2f} km²</translation>
        </message>
        <message>
            <source>1 minitile</source>
            <translation type="vanished">1 Minikachel</translation>
        </message>
        <message>
            <source>1 tile</source>
            <translation type="vanished">1 Kachel</translation>
        </message>
        <message>
            <source>; {} asset(s) failed, see Details.</source>
            <translation type="vanished">; {} Asset(s) fehlgeschlagen, siehe Details.</translation>
        </message>
        <message>
            <source>; {} problem(s), see Details.</source>
            <translation type="vanished">; {} Problem(e), siehe Details.</translation>
        </message>
        <message>
            <source>AOI: {} ({} km²)</source>
            <translation type="vanished">AOI: {} ({} km²)</translation>
        </message>
        <message>
            <source>Archive: {} capture(s)</source>
            <translation type="vanished">Archiv: {} Aufnahme(n)</translation>
        </message>
        <message>
            <source>Asks the provider for the price of a ClearSKY composite order (AOI layer) or tile order (tile and minitile GUIDs), after checking the configuration against the provider's rules. Nothing is ordered.</source>
            <translation type="vanished">Fragt den Anbieter nach dem Preis eines ClearSKY-Composite-Auftrags (AOI-Layer) oder Kachelauftrags (GUIDs von Kacheln und Minikacheln), nachdem die Konfiguration gegen die Regeln des Anbieters geprüft wurde. Es wird nichts bestellt.</translation>
        </message>
        <message>
            <source>Basic configuration: the gpra_ API key as password; put a client id as user name to exchange it for a token (needed to place orders).</source>
            <translation type="vanished">Basic-Konfiguration: der gpra_-API-Schlüssel als Passwort; mit einer Client-ID als Benutzername wird er gegen ein Token getauscht (nötig, um Aufträge zu erteilen).</translation>
        </message>
        <message>
            <source>Delete {} AOI(s)? {}</source>
            <translation type="vanished">{} AOI(s) löschen? {}</translation>
        </message>
        <message>
            <source>Estimates a ClearSKY order and, only with CONFIRM set, places it. The order goes through Nadir's outbox: it is recorded with its reference before it is sent, so running this again with the same parameters (or the same client reference) never orders twice; it reports the order already placed. Give a new client reference to order the same thing again on purpose.</source>
            <translation type="vanished">Schätzt einen ClearSKY-Auftrag und erteilt ihn nur, wenn CONFIRM gesetzt ist. Der Auftrag läuft über Nadirs Postausgang: Er wird mit seiner Referenz gespeichert, bevor er gesendet wird, daher bestellt ein erneuter Lauf mit denselben Parametern (oder derselben Client-Referenz) nie doppelt, sondern meldet den bereits erteilten Auftrag. Geben Sie eine neue Client-Referenz an, um dasselbe absichtlich noch einmal zu bestellen.</translation>
        </message>
        <message>
            <source>From (first month, YYYY-MM)</source>
            <translation type="vanished">Von (erster Monat, JJJJ-MM)</translation>
        </message>
        <message>
            <source>From (first month: the 1st day of a month, or YYYY-MM)</source>
            <translation type="vanished">Von (erster Monat: der 1. Tag eines Monats oder JJJJ-MM)</translation>
        </message>
        <message>
            <source>From {} to {}, every {} day(s)</source>
            <translation type="vanished">Vom {} bis {}, alle {} Tag(e)</translation>
        </message>
        <message>
            <source>From {}, every {} day(s): recurring live order, renews every month until cancelled</source>
            <translation type="vanished">Ab {}, alle {} Tag(e): wiederkehrender Live-Auftrag, verlängert sich jeden Monat bis zur Stornierung</translation>
        </message>
        <message>
            <source>Reference date aligning the schedule (YYYY-MM-DD; empty: From)</source>
            <translation type="vanished">Referenzdatum, an dem sich der Zeitplan ausrichtet (JJJJ-MM-TT; leer: Von)</translation>
        </message>
        <message>
            <source>Selected features only ({:,} selected)</source>
            <translation type="vanished">Nur gewählte Objekte ({:,} gewählt)</translation>
        </message>
        <message>
            <source>Simplify to at most {} vertices</source>
            <translation type="vanished">Auf höchstens {} Stützpunkte vereinfachen</translation>
        </message>
        <message>
            <source>Something went wrong inside Nadir; the details are in the log.</source>
            <translation type="vanished">In Nadir ist etwas schiefgegangen; die Details stehen im Protokoll.</translation>
        </message>
        <message>
            <source>Text file ({:,} bytes): read as WKT, GeoJSON or JSON.</source>
            <translation type="vanished">Textdatei ({:,} Bytes): wird als WKT, GeoJSON oder JSON gelesen.</translation>
        </message>
        <message>
            <source>To (last image date, YYYY-MM-DD; empty: recurring live order, renews every month until cancelled)</source>
            <translation type="vanished">Bis (letztes Bilddatum, JJJJ-MM-TT; leer: wiederkehrender Live-Auftrag, verlängert sich jeden Monat bis zur Stornierung)</translation>
        </message>
        <message>
            <source>UP42 rejected the access request for {}. Ask UP42 support from the {} to request it again.</source>
            <translation type="vanished">UP42 hat den Zugangsantrag für {} abgelehnt. Bitten Sie den UP42-Support über die {}, ihn erneut zu beantragen.</translation>
        </message>
        <message>
            <source>UTM zone {} (EPSG:{}): on or off</source>
            <translation type="vanished">UTM-Zone {} (EPSG:{}): ein oder aus</translation>
        </message>
        <message>
            <source>no price: {}</source>
            <translation type="vanished">kein Preis: {}</translation>
        </message>
        <message>
            <source>see the log for details</source>
            <translation type="vanished">Details im Protokoll</translation>
        </message>
        <message>
            <source>unexpected error (see log)</source>
            <translation type="vanished">unerwarteter Fehler (siehe Protokoll)</translation>
        </message>
        <message>
            <source>{:,} characters: checked when imported.</source>
            <translation type="vanished">{:,} Zeichen: werden beim Import geprüft.</translation>
        </message>
        <message>
            <source>{:,} features will be imported, CRS {}.</source>
            <translation type="vanished">{:,} Objekte werden importiert, KBS {}.</translation>
        </message>
        <message>
            <source>{area} (geodesic, WGS84) · {p} polygon(s) · {v:,} vertices</source>
            <translation type="vanished">{area} (geodätisch, WGS84) · {p} Polygon(e) · {v:,} Stützpunkte</translation>
        </message>
        <message>
            <source>{n} AOIs, {area} · for order: {c}, {carea}</source>
            <translation type="vanished">{n} AOIs, {area} · für den Auftrag: {c}, {carea}</translation>
        </message>
        <message>
            <source>{} AOI(s)</source>
            <translation type="vanished">{} AOI(s)</translation>
        </message>
        <message>
            <source>{} cells, coverage ratio {:.2f}: {} km² of cells for an AOI of {} km².</source>
            <translation type="vanished">{} Zellen, Abdeckungsverhältnis {:.2f}: {} km² Zellen für ein AOI von {} km².</translation>
        </message>
        <message>
            <source>{} km² of the AOI are not covered (zones switched off or outside the grid).</source>
            <translation type="vanished">{} km² des AOI sind nicht abgedeckt (ausgeschaltete Zonen oder außerhalb des Gitters).</translation>
        </message>
        <message>
            <source>{} layers with polygons: choose one.</source>
            <translation type="vanished">{} Layer mit Polygonen: Wählen Sie einen.</translation>
        </message>
        <message>
            <source>{} minitile(s)</source>
            <translation type="vanished">{} Minikachel(n)</translation>
        </message>
        <message>
            <source>{} minitiles</source>
            <translation type="vanished">{} Minikacheln</translation>
        </message>
        <message>
            <source>{} month(s), first free</source>
            <translation type="vanished">{} Monat(e), der erste kostenlos</translation>
        </message>
        <message>
            <source>{} needs UP42's approval before it can be ordered. In the {}, open Tasking &gt; New tasking order, select {} and click Request Access; UP42 answers by e-mail within 7 days. Refresh here to see the status.</source>
            <translation type="vanished">{} braucht die Freigabe von UP42, bevor es bestellt werden kann. Öffnen Sie in der {} Tasking &gt; New tasking order, wählen Sie {} und klicken Sie auf Request Access; UP42 antwortet innerhalb von 7 Tagen per E-Mail. Aktualisieren zeigt hier den Stand.</translation>
        </message>
        <message>
            <source>{} of {} orders match these filters</source>
            <translation type="vanished">{} von {} Aufträgen entsprechen diesen Filtern</translation>
        </message>
        <message>
            <source>{} tile(s)</source>
            <translation type="vanished">{} Kachel(n)</translation>
        </message>
        <message>
            <source>{} tiles</source>
            <translation type="vanished">{} Kacheln</translation>
        </message>
        <message>
            <source>{}: {} file(s) in {}</source>
            <translation type="vanished">{}: {} Datei(en) in {}</translation>
        </message>
        <message>
            <source>{}: {} layer(s) added to the group '{}'</source>
            <translation type="vanished">{}: {} Layer zur Gruppe „{}“ hinzugefügt</translation>
        </message>
    </context>
    <context>
        <name>AoiImportDialog</name>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>Dissolve all features into one AOI (one multipolygon)</source>
            <translation>Alle Objekte zu einem AOI auflösen (ein Multipolygon)</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>File</source>
            <translation>Datei</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>From a file</source>
            <translation>Aus einer Datei</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>GeoJSON, JSON, WKT, TXT, KML/KMZ, a zipped shapefile, GeoPackage, or any other vector format QGIS opens</source>
            <translation>GeoJSON, JSON, WKT, TXT, KML/KMZ, ein gezipptes Shapefile, GeoPackage oder jedes andere Vektorformat, das QGIS öffnet</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>Import areas of interest</source>
            <translation>Interessengebiete importieren</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>Layer</source>
            <translation>Layer</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>POLYGON((1.44 43.60, 1.46 43.60, 1.46 43.61, 1.44 43.61, 1.44 43.60))</source>
            <translation>POLYGON((1.44 43.60, 1.46 43.60, 1.46 43.61, 1.44 43.61, 1.44 43.60))</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>Paste WKT (POLYGON((lon lat, …))), GeoJSON (a geometry, Feature or FeatureCollection) or JSON holding one. Coordinates in longitude/latitude (EPSG:4326).</source>
            <translation>Fügen Sie WKT (POLYGON((lon lat, …))), GeoJSON (eine Geometrie, ein Feature oder eine FeatureCollection) oder JSON ein, das eines davon enthält. Koordinaten in Länge/Breite (EPSG:4326).</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>Paste text</source>
            <translation>Text einfügen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>The file holds several layers: choose the one with the areas</source>
            <translation>Die Datei enthält mehrere Layer: Wählen Sie den mit den Flächen</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/import_dialog.ui" />
            <source>from the features, or the file name</source>
            <translation>aus den Objekten oder dem Dateinamen</translation>
        </message>
    </context>
    <context>
        <name>AoiLayerDialog</name>
        <message>
            <location filename="../../ui/aoi/layer_dialog.ui" />
            <source>AOIs from a layer</source>
            <translation>AOIs aus einem Layer</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/layer_dialog.ui" />
            <source>Dissolve into one AOI (one multipolygon)</source>
            <translation>Zu einem AOI auflösen (ein Multipolygon)</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/layer_dialog.ui" />
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/layer_dialog.ui" />
            <source>Names from</source>
            <translation>Namen aus</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/layer_dialog.ui" />
            <source>One AOI per feature</source>
            <translation>Ein AOI pro Objekt</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/layer_dialog.ui" />
            <source>Polygon layer</source>
            <translation>Polygonlayer</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/layer_dialog.ui" />
            <source>Selected features only</source>
            <translation>Nur gewählte Objekte</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/layer_dialog.ui" />
            <source>The attribute that names each AOI (empty: a name, title or label field if there is one)</source>
            <translation>Das Attribut, das jedes AOI benennt (leer: ein Feld name, title oder label, falls vorhanden)</translation>
        </message>
        <message>
            <location filename="../../ui/aoi/layer_dialog.ui" />
            <source>the layer's name</source>
            <translation>dem Namen des Layers</translation>
        </message>
    </context>
    <context>
        <name>NadirConfigureDialog</name>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source> day(s)</source>
            <translation> Tag(e)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source> month(s)</source>
            <translation> Monat(e)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>AI model</source>
            <translation>KI-Modell</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>API requests</source>
            <translation>API-Abrufe</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Align the image dates of several orders to one schedule. Unticked: the schedule starts on From.</source>
            <translation>Die Bilddaten mehrerer Aufträge an einem Zeitplan ausrichten. Ohne Häkchen beginnt der Zeitplan am Von-Datum.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Align to</source>
            <translation>Ausrichten an</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Configure order</source>
            <translation>Auftrag konfigurieren</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Days between images: 1 = daily, 7 = weekly.</source>
            <translation>Tage zwischen zwei Bildern: 1 = täglich, 7 = wöchentlich.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Ends on</source>
            <translation>Endet am</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>From (month)</source>
            <translation>Von (Monat)</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>How long the imagery stays available for download.</source>
            <translation>Wie lange die Bilder zum Download bereitstehen.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>How this order is called in the cart and in the orders list.</source>
            <translation>Wie dieser Auftrag im Warenkorb und in der Auftragsliste heißt.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Image dates fall on this date plus whole multiples of the image frequency.</source>
            <translation>Die Bilddaten fallen auf dieses Datum plus ganze Vielfache der Bildfrequenz.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Image frequency</source>
            <translation>Bildfrequenz</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Leave unticked for a recurring live order.</source>
            <translation>Ohne Häkchen lassen für einen wiederkehrenden Live-Auftrag.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Load again</source>
            <translation>Neu laden</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Name in the cart</source>
            <translation>Name im Warenkorb</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Number of API retrievals included with this order.</source>
            <translation>Anzahl der API-Abrufe, die in diesem Auftrag enthalten sind.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Reference date</source>
            <translation>Referenzdatum</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Satellite constellations</source>
            <translation>Satellitenkonstellationen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Show advanced settings</source>
            <translation>Erweiterte Einstellungen anzeigen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Skip data already produced for my earlier tile orders</source>
            <translation>Bereits für meine früheren Kachelaufträge erzeugte Daten überspringen</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Storage months</source>
            <translation>Speichermonate</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>The cloud-removal / fusion model ClearSKY uses (e.g. Stratus2).</source>
            <translation>Das Modell zur Wolkenentfernung / Datenfusion, das ClearSKY verwendet (z. B. Stratus2).</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>The first month is free; each further month is billed.</source>
            <translation>Der erste Monat ist kostenlos; jeder weitere Monat wird berechnet.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>The first month with imagery. Orders always start on the 1st of a month.</source>
            <translation>Der erste Monat mit Bildern. Aufträge beginnen immer am 1. eines Monats.</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>The last image date of the order (inclusive).</source>
            <translation>Das letzte Bilddatum des Auftrags (einschließlich).</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>Tile deduplication</source>
            <translation>Kachel-Deduplizierung</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>To</source>
            <translation>Bis</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>yyyy-MM</source>
            <translation>MM.yyyy</translation>
        </message>
        <message>
            <location filename="../../ui/cart/configure_dialog.ui" />
            <source>yyyy-MM-dd</source>
            <translation>dd.MM.yyyy</translation>
        </message>
    </context>
    <context>
        <name>NadirOptionsGeneral</name>
        <message>
            <location filename="../../ui/options_general.ui" />
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <location filename="../../ui/options_general.ui" />
            <source>Delivered imagery is saved here, one subfolder per order. Empty: a Nadir folder in your home folder.</source>
            <translation>Gelieferte Bilder werden hier gespeichert, ein Unterordner pro Auftrag. Leer: ein Ordner Nadir in Ihrem Benutzerordner.</translation>
        </message>
        <message>
            <location filename="../../ui/options_general.ui" />
            <source>Download folder</source>
            <translation>Downloadordner</translation>
        </message>
        <message>
            <location filename="../../ui/options_general.ui" />
            <source>How often Nadir asks the providers for the status of live orders.</source>
            <translation>Wie oft Nadir die Anbieter nach dem Status laufender Aufträge fragt.</translation>
        </message>
        <message>
            <location filename="../../ui/options_general.ui" />
            <source>Log level</source>
            <translation>Protokollstufe</translation>
        </message>
        <message>
            <location filename="../../ui/options_general.ui" />
            <source>Messages at this level and above go to the Nadir tab of the log panel. Credentials are always masked.</source>
            <translation>Meldungen ab dieser Stufe erscheinen im Reiter Nadir des Protokollbedienfelds. Zugangsdaten werden immer maskiert.</translation>
        </message>
        <message>
            <location filename="../../ui/options_general.ui" />
            <source>Order status polling interval</source>
            <translation>Abfrageintervall für den Auftragsstatus</translation>
        </message>
        <message>
            <location filename="../../ui/options_general.ui" />
            <source>Show the tile grid below scale 1:</source>
            <translation>Kachelgitter anzeigen unterhalb des Maßstabs 1:</translation>
        </message>
        <message>
            <location filename="../../ui/options_general.ui" />
            <source>The provider's tile grid loads by itself once the map is zoomed in beyond this scale.</source>
            <translation>Das Kachelgitter des Anbieters lädt sich von selbst, sobald die Karte über diesen Maßstab hinaus hineingezoomt ist.</translation>
        </message>
    </context>
</TS>

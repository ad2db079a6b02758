#!/usr/bin/python3
"""QGIS 3.22 checks of styles/qgis/ and styles/beichen-qgis.json.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/styles/test_qgis_styles.py -v

No server needed. Uses geodata/beichen.gpkg (scripts/build-geodata) where it
exists; without it the per-feature checks run on memory layers built from
geodata/*.geojson.
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STYLES = os.path.join(ROOT, "styles")
QGIS_DIR = os.path.join(STYLES, "qgis")
GPKG = os.path.join(ROOT, "geodata", "beichen.gpkg")
COLLECTIONS = ["boundaries", "core_areas", "towns", "transport_lines", "transport_nodes", "industry",
               "urban", "rural", "ecology", "livelihood", "partner_counties"]
GEOMETRY = {"point": 0, "line": 1, "polygon": 2}  # QgsWkbTypes.GeometryType

from qgis.testing import start_app  # noqa: E402

QGISAPP = start_app()

from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsDataProvider,  # noqa: E402
                       QgsFeature, QgsJsonUtils, QgsMapBoxGlStyleConversionContext, QgsMapBoxGlStyleConverter,
                       QgsMapRendererSequentialJob, QgsMapSettings, QgsProject, QgsRectangle,
                       QgsRenderContext, QgsVectorLayer, QgsVectorTileLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

with open(os.path.join(STYLES, "palette.json"), encoding="utf-8") as f:
    PALETTE = json.load(f)


def data_layer(cid):
    """The collection as a vector layer: the GeoPackage layer, or a memory copy of the GeoJSON."""
    if os.path.exists(GPKG):
        layer = QgsVectorLayer("%s|layername=%s" % (GPKG, cid), cid, "ogr")
        if layer.isValid():
            return layer
    path = os.path.join(ROOT, "geodata", cid + ".geojson")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    fields = QgsJsonUtils.stringToFields(text)
    features = QgsJsonUtils.stringToFeatureList(text, fields)
    geom = {"point": "Point", "line": "LineString", "polygon": "Polygon"}[PALETTE["collections"][cid]["geometry"]]
    layer = QgsVectorLayer("%s?crs=EPSG:4326" % geom, cid, "memory")
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    layer.dataProvider().addFeatures(features)
    return layer


def over_base(color, opacity, base):
    c = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(base[i:i + 2], 16) for i in (1, 3, 5)]
    return "#%02x%02x%02x" % tuple(round(b[i] + (c[i] - b[i]) * opacity) for i in range(3))


class QmlStyles(unittest.TestCase):
    def test_every_collection_has_a_qml(self):
        names = sorted(n[:-4] for n in os.listdir(QGIS_DIR) if n.endswith(".qml"))
        self.assertEqual(names, sorted(COLLECTIONS))

    def test_qml_loads_rule_based_with_labels(self):
        for cid in COLLECTIONS:
            with self.subTest(collection=cid):
                layer = data_layer(cid)
                self.assertTrue(layer.isValid(), cid)
                msg, ok = layer.loadNamedStyle(os.path.join(QGIS_DIR, cid + ".qml"))
                self.assertTrue(ok, "%s.qml: %s" % (cid, msg))
                self.assertEqual(layer.renderer().type(), "RuleRenderer")
                self.assertTrue(layer.labelsEnabled())
                settings = layer.labeling().settings()  # a copy: keep it alive while reading it
                self.assertTrue(settings.isExpression)
                self.assertIn("name_zh", settings.fieldName)
                if PALETTE["collections"][cid]["label"].get("bilingual_minzoom") is not None:
                    self.assertIn("name_en", settings.fieldName)
                self.assertEqual(settings.format().font().family(), PALETTE["font"]["family"])
                top = layer.renderer().rootRule().children()
                filters = [r.filterExpression() for r in top]
                for cat in PALETTE["collections"][cid]["categories"]:
                    self.assertIn('"category" = \'%s\'' % cat, filters)
                self.assertIn("NOT IN", top[-1].filterExpression(), "a last rule catches other categories")
                # categorised by status (and geom_quality for lines and areas) below each category
                statuses = [r.filterExpression() for r in top[0].children()]
                for status in PALETTE["status"]:
                    self.assertIn('"status" = \'%s\'' % status, statuses)

    def test_each_feature_in_its_category_colour_status_and_quality(self):
        base = PALETTE["base"]
        for cid in COLLECTIONS:
            c = PALETTE["collections"][cid]
            layer = data_layer(cid)
            self.assertTrue(layer.loadNamedStyle(os.path.join(QGIS_DIR, cid + ".qml"))[1])
            renderer = layer.renderer().clone()
            ctx = QgsRenderContext()
            renderer.startRender(ctx, layer.fields())
            try:
                n = 0
                for feature in layer.getFeatures():
                    n += 1
                    p = {k: feature[k] for k in ("category", "status", "geom_quality", "id")}
                    with self.subTest(collection=cid, feature=p["id"]):
                        symbols = renderer.symbolsForFeature(feature, ctx)
                        self.assertTrue(symbols, "drawn")
                        colour = PALETTE["categories"][p["category"]]["color"]
                        status = PALETTE["status"][p["status"]]
                        quality = PALETTE["geom_quality"][p["geom_quality"]]
                        if c["geometry"] == "point":
                            main = symbols[-1].symbolLayer(0)
                            # outlines in the category's outline colour where it has one (contrast with the background)
                            outline = PALETTE["categories"][p["category"]].get("outline", colour)
                            self.assertEqual(main.strokeColor().name() if status["stroke"] == "category" else outline, outline)
                            self.assertEqual(main.color().name(), over_base(colour, status["fill_opacity"], base))
                            self.assertEqual(len(symbols), 2 if quality["glow"] else 1, "halo by geom_quality")
                        elif c["geometry"] == "line":
                            self.assertEqual(len(symbols), 1)
                            casing = [symbols[0].symbolLayer(i) for i in range(symbols[0].symbolLayerCount())
                                      if symbols[0].symbolLayer(i).color().name() == colour and symbols[0].symbolLayer(i).color().alpha() == 255]
                            self.assertEqual(len(casing), 1, "one casing in the category colour")
                            self.assertEqual(casing[0].useCustomDashPattern(), bool(quality["dash_px"]), "dashed by geom_quality")
                        else:
                            self.assertEqual(len(symbols), 1)
                            fill, outline = symbols[0].symbolLayer(0), symbols[0].symbolLayer(1)
                            self.assertEqual(outline.color().name(), colour)
                            self.assertEqual(outline.useCustomDashPattern(), bool(quality["dash_px"]))
                            self.assertAlmostEqual(fill.color().alphaF(), status["fill_opacity"] * c["fill_opacity"], places=2)
                self.assertGreater(n, 0, cid)
            finally:
                renderer.stopRender(ctx)

    def test_qml_files_are_what_build_qml_generates(self):
        out = subprocess.run([sys.executable, os.path.join(STYLES, "build-qml.py"), "--check"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
        self.assertEqual(out.returncode, 0, out.stderr[-2000:])


class Project(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.project = QgsProject()
        cls.read_ok = cls.project.read(os.path.join(QGIS_DIR, "beichen.qgs"))

    def test_opens_with_every_collection_and_the_tiles(self):
        self.assertTrue(self.read_ok)
        layers = self.project.mapLayers()
        self.assertEqual(sorted(layers), sorted(["%s_oapif" % c for c in COLLECTIONS] + ["beichen_vector_tiles"]))
        for cid in COLLECTIONS:
            layer = layers["%s_oapif" % cid]
            with self.subTest(collection=cid):
                self.assertEqual(layer.providerType(), "OAPIF")
                self.assertEqual(layer.source(), "url='http://localhost:8080' typename='%s'" % cid)
                # without a server the layer is invalid, but keeps its style
                self.assertIsNotNone(layer.renderer())
                self.assertEqual(layer.renderer().type(), "RuleRenderer")
        tiles = layers["beichen_vector_tiles"]
        self.assertIsInstance(tiles, QgsVectorTileLayer)
        self.assertIn("url=http://localhost:8080/tiles/{z}/{x}/{y}.mvt", tiles.source())
        self.assertIn("styleUrl=http://localhost:8080/styles/beichen-qgis.json", tiles.source())
        self.assertIsNotNone(tiles.renderer())
        self.assertGreater(len(tiles.renderer().styles()), 20)
        self.assertGreater(len(tiles.labeling().styles()), 5)
        self.assertEqual(self.project.crs().authid(), "EPSG:3857")

    def test_layer_order_follows_the_palette(self):
        tree = [n.layerId() for n in self.project.layerTreeRoot().findLayers()]
        expected = ["%s_oapif" % c for c in reversed(list(PALETTE["collections"]))] + ["beichen_vector_tiles"]
        self.assertEqual(tree, expected)

    def test_renders_the_data_when_pointed_at_the_geopackage(self):
        if not os.path.exists(GPKG):
            self.skipTest("geodata/beichen.gpkg not built (scripts/build-geodata)")
        project = QgsProject()
        self.assertTrue(project.read(os.path.join(QGIS_DIR, "beichen.qgs")))
        layers = []
        for cid in COLLECTIONS:
            layer = project.mapLayer("%s_oapif" % cid)
            layer.setDataSource("%s|layername=%s" % (GPKG, cid), layer.name(), "ogr", QgsDataProvider.ProviderOptions())
            self.assertTrue(layer.isValid(), cid)
            self.assertEqual(layer.renderer().type(), "RuleRenderer", "%s keeps its style" % cid)
            layers.append(layer)
        settings = QgsMapSettings()
        settings.setLayers(layers)
        settings.setDestinationCrs(project.crs())
        settings.setExtent(project.viewSettings().defaultViewExtent())
        settings.setOutputSize(QSize(600, 400))
        background = QColor(PALETTE["background"])
        settings.setBackgroundColor(background)
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        image = job.renderedImage()
        coloured = 0
        for x in range(0, image.width(), 3):
            for y in range(0, image.height(), 3):
                px = QColor(image.pixel(x, y))
                if abs(px.red() - background.red()) + abs(px.green() - background.green()) + abs(px.blue() - background.blue()) > 40:
                    coloured += 1
        self.assertGreater(coloured, 300, "features drawn over the background")


class VectorTileStyle(unittest.TestCase):
    def convert(self, name):
        with open(os.path.join(STYLES, name), encoding="utf-8") as f:
            style = json.load(f)
        conv = QgsMapBoxGlStyleConverter()
        conv.convert(style, QgsMapBoxGlStyleConversionContext())
        return style, conv

    def test_qgis_flavour_converts_without_warnings(self):
        style, conv = self.convert("beichen-qgis.json")
        self.assertEqual(conv.warnings(), [])
        drawn = [s.layerName() for s in conv.renderer().styles()]
        for cid in COLLECTIONS:
            self.assertIn(cid, drawn)
        # every filter survived the conversion (an unsupported one is dropped, drawing everything)
        filtered = [l for l in style["layers"] if "filter" in l]
        converted = [s for s in conv.renderer().styles() if s.filterExpression()]
        self.assertEqual(len(converted), len([l for l in filtered if l["type"] != "symbol"]))
        labels = conv.labeling().styles()
        self.assertTrue(any("name_en" in s.labelSettings().fieldName for s in labels))
        self.assertTrue(all(s.labelSettings().format().font().family() == PALETTE["font"]["family"] for s in labels))


if __name__ == "__main__":
    unittest.main()

"""QGIS 3.22 draws the server's vector tiles with the shipped style: an XYZ
vector tile layer (QGIS 3.22 cannot open TileJSON, only the URL template)
with styleUrl, loadDefaultStyle(), rendered over the district to a PNG; the
image must show the data where the data is."""
import json
import os
import sys
import tempfile
import unittest
import urllib.request
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="xdg-"))

from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsMapRendererSequentialJob,  # noqa: E402
                       QgsMapSettings, QgsProject, QgsRectangle, QgsVectorTileLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402
from qgis.testing import start_app  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, shipped_gpkg  # noqa: E402

ARTIFACTS = Path(os.environ.get("REGIOMAP_ARTIFACTS", Path(__file__).resolve().parents[2] / "build" / "test-artifacts"))


class QgisVectorTilesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.app = start_app()

    def test_renders_the_district_with_the_style(self):
        styles = Path(__file__).resolve().parents[2] / "styles"
        style_name = "beichen-qgis" if (styles / "beichen-qgis.json").exists() else "beichen"
        with RunningServer(shipped_gpkg(), "--styles-dir", str(styles)) as server:
            with urllib.request.urlopen(server.url("/tiles.json")) as response:
                tilejson = json.load(response)
            west, south, east, north = 116.93, 39.14, 117.41, 39.36  # the district (boundary extent)
            uri = (f"type=xyz&url={server.url('/tiles/{z}/{x}/{y}.mvt')}&zmin=0&zmax={tilejson['maxzoom']}"
                   f"&styleUrl={server.url('/styles/' + style_name + '.json')}")
            layer = QgsVectorTileLayer(uri, "regiomap")
            self.assertTrue(layer.isValid(), "QGIS cannot open the vector tile layer")
            message, ok = layer.loadDefaultStyle()  # PyQGIS returns (message, success)
            self.assertTrue(ok, f"style not loaded: {message}")
            self.assertGreater(len(layer.renderer().styles()), 5)

            settings = QgsMapSettings()
            settings.setLayers([layer])
            settings.setOutputSize(QSize(800, 400))
            settings.setBackgroundColor(QColor(255, 255, 255))
            mercator = QgsCoordinateReferenceSystem("EPSG:3857")
            settings.setDestinationCrs(mercator)
            to_mercator = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), mercator,
                                                 QgsProject.instance())
            settings.setExtent(to_mercator.transformBoundingBox(QgsRectangle(west, south, east, north)))
            job = QgsMapRendererSequentialJob(settings)
            job.start()
            job.waitForFinished()
            image = job.renderedImage()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            image.save(str(ARTIFACTS / "qgis-vector-tiles.png"))

            background = QColor(255, 255, 255).rgb()
            drawn = sum(1 for x in range(0, 800, 4) for y in range(0, 400, 4) if image.pixel(x, y) != background)
            total = (800 // 4) * (400 // 4)
            # The district fills most of the view: its fill, lines and points
            # must colour a good share of it, and not everything.
            self.assertGreater(drawn / total, 0.2, f"only {drawn} of {total} sampled pixels drawn")
            self.assertLess(drawn / total, 0.999)
            # The centre of the district (117.15, 39.25) lies inside the boundary fill.
            centre = settings.mapToPixel().transform(to_mercator.transform(117.15, 39.25))
            self.assertNotEqual(image.pixel(int(centre.x()), int(centre.y())), background)
            self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    unittest.main()

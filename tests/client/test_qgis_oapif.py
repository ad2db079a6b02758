"""QGIS 3.22's OAPIF provider (Debian python3-qgis) opens every collection
of the real server and sees the right fields, geometry type and count.
The expectation comes from the same GeoPackage opened with QGIS's own OGR
provider (not from the server)."""
import json
import os
import sys
import tempfile
import unittest
import urllib.request
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="xdg-"))

from qgis.core import QgsVectorLayer  # noqa: E402
from qgis.testing import start_app  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, fixture_gpkg, shipped_gpkg  # noqa: E402


class QgisOapifTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # QGIS's own test bootstrap: keeps argv alive, sets the prefix path
        # and initialises the providers (a bare QgsApplication([]) crashes).
        cls.app = start_app()

    def check_dataset(self, data):
        with RunningServer(data) as server:
            with urllib.request.urlopen(server.url("/collections")) as response:
                ids = [c["id"] for c in json.load(response)["collections"]]
            self.assertGreater(len(ids), 0)
            for name in ids:
                reference = QgsVectorLayer(f"{data}|layername={name}", f"{name}-gpkg", "ogr")
                self.assertTrue(reference.isValid(), name)
                served = QgsVectorLayer(f"url='http://127.0.0.1:{server.port}' typename='{name}'", name, "OAPIF")
                self.assertTrue(served.isValid(), f"QGIS cannot open collection {name}")
                expected_fields = [f.name() for f in reference.fields() if f.name() != "fid"]
                got_fields = [f.name() for f in served.fields()]
                for field in expected_fields:
                    self.assertIn(field, got_fields, name)
                self.assertEqual(served.geometryType(), reference.geometryType(), name)
                self.assertEqual(served.featureCount(), reference.featureCount(), name)
                features = list(served.getFeatures())
                self.assertEqual(len(features), reference.featureCount(), name)
                names = sorted(str(f.attribute(expected_fields[0])) for f in features)
                self.assertEqual(names, sorted(str(f.attribute(expected_fields[0])) for f in reference.getFeatures()))
                del served, reference
            self.assertEqual(server.stop(), 0)

    def test_fixture(self):
        self.check_dataset(fixture_gpkg())

    def test_shipped_beichen_data(self):
        self.check_dataset(shipped_gpkg())


if __name__ == "__main__":
    unittest.main()

"""CRS axis order and the new query parameters as real clients see them.

GDAL 3.6's OAPIF driver and QGIS 3.22's OAPIF provider know nothing of
Part 2 (they always read CRS84, longitude first) or of CQL2 (GDAL sends
filters as ?property=value unless the OpenAPI document offers 'cql-text',
the pre-standard name, which this server does not): they must keep working
exactly as before. They are also the reference for the axis order: what
they read as (longitude, latitude) the server must write as (latitude,
longitude) under crs=EPSG:4326 and EPSG:4490, and as pyproj's (northing,
easting) under EPSG:4548."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="xdg-"))

from osgeo import ogr  # noqa: E402
from pyproj import CRS, Transformer  # noqa: E402
from qgis.core import QgsVectorLayer  # noqa: E402
from qgis.testing import start_app  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, shipped_gpkg  # noqa: E402

ogr.UseExceptions()
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


def first_vertex(geometry):
    coordinates = geometry["coordinates"]
    while isinstance(coordinates[0], list):
        coordinates = coordinates[0]
    return coordinates[:2]


class ClientsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.app = start_app()
        cls.server = RunningServer(shipped_gpkg()).__enter__()
        with urllib.request.urlopen(cls.server.url("/collections")) as response:
            cls.collections = [c["id"] for c in json.load(response)["collections"]]

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, f"server exit code {code}\n{cls.server.log()}"

    def served(self, collection, **params):
        query = urllib.parse.urlencode({"limit": "10000", **params})
        with urllib.request.urlopen(self.server.url(f"/collections/{collection}/items?{query}")) as response:
            return {f["id"]: f for f in json.load(response)["features"] if f["geometry"]}

    def gdal_vertices(self, collection):
        dataset = ogr.Open(f"OAPIF:http://127.0.0.1:{self.server.port}")
        layer = dataset.GetLayerByName(collection)
        out = {}
        for feature in layer:
            geometry = feature.GetGeometryRef()
            if geometry is None or geometry.IsEmpty():
                continue
            while geometry.GetGeometryCount() > 0:
                geometry = geometry.GetGeometryRef(0)
            out[feature.GetFID()] = geometry.GetPoint_2D(0)
        return out

    def qgis_vertices(self, collection):
        layer = QgsVectorLayer(f"url='http://127.0.0.1:{self.server.port}' typename='{collection}'", collection,
                               "OAPIF")
        self.assertTrue(layer.isValid(), collection)
        out = {}
        for feature in layer.getFeatures():
            geometry = feature.geometry()
            if geometry.isEmpty():
                continue
            point = next(geometry.vertices())
            # QGIS numbers features itself; the server's id is in the 'id' attribute when there is one.
            out[(point.x(), point.y())] = True
        return out

    def test_axis_order_against_gdal_and_qgis(self):
        to_gk = Transformer.from_crs(CRS("OGC:CRS84"), CRS("EPSG:4548"))
        self.assertEqual(CRS("EPSG:4326").axis_info[0].direction, "north")
        self.assertEqual(CRS("EPSG:4548").axis_info[0].direction, "north")
        checked = 0
        for collection in self.collections:
            gdal = self.gdal_vertices(collection)
            qgis = self.qgis_vertices(collection)
            in_4326 = self.served(collection, crs=EPSG + "4326")
            in_4490 = self.served(collection, crs=EPSG + "4490")
            in_4548 = self.served(collection, crs=EPSG + "4548")
            self.assertEqual(set(gdal), set(in_4326), collection)
            for fid, (lon, lat) in gdal.items():
                # GDAL and QGIS read the default (CRS84) response: longitude first.
                self.assertIn((lon, lat), qgis, f"{collection} {fid}")
                self.assertTrue(-180 <= lon <= 180 and -90 <= lat <= 90)
                for served in (in_4326, in_4490):
                    a, b = first_vertex(served[fid]["geometry"])
                    self.assertAlmostEqual(a, lat, delta=1e-7, msg=f"{collection} {fid}")
                    self.assertAlmostEqual(b, lon, delta=1e-7, msg=f"{collection} {fid}")
                northing, easting = first_vertex(in_4548[fid]["geometry"])
                want = to_gk.transform(lon, lat)
                self.assertAlmostEqual(northing, want[0], delta=1e-3)
                self.assertAlmostEqual(easting, want[1], delta=1e-3)
                checked += 1
        self.assertGreater(checked, 20)

    def test_gdal_attribute_filters_still_use_property_parameters(self):
        log_start = len(self.server.log())
        dataset = ogr.Open(f"OAPIF:http://127.0.0.1:{self.server.port}")
        layer = dataset.GetLayerByName("industry")
        statuses = {f.GetField("status") for f in layer}
        status = sorted(s for s in statuses if s)[0]
        layer.SetAttributeFilter(f"status = '{status}'")
        filtered = [f.GetField("status") for f in layer]
        self.assertTrue(filtered)
        self.assertEqual(set(filtered), {status})
        # The access log is written off the request path, at least once a second.
        deadline = time.monotonic() + 3
        while True:
            requests = self.server.log()[log_start:]
            if re.search(r"/collections/industry/items\?[^ ]*status=", requests) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertRegex(requests, r"/collections/industry/items\?[^ ]*status=")
        self.assertNotIn("filter-lang", requests)

    def test_gdal_ogcapi_driver_reads_items_with_api_items(self):
        # GDAL 3.6's OGCAPI driver trips over a collection that links
        # tilesets ("Invalid tiling matrix set name"); README tells users to
        # open it with -oo API=ITEMS, which must work.
        listing = subprocess.run(
            ["ogrinfo", "-ro", "-so", "-oo", "API=ITEMS",
             f"OGCAPI:http://127.0.0.1:{self.server.port}/collections/industry", "industry"],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(listing.returncode, 0, listing.stderr)
        with urllib.request.urlopen(self.server.url("/collections/industry/items?limit=1")) as response:
            matched = json.load(response)["numberMatched"]
        self.assertIn(f"Feature Count: {matched}", listing.stdout)

    def test_gdal_and_qgis_still_read_every_collection(self):
        for collection in self.collections:
            dataset = ogr.Open(f"OAPIF:http://127.0.0.1:{self.server.port}")
            count = dataset.GetLayerByName(collection).GetFeatureCount()
            with urllib.request.urlopen(self.server.url(f"/collections/{collection}/items?limit=1")) as response:
                self.assertEqual(count, json.load(response)["numberMatched"], collection)
            layer = QgsVectorLayer(f"url='http://127.0.0.1:{self.server.port}' typename='{collection}'", collection,
                                   "OAPIF")
            self.assertEqual(layer.featureCount(), count, collection)


if __name__ == "__main__":
    unittest.main()

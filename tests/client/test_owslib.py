"""OWSLib (Debian python3-owslib 0.27), a client nobody here wrote, on the
parts of the API it knows: landing page, conformance, collections,
queryables, items with CQL2 filters (text and JSON), sortby, properties,
skipGeometry and crs passed through its keyword arguments, one feature.
The expectations come from the shipped GeoPackage read with OGR."""
import sys
import unittest
from pathlib import Path

from osgeo import ogr
from owslib.ogcapi.features import Features

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, shipped_gpkg  # noqa: E402

ogr.UseExceptions()
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"


def source_rows(layer_name):
    dataset = ogr.Open(shipped_gpkg())
    layer = dataset.GetLayerByName(layer_name)
    return {f.GetFID(): f.items() for f in layer}


class OwslibTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RunningServer(shipped_gpkg()).__enter__()
        cls.api = Features(f"http://127.0.0.1:{cls.server.port}/")

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, f"server exit code {code}\n{cls.server.log()}"

    def test_capabilities(self):
        self.assertIn("http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
                      self.api.conformance()["conformsTo"])
        self.assertIn("industry", self.api.feature_collections())
        queryables = self.api.collection_queryables("industry")
        self.assertEqual(queryables["properties"]["status"]["type"], "string")
        self.assertEqual(self.api.collection("industry")["storageCrs"], "http://www.opengis.net/def/crs/OGC/1.3/CRS84")

    def test_filter_sortby_properties(self):
        rows = source_rows("industry")
        statuses = sorted({r["status"] for r in rows.values() if r["status"]})
        status = statuses[0]
        expected = sorted((fid for fid, r in rows.items() if r["status"] == status),
                          key=lambda fid: (rows[fid]["name_en"] or "", fid), reverse=False)
        result = self.api.collection_items("industry", filter=f"status = '{status}'", sortby="name_en,id",
                                           properties="name_en,status", limit=1000)
        self.assertEqual(result["numberMatched"], len(expected))
        got = [f["id"] for f in result["features"]]
        with_names = [fid for fid in expected if rows[fid]["name_en"]]
        self.assertEqual([fid for fid in got if rows[fid]["name_en"]],
                         sorted(with_names, key=lambda fid: (rows[fid]["name_en"], fid)))
        for feature in result["features"]:
            self.assertEqual(list(feature["properties"]), ["name_en", "status"])
        as_json = self.api.collection_items(
            "industry", limit=1000,
            **{"filter-lang": "cql2-json",
               "filter": '{"op":"=","args":[{"property":"status"},"' + status + '"]}'})
        self.assertEqual(sorted(f["id"] for f in as_json["features"]), sorted(expected))

    def test_crs_and_skip_geometry(self):
        plain = self.api.collection_items("industry", limit=5)
        swapped = self.api.collection_items("industry", limit=5, crs=EPSG + "4490")
        for a, b in zip(plain["features"], swapped["features"]):
            lon, lat = a["geometry"]["coordinates"]
            self.assertAlmostEqual(b["geometry"]["coordinates"][0], lat, delta=1e-7)
            self.assertAlmostEqual(b["geometry"]["coordinates"][1], lon, delta=1e-7)
        bare = self.api.collection_items("industry", limit=5, skipGeometry="true")
        self.assertTrue(all(f["geometry"] is None for f in bare["features"]))
        one = self.api.collection_item("industry", str(plain["features"][0]["id"]))
        self.assertEqual(one["id"], plain["features"][0]["id"])

    def test_errors_reach_the_client(self):
        with self.assertRaises(RuntimeError) as raised:
            self.api.collection_items("industry", filter="status = ")
        self.assertIn("at character", str(raised.exception))


if __name__ == "__main__":
    unittest.main()

"""OGC API – Features Part 2 (CRS by reference) over real HTTP: every
coordinate the server writes in another CRS is compared with pyproj's
transformation of the CRS84 coordinates (to 1e-7 degrees or 1 millimetre),
in each CRS's authority axis order (EPSG:4326 and EPSG:4490 latitude
first, EPSG:4548 northing first); bbox-crs and filter-crs select what the
same box or point in CRS84 selects; errors name the supported CRSs."""
import json
import sys
import unittest
import urllib.parse
from pathlib import Path

from osgeo import ogr, osr
from pyproj import CRS, Transformer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, fixture_gpkg  # noqa: E402

ogr.UseExceptions()

EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
SUPPORTED = [CRS84, EPSG + "4326", EPSG + "3857", EPSG + "4490", EPSG + "4548"]


def positions(geometry):
    """Every position of a GeoJSON geometry, in order."""
    def walk(coordinates):
        if coordinates and isinstance(coordinates[0], (int, float)):
            yield coordinates
        else:
            for part in coordinates:
                yield from walk(part)
    return list(walk(geometry["coordinates"]))


def pyproj_crs(uri):
    return CRS("OGC:CRS84") if uri == CRS84 else CRS("EPSG:" + uri.rsplit("/", 1)[1])


class CrsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RunningServer(fixture_gpkg()).__enter__()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, f"server exit code {code}\n{cls.server.log()}"

    def get(self, path, **params):
        query = urllib.parse.urlencode(params)
        status, head, body = self.server.request(path + ("?" + query if query else ""))
        return status, head, json.loads(body)

    def features(self, collection, **params):
        status, head, doc = self.get(f"/collections/{collection}/items", limit="10000", **params)
        self.assertEqual(status, 200, doc)
        return head, {f["id"]: f for f in doc["features"]}

    def test_collections_list_their_crs(self):
        _, _, doc = self.get("/collections")
        for collection in doc["collections"]:
            self.assertEqual(collection["crs"], SUPPORTED)
            self.assertEqual(collection["storageCrs"], CRS84)
            self.assertIn(collection["storageCrs"], collection["crs"])
        _, _, conformance = self.get("/conformance")
        self.assertIn("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs", conformance["conformsTo"])

    def test_every_coordinate_matches_pyproj(self):
        for collection in ("roads", "parcels", "sites"):
            head, reference = self.features(collection)
            self.assertEqual(head["content-crs"], f"<{CRS84}>")
            for uri in SUPPORTED[1:]:
                target = pyproj_crs(uri)
                geographic = target.is_geographic
                # Authority axis order on both sides: pyproj's default, always_xy=False.
                transformer = Transformer.from_crs(CRS("OGC:CRS84"), target)
                head, transformed = self.features(collection, crs=uri)
                self.assertEqual(head["content-crs"], f"<{uri}>")
                self.assertEqual(transformed.keys(), reference.keys())
                tolerance = 1e-7 if geographic else 1e-3
                compared = 0
                for fid, feature in reference.items():
                    if feature["geometry"] is None:
                        self.assertIsNone(transformed[fid]["geometry"])
                        continue
                    for (lon, lat), got in zip(positions(feature["geometry"]),
                                               positions(transformed[fid]["geometry"]), strict=True):
                        want = transformer.transform(lon, lat)
                        self.assertAlmostEqual(got[0], want[0], delta=tolerance, msg=f"{collection} {fid} {uri}")
                        self.assertAlmostEqual(got[1], want[1], delta=tolerance, msg=f"{collection} {fid} {uri}")
                        compared += 1
                self.assertGreater(compared, 10)

    def test_axis_order_follows_the_authority(self):
        _, reference = self.features("sites")
        fid, feature = next(iter(reference.items()))
        lon, lat = feature["geometry"]["coordinates"]
        for uri, first in ((EPSG + "4326", lat), (EPSG + "4490", lat)):
            _, _, doc = self.get(f"/collections/sites/items/{fid}", crs=uri)
            self.assertAlmostEqual(doc["geometry"]["coordinates"][0], first, delta=1e-7)
        # EPSG:4548 is northing first: about 4 340 km north, 500 km false easting.
        status, head, doc = self.get(f"/collections/sites/items/{fid}", crs=EPSG + "4548")
        self.assertEqual(status, 200)
        self.assertEqual(head["content-crs"], f"<{EPSG}4548>")
        northing, easting = doc["geometry"]["coordinates"]
        self.assertTrue(4_000_000 < northing < 5_000_000 and 300_000 < easting < 700_000, (northing, easting))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4548)
        self.assertTrue(srs.EPSGTreatsAsNorthingEasting())

    def test_bbox_crs_selects_what_the_same_area_in_crs84_selects(self):
        for collection in ("roads", "parcels", "sites"):
            _, everything = self.features(collection)
            lon0, lat0, lon1, lat1 = 117.1, 39.15, 117.3, 39.3
            _, in_crs84 = self.features(collection, bbox=f"{lon0},{lat0},{lon1},{lat1}")
            _, in_4326 = self.features(collection, bbox=f"{lat0},{lon0},{lat1},{lon1}", **{"bbox-crs": EPSG + "4326"})
            self.assertEqual(in_4326.keys(), in_crs84.keys())
            self.assertTrue(0 < len(in_crs84) < len(everything), collection)
            # In EPSG:4548 a box is not a box in CRS84: compare with OGR on
            # the densified box transformed by pyproj.
            to_gk = Transformer.from_crs(CRS("OGC:CRS84"), CRS("EPSG:4548"))
            n0, e0 = to_gk.transform(lon0, lat0)
            n1, e1 = to_gk.transform(lon1, lat1)
            _, in_4548 = self.features(collection, bbox=f"{n0},{e0},{n1},{e1}", **{"bbox-crs": EPSG + "4548"})
            back = Transformer.from_crs(CRS("EPSG:4548"), CRS("OGC:CRS84"))
            ring = ogr.Geometry(ogr.wkbLinearRing)
            corners = [(n0, e0), (n1, e0), (n1, e1), (n0, e1), (n0, e0)]
            for (a, b), (c, d) in zip(corners, corners[1:]):
                for k in range(32):
                    t = k / 32
                    ring.AddPoint_2D(*back.transform(a + t * (c - a), b + t * (d - b)))
            ring.AddPoint_2D(*back.transform(n0, e0))
            area = ogr.Geometry(ogr.wkbPolygon)
            area.AddGeometry(ring)
            expected = {fid for fid, f in everything.items()
                        if f["geometry"] and ogr.CreateGeometryFromJson(json.dumps(f["geometry"])).Intersects(area)}
            self.assertEqual(set(in_4548.keys()), expected, collection)
            self.assertTrue(expected)

    def test_filter_crs(self):
        _, sites = self.features("sites")
        fid, feature = next(iter(sites.items()))
        lon, lat = feature["geometry"]["coordinates"]
        _, found = self.features("sites", filter=f"S_INTERSECTS(geometry, POINT({lat} {lon}))",
                                 **{"filter-crs": EPSG + "4326"})
        self.assertEqual(list(found), [fid])
        n, e = Transformer.from_crs(CRS("OGC:CRS84"), CRS("EPSG:4548")).transform(lon, lat)
        _, near = self.features("sites", filter=f"S_INTERSECTS(geometry, BBOX({n - 1},{e - 1},{n + 1},{e + 1}))",
                                **{"filter-crs": EPSG + "4548"})
        self.assertEqual(list(near), [fid])

    def test_errors_name_the_supported_crs(self):
        for params in ({"crs": "EPSG:4326"}, {"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/2000",
                                               "bbox": "0,0,1,1"}):
            status, _, doc = self.get("/collections/sites/items", **params)
            self.assertEqual(status, 400, params)
            self.assertIn("is not a supported CRS; use one of: " + ", ".join(SUPPORTED), doc["description"])
        status, _, doc = self.get("/collections/sites/items/1", crs="http://www.opengis.net/def/crs/EPSG/0/9999")
        self.assertEqual(status, 400)
        status, _, doc = self.get("/collections/sites/items", filter="TRUE", **{"filter-crs": "CRS84"})
        self.assertEqual(status, 400)
        self.assertIn("filter-crs", doc["description"])


if __name__ == "__main__":
    unittest.main()

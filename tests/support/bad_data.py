"""What the bad-data suites share: issue 12's hostile rows, written into a
GeoPackage by test_bad_data.py and into PostGIS tables by
test_bad_data_postgis.py, and the checks every source must pass over real
HTTP. Each source adds the cases only it can store."""
import math

from .strict_checks import check_feature, check_feature_collection, check_tile, check_tilejson, decode_tiles, strict_json


def circle_wkt(cx, cy, r, n):
    """A closed ring of n + 1 positions, as WKT's "( … )"."""
    points = [(cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n)) for i in range(n)]
    points.append(points[0])
    return "(" + ",".join(f"{x!r} {y!r}" for x, y in points) + ")"


# Rows are (fid, WKT, name), in a CRS84 (EPSG:4326) layer.
# Defect 1's data: the empty member last, then a shorter ring.
CRASH_ROWS = [(1, f"MULTIPOLYGON(({circle_wkt(100, 30, 30, 100)}),EMPTY)", "big then empty"),
              (2, "POLYGON((100 30,120 30,120 50,100 30))", "shorter")]
# Defect 2: empty members of the kinds every source stores.
EMPTIES_ROWS = [(1, "MULTIPOLYGON(((117 39,117.1 39,117.1 39.1,117 39)),EMPTY)", "polygon"),
                (3, "MULTILINESTRING((117 39,117.5 39.5),EMPTY)", "line"),
                (4, "MULTIPOINT((117 39),EMPTY)", "point"),
                (5, "MULTIPOLYGON(EMPTY,EMPTY)", "nothing")]
# Defect 4: sentinel coordinates in a lon/lat layer.
SENTINEL_ROWS = [(1, "POINT(117 39)", "fine"), (2, "POINT(-9999 -9999)", "sentinel"),
                 (3, "LINESTRING(117 39,3.4e38 3.4e38)", "float max")]


class BadDataChecks:
    """Mixed into a unittest.TestCase whose class has `server` (a
    RunningServer) serving collections crash, empties and sentinels from
    the rows above."""

    def tearDown(self):
        status, _, _ = self.server.request("/health")
        self.assertEqual(status, 200, "server unhealthy after the case:\n" + self.server.log()[-3000:])

    def get_json(self, path, server=None):
        status, _, body = (server or self.server).request(path)
        self.assertEqual(status, 200, f"{path}: {body[:300]!r}")
        return strict_json(body, path)

    def all_features(self, collection, server=None):
        document = self.get_json(f"/collections/{collection}/items?limit=10000", server)
        return check_feature_collection(document, collection)

    def check_first_tiles_with_an_empty_member(self):
        for path in ["/tiles/0/0/0.mvt", "/tiles/crash/0/0/0.mvt", "/tiles/crash/2/3/1.mvt"]:
            status, _, body = self.server.request(path)
            self.assertEqual(status, 200, path)
            layers = decode_tiles({path: body})[path]
            check_tile(layers, path)
            self.assertEqual(len(layers["crash"]["features"]), 2, path)

    def check_no_empty_parts(self):
        """Checks the shared empties rows; returns the features by name for the source's own."""
        features = self.all_features("empties")
        by_name = {f["properties"]["name"]: f for f in features}
        self.assertEqual(len(by_name["polygon"]["geometry"]["coordinates"]), 1)
        self.assertEqual(len(by_name["line"]["geometry"]["coordinates"]), 1)
        self.assertEqual(len(by_name["point"]["geometry"]["coordinates"]), 1)
        self.assertIsNone(by_name["nothing"]["geometry"])
        for feature in features:
            check_feature(self.get_json(f"/collections/empties/items/{feature['id']}"), "item")
        check_feature_collection(self.get_json("/collections/empties/items?bbox=116,38,119,41"), "bbox")
        check_feature_collection(self.get_json("/collections/crash/items"), "crash items")
        return by_name

    def check_tilejson_and_extents_are_lon_lat(self):
        for path in ["/tiles.json", "/tiles/sentinels.json", "/tiles/crash.json"]:
            check_tilejson(self.get_json(path), path)
        bbox = self.get_json("/collections/sentinels")["extent"]["spatial"]["bbox"][0]
        self.assertEqual(bbox, [117, 39, 117, 39])
        features = {f["properties"]["name"]: f for f in self.all_features("sentinels")}
        self.assertIsNone(features["sentinel"]["geometry"])
        self.assertIsNone(features["float max"]["geometry"])

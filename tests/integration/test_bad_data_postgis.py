"""Issue 12's defects through the PostGIS source: the same loader door as
GeoPackage and GeoJSON (test_bad_data.py), fed by tables written here with
SQL into a throwaway PostgreSQL + PostGIS cluster (scripts/throwaway-postgis),
served by the real binary over real HTTP, answers checked strictly
(tests/support/strict_checks.py). PostGIS stores what a GeoPackage cannot
(a date 'infinity', years BC) and refuses what it can (2020-02-30, two rows
under one primary key): those cases are PostGIS's own here."""
import math
import os
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "lib"))
from support.regiomap_server import RunningServer, binary  # noqa: E402
from support.strict_checks import (check_feature, check_feature_collection, check_tile, check_tilejson,  # noqa: E402
                                   decode_tiles, strict_json)
from throwaway_postgis import Cluster  # noqa: E402


def circle_wkt(cx, cy, r, n):
    points = [(cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n)) for i in range(n)]
    points.append(points[0])
    return "(" + ",".join(f"{x!r} {y!r}" for x, y in points) + ")"


def table(name, srid, rows, extra_columns=""):
    """SQL for a table with an integer key `fid`, a `name` and a geometry of any type in `srid`."""
    values = ",".join(f"({fid}, '{label}', ST_GeomFromText('{wkt}', {srid}))" for fid, wkt, label in rows)
    return (f"CREATE TABLE {name} (fid integer PRIMARY KEY, name text, geom geometry(Geometry, {srid})"
            f"{extra_columns}); INSERT INTO {name} (fid, name, geom) VALUES {values};")


class BadDataPostgisTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = Cluster(name="regiomap-baddata").start()
        cls.pg.create_database("bad")
        cls.pg.sql(
            # Defect 1's data: the empty member last, then a shorter ring.
            table("crash", 4326, [(1, f"MULTIPOLYGON(({circle_wkt(100, 30, 30, 100)}),EMPTY)", "big then empty"),
                                  (2, "POLYGON((100 30,120 30,120 50,100 30))", "shorter")])
            # Defect 2: empty members of every kind PostGIS stores.
            + table("empties", 4326, [(1, "MULTIPOLYGON(((117 39,117.1 39,117.1 39.1,117 39)),EMPTY)", "polygon"),
                                      (3, "MULTILINESTRING((117 39,117.5 39.5),EMPTY)", "line"),
                                      (4, "MULTIPOINT((117 39),EMPTY)", "point"),
                                      (5, "MULTIPOLYGON(EMPTY,EMPTY)", "nothing"),
                                      (6, "GEOMETRYCOLLECTION EMPTY", "empty collection")])
            # Defect 4: sentinels in a lon/lat column.
            + table("sentinels", 4326, [(1, "POINT(117 39)", "fine"), (2, "POINT(-9999 -9999)", "sentinel"),
                                        (3, "LINESTRING(117 39,3.4e38 3.4e38)", "float max")])
            # Defect 6: SRID 0 is PostGIS's unknown CRS; one rule for it.
            + table("srid0_metres", 0, [(1, "POINT(511226.5 4342935.9)", "metres")])
            + table("srid0_degrees", 0, [(1, "POINT(117.2 39.1)", "degrees")])
            # Defect 5: dates PostGIS holds that RFC 3339 cannot write.
            + table("events", 4326, [(1, "POINT(117 39)", "template"), (2, "POINT(117 39)", "infinite"),
                                     (3, "POINT(117 39)", "big year")], ", day date")
            + "UPDATE events SET day = CASE fid WHEN 1 THEN date '2020-06-01' WHEN 2 THEN date 'infinity' "
              "ELSE date '10000-01-01' END;"
            # Defect 3: a view whose key column repeats (tables cannot).
            + "CREATE VIEW twice AS SELECT 5 AS id, name, geom FROM sentinels WHERE fid = 1 "
              "UNION ALL SELECT 5, name || ' again', geom FROM sentinels WHERE fid = 1;", "bad")
        cls.source = "PG:" + cls.pg.dsn("bad")
        cls.server = RunningServer(cls.source, "--collections",
                                   "crash,empties,sentinels,srid0_metres,srid0_degrees,events").__enter__()

    @classmethod
    def tearDownClass(cls):
        try:
            code = cls.server.stop()
            assert code == 0, cls.server.log()[-3000:]
        finally:
            cls.pg.close()

    def tearDown(self):
        status, _, _ = self.server.request("/health")
        self.assertEqual(status, 200, "server unhealthy after the case:\n" + self.server.log()[-3000:])

    def get_json(self, path):
        status, _, body = self.server.request(path)
        self.assertEqual(status, 200, f"{path}: {body[:300]!r}")
        return strict_json(body, path)

    def all_features(self, collection):
        return check_feature_collection(self.get_json(f"/collections/{collection}/items?limit=10000"), collection)

    def test_defect_1_the_first_tile_with_an_empty_member_does_not_crash(self):
        for path in ["/tiles/0/0/0.mvt", "/tiles/crash/0/0/0.mvt", "/tiles/crash/2/3/1.mvt"]:
            status, _, body = self.server.request(path)
            self.assertEqual(status, 200, path)
            layers = decode_tiles({path: body})[path]
            check_tile(layers, path)
            self.assertEqual(len(layers["crash"]["features"]), 2, path)

    def test_defect_2_no_empty_parts_in_geojson(self):
        features = self.all_features("empties")
        by_name = {f["properties"]["name"]: f for f in features}
        self.assertEqual(set(by_name), {"polygon", "line", "point", "nothing", "empty collection"})
        self.assertEqual(len(by_name["polygon"]["geometry"]["coordinates"]), 1)
        self.assertEqual(len(by_name["line"]["geometry"]["coordinates"]), 1)
        self.assertEqual(len(by_name["point"]["geometry"]["coordinates"]), 1)
        self.assertIsNone(by_name["nothing"]["geometry"])
        self.assertIsNone(by_name["empty collection"]["geometry"])
        for feature in features:
            check_feature(self.get_json(f"/collections/empties/items/{feature['id']}"), "item")
        check_feature_collection(self.get_json("/collections/empties/items?bbox=116,38,119,41"), "bbox")
        check_feature_collection(self.get_json("/collections/crash/items"), "crash items")

    def test_defect_4_tilejson_and_extents_are_lon_lat(self):
        for path in ["/tiles.json", "/tiles/sentinels.json", "/tiles/crash.json"]:
            check_tilejson(self.get_json(path), path)
        bbox = self.get_json("/collections/sentinels")["extent"]["spatial"]["bbox"][0]
        self.assertEqual(bbox, [117, 39, 117, 39])
        features = {f["properties"]["name"]: f for f in self.all_features("sentinels")}
        self.assertIsNone(features["sentinel"]["geometry"])
        self.assertIsNone(features["float max"]["geometry"])

    def test_defect_5_dates_are_rfc3339_or_kept_as_text(self):
        interval = self.get_json("/collections/events")["extent"]["temporal"]["interval"][0]
        self.assertEqual(interval, ["2020-06-01T00:00:00Z", "2020-06-01T23:59:59.999Z"])
        days = {f["properties"]["name"]: f["properties"]["day"] for f in self.all_features("events")}
        self.assertEqual(days["template"], "2020-06-01")
        self.assertEqual(days["big year"], "10000-01-01")  # as text: RFC 3339 years have four digits
        self.assertIn(days["infinite"], (None, "infinity"))  # never a made-up day

    def test_defect_6_srid_0_one_rule(self):
        collections = {c["id"] for c in self.get_json("/collections")["collections"]}
        self.assertIn("srid0_degrees", collections)
        self.assertNotIn("srid0_metres", collections)
        self.assertIn("collection srid0_metres skipped", self.server.log())
        self.assertEqual(self.get_json("/collections/srid0_degrees/items")["features"][0]["geometry"],
                         {"type": "Point", "coordinates": [117.2, 39.1]})

    def test_defect_3_a_view_key_that_repeats_is_refused_by_name(self):
        result = subprocess.run([binary(), "--data", self.source, "--address", "127.0.0.1", "--port", "0",
                                 "--web-root", "", "--collections", "twice", "--collection-key", "twice=id"],
                                capture_output=True, text=True, timeout=60, env=os.environ, check=False)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("collection twice: its key column is not unique (5 more than once)", result.stderr)
        self.assertNotIn("serving on", result.stdout)


if __name__ == "__main__":
    unittest.main()

"""Issue 12's defects through the PostGIS source: the same loader door as
GeoPackage and GeoJSON (test_bad_data.py), fed by tables written here with
SQL into a throwaway PostgreSQL + PostGIS cluster (scripts/throwaway-postgis),
served by the real binary over real HTTP, answers checked strictly
(tests/support/strict_checks.py). PostGIS stores what a GeoPackage cannot
(a date 'infinity', years BC) and refuses what it can (2020-02-30, two rows
under one primary key): those cases are PostGIS's own here."""
import os
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "lib"))
from support.bad_data import CRASH_ROWS, EMPTIES_ROWS, SENTINEL_ROWS, BadDataChecks  # noqa: E402
from support.regiomap_server import RunningServer, binary  # noqa: E402
from throwaway_postgis import Cluster  # noqa: E402


def table(name, srid, rows, extra_columns=""):
    """SQL for a table with an integer key `fid`, a `name` and a geometry of any type in `srid`."""
    values = ",".join(f"({fid}, '{label}', ST_GeomFromText('{wkt}', {srid}))" for fid, wkt, label in rows)
    return (f"CREATE TABLE {name} (fid integer PRIMARY KEY, name text, geom geometry(Geometry, {srid})"
            f"{extra_columns}); INSERT INTO {name} (fid, name, geom) VALUES {values};")


class BadDataPostgisTest(BadDataChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = Cluster(name="regiomap-baddata").start()
        cls.pg.create_database("bad")
        cls.pg.sql(
            table("crash", 4326, CRASH_ROWS)
            # Defect 2: empty members of every kind PostGIS stores.
            + table("empties", 4326, EMPTIES_ROWS + [(6, "GEOMETRYCOLLECTION EMPTY", "empty collection")])
            + table("sentinels", 4326, SENTINEL_ROWS)
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

    def test_defect_1_the_first_tile_with_an_empty_member_does_not_crash(self):
        self.check_first_tiles_with_an_empty_member()

    def test_defect_2_no_empty_parts_in_geojson(self):
        by_name = self.check_no_empty_parts()
        self.assertEqual(set(by_name), {"polygon", "line", "point", "nothing", "empty collection"})
        self.assertIsNone(by_name["empty collection"]["geometry"])

    def test_defect_4_tilejson_and_extents_are_lon_lat(self):
        self.check_tilejson_and_extents_are_lon_lat()

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

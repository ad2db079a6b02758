"""Issue 12's six defects over real HTTP, each a regression test: the real
binary serving small GeoPackages and GeoJSON files written here with GDAL,
answers checked strictly (tests/support/strict_checks.py)."""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
from unittest import mock
from pathlib import Path

from osgeo import gdal, ogr, osr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.bad_data import CRASH_ROWS, EMPTIES_ROWS, SENTINEL_ROWS, BadDataChecks  # noqa: E402
from support.regiomap_server import RunningServer, binary  # noqa: E402
from support.strict_checks import decode_tiles  # noqa: E402

gdal.UseExceptions()
ogr.UseExceptions()
LOG_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z (debug|info|warn|error) ")


def write_gpkg(path, layers):
    """layers: {name: (epsg or None or 'undefined', [(fid, wkt, name), …], extra SQL)}"""
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    for name, (crs, rows, sql) in layers.items():
        ref = None
        if isinstance(crs, int):
            ref = osr.SpatialReference()
            ref.ImportFromEPSG(crs)
        layer = dataset.CreateLayer(name, ref, ogr.wkbUnknown)
        layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
        for fid, wkt, label in rows:
            feature = ogr.Feature(layer.GetLayerDefn())
            feature.SetFID(fid)
            feature.SetField("name", label)
            if wkt:
                feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
            layer.CreateFeature(feature)
        if crs == "undefined":
            sql = [f"UPDATE gpkg_geometry_columns SET srs_id = -1 WHERE table_name = '{name}'",
                   f"UPDATE gpkg_contents SET srs_id = -1 WHERE table_name = '{name}'"] + list(sql)
        for statement in sql:
            dataset.ExecuteSQL(statement)
    dataset = None


def run_to_exit(data, env=None, timeout=60):
    """Runs the server until it exits by itself; (exit code, stdout, stderr)."""
    result = subprocess.run([binary(), "--data", str(data), "--address", "127.0.0.1", "--port", "0",
                             "--web-root", ""], capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, **(env or {})}, check=False)
    return result.returncode, result.stdout, result.stderr


class BadDataTest(BadDataChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = Path(cls.tmp.name)
        cls.gpkg = root / "bad.gpkg"
        write_gpkg(cls.gpkg, {
            "crash": (4326, CRASH_ROWS, []),
            # Defect 2: empty parts everywhere (an empty hole only GeoPackage keeps).
            "empties": (4326, sorted(EMPTIES_ROWS + [(2, "POLYGON((117 39,118 39,118 40,117 40,117 39),EMPTY)",
                                                      "hole")]), []),
            # Defect 3: fid -1 becomes "no FID", once numbered 1, colliding with fid 1.
            "rows": (4326, [(1, "POINT(117 39)", "row one"), (2, "POINT(117.1 39)", "row two"),
                            (7, "POINT(117.2 39)", "row seven")], ["UPDATE rows SET fid = -1 WHERE fid = 7"]),
            "sentinels": (4326, SENTINEL_ROWS, []),
            # Defect 5: dates outside the calendar.
            "events": (4326, [(1, "POINT(117 39)", "template")],
                       ["ALTER TABLE events ADD COLUMN day DATE",
                        "UPDATE events SET day = '2020-06-01'",
                        "INSERT INTO events (geom, name, day) SELECT geom, 'feb 30', '2020-02-30' FROM events",
                        "INSERT INTO events (geom, name, day) SELECT geom, 'year -1', '-001-01-01' "
                        "FROM events WHERE fid = 1"]),
            # Defect 6: unknown CRSs, one rule.
            "cartesian_metres": ("undefined", [(1, "POINT(511226.5 4342935.9)", "metres")], []),
            "cartesian_degrees": ("undefined", [(1, "POINT(117.2 39.1)", "degrees")], []),
            "nocrs_metres": (None, [(1, "POINT(511226.5 4342935.9)", "metres")], []),
        })
        cls.geojson = root / "ids.geojson"
        cls.geojson.write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": 5, "properties": {"name": "first five"},
             "geometry": {"type": "Point", "coordinates": [117.0, 39.0]}},
            {"type": "Feature", "id": 5, "properties": {"name": "second five"},
             "geometry": {"type": "Point", "coordinates": [117.1, 39.0]}},
            {"type": "Feature", "id": 9, "properties": {"name": "nine"},
             "geometry": {"type": "Point", "coordinates": [117.2, 39.0]}}]}))
        cls.server = RunningServer(str(cls.gpkg)).__enter__()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.tmp.cleanup()
        assert code == 0, cls.server.log()[-3000:]

    def test_defect_1_the_first_tile_with_an_empty_member_does_not_crash(self):
        self.check_first_tiles_with_an_empty_member()

    def test_defect_2_no_empty_parts_in_geojson(self):
        by_name = self.check_no_empty_parts()
        self.assertEqual(len(by_name), 5)
        self.assertEqual(len(by_name["hole"]["geometry"]["coordinates"]), 1)
        self.assertIn("collection empties feature 1: dropped 1 empty member", self.server.log())

    def test_defect_3_one_feature_per_id(self):
        features = self.all_features("rows")
        ids = [f["id"] for f in features]
        self.assertEqual(len(ids), len(set(ids)), ids)
        for feature in features:
            item = self.get_json(f"/collections/rows/items/{feature['id']}")
            self.assertEqual(item["properties"]["name"], feature["properties"]["name"])
        self.assertEqual(self.get_json("/collections/rows/items/1")["properties"]["name"], "row one")

        with RunningServer(str(self.geojson)) as server:
            features = self.all_features("ids", server)
            ids = [f["id"] for f in features]
            self.assertEqual(len(ids), len(set(ids)), ids)
            names = {self.get_json(f"/collections/ids/items/{i}", server)["properties"]["name"] for i in ids}
            self.assertEqual(names, {"first five", "second five", "nine"})
            self.assertEqual(self.get_json("/collections/ids/items/5", server)["properties"]["name"], "first five")
            status, _, body = server.request("/tiles/ids/8/211/97.mvt")
            self.assertEqual(status, 200)
            layer = decode_tiles({"t": body})["t"]["ids"]
            tile_ids = [f["id"] for f in layer["features"]]
            self.assertEqual(len(tile_ids), 3)
            self.assertEqual(len(set(tile_ids)), 3, tile_ids)

    def test_defect_4_tilejson_and_extents_are_lon_lat(self):
        self.check_tilejson_and_extents_are_lon_lat()

    def test_defect_5_dates_are_rfc3339_or_kept_as_text(self):
        collection = self.get_json("/collections/events")
        interval = collection["extent"]["temporal"]["interval"][0]
        for instant in interval:
            self.assertRegex(instant, r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
        self.assertEqual(interval, ["2020-06-01T00:00:00Z", "2020-06-01T23:59:59.999Z"])
        days = {f["properties"]["name"]: f["properties"]["day"] for f in self.all_features("events")}
        self.assertEqual(days, {"template": "2020-06-01", "feb 30": "2020-02-30", "year -1": "-0001-01-01"})

    def test_defect_6_unknown_crs_one_rule(self):
        collections = {c["id"] for c in self.get_json("/collections")["collections"]}
        self.assertIn("cartesian_degrees", collections)
        self.assertNotIn("cartesian_metres", collections)
        self.assertNotIn("nocrs_metres", collections)
        log = self.server.log()
        self.assertIn("collection cartesian_metres skipped", log)
        self.assertIn("collection nocrs_metres skipped", log)

    def test_defect_6_start_up_logs_say_what_is_true(self):
        log = self.server.log()
        listening = log.index("listening on")
        loaded = log.index("loaded 6 collections")
        serving = log.index("serving 6 collections")
        self.assertLess(listening, loaded)
        self.assertLess(loaded, serving)
        self.assertIn("(loading data)", log[listening:loaded])
        self.assertNotIn("reload failed", log)

        root = Path(self.tmp.name)
        nothing = root / "nothing.gpkg"
        write_gpkg(nothing, {"cartesian_metres": ("undefined", [(1, "POINT(511226.5 4342935.9)", "m")], [])})
        code, stdout, stderr = run_to_exit(nothing)
        self.assertEqual(code, 1, stderr)
        self.assertIn("cannot serve: ", stderr)
        self.assertNotIn("reload failed", stderr)
        self.assertNotIn("still serving", stderr)
        self.assertNotIn("serving on", stdout)
        self.assertIn("listening on", stdout)
        for line in stderr.splitlines():
            self.assertRegex(line, LOG_LINE)

    def test_defect_6_proj_messages_go_through_the_log(self):
        # Without PROJ's database. Web Mercator needs none (the server spells
        # out its pipeline); a UTM layer's CRS lookup fails inside GDAL, whose
        # PROJ message must reach our log as a log line, not raw stderr; GDAL
        # still transforms from the layer's own WKT, and the position is right.
        utm = Path(self.tmp.name) / "utm.gpkg"
        write_gpkg(utm, {"utm_sites": (32650, [(1, "POINT(511226.5 4342935.9)", "site")], [])})
        with mock.patch.dict(os.environ, {"PROJ_DATA": "/nonexistent", "PROJ_LIB": "/nonexistent"}):
            with RunningServer(utm) as server:
                status, _, body = server.request("/collections/utm_sites/items/1")
                self.assertEqual(status, 200, body)
                lon, lat = json.loads(body)["geometry"]["coordinates"]
                self.assertAlmostEqual(lon, 117.130081, places=5)  # UTM 50N → CRS84 (as with proj.db)
                self.assertAlmostEqual(lat, 39.235654, places=5)
                status, _, _ = server.request("/tiles/14/{}/{}.mvt".format(13522, 6208))
                self.assertIn(status, (200, 204))
                stderr = server.log()
        self.assertIn("proj.db", stderr)  # PROJ's own explanation, in our line
        for line in stderr.splitlines():
            self.assertRegex(line, LOG_LINE)

    def test_coordinates_the_transformation_makes_subnormal_are_refused(self):
        # fuzz_wkb_geometry's find (issue 12's rule, "never crash"): 1.8e-307 m
        # in Web Mercator is a normal number, 1.6e-312° a subnormal one, and
        # GEOS's simplifier in the tiler recursed on the polygon until the
        # stack overflowed. The feature is served without a geometry (as every
        # refused geometry is) and the log says why.
        ring = [(1.820692759807797e-307, 1.809393556620065e-307), (1.820692759807797e-307, 0),
                (1.8206398889564176e-307, 1.80961084898906e-307), (128000, 2.5379418375520135e-115),
                (170.00000001117587, -10.000663757331552)]
        ring.append(ring[0])
        wkt = "POLYGON((" + ",".join(f"{x!r} {y!r}" for x, y in ring) + "))"
        path = Path(self.tmp.name) / "tiny.gpkg"
        write_gpkg(path, {"tiny_mercator": (3857, [(1, wkt, "tiny"), (2, "POINT(1000 1000)", "fine")], [])})
        with RunningServer(path) as server:
            geometries = {f["properties"]["name"]: f["geometry"] for f in self.all_features("tiny_mercator", server)}
            self.assertIsNone(geometries["tiny"])
            self.assertEqual(geometries["fine"]["type"], "Point")
            # every tile at the polygon's corner (0°, 0°), z0–z14 (the old server's stack overflowed at z5)
            for z in range(15):
                half = 2**z // 2
                for y in sorted({max(half - 1, 0), half}):
                    status, _, _ = server.request(f"/tiles/{z}/{half}/{y}.mvt")
                    self.assertIn(status, (200, 204), f"tile {z}/{half}/{y}")
            status, _, _ = server.request("/health")
            self.assertEqual(status, 200)
            self.assertIn("subnormal number) after the transformation to CRS84", server.log())


if __name__ == "__main__":
    unittest.main()

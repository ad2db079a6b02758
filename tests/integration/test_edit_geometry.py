"""Hostile geometries sent by clients (POST/PUT/PATCH) against the real
server and a copy of the shipped GeoPackage: every one is answered at once
with 400/422 naming `geometry.coordinates` (never a hang, a crash or a 5xx),
or stored cleaned as the loader cleans source data (empty members dropped),
and the server keeps serving items and tiles afterwards (issue 12)."""
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, binary, shipped_gpkg  # noqa: E402

# A request that does not come back within this is a hang: the server
# answers each of these in milliseconds.
ANSWER_TIMEOUT = 10
MERCATOR = "<http://www.opengis.net/def/crs/EPSG/0/3857>"
PROVENANCE = "TEST: synthetic geometry written by tests/integration/test_edit_geometry.py, not a real place"
SQUARE = [[117.20, 39.25], [117.21, 39.25], [117.21, 39.26], [117.20, 39.26], [117.20, 39.25]]
BOW_TIE = [[117.20, 39.25], [117.21, 39.26], [117.21, 39.25], [117.20, 39.26], [117.20, 39.25]]


class EditGeometryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="regiomap-edit-geometry-")
        cls.gpkg = os.path.join(cls.dir, "beichen.gpkg")
        shutil.copy(shipped_gpkg(), cls.gpkg)
        tokens_file = os.path.join(cls.dir, "tokens.json")
        result = subprocess.run([binary(), "token", "add", "geometry-test", "--role", "editor",
                                 "--tokens-file", tokens_file], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        cls.token = result.stdout.strip()
        cls.server = RunningServer(cls.gpkg, "--tokens-file", tokens_file, "--if-match", "optional")
        cls.server.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def send(self, method, path, body, headers=None):
        """(status, parsed JSON body or None); times out rather than waits on a hang."""
        all_headers = {"Authorization": "Bearer " + self.token,
                       "Content-Type": "application/merge-patch+json" if method == "PATCH"
                       else "application/geo+json"}
        all_headers.update(headers or {})
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=ANSWER_TIMEOUT)
        try:
            conn.request(method, path, body=data, headers=all_headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        return response.status, (json.loads(raw) if raw else None)

    def get_json(self, path):
        status, _, body = self.server.request(path)
        self.assertEqual(status, 200, body[:300])
        return json.loads(body)

    def core_area(self, geometry):
        """A feature of core_areas (polygons) with the shipped feature's values."""
        properties = dict(self.get_json("/collections/core_areas/items/1")["properties"])
        properties.pop("area_km2", None)  # derived: the server computes it
        properties.update(id="test-geometry", geom_source=PROVENANCE)
        return {"type": "Feature", "geometry": geometry, "properties": properties}

    def industry_point(self, coordinates):
        feature = self.get_json("/collections/industry/items/1")
        properties = dict(feature["properties"], id="test-geometry", geom_source=PROVENANCE)
        return {"type": "Feature", "geometry": {"type": "Point", "coordinates": coordinates},
                "properties": properties}

    def assert_refused(self, status, body, expected_status=422):
        self.assertEqual(status, expected_status, body)
        fields = [error["field"] for error in body.get("errors", [])]
        self.assertIn("geometry.coordinates", fields, body)

    def assert_still_serving(self):
        self.assertEqual(self.server.request("/health")[0], 200)
        self.assertEqual(self.server.request("/tiles/0/0/0.mvt")[0], 200)
        self.assertIsNone(self.server.process.poll(), self.server.log())

    def test_huge_projected_coordinate_is_refused_not_transformed(self):
        # GDAL's transformation from EPSG:3857 does not return for x >= 1e20:
        # this request used to hold a server thread forever.
        status, body = self.send("POST", "/collections/industry/items", self.industry_point([1e20, 1e20]),
                                 headers={"Content-Crs": MERCATOR})
        self.assert_refused(status, body)
        self.assert_still_serving()

    def test_a_position_subnormal_in_degrees_is_refused(self):
        # fuzz_wkb_geometry's polygon: normal numbers in metres, subnormal in
        # degrees (1.8e-307 m is 1.6e-312°). Stored, its first tile at (0°, 0°)
        # overflowed the server's stack in GEOS's simplifier.
        ring = [[1.820692759807797e-307, 1.809393556620065e-307], [1.820692759807797e-307, 0],
                [1.8206398889564176e-307, 1.80961084898906e-307], [128000, 2.5379418375520135e-115],
                [170.00000001117587, -10.000663757331552]]
        ring.append(ring[0])
        status, body = self.send("POST", "/collections/core_areas/items",
                                 self.core_area({"type": "Polygon", "coordinates": [ring]}),
                                 headers={"Content-Crs": MERCATOR})
        self.assert_refused(status, body)
        self.assertIn("subnormal", json.dumps(body))
        for z in range(15):
            half = 2**z // 2
            for y in sorted({max(half - 1, 0), half}):
                self.assertIn(self.server.request(f"/tiles/{z}/{half}/{y}.mvt")[0], (200, 204), f"{z}/{half}/{y}")
        self.assert_still_serving()

    def test_non_finite_numbers_are_refused(self):
        feature = json.dumps(self.industry_point([117.2, 39.25]))
        # No double holds 1e400: refused as JSON, naming the number (it was a 500).
        overflowing = feature.replace("117.2", "1e400").encode()
        status, body = self.send("POST", "/collections/industry/items", overflowing)
        self.assertEqual(status, 400, body)
        self.assertIn("1e400", body["description"])
        status, body = self.send("POST", "/collections/industry/items", feature.replace("117.2", "NaN").encode())
        self.assertEqual(status, 400, body)  # not JSON at all
        self.assert_still_serving()

    def test_invalid_geometry_is_refused_on_post_put_and_patch(self):
        items = "/collections/core_areas/items"
        bow_tie = {"type": "Polygon", "coordinates": [BOW_TIE]}
        self.assert_refused(*self.send("POST", items, self.core_area(bow_tie)))
        self.assert_refused(*self.send("PUT", items + "/1", self.core_area(bow_tie)))
        self.assert_refused(*self.send("PATCH", items + "/1", {"geometry": bow_tie}))
        short_ring = {"type": "Polygon", "coordinates": [SQUARE[:2] + SQUARE[-1:]]}
        self.assert_refused(*self.send("POST", items, self.core_area(short_ring)))
        # Thousands of positions zig-zagging across themselves: refused at once.
        zigzag = [[117.2 + (i % 2) * 0.01, 39.25 + i * 1e-6] for i in range(1500)]
        zigzag.append(zigzag[0])
        status, body = self.send("POST", items, self.core_area({"type": "Polygon", "coordinates": [zigzag]}))
        self.assert_refused(status, body)
        self.assertNotEqual(self.get_json(items + "/1")["geometry"]["type"], None)
        self.assert_still_serving()

    def test_empty_members_are_dropped_before_the_store(self):
        # An empty hole was stored as a ring of no positions: invalid GeoJSON
        # ("[]" rings) and bookkeeping the tiler reads past (issue 12).
        geometry = {"type": "Polygon", "coordinates": [SQUARE, []]}
        status, body = self.send("POST", "/collections/core_areas/items", self.core_area(geometry))
        self.assertEqual(status, 201, body)
        feature_id = body["id"]
        stored = self.get_json(f"/collections/core_areas/items/{feature_id}")["geometry"]
        self.assertEqual(len(stored["coordinates"]), 1, stored)
        self.assertTrue(all(len(ring) >= 4 for ring in stored["coordinates"]), stored)
        for page in self.get_json("/collections/core_areas/items?limit=100")["features"]:
            for ring in page["geometry"]["coordinates"]:
                self.assertGreaterEqual(len(ring), 4, page["id"])
        self.assert_still_serving()


if __name__ == "__main__":
    unittest.main()

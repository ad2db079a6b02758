"""Archives as sources: `--tiles FILE` serves a PMTiles or MBTiles archive
at /archives/{name}/… next to the live tiler (or instead of it, with
--data ''), and `--basemap FILE` serves the offline basemap at
/basemap.json and /basemap/{z}/{x}/{y}.mvt. The archives are made by
`regiomap export` from the shipped data, so every archive tile must be the
live tiler's tile, byte for byte, in both encodings. A truncated or corrupt
archive stops the start with the reason."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, binary, shipped_gpkg  # noqa: E402

BBOX = "116.90,39.10,117.45,39.40"
MAX_ZOOM = 12


def export(*args):
    done = subprocess.run([binary(), "export", "--data", shipped_gpkg(), "--log-level", "warning", *args],
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)


class ArchiveSourcesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="regiomap-archives-")
        cls.pmtiles = os.path.join(cls.dir, "beichen.pmtiles")
        cls.mbtiles = os.path.join(cls.dir, "beichen.mbtiles")
        cls.protomaps = os.path.join(cls.dir, "outline.pmtiles")
        export("--maxzoom", str(MAX_ZOOM), "--bbox", BBOX, cls.pmtiles)
        export("--maxzoom", str(MAX_ZOOM), "--bbox", BBOX, cls.mbtiles)
        export("--maxzoom", "10", "--collections", "boundaries", "--type", "baselayer",
               "--name", "Protomaps Basemap (test stand-in)", cls.protomaps)
        cls.server = RunningServer(shipped_gpkg(), "--tiles", cls.pmtiles, "--tiles", f"mb={cls.mbtiles}",
                                   "--basemap", cls.pmtiles).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def get_json(self, server, path):
        status, headers, body = server.request(path)
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def test_archive_tiles_equal_the_live_tiles_in_both_encodings(self):
        document = self.get_json(self.server, "/archives/beichen.json")
        minx, miny, maxx, maxy = document["bounds"]
        checked = present = 0
        for name in ("beichen", "mb"):
            for z in range(0, MAX_ZOOM + 1, 3):
                n = 2 ** z
                import math
                x0, x1 = int((minx + 180) / 360 * n), int((maxx + 180) / 360 * n)
                ty = lambda lat: int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n)
                for x in range(x0, x1 + 1):
                    for y in range(ty(maxy), ty(miny) + 1):
                        for encoding in ("gzip", "identity"):
                            live = self.server.request(f"/tiles/{z}/{x}/{y}.mvt", headers={"Accept-Encoding": encoding})
                            stored = self.server.request(f"/archives/{name}/{z}/{x}/{y}.mvt",
                                                         headers={"Accept-Encoding": encoding})
                            where = f"{name} {z}/{x}/{y} {encoding}"
                            self.assertEqual(stored[0], live[0], where)
                            self.assertEqual(stored[2], live[2], where)
                            if stored[0] == 200:
                                present += 1
                                self.assertEqual(stored[1]["content-type"], "application/vnd.mapbox-vector-tile")
                                self.assertEqual(stored[1].get("content-encoding"),
                                                 "gzip" if encoding == "gzip" else None, where)
                            checked += 1
        self.assertGreater(present, 20)
        self.assertGreater(checked, present)  # empty tiles were compared too

    def test_tilejson_from_the_archive(self):
        for name, fmt in (("beichen", "pmtiles"), ("mb", "mbtiles")):
            document = self.get_json(self.server, f"/archives/{name}.json")
            self.assertEqual(document["tilejson"], "3.0.0")
            self.assertEqual(document["tiles"], [self.server.url(f"/archives/{name}/{{z}}/{{x}}/{{y}}.mvt")])
            self.assertEqual((document["minzoom"], document["maxzoom"]), (0, MAX_ZOOM))
            self.assertIn("transport_lines", [layer["id"] for layer in document["vector_layers"]])
            self.assertIn("geoBoundaries", document["attribution"])
            self.assertAlmostEqual(document["bounds"][0], 116.9, places=5)
            self.assertNotIn("x-schema", document)

    def test_errors(self):
        status, _, body = self.server.request("/archives/nowhere.json")
        self.assertEqual(status, 404)
        self.assertIn("beichen, mb", json.loads(body)["description"])
        status, _, body = self.server.request(f"/archives/beichen/{MAX_ZOOM + 1}/0/0.mvt")
        self.assertEqual(status, 404)
        self.assertIn(f"0 to {MAX_ZOOM}", json.loads(body)["description"])
        self.assertEqual(self.server.request("/archives/beichen/5/0/0.mvt")[0], 204)  # far from the data
        self.assertEqual(self.server.request("/archives/beichen/5/x/0.mvt")[0], 400)

    def test_etag_and_304(self):
        status, headers, _ = self.server.request("/archives/mb/10/845/390.mvt", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        again = self.server.request("/archives/mb/10/845/390.mvt",
                                    headers={"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]})
        self.assertEqual(again[0], 304)

    def test_basemap(self):
        document = self.get_json(self.server, "/basemap.json")
        self.assertEqual(document["tiles"], [self.server.url("/basemap/{z}/{x}/{y}.mvt")])
        self.assertNotIn("x-schema", document)  # our own export is not a Protomaps basemap
        self.assertIn("boundaries", [layer["id"] for layer in document["vector_layers"]])
        live = self.server.request("/tiles/10/845/390.mvt")
        self.assertEqual(self.server.request("/basemap/10/845/390.mvt")[2], live[2])
        with RunningServer(shipped_gpkg()) as plain:
            status, _, body = plain.request("/basemap.json")
            self.assertEqual(status, 404)
            self.assertIn("--basemap", json.loads(body)["description"])
        with RunningServer(shipped_gpkg(), "--basemap", self.protomaps) as server:
            document = self.get_json(server, "/basemap.json")
            self.assertEqual(document["x-schema"], "protomaps")
            self.assertEqual(document["maxzoom"], 10)

    def test_archives_instead_of_the_live_tiler(self):
        with RunningServer("", "--tiles", self.mbtiles) as server:
            self.assertEqual(self.get_json(server, "/collections")["collections"], [])
            status, _, body = server.request("/archives/beichen/10/845/390.mvt")
            self.assertEqual(status, 200)
            self.assertEqual(body, self.server.request("/tiles/10/845/390.mvt")[2])

    def test_truncated_or_corrupt_archives_stop_the_start(self):
        cut_pm = os.path.join(self.dir, "cut.pmtiles")
        cut_mb = os.path.join(self.dir, "cut.mbtiles")
        junk = os.path.join(self.dir, "junk.pmtiles")
        for source, target in ((self.pmtiles, cut_pm), (self.mbtiles, cut_mb)):
            with open(source, "rb") as f:
                data = f.read()
            with open(target, "wb") as f:
                f.write(data[: len(data) * 2 // 3])
        with open(junk, "wb") as f:
            f.write(b"PMTiles\x07" + b"\0" * 200)
        for option, path, reason in (("--tiles", cut_pm, "truncated"), ("--tiles", cut_mb, "truncated"),
                                     ("--basemap", junk, "version 7"), ("--tiles", self.dir + "/none.pmtiles",
                                                                         "No such file")):
            done = subprocess.run([binary(), "--data", shipped_gpkg(), "--port", "0", option, path],
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(done.returncode, 1, done.stderr)
            self.assertIn(path, done.stderr)
            self.assertRegex(done.stderr, re.escape(reason) if reason != "truncated" else "(truncated|malformed)")


if __name__ == "__main__":
    unittest.main()

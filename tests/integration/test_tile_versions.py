"""Tile URLs carry the data version (`?v=`), over the real binary: TileJSON
names it; a tile asked for with the current version may be cached for a
year as immutable, one with another version gets the current tile with a
short max-age, one without keeps the configured default; a reload or a
restart gives a new version, so an immutable tile is never the wrong data."""
import json
import os
import re
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, fixture_gpkg  # noqa: E402

TOKEN = "test-token-0123456789abcdef"
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=60"
DEFAULT = "public, max-age=300"  # --cache-max-age below: not the short one, so they can be told apart
TILE = "/tiles/10/845/390.mvt"  # holds fixture data


class TileVersionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.data = os.path.join(cls.tmp.name, "data.gpkg")
        shutil.copy(fixture_gpkg(), cls.data)
        cls.args = ("--admin-token", TOKEN, "--cache-max-age", "300")
        cls.server = RunningServer(cls.data, *cls.args).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def version(self, server=None, path="/tiles.json"):
        status, _, body = (server or self.server).request(path)
        self.assertEqual(status, 200)
        tiles = json.loads(body)["tiles"]
        self.assertEqual(len(tiles), 1)
        match = re.fullmatch(r".*/\{z\}/\{x\}/\{y\}\.mvt\?v=(\d+-[0-9a-f]{8})", tiles[0])
        self.assertIsNotNone(match, tiles[0])
        return match.group(1)

    def tile(self, path, headers=None):
        return self.server.request(path, headers=headers)

    def test_tilejson_names_the_generation(self):
        version = self.version()
        generation = json.loads(self.server.request("/health")[2])["data_generation"]
        self.assertTrue(version.startswith(f"{generation}-"), version)
        self.assertEqual(self.version(path="/tiles/roads.json"), version)

    def test_current_version_is_immutable(self):
        version = self.version()
        plain = self.tile(TILE)
        status, head, body = self.tile(f"{TILE}?v={version}")
        self.assertEqual(status, 200)
        self.assertEqual(head["cache-control"], IMMUTABLE)
        self.assertEqual((body, head["etag"]), (plain[2], plain[1]["etag"]))  # the same tile, the same tag
        # One collection, an empty tile (204) and the OGC API – Tiles path too.
        self.assertEqual(self.tile(f"/tiles/roads/10/845/390.mvt?v={version}")[1]["cache-control"], IMMUTABLE)
        status, head, _ = self.tile(f"/tiles/5/0/0.mvt?v={version}")
        self.assertEqual((status, head["cache-control"]), (204, IMMUTABLE))
        status, head, _ = self.tile(f"/tiles/WebMercatorQuad/10/390/845?v={version}")
        self.assertEqual((status, head["cache-control"]), (200, IMMUTABLE))
        # Revalidation keeps it: a 304 says the same.
        status, head, _ = self.tile(f"{TILE}?v={version}", headers={"If-None-Match": plain[1]["etag"]})
        self.assertEqual((status, head["cache-control"]), (304, IMMUTABLE))

    def test_other_version_gets_the_current_tile_briefly(self):
        plain = self.tile(TILE)
        for other in ["0-00000000", "1", "nonsense", ""]:
            status, head, body = self.tile(f"{TILE}?v={other}")
            self.assertEqual(status, 200, other)
            self.assertEqual(head["cache-control"], SHORT, other)
            self.assertEqual(body, plain[2], other)

    def test_no_version_keeps_the_default(self):
        self.assertEqual(self.tile(TILE)[1]["cache-control"], DEFAULT)
        self.assertEqual(self.tile(f"{TILE}?key=abc")[1]["cache-control"], DEFAULT)

    def test_contradictory_versions_are_a_bad_request(self):
        status, head, body = self.tile(f"{TILE}?v=1&v=2")
        self.assertEqual(status, 400)
        self.assertIn("'v'", json.loads(body)["description"])

    def test_reload_changes_the_version(self):
        before = self.version()
        status, _, _ = self.server.request("/admin/reload", method="POST",
                                           headers={"Authorization": f"Bearer {TOKEN}"})
        self.assertEqual(status, 200)
        after = self.version()
        self.assertNotEqual(after, before)
        self.assertEqual(after.split("-")[1], before.split("-")[1])  # same run, next generation
        self.assertEqual(self.tile(f"{TILE}?v={before}")[1]["cache-control"], SHORT)
        self.assertEqual(self.tile(f"{TILE}?v={after}")[1]["cache-control"], IMMUTABLE)

    def test_a_restart_never_reuses_a_version(self):
        # Generations start at 1 again with every start; the run id keeps
        # the old run's immutable URLs from naming the new run's data.
        with RunningServer(self.data, *self.args) as again:
            self.assertNotEqual(self.version(again).split("-")[1], self.version().split("-")[1])


class NoCacheTest(unittest.TestCase):
    def test_stale_version_follows_a_no_cache_default(self):
        with RunningServer(fixture_gpkg(), "--cache-max-age", "0") as server:
            status, head, _ = server.request(f"{TILE}?v=0-00000000")
            self.assertEqual((status, head["cache-control"]), (200, "no-cache"))


if __name__ == "__main__":
    unittest.main()

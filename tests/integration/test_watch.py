"""--watch over the real binary: the GeoPackage under a running server is
replaced (copy + rename into place, as editors and `mv` do) or written in
place by SQLite (rollback journal and WAL), and the change is served within
2 s; a broken file keeps the old data served and /health says why; --watch
with a PostGIS source is refused."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, binary, fixture_gpkg  # noqa: E402

# The bound: a change is served within 2 s (the watcher waits for
# 200 ms of quiet, then the fixture loads in milliseconds).
SERVED_WITHIN_S = 2.0


def connect(path):
    """A plain SQLite connection to a GeoPackage. Its R-tree triggers name
    GDAL's ST_ functions, which SQLite resolves when it compiles any UPDATE;
    ours leave the geometry alone, so the triggers never run and stand-ins
    that fail if called will do."""
    db = sqlite3.connect(path)

    def never(*_):
        raise AssertionError("a GeoPackage R-tree trigger ran: the test changed a geometry")

    for name in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        db.create_function(name, 1, never)
    return db


def set_road_name(path, name):
    with connect(path) as db:
        db.execute("UPDATE roads SET name = ? WHERE fid = 1", (name,))
    db.close()


class WatchTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.data = os.path.join(self.tmp.name, "data.gpkg")
        shutil.copy(fixture_gpkg(), self.data)
        self.server = RunningServer(self.data, "--watch").__enter__()

    def tearDown(self):
        code = self.server.stop()
        self.tmp.cleanup()
        self.assertEqual(code, 0, self.server.log()[-3000:])

    def health(self):
        status, _, body = self.server.request("/health")
        self.assertEqual(status, 200)
        return json.loads(body)

    def road_name(self):
        status, _, body = self.server.request("/collections/roads/items/1")
        self.assertEqual(status, 200, body)
        return json.loads(body)["properties"]["name"]

    def wait_for(self, condition, since, limit=SERVED_WITHIN_S):
        """Seconds from `since` until condition() held; fails after `limit`."""
        while True:
            if condition():
                return time.monotonic() - since
            if time.monotonic() - since > limit:
                self.fail(f"not served within {limit} s; log:\n{self.server.log()[-3000:]}")
            time.sleep(0.02)

    def assert_generation_settles(self):
        # Our own reload opens the GeoPackage (SQLite writes -shm, may make
        # and remove -wal): that must not count as a change, or the server
        # would reload forever.
        settled = self.health()["data_generation"]
        time.sleep(1.0)
        self.assertEqual(self.health()["data_generation"], settled, "the server keeps reloading by itself")

    def test_rename_into_place_is_served(self):
        self.assertEqual(self.road_name(), "测试路 1 / Test Road 1")
        staged = os.path.join(self.tmp.name, ".data.gpkg.new")
        shutil.copy(self.data, staged)
        set_road_name(staged, "renamed into place")
        start = time.monotonic()
        os.rename(staged, self.data)
        elapsed = self.wait_for(lambda: self.road_name() == "renamed into place", start)
        print(f"rename into place served after {elapsed * 1000:.0f} ms", file=sys.stderr)
        self.assertIn("--watch: the data changed", self.server.log())
        self.assert_generation_settles()

    def test_in_place_sqlite_write_is_served(self):
        start = time.monotonic()
        set_road_name(self.data, "written in place")
        elapsed = self.wait_for(lambda: self.road_name() == "written in place", start)
        print(f"in-place write served after {elapsed * 1000:.0f} ms", file=sys.stderr)
        self.assert_generation_settles()

    def test_wal_write_is_served(self):
        # A GeoPackage in WAL mode (as editing leaves it): a commit appends to
        # data.gpkg-wal and does not touch data.gpkg until a checkpoint.
        writer = connect(self.data)
        try:
            writer.execute("PRAGMA journal_mode=WAL")
            writer.execute("PRAGMA wal_autocheckpoint=0")
            time.sleep(0.6)  # switching to WAL rewrote the header: let that reload pass
            generation = self.health()["data_generation"]
            main_file = os.stat(self.data).st_mtime_ns
            start = time.monotonic()
            writer.execute("UPDATE roads SET name = 'written through the WAL' WHERE fid = 1")
            writer.commit()
            self.assertEqual(os.stat(self.data).st_mtime_ns, main_file, "the commit should touch only the -wal file")
            elapsed = self.wait_for(lambda: self.road_name() == "written through the WAL", start)
            print(f"WAL write served after {elapsed * 1000:.0f} ms", file=sys.stderr)
            self.assertGreater(self.health()["data_generation"], generation)
        finally:
            writer.close()

    def test_broken_file_keeps_the_old_data_and_health_says_why(self):
        staged = os.path.join(self.tmp.name, ".data.gpkg.new")
        with open(staged, "wb") as f:
            f.write(b"this is not a GeoPackage")
        start = time.monotonic()
        os.rename(staged, self.data)
        self.wait_for(lambda: not self.health()["last_reload"]["ok"], start)
        health = self.health()
        self.assertIn("data.gpkg", health["last_reload"]["error"])
        self.assertEqual(health["data_generation"], 1)
        self.assertEqual(self.road_name(), "测试路 1 / Test Road 1")
        status, _, body = self.server.request("/collections/roads/items?limit=100")
        self.assertEqual((status, json.loads(body)["numberReturned"]), (200, 25))
        # A good file again: served, and /health is clear.
        shutil.copy(fixture_gpkg(), staged)
        set_road_name(staged, "repaired")
        start = time.monotonic()
        os.rename(staged, self.data)
        self.wait_for(lambda: self.road_name() == "repaired", start)
        # The data is published a moment before /health records the success.
        self.wait_for(lambda: self.health()["last_reload"]["ok"], start)
        self.assertNotIn("error", self.health()["last_reload"])

    def test_stops_promptly(self):
        start = time.monotonic()
        self.assertEqual(self.server.stop(), 0)
        self.assertLess(time.monotonic() - start, 3.0)


class WatchOptionTest(unittest.TestCase):
    def run_binary(self, *args):
        return subprocess.run([binary(), "--address", "127.0.0.1", "--port", "0", *args], capture_output=True,
                              text=True, timeout=60)

    def test_postgis_source_is_refused(self):
        result = self.run_binary("--watch", "--data", "PG:dbname=gis host=db password=hunter2")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--watch is for file sources", result.stderr)
        self.assertIn("live updates", result.stderr)
        self.assertNotIn("hunter2", result.stderr + result.stdout)

    def test_missing_directory_is_an_error(self):
        result = self.run_binary("--watch", "--data", "/nonexistent-dir/data.gpkg")
        self.assertEqual(result.returncode, 1)
        self.assertIn("/nonexistent-dir", result.stderr)


if __name__ == "__main__":
    unittest.main()

"""Operations over the real binary: config file, /metrics, reload on POST
/admin/reload and SIGHUP (new data swapped in, failed loads keep the old
data and show in /health), tile cache invalidated on reload."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, binary, fixture_gpkg  # noqa: E402

TOKEN = "test-token-0123456789abcdef"


def metric(text, name):
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in metrics")


class OperationsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.data = os.path.join(self.tmp.name, "data.gpkg")
        shutil.copy(fixture_gpkg(), self.data)
        self.config = os.path.join(self.tmp.name, "regiomap.conf")
        with open(self.config, "w") as f:
            f.write(f"# test config\nadmin-token = {TOKEN}\ntile-cache-mb = 16\ncache-max-age = 5\n")
        self.server = RunningServer(self.data, "--config", self.config).__enter__()

    def tearDown(self):
        code = self.server.stop()
        self.tmp.cleanup()
        self.assertEqual(code, 0, self.server.log()[-3000:])

    def health(self):
        status, _, body = self.server.request("/health")
        self.assertEqual(status, 200)
        return json.loads(body)

    def reload(self, token=TOKEN):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.server.request("/admin/reload", method="POST", headers=headers)

    def test_config_file_is_applied(self):
        _, head, _ = self.server.request("/collections")
        self.assertEqual(head["cache-control"], "public, max-age=5")

    def test_metrics(self):
        for _ in range(3):
            self.server.request("/collections/roads/items?limit=1")
        self.server.request("/collections/nope")
        self.server.request("/tiles/0/0/0.mvt")
        self.server.request("/tiles/0/0/0.mvt")
        # Each collection's layer is made once; the tile of every collection
        # is assembled from them, so a one-collection tile is a hit.
        self.server.request("/tiles/roads/0/0/0.mvt")
        status, head, body = self.server.request("/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(head["content-type"].startswith("text/plain; version=0.0.4"))
        text = body.decode()
        self.assertEqual(metric(text, 'regiomap_http_requests_total{route="items",status="200"}'), 3)
        self.assertEqual(metric(text, 'regiomap_http_requests_total{route="collection",status="404"}'), 1)
        self.assertEqual(metric(text, "regiomap_tile_cache_hits_total"), 2)
        self.assertEqual(metric(text, "regiomap_tile_cache_misses_total"), 1 + 3)  # the whole tile + 3 layers
        self.assertGreater(metric(text, "regiomap_tile_cache_bytes"), 0)
        self.assertEqual(metric(text, 'regiomap_features{collection="roads"}'), 25)
        self.assertGreater(metric(text, "regiomap_http_response_bytes_total"), 1000)
        self.assertEqual(metric(text, 'regiomap_reloads_total{result="ok"}'), 1)

    def test_reload_needs_the_token(self):
        self.assertEqual(self.reload(token=None)[0], 401)
        self.assertEqual(self.reload(token="wrong-token-0123456789")[0], 401)
        status, head, _ = self.server.request("/admin/reload")
        self.assertEqual(status, 405)
        self.assertIn("POST", head["allow"].split(", "))
        self.assertNotIn("GET", head["allow"].split(", "))
        self.assertEqual(self.health()["data_generation"], 1)

    def test_reload_swaps_data_and_empties_the_tile_cache(self):
        self.server.request("/tiles/0/0/0.mvt")
        status, _, body = self.reload()
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["data_generation"], 2)
        text = self.server.request("/metrics")[2].decode()
        self.assertEqual(metric(text, "regiomap_tile_cache_entries"), 0)
        self.assertEqual(metric(text, 'regiomap_reloads_total{result="ok"}'), 2)
        self.assertEqual(metric(text, "regiomap_data_generation"), 2)
        # New data is served: drop the sites layer from the file and reload.
        subprocess.run(["ogrinfo", self.data, "-sql", "DROP TABLE sites"], check=True, capture_output=True)
        self.assertEqual(self.reload()[0], 200)
        self.assertEqual(self.server.request("/collections/sites")[0], 404)
        self.assertEqual(self.server.request("/collections/roads")[0], 200)

    def test_failed_reload_keeps_the_old_data(self):
        with open(self.data, "wb") as f:
            f.write(b"this is not a GeoPackage")
        status, _, body = self.reload()
        self.assertEqual(status, 500)
        self.assertIn("previous data is still served", json.loads(body)["description"])
        health = self.health()
        self.assertFalse(health["last_reload"]["ok"])
        self.assertIn("data.gpkg", health["last_reload"]["error"])
        self.assertEqual(health["data_generation"], 1)
        status, _, body = self.server.request("/collections/roads/items?limit=100")
        self.assertEqual((status, json.loads(body)["numberReturned"]), (200, 25))
        text = self.server.request("/metrics")[2].decode()
        self.assertEqual(metric(text, 'regiomap_reloads_total{result="failed"}'), 1)
        self.assertEqual(metric(text, "regiomap_last_reload_ok"), 0)

    def test_sighup_reloads(self):
        self.server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.health()["data_generation"] < 2:
            time.sleep(0.05)
        self.assertEqual(self.health()["data_generation"], 2)
        self.assertIn("SIGHUP: reloading", self.server.log())


class StartupErrorsTest(unittest.TestCase):
    def run_binary(self, *args):
        return subprocess.run([binary(), *args], capture_output=True, text=True, timeout=60)

    def test_unknown_config_key_is_reported_with_its_line(self):
        with tempfile.NamedTemporaryFile("w", suffix=".conf") as conf:
            conf.write("port = 0\ncolour = red\n")
            conf.flush()
            result = self.run_binary("--config", conf.name)
        self.assertEqual(result.returncode, 2)
        self.assertIn(f"{conf.name}:2: unknown key 'colour'", result.stderr)

    def test_unknown_option_and_missing_data(self):
        self.assertEqual(self.run_binary("--colour", "red").returncode, 2)
        result = self.run_binary("--data", "/nonexistent.gpkg", "--port", "0", "--address", "127.0.0.1")
        self.assertEqual(result.returncode, 1)
        self.assertIn("/nonexistent.gpkg", result.stderr)


if __name__ == "__main__":
    unittest.main()

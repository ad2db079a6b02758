"""The topology of docs/DEPLOY.md, built by scripts/cluster-demo's own code
(scripts/lib/cluster_demo.py) from real components: a PostGIS primary, a
streaming replica (pg_basebackup -R), two regiomap processes reading the
replica, nginx in front. Through nginx an item and a tile are served and
tiles are cached and revalidated by ETag; a regiomap killed with SIGKILL
loses no request; a restart of the replica database needs no restart of
regiomap; an edit on the primary reaches both regiomaps and nginx's clients
within 2 s."""
import json
import os
import re
import sys
import threading
import time
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts" / "lib"))
from cluster_demo import DATABASE, Demo, http_get  # noqa: E402

# Short enough that a tile fetched without ?v= expires within the test and
# nginx revalidates it; the current ?v= stays immutable whatever this says.
MAX_AGE = "1"
EDIT_SERVED_WITHIN_S = 2.0
TILE = "/tiles/10/845/390.mvt"  # the core area: holds industry features
ITEM = "/collections/industry/items/1"


def binary():
    return os.environ["REGIOMAP_BIN"]


class ClusterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.started = time.monotonic()
        cls.demo = Demo(binary(), regiomaps=2, regiomap_args=["--cache-max-age", MAX_AGE],
                        log=lambda text: print("cluster: " + text, file=sys.stderr, flush=True)).start()
        cls.nginx = cls.demo.nginx.port

    @classmethod
    def tearDownClass(cls):
        cls.demo.close()
        print(f"cluster: whole test {time.monotonic() - cls.started:.1f} s", file=sys.stderr)

    def get(self, path, port=None, headers=None):
        return http_get(port or self.nginx, path, headers=headers)

    def tile_path(self):
        """The tile URL with the data version, from TileJSON through nginx."""
        status, _, body = self.get("/tiles.json")
        self.assertEqual(status, 200)
        template = json.loads(body)["tiles"][0]
        self.assertTrue(template.startswith(f"http://127.0.0.1:{self.nginx}/"), template)  # links name nginx
        return "/" + template.split("/", 3)[3].replace("{z}/{x}/{y}", "10/845/390")

    def upstream_log(self, path):
        """nginx's access-log lines of one request path, oldest first."""
        return [line for line in self.demo.nginx.access_log().splitlines() if f'"GET {path} ' in line]

    def test_1_item_and_tile_through_nginx(self):
        status, head, body = self.get(ITEM)
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["id"], 1)
        # A tile without ?v=: cached by nginx for the regiomaps' max-age,
        # then revalidated with its ETag (the upstream answers 304).
        path = f"{TILE}?probe=revalidate"
        first = self.get(path)
        self.assertEqual(first[0], 200)
        self.assertEqual(first[1]["x-cache-status"], "MISS")
        second = self.get(path)
        self.assertEqual((second[1]["x-cache-status"], second[2]), ("HIT", first[2]))
        time.sleep(float(MAX_AGE) + 1.2)  # nginx counts freshness in whole seconds
        third = self.get(path)
        self.assertEqual((third[0], third[1]["x-cache-status"], third[2]), (200, "REVALIDATED", first[2]))
        self.assertIn("upstream_status=304", self.upstream_log(path)[-1])
        # The tile URL that TileJSON gives: immutable, a year in nginx's cache.
        versioned = self.tile_path()
        status, head, body = self.get(versioned)
        self.assertEqual(status, 200)
        if head["cache-control"] != "public, max-age=31536000, immutable":
            # TileJSON and the tile came from different regiomaps: each names
            # its own run in ?v=, so the other answers briefly (README).
            self.assertEqual(head["cache-control"], f"public, max-age={MAX_AGE}")
        self.assertEqual(body, first[2])

    def test_2_killing_a_regiomap_loses_no_request(self):
        victim = self.demo.regiomaps[0]
        results = []
        stop = threading.Event()

        def load():
            # Items are not cached by nginx: every request reaches a regiomap.
            for i in range(100_000):
                if stop.is_set():
                    return
                try:
                    status = self.get(f"/collections/industry/items?limit=2&offset={i % 50}")[0]
                except OSError as error:
                    status = repr(error)
                results.append(status)

        workers = [threading.Thread(target=load) for _ in range(4)]
        for worker in workers:
            worker.start()
        time.sleep(0.7)
        before = len(results)
        victim.kill()
        killed_at = len(results)
        time.sleep(1.5)
        stop.set()
        for worker in workers:
            worker.join()
        failed = [status for status in results if status != 200]
        print(f"cluster: {len(results)} requests across the SIGKILL ({before} before, "
              f"{len(results) - killed_at} after), {len(failed)} not 200", file=sys.stderr)
        self.assertGreater(len(results) - killed_at, 20, "too few requests after the kill to prove anything")
        self.assertEqual(failed, [])
        # The survivor served everything after the kill; nginx noted the failed tries.
        retried = [line for line in self.demo.nginx.access_log().splitlines()
                   if re.search(r"upstream=\S+, \S+", line)]
        print(f"cluster: {len(retried)} requests retried on the other regiomap by nginx", file=sys.stderr)
        # Back on its port for the next tests; nginx takes it again after fail_timeout.
        victim.start()

    def test_3_replica_restart_needs_no_regiomap_restart(self):
        pids = [server.process.pid for server in self.demo.regiomaps]
        self.demo.restart_replica()
        # Still served throughout (each regiomap holds its snapshot in memory).
        self.assertEqual(self.get(ITEM)[0], 200)
        # And the database is read again by the same processes: a reload
        # (SIGHUP) of each succeeds without restarting it.
        for server in self.demo.regiomaps:
            generation = server.health()[1]["data_generation"]
            server.reload()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and server.health()[1]["data_generation"] == generation:
                time.sleep(0.05)
            status, health = server.health()
            self.assertEqual(status, 200)
            self.assertGreater(health["data_generation"], generation, health)
            self.assertTrue(health["last_reload"]["ok"], health)
        self.assertEqual([server.process.pid for server in self.demo.regiomaps], pids)
        self.assertEqual(self.get(ITEM)[0], 200)

    def test_4_edit_on_the_primary_is_served_within_2_s(self):
        # The regiomaps read a hot standby, where NOTIFY is not replayed: the
        # change reaches them through the change log that the primary's
        # triggers write and the replica replays, which they poll. This runs
        # after test_3, so it also shows the live updates back after the
        # replica's restart.
        for server in self.demo.regiomaps:
            live = server.health()[1]["live_updates"]
            self.assertEqual(live["source"], "change_log (hot standby)", live)
        name = f"edited on the primary at {time.time():.3f}"
        generations = [server.health()[1]["data_generation"] for server in self.demo.regiomaps]
        start = time.monotonic()
        self.demo.primary.sql(f"UPDATE industry SET name_en = '{name}' WHERE fid = 1", DATABASE)
        targets = {f"regiomap {s.port}": s.port for s in self.demo.regiomaps}
        targets["nginx"] = self.nginx
        seen = {}
        deadline = start + EDIT_SERVED_WITHIN_S
        while len(seen) < len(targets) and time.monotonic() < deadline:
            for label, port in targets.items():
                if label not in seen:
                    status, _, body = self.get(ITEM, port=port)
                    if status == 200 and json.loads(body)["properties"]["name_en"] == name:
                        seen[label] = time.monotonic() - start
            time.sleep(0.02)
        print("cluster: edit served after " +
              ", ".join(f"{label} {seconds * 1000:.0f} ms" for label, seconds in seen.items()), file=sys.stderr)
        self.assertEqual(sorted(seen), sorted(targets), f"not all served the edit within {EDIT_SERVED_WITHIN_S} s")
        # A new data generation, hence new tile URLs (?v=) for nginx's clients.
        for server, generation in zip(self.demo.regiomaps, generations):
            self.assertGreater(server.health()[1]["data_generation"], generation)


if __name__ == "__main__":
    unittest.main()

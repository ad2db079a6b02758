"""Nothing lost: clients edit features of a copy of the shipped GeoPackage
over HTTP while the server is killed with SIGKILL and started again, a few
times. Afterwards every acknowledged write is in the GeoPackage with its
history row, nothing unacknowledged is half-written (a feature holds its
last acknowledged value or the one write that was in flight, with its
history row either way), the file passes PRAGMA integrity_check, and the
restarted server serves what the file holds. Small enough for CI; the
figures it prints (acknowledged edits, edits/s) are for the closing note,
not asserted."""
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import binary, shipped_gpkg  # noqa: E402

COLLECTION = "industry"
# CI runs 8 × 15 edits; the full run (8 × 125 = 1,000 edits, kill -9 every few seconds) by hand:
#   REGIOMAP_EDIT_KILL_PER_CLIENT=125 REGIOMAP_EDIT_KILL_KILLS=10 ctest -R integration_edit_kill -V
CLIENTS = 8
EDITS_PER_CLIENT = int(os.environ.get("REGIOMAP_EDIT_KILL_PER_CLIENT", "15"))
KILLS = int(os.environ.get("REGIOMAP_EDIT_KILL_KILLS", "3"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class KillDuringEditsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="regiomap-kill-")
        self.gpkg = os.path.join(self.dir, "beichen.gpkg")
        shutil.copy(shipped_gpkg(), self.gpkg)
        self.tokens_file = os.path.join(self.dir, "tokens.json")
        result = subprocess.run([binary(), "token", "add", "soak", "--role", "editor", "--tokens-file",
                                 self.tokens_file], capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.token = result.stdout.strip()
        self.port = free_port()
        self.process = None
        self.log = open(os.path.join(self.dir, "server.log"), "ab")

    def tearDown(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self):
        self.process = subprocess.Popen(
            [binary(), "--data", self.gpkg, "--address", "127.0.0.1", "--port", str(self.port), "--web-root", "",
             "--tokens-file", self.tokens_file, "--no-access-log"],
            stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            self.assertIsNone(self.process.poll(), "the server exited at start")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        self.fail("the server did not become healthy")

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            return response.status, response.getheader("ETag"), data
        finally:
            conn.close()

    def client(self, index, acked, in_flight, errors):
        fid = index + 1
        path = f"/collections/{COLLECTION}/items/{fid}"
        etag = None
        n = 0
        while n < EDITS_PER_CLIENT:
            try:
                if etag is None:
                    status, etag, _ = self.request("GET", path)
                    if status != 200:
                        etag = None
                        time.sleep(0.05)
                        continue
                value = f"soak-{index}-{n}"
                in_flight[index] = n
                status, new_etag, data = self.request(
                    "PATCH", path, json.dumps({"properties": {"action": value}}),
                    {"Authorization": "Bearer " + self.token, "If-Match": etag,
                     "Content-Type": "application/merge-patch+json"})
                if status == 200:
                    acked[index].append(n)
                    etag = new_etag
                    n += 1
                elif status == 412:
                    # The write before was committed but its answer lost in a kill.
                    etag = None
                    n += 1
                else:
                    errors.append((index, status, data[:200]))
                    return
            except (OSError, http.client.HTTPException):
                etag = None
                time.sleep(0.05)

    def test_acknowledged_writes_survive_sigkill(self):
        self.start()
        acked = [[] for _ in range(CLIENTS)]
        in_flight = [None] * CLIENTS
        errors = []
        started = time.monotonic()
        threads = [threading.Thread(target=self.client, args=(i, acked, in_flight, errors)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        rng = random.Random(14)
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.5, 2.0))
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.start()
        for thread in threads:
            thread.join(timeout=300)
        elapsed = time.monotonic() - started
        self.assertEqual(errors, [])
        total = sum(len(a) for a in acked)
        print(f"\n{total} acknowledged edits from {CLIENTS} clients in {elapsed:.1f} s "
              f"({total / elapsed:.1f}/s) with {KILLS} kill -9", file=sys.stderr)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

        with sqlite3.connect(self.gpkg) as db:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            for index in range(CLIENTS):
                fid = index + 1
                action = db.execute(f"SELECT action FROM {COLLECTION} WHERE fid = ?", (fid,)).fetchone()[0]
                held = int(action.rsplit("-", 1)[1])
                self.assertGreaterEqual(held, acked[index][-1], f"feature {fid} lost acknowledged writes")
                history = [json.loads(after)["properties"]["action"] for (after,) in db.execute(
                    "SELECT after FROM regiomap_history WHERE collection = ? AND feature_id = ? ORDER BY change_id",
                    (COLLECTION, fid))]
                for n in acked[index]:
                    self.assertIn(f"soak-{index}-{n}", history, f"acknowledged write {n} has no history row")
                self.assertEqual(history[-1], action, "the feature and its last history row disagree")
        # The restarted server serves what the file holds.
        self.start()
        with sqlite3.connect(self.gpkg) as db:
            for index in range(CLIENTS):
                fid = index + 1
                status, _, data = self.request("GET", f"/collections/{COLLECTION}/items/{fid}")
                self.assertEqual(status, 200)
                action = db.execute(f"SELECT action FROM {COLLECTION} WHERE fid = ?", (fid,)).fetchone()[0]
                self.assertEqual(json.loads(data)["properties"]["action"], action)


if __name__ == "__main__":
    unittest.main()

"""Stopping and logging over the real binary (under ASan in scripts/test):
a stop with connections left half-way must release them cleanly and exit 0
within the grace time; every answered request is in the access log, which
SIGUSR1 reopens after logrotate renames it."""
import os
import signal
import socket
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, fixture_gpkg  # noqa: E402

GRACE_S = 2


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


class ShutdownTest(unittest.TestCase):
    def test_stop_with_half_sent_and_idle_connections(self):
        # 40 clients stuck half-way through a request head and 40 idle
        # keep-alive ones on 4 I/O threads: the grace time runs out on the
        # first kind, and every connection must still be released cleanly
        # (this was a heap-use-after-free under ASan, exit status 1).
        server = RunningServer(fixture_gpkg(), "--threads", "4", "--shutdown-grace", str(GRACE_S)).__enter__()
        sockets = []
        try:
            for i in range(40):
                half = socket.create_connection(("127.0.0.1", server.port))
                half.sendall(b"GET /collections HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # never finished
                sockets.append(half)
            for i in range(40):
                idle = socket.create_connection(("127.0.0.1", server.port))
                idle.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                self.assertIn(b"200 OK", idle.recv(65536))
                sockets.append(idle)
            started = time.monotonic()
            server.process.send_signal(signal.SIGTERM)
            code = server.process.wait(timeout=GRACE_S + 30)
            elapsed = time.monotonic() - started
        finally:
            for s in sockets:
                s.close()
            server.stop()
        log = server.log()
        self.assertNotIn("AddressSanitizer", log, log[-4000:])
        self.assertEqual(code, 0, log[-4000:])
        self.assertLess(elapsed, GRACE_S + 1, "stopped within the grace time plus one second")
        self.assertIn("grace time over", log)


class AccessLogTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "access.log")

    def tearDown(self):
        self.tmp.cleanup()

    def read(self, path=None):
        with open(path or self.path, encoding="utf-8") as f:
            return f.read()

    def test_every_answered_request_is_written_by_the_stop(self):
        server = RunningServer(fixture_gpkg(), "--access-log", self.path).__enter__()
        try:
            for i in range(300):
                status, _, _ = server.request(f"/collections/roads/items?limit=1&offset={i}")
                self.assertEqual(status, 200)
        finally:
            self.assertEqual(server.stop(), 0)  # SIGTERM straight after the last answer
        lines = [l for l in self.read().splitlines() if "/collections/roads/items" in l]
        self.assertEqual(len(lines), 300)
        offsets = sorted(int(l.split("offset=")[1].split('"')[0]) for l in lines)
        self.assertEqual(offsets, list(range(300)))
        self.assertNotIn("access remote=", server.log(), "the access log is not also in the server log")

    def test_sigusr1_reopens_after_logrotate_renames_the_file(self):
        server = RunningServer(fixture_gpkg(), "--access-log", self.path).__enter__()
        try:
            server.request("/conformance?marker=one")
            self.assertTrue(wait_for(lambda: "marker=one" in self.read()))
            os.rename(self.path, self.path + ".1")
            server.request("/conformance?marker=two")  # still goes to the renamed file
            server.process.send_signal(signal.SIGUSR1)
            self.assertTrue(wait_for(lambda: os.path.exists(self.path)))
            server.request("/conformance?marker=three")
        finally:
            self.assertEqual(server.stop(), 0)
        rotated, current = self.read(self.path + ".1"), self.read()
        self.assertIn("marker=one", rotated)
        self.assertIn("marker=two", rotated)
        self.assertIn("marker=three", current)
        self.assertNotIn("marker=three", rotated)
        self.assertIn("SIGUSR1: reopening the access log", server.log())


if __name__ == "__main__":
    unittest.main()

"""HTTP/1.1 behaviour of the Beast server over raw sockets: malformed
requests, limits, pipelining, HTTP/1.0, slow clients, and the graceful stop."""
import json
import socket
import sys
import threading
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, fixture_gpkg  # noqa: E402


def exchange(port, raw, timeout=10, read_all=True):
    """Sends raw bytes, returns everything the server sends until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        chunks = []
        while True:
            try:
                data = sock.recv(65536)
            except socket.timeout:
                break
            if not data:
                break
            chunks.append(data)
            if not read_all:
                break
        return b"".join(chunks)


def split_response(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
    return status, headers, body


class HttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RunningServer(fixture_gpkg(), "--timeout", "2").__enter__()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, f"server exit code {code}\n{cls.server.log()}"

    def assert_still_healthy(self):
        status, _, _ = self.server.request("/health")
        self.assertEqual(status, 200)

    def assert_json_error(self, raw, expected_status):
        status, headers, body = split_response(raw)
        self.assertEqual(status, expected_status, raw[:200])
        self.assertEqual(headers["content-type"], "application/json")
        error = json.loads(body[: int(headers["content-length"])])
        self.assertTrue(error["description"])
        return error

    def test_malformed_request_line(self):
        raw = exchange(self.server.port, b"GARBAGE\r\n\r\n")
        self.assert_json_error(raw, 400)
        raw = exchange(self.server.port, b"GET /collections HTTP/9.9\r\nHost: x\r\n\r\n")
        self.assertTrue(raw.startswith(b"HTTP/1.1 400"), raw[:100])
        self.assert_still_healthy()

    def test_header_block_over_the_limit_is_431(self):
        big = b"X-Filler: " + b"a" * 20000 + b"\r\n"
        raw = exchange(self.server.port, b"GET /collections HTTP/1.1\r\nHost: x\r\n" + big + b"\r\n")
        self.assert_json_error(raw, 431)
        self.assert_still_healthy()

    def test_body_over_the_limit_is_413(self):
        body = b"x" * 100000
        raw = exchange(self.server.port, b"POST /collections HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                       str(len(body)).encode() + b"\r\n\r\n" + body)
        self.assert_json_error(raw, 413)
        self.assert_still_healthy()

    def test_pipelined_requests_are_answered_in_order(self):
        requests = b"".join(
            f"GET /collections/roads/items/{i} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for i in (1, 2, 3))
        requests += b"GET /collections/roads/items/4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        raw = exchange(self.server.port, requests)
        ids = []
        while raw:
            status, headers, rest = split_response(raw)
            length = int(headers["content-length"])
            ids.append(json.loads(rest[:length])["id"])
            raw = rest[length:]
        self.assertEqual(ids, [1, 2, 3, 4])

    def test_http10_without_host(self):
        raw = exchange(self.server.port, b"GET /collections HTTP/1.0\r\n\r\n")
        status, headers, body = split_response(raw)
        self.assertEqual(status, 200)
        self.assertTrue(raw.startswith(b"HTTP/1.0 200"))
        links = json.loads(body)["links"]
        self.assertTrue(links[0]["href"].startswith("http://localhost:"), links[0])

    def test_slow_client_is_closed_after_the_timeout_and_others_are_served(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as slow:
            slow.sendall(b"GET /colle")
            started = time.monotonic()
            # Meanwhile another client is served at once.
            status, _, _ = self.server.request("/collections")
            self.assertEqual(status, 200)
            closed = False
            for byte in b"ctions HTTP/1.1\r\nHost: x\r\n":
                try:
                    slow.sendall(bytes([byte]))
                except OSError:
                    closed = True
                    break
                time.sleep(0.5)
                if time.monotonic() - started > 6:
                    break
            try:
                closed = closed or slow.recv(100) == b""
            except OSError:
                closed = True
            self.assertTrue(closed, "slow client was not closed")
            self.assertLess(time.monotonic() - started, 6)
        self.assert_still_healthy()

    def test_idle_keep_alive_connection_is_closed_after_the_timeout(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
            started = time.monotonic()
            self.assertEqual(sock.recv(10), b"")
            self.assertLess(time.monotonic() - started, 5)


class GracefulStopTest(unittest.TestCase):
    def test_sigterm_with_idle_connections_stops_promptly_and_cleanly(self):
        server = RunningServer(fixture_gpkg()).__enter__()
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(5)]
        try:
            status, _, _ = server.request("/collections")
            self.assertEqual(status, 200)
            started = time.monotonic()
            code = server.stop()
            self.assertEqual(code, 0, server.log())
            self.assertLess(time.monotonic() - started, 5)
            self.assertIn("stopping", server.log())
        finally:
            for sock in idle:
                sock.close()

    def test_request_in_flight_finishes(self):
        server = RunningServer(fixture_gpkg()).__enter__()
        results = {}

        def slow_reader():
            # A request sent in two halves: the server has started reading it
            # when the stop arrives, and still answers it.
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
                sock.sendall(b"GET /collections/roads/items?limit=100 HTTP/1.1\r\n")
                time.sleep(0.5)
                sock.sendall(b"Host: x\r\n\r\n")
                results["raw"] = exchange_rest(sock)

        def exchange_rest(sock):
            chunks = []
            while True:
                data = sock.recv(65536)
                if not data:
                    return b"".join(chunks)
                chunks.append(data)

        thread = threading.Thread(target=slow_reader)
        thread.start()
        time.sleep(0.2)
        code = server.stop()
        thread.join(10)
        self.assertEqual(code, 0, server.log())
        status, headers, body = split_response(results["raw"])
        self.assertEqual(status, 200)
        self.assertEqual(headers["connection"], "close")
        self.assertEqual(len(json.loads(body)["features"]), 25)


if __name__ == "__main__":
    unittest.main()

"""The bad-input suite: hostile and broken requests over real sockets, each
with its expected status and JSON error, and the server still healthy
afterwards. Static files are served from a scratch web root that holds a
symlink out of it; no byte from outside may come back."""
import json
import os
import socket
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, fixture_gpkg  # noqa: E402

SECRET = b"TOP-SECRET-OUTSIDE-WEB-ROOT"


def raw_request(port, target, extra=b""):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extra + b"\r\n")
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), head.decode("latin-1"), body


class BadInputTest(unittest.TestCase):
    cases_tried = 0

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = Path(cls.tmp.name)
        web = root / "web"
        (web / "sub").mkdir(parents=True)
        (web / "index.html").write_text("<!doctype html><title>map</title>")
        (web / "sub" / "ok.txt").write_text("inside")
        (root / "secret.txt").write_bytes(SECRET)
        (root / "outside").mkdir()
        (root / "outside" / "secret.txt").write_bytes(SECRET)
        os.symlink(root / "secret.txt", web / "link-to-secret.txt")
        os.symlink(root / "outside", web / "link-to-outside")
        cls.server = RunningServer(fixture_gpkg(), "--web-root", str(web), "--max-connections", "300",
                                   "--timeout", "3").__enter__()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.tmp.cleanup()
        print(f"\nbad-input cases tried: {cls.cases_tried}", file=sys.stderr)
        assert code == 0, cls.server.log()[-3000:]

    def expect(self, target, statuses, raw=False):
        type(self).cases_tried += 1
        if raw:
            status, head, body = raw_request(self.server.port, target)
            head = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in head.split("\r\n")[1:]}
        else:
            status, head, body = self.server.request(target)
        self.assertIn(status, statuses, target)
        self.assertNotIn(SECRET, body, target)
        if status >= 400:
            self.assertEqual(head["content-type"], "application/json", target)
            self.assertTrue(json.loads(body)["description"], target)
        return status, body

    def tearDown(self):
        status, _, _ = self.server.request("/health")
        self.assertEqual(status, 200, "server unhealthy after the case")

    def test_static_files_are_served_inside_the_root(self):
        status, body = self.expect("/sub/ok.txt", {200})
        self.assertEqual(body, b"inside")
        status, _, body = self.server.request("/", headers={"Accept": "text/html"})
        self.assertEqual((status, body[:15]), (200, b"<!doctype html>"))

    def test_path_traversal(self):
        for target in [b"/../secret.txt", b"/sub/../../secret.txt", b"/%2e%2e/secret.txt", b"/%2E%2E/secret.txt",
                       b"/..%2fsecret.txt", b"/..%2Fsecret.txt", b"/sub/..%2f..%2fsecret.txt",
                       b"/%252e%252e/secret.txt", b"/%252e%252e%252fsecret.txt", b"/..\\secret.txt",
                       b"/..%5csecret.txt", b"/sub\\..\\..\\secret.txt", b"/secret.txt%00.html",
                       b"/sub/ok.txt%00", b"/link-to-secret.txt", b"/link-to-outside/secret.txt",
                       b"/./sub/../../secret.txt", b"//secret.txt", b"/.hidden", b"/%2e/secret.txt"]:
            self.expect(target, {400, 404}, raw=True)

    def test_tile_addresses(self):
        for target, statuses in [("/tiles/a/0/0.mvt", {400}), ("/tiles/0/a/0.mvt", {400}), ("/tiles/0/0/a.mvt", {400}),
                                 ("/tiles/-1/0/0.mvt", {400}), ("/tiles/0/-1/0.mvt", {400}),
                                 ("/tiles/1/2/0.mvt", {404}), ("/tiles/23/0/0.mvt", {404}),
                                 ("/tiles/99999999999999999999/0/0.mvt", {400}), ("/tiles/1e3/0/0.mvt", {400}),
                                 ("/tiles/0x1/0/0.mvt", {400}), ("/tiles/%20/0/0.mvt", {400}),
                                 ("/tiles/4/16/0.mvt", {404}), ("/tiles/0/0/0", {404}), ("/tiles/0/0/0.MVT", {404})]:
            self.expect(target, statuses)

    def test_bbox(self):
        for value in ["NaN,0,1,1", "0,NaN,1,1", "Infinity,0,1,1", "-inf,0,1,1", "1e400,0,1,1", "0,0,1,-1e400",
                      "10,10,0,0", "1,2,3,4,5", "1,2,3", "", ",,,", "1;2;3;4", "0x1,0,1,1", "1 ,2,3,4"]:
            self.expect("/collections/roads/items?bbox=" + value.replace(" ", "%20"), {400})
        # Reversed longitudes are an antimeridian crossing, not an error.
        self.expect("/collections/roads/items?bbox=10,0,0,10", {200})

    def test_limit_and_offset(self):
        for query, statuses in [("limit=-1", {400}), ("limit=0", {400}), ("limit=1e3", {400}),
                                ("limit=99999999999999999999999999", {200}), ("offset=-5", {400}),
                                ("offset=99999999999999999999999999", {200}), ("offset=abc", {400}),
                                ("limit=", {400}), ("limit=%2B5", {200})]:
            self.expect("/collections/roads/items?" + query, statuses)

    def test_repeated_parameters(self):
        self.expect("/collections/roads/items?limit=5&limit=5", {200})
        self.expect("/collections/roads/items?limit=5&limit=6", {400})
        self.expect("/collections/roads/items?bbox=0,0,1,1&bbox=0,0,2,2", {400})
        self.expect("/collections/roads/items?status=planned&status=completed", {400})

    def test_invalid_utf8_and_percent_encoding(self):
        for target in [b"/collections/roads/items?name=%FF", b"/collections/roads/items?name=%C0%AF",
                       b"/collections/roads/items?name=%E4%B8", b"/collections/%FF", b"/collections/roads/items?%zz=1",
                       b"/collections/roads/items?name=%", b"/collections/roads%", b"/search?q=%ED%A0%80"]:
            self.expect(target, {400}, raw=True)
        status, _ = self.expect(b"/collections/\xff\xfe/items", {400, 404}, raw=True)

    def test_unsupported_methods(self):
        for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT"]:
            type(self).cases_tried += 1
            status, head, body = self.server.request("/collections", method=method)
            self.assertEqual(status, 405, method)
            self.assertEqual(head["allow"], "GET, HEAD, OPTIONS")

    def test_thousands_of_idle_connections(self):
        """More idle clients than --max-connections: the extra ones get 503 or
        are closed, nothing crashes, and a client is served once they go."""
        idle = []
        try:
            for _ in range(1000):
                idle.append(socket.create_connection(("127.0.0.1", self.server.port), timeout=10))
            type(self).cases_tried += 1
            time.sleep(0.5)
            refused = 0
            for sock in idle[300:]:
                sock.settimeout(5)
                try:
                    data = sock.recv(200)
                    if data.startswith(b"HTTP/1.1 503") or data == b"":
                        refused += 1
                except (socket.timeout, ConnectionResetError):
                    pass
            self.assertGreaterEqual(refused, 650, "connections beyond the limit must be refused")
        finally:
            for sock in idle:
                sock.close()
        time.sleep(0.5)
        status, _, _ = self.server.request("/collections")
        self.assertEqual(status, 200)


if __name__ == "__main__":
    unittest.main()

"""What the web map's editing needs of the server, over real HTTP on a copy
of the shipped GeoPackage: GET /whoami (a sign-in form checks a token with
it), a change reason in Chinese (RFC 8187 extended value, since browsers
send only Latin-1 headers), and CORS for write methods only from the
server's own pages and the origins given with --cors-origin (reading stays
open to every origin). No token appears in a response or log line."""
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, binary, shipped_gpkg  # noqa: E402

COLLECTION = "industry"
TRUSTED = "https://maps.example.org"
FOREIGN = "https://evil.example.com"


def add_token(tokens_file, name, *args):
    result = subprocess.run([binary(), "token", "add", name, *args, "--tokens-file", tokens_file],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


class EditWebTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="regiomap-edit-web-")
        cls.gpkg = os.path.join(cls.dir, "beichen.gpkg")
        shutil.copy(shipped_gpkg(), cls.gpkg)
        cls.tokens_file = os.path.join(cls.dir, "tokens.json")
        cls.editor = add_token(cls.tokens_file, "district-office", "--role", "editor", "--collections", COLLECTION)
        cls.admin = add_token(cls.tokens_file, "lead", "--role", "admin")
        cls.server = RunningServer(cls.gpkg, "--tokens-file", cls.tokens_file, "--cors-origin", TRUSTED + "/")
        cls.server.__enter__()
        cls.bodies = []

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def send(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            data = None if body is None else json.dumps(body).encode()
            conn.request(method, path, body=data, headers=headers or {})
            response = conn.getresponse()
            raw = response.read()
            self.bodies.append(raw)
            head = {k.lower(): v for k, v in response.getheaders()}
            parsed = json.loads(raw) if raw and "json" in head.get("content-type", "") else None
            return response.status, head, parsed
        finally:
            conn.close()

    def first_feature(self):
        status, head, body = self.send("GET", f"/collections/{COLLECTION}/items?limit=1")
        self.assertEqual(status, 200)
        feature_id = body["features"][0]["id"]
        status, head, body = self.send("GET", f"/collections/{COLLECTION}/items/{feature_id}")
        return feature_id, head["etag"], body

    def patch(self, feature_id, etag, patch, headers=None):
        return self.send("PATCH", f"/collections/{COLLECTION}/items/{feature_id}", patch, {
            "Authorization": "Bearer " + self.editor, "If-Match": etag,
            "Content-Type": "application/merge-patch+json", **(headers or {})})

    def test_whoami_names_the_token_and_its_rights(self):
        status, head, body = self.send("GET", "/whoami", headers={"Authorization": "Bearer " + self.editor})
        self.assertEqual(status, 200, body)
        self.assertEqual(body, {"name": "district-office", "role": "editor", "collections": [COLLECTION],
                                "allCollections": False})
        self.assertEqual(head["cache-control"], "no-store")
        status, _, body = self.send("GET", "/whoami", headers={"Authorization": "Bearer " + self.admin})
        self.assertEqual((status, body["role"], body["allCollections"]), (200, "admin", True))
        status, head, body = self.send("GET", "/whoami")
        self.assertEqual(status, 401)
        self.assertIn("Bearer", head["www-authenticate"])
        status, head, body = self.send("GET", "/whoami", headers={"Authorization": "Bearer " + self.editor[:-3] + "abc"})
        self.assertEqual(status, 401)
        self.assertIn('error="invalid_token"', head["www-authenticate"])
        self.assertNotIn(self.editor.split("_", 2)[2], json.dumps(body))

    def test_a_reason_in_chinese_arrives_as_written(self):
        feature_id, etag, _ = self.first_feature()
        reason = "项目已开工（现场核实）"
        status, _, body = self.patch(feature_id, etag, {"properties": {"uncertainty_m": 2500}},
                                     {"X-Change-Reason": "UTF-8''" + urllib.parse.quote(reason)})
        self.assertEqual(status, 200, body)
        _, _, history = self.send("GET", f"/collections/{COLLECTION}/items/{feature_id}/history")
        self.assertEqual(history["changes"][0]["reason"], reason)
        # a broken escape is a clear 400, and nothing is written
        _, etag, _ = self.first_feature()
        status, _, body = self.patch(feature_id, etag, {"properties": {"uncertainty_m": 2600}},
                                     {"X-Change-Reason": "UTF-8''%E9%A1"})
        self.assertEqual(status, 400, body)
        self.assertIn("X-Change-Reason", body["description"])
        _, _, feature = self.first_feature()
        self.assertEqual(feature["properties"]["uncertainty_m"], 2500)

    def test_reading_is_open_to_every_origin(self):
        status, head, _ = self.send("GET", f"/collections/{COLLECTION}/items?limit=1", headers={"Origin": FOREIGN})
        self.assertEqual((status, head["access-control-allow-origin"]), (200, "*"))
        status, head, _ = self.send("OPTIONS", f"/collections/{COLLECTION}/items", headers={
            "Origin": FOREIGN, "Access-Control-Request-Method": "GET"})
        self.assertEqual(status, 204)
        self.assertIn("GET", head["access-control-allow-methods"])

    def test_write_methods_only_from_own_pages_and_configured_origins(self):
        feature_id, etag, before = self.first_feature()
        path = f"/collections/{COLLECTION}/items/{feature_id}"
        # the preflight of a page elsewhere does not offer the write methods: the browser sends no write
        status, head, _ = self.send("OPTIONS", path, headers={
            "Origin": FOREIGN, "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, content-type, if-match"})
        self.assertEqual(status, 204)
        self.assertNotIn("PATCH", head["access-control-allow-methods"])
        self.assertIn("GET", head["access-control-allow-methods"])
        self.assertIn("Origin", head["vary"])
        # a configured origin's preflight does, naming the origin
        status, head, _ = self.send("OPTIONS", path, headers={
            "Origin": TRUSTED, "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, content-type, if-match"})
        self.assertEqual(status, 204)
        self.assertIn("PATCH", head["access-control-allow-methods"])
        self.assertEqual(head["access-control-allow-origin"], TRUSTED)
        self.assertIn("authorization", head["access-control-allow-headers"].lower())
        # a write sent anyway from elsewhere (not by a browser that honours CORS) is refused, and nothing is written
        status, head, body = self.patch(feature_id, etag, {"properties": {"uncertainty_m": 1234}}, {"Origin": FOREIGN})
        self.assertEqual(status, 403, body)
        self.assertIn(FOREIGN, body["description"])
        self.assertIn("--cors-origin", body["description"])
        _, etag_now, now = self.first_feature()
        self.assertEqual((etag_now, now["properties"]), (etag, before["properties"]))
        # the server's own page (Origin = the host it was asked on) and a configured origin may write
        own = f"http://127.0.0.1:{self.server.port}"
        status, head, body = self.patch(feature_id, etag, {"properties": {"uncertainty_m": 1234}}, {"Origin": own})
        self.assertEqual(status, 200, body)
        status, head, body = self.patch(feature_id, head["etag"], {"properties": {"uncertainty_m": 1300}},
                                        {"Origin": TRUSTED})
        self.assertEqual(status, 200, body)
        self.assertEqual(head["access-control-allow-origin"], TRUSTED)
        self.assertIn("Origin", head["vary"])
        # a client that is not a browser sends no Origin: CORS is not its business
        status, _, body = self.patch(feature_id, head["etag"], {"properties": {"uncertainty_m": 1400}})
        self.assertEqual(status, 200, body)

    def test_a_duplicate_project_is_refused_and_nothing_written(self):
        _, _, listing = self.send("GET", f"/collections/{COLLECTION}/items?limit=1000")
        count = len(listing["features"])
        existing = listing["features"][0]
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [117.15, 39.25]},
                   "properties": dict(existing["properties"], name_en="A second one",
                                      geom_source="TEST: synthetic, tests/integration/test_edit_web.py")}
        headers = {"Authorization": "Bearer " + self.editor, "Content-Type": "application/geo+json"}
        # the same project id (the GeoPackage's UNIQUE column) a second time: 409, no write
        status, _, body = self.send("POST", f"/collections/{COLLECTION}/items", feature, headers)
        self.assertEqual(status, 409, body)
        self.assertIn("unique", body["description"])
        # with an id of its own it goes in; sent again, it is a duplicate
        feature["properties"]["id"] = "test-duplicate-create"
        status, head, body = self.send("POST", f"/collections/{COLLECTION}/items", feature, headers)
        self.assertEqual(status, 201, body)
        status, _, body = self.send("POST", f"/collections/{COLLECTION}/items", feature, headers)
        self.assertEqual(status, 409, body)
        # a change that would take another project's id: 409 too
        created = int(head["location"].rsplit("/", 1)[1])
        status, _, body = self.patch(created, head["etag"], {"properties": {"id": existing["properties"]["id"]}})
        self.assertEqual(status, 409, body)
        _, _, listing = self.send("GET", f"/collections/{COLLECTION}/items?limit=1000")
        self.assertEqual(len(listing["features"]), count + 1)
        ids = [f["properties"]["id"] for f in listing["features"]]
        self.assertEqual(len(ids), len(set(ids)), "every project id once")

    def test_z_no_token_in_any_response_or_log(self):
        texts = [self.server.log().encode()] + self.bodies
        for token in (self.editor, self.admin):
            secret = token.split("_", 2)[2].encode()
            for text in texts:
                self.assertNotIn(secret, text)


class CorsOriginOptionTest(unittest.TestCase):
    def test_an_origin_that_is_not_one_stops_the_start_with_a_clear_message(self):
        for bad in ["maps.example.org", "https://maps.example.org/path", "ftp://x.org", "https://"]:
            result = subprocess.run([binary(), "--data", shipped_gpkg(), "--port", "0", "--cors-origin", bad],
                                    capture_output=True, text=True, timeout=60)
            self.assertNotEqual(result.returncode, 0, bad)
            self.assertIn("--cors-origin", result.stderr, bad)


if __name__ == "__main__":
    unittest.main(verbosity=2)

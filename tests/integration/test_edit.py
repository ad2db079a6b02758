"""Editing over HTTP (OGC API – Features – Part 4) against the real server
and a copy of the shipped GeoPackage: tokens (regiomap token), 401/403,
the collection's schema (Part 5) and validation (400/415/422 naming each
field), If-Match (412/428), write-through with history, and the write
visible at once in the item, a tile and search. Tokens never show up in a
log line, a response or a metric."""
import http.client
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, binary, shipped_gpkg  # noqa: E402

COLLECTION = "industry"
PROVENANCE = "TEST: synthetic feature written by tests/integration/test_edit.py, not a real place"


def token_command(*args):
    return subprocess.run([binary(), "token", *args], capture_output=True, text=True, timeout=60)


def new_feature(name, lon=117.15, lat=39.25, **overrides):
    properties = {
        "id": "test-" + name.lower().replace(" ", "-"),
        "name_zh": name,
        "name_en": name,
        "category": "industry",
        "kind": "project",
        "action": "test",
        "status": "planned",
        "status_date": "2026-12-01",
        "target_year": 2027,
        "source_quote": "test",
        "geom_quality": "schematic",
        "geom_source": PROVENANCE,
        "uncertainty_m": 500.0,
    }
    properties.update(overrides)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}



def secret_of(token):
    """The secret part of 'rgm_<id>_<secret>'. The secret is base64url and may itself hold '_',
    so split from the left: splitting from the right once made this test flaky."""
    prefix, token_id, secret = token.split("_", 2)
    assert prefix == "rgm" and len(token_id) == 8, token
    return secret

class EditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="regiomap-edit-")
        cls.gpkg = os.path.join(cls.dir, "beichen.gpkg")
        shutil.copy(shipped_gpkg(), cls.gpkg)
        cls.tokens_file = os.path.join(cls.dir, "tokens.json")
        cls.tokens = {}
        for name, args in [("editor", ["--role", "editor", "--collections", COLLECTION]),
                           ("rural-only", ["--role", "editor", "--collections", "rural"]),
                           ("admin", ["--role", "admin"]),
                           ("revoked", ["--role", "editor"])]:
            result = token_command("add", name, *args, "--tokens-file", cls.tokens_file)
            assert result.returncode == 0, result.stderr
            cls.tokens[name] = result.stdout.strip()
        result = token_command("revoke", "revoked", "--tokens-file", cls.tokens_file)
        assert result.returncode == 0, result.stderr
        cls.access_log = os.path.join(cls.dir, "access.log")
        cls.server = RunningServer(cls.gpkg, "--tokens-file", cls.tokens_file, "--access-log", cls.access_log)
        cls.server.__enter__()
        cls.responses = []  # every body the server sent, for the leak check

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def send(self, method, path, body=None, token=None, headers=None, content_type="application/geo+json"):
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            all_headers.setdefault("Content-Type", content_type)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            conn.request(method, path, body=data, headers=all_headers)
            response = conn.getresponse()
            raw = response.read()
            headers_out = {k.lower(): v for k, v in response.getheaders()}
        finally:
            conn.close()
        self.responses.append(raw + json.dumps(headers_out).encode())
        parsed = None
        if raw and "json" in headers_out.get("content-type", ""):
            parsed = json.loads(raw)
        return response.status, headers_out, parsed

    def create(self, name, **overrides):
        status, headers, body = self.send("POST", f"/collections/{COLLECTION}/items", new_feature(name, **overrides),
                                          token=self.tokens["editor"])
        self.assertEqual(status, 201, body)
        return int(headers["location"].rsplit("/", 1)[1]), headers["etag"], body

    def history_rows(self):
        with sqlite3.connect(self.gpkg) as db:
            return db.execute("SELECT count(*) FROM regiomap_history").fetchone()[0]

    def feature_count(self):
        with sqlite3.connect(self.gpkg) as db:
            return db.execute(f"SELECT count(*) FROM {COLLECTION}").fetchone()[0]

    # --- the token command --------------------------------------------------

    def test_tokens_file_holds_only_hashes_and_is_private(self):
        mode = stat.S_IMODE(os.stat(self.tokens_file).st_mode)
        self.assertEqual(mode, 0o600)
        text = Path(self.tokens_file).read_text()
        for token in self.tokens.values():
            self.assertNotIn(token, text)
            self.assertNotIn(secret_of(token), text)
        listing = token_command("list", "--tokens-file", self.tokens_file)
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertIn("editor\teditor\tindustry\t", listing.stdout)
        self.assertIn("admin\tadmin\t*\t", listing.stdout)
        self.assertNotIn("revoked", listing.stdout)

    # --- schema (Part 5) ----------------------------------------------------

    def test_schema_describes_what_a_write_may_hold(self):
        status, headers, _ = self.send("GET", f"/collections/{COLLECTION}/schema")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("application/schema+json"))
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.request("GET", f"/collections/{COLLECTION}/schema")
        schema = json.loads(conn.getresponse().read())
        conn.close()
        self.assertEqual(schema["$schema"], "https://json-schema.org/draft/2020-12/schema")
        props = schema["properties"]
        self.assertEqual(props["geometry"]["format"], "geometry-point")
        self.assertEqual(props["geometry"]["x-ogc-role"], "primary-geometry")
        # industry has a text field "id" of its own: what a client sends in properties.
        self.assertEqual(props["id"]["type"], "string")
        self.assertEqual(sorted(props["status"]["enum"]),
                         sorted(["completed", "completion_due", "construction_start", "ongoing", "planned",
                                 "under_construction"]))
        self.assertEqual(sorted(props["geom_quality"]["enum"]), ["approximate", "schematic", "surveyed"])
        for name in ("geom_quality", "geom_source", "uncertainty_m", "status", "name_zh"):
            self.assertIn(name, schema["required"])
        self.assertEqual(props["status_date"]["format"], "date")
        self.assertEqual(props["target_year"]["type"], "integer")

        _, _, collection = self.send("GET", f"/collections/{COLLECTION}")
        rels = {link["rel"]: link["href"] for link in collection["links"]}
        self.assertTrue(rels["http://www.opengis.net/def/rel/ogc/1.0/schema"].endswith(f"/{COLLECTION}/schema"))
        _, _, conformance = self.send("GET", "/conformance")
        for uri in ("http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
                    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
                    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update"):
            self.assertIn(uri, conformance["conformsTo"])
        status, _, _ = self.send("GET", "/collections/nope/schema")
        self.assertEqual(status, 404)

    def test_openapi_documents_the_write_routes(self):
        _, _, api = self.send("GET", "/api")
        item = api["paths"]["/collections/{collectionId}/items/{featureId}"]
        for method in ("get", "put", "patch", "delete"):
            self.assertIn(method, item)
        self.assertIn("post", api["paths"]["/collections/{collectionId}/items"])
        self.assertIn("412", item["patch"]["responses"])
        self.assertEqual(api["components"]["securitySchemes"]["bearerToken"]["scheme"], "bearer")
        self.assertIn("/collections/{collectionId}/items/{featureId}/history", api["paths"])

    # --- who may write ------------------------------------------------------

    def test_writes_need_a_valid_token_of_the_right_role(self):
        rows, count = self.history_rows(), self.feature_count()
        path = f"/collections/{COLLECTION}/items"
        status, headers, body = self.send("POST", path, new_feature("No Token"))
        self.assertEqual(status, 401, body)
        self.assertEqual(headers["www-authenticate"], 'Bearer realm="regiomap"')
        for bad in (self.tokens["editor"][:-1] + ("A" if self.tokens["editor"][-1] != "A" else "B"),
                    self.tokens["revoked"], "rgm_00000000_" + "x" * 43, "not-a-token"):
            status, headers, body = self.send("POST", path, new_feature("Bad Token"), token=bad)
            self.assertEqual(status, 401, body)
            self.assertIn('error="invalid_token"', headers["www-authenticate"])
        status, _, body = self.send("POST", path, new_feature("Wrong Collection"), token=self.tokens["rural-only"])
        self.assertEqual(status, 403, body)
        self.assertIn("rural-only", body["description"])
        self.assertEqual((self.history_rows(), self.feature_count()), (rows, count), "a refused write wrote")

    # --- the write path -----------------------------------------------------

    def test_create_is_visible_at_once_in_item_tile_and_search(self):
        fid, etag, body = self.create("Quokka Test Works", lon=117.1234, lat=39.2345)
        self.assertEqual(body["properties"]["name_en"], "Quokka Test Works")
        status, headers, item = self.send("GET", f"/collections/{COLLECTION}/items/{fid}")
        self.assertEqual(status, 200)
        self.assertEqual(item["geometry"]["coordinates"], [117.1234, 39.2345])
        self.assertEqual(headers["etag"].replace("-gzip", ""), etag.replace("-gzip", ""))
        # The tile at zoom 14 holding the point carries the new feature's name.
        import math
        z = 14
        x = int((117.1234 + 180) / 360 * 2 ** z)
        lat = math.radians(39.2345)
        y = int((1 - math.log(math.tan(lat) + 1 / math.cos(lat)) / math.pi) / 2 * 2 ** z)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.request("GET", f"/tiles/{COLLECTION}/{z}/{x}/{y}.mvt")
        tile = conn.getresponse().read()
        conn.close()
        self.assertIn("Quokka Test Works".encode(), tile)
        _, _, found = self.send("GET", "/search?q=" + urllib.parse.quote("Quokka Test"))
        self.assertIn(fid, [f["id"] for f in found["features"]])
        with sqlite3.connect(self.gpkg) as db:
            row = db.execute(f"SELECT name_en, geom_source FROM {COLLECTION} WHERE fid = ?", (fid,)).fetchone()
            self.assertEqual(row, ("Quokka Test Works", PROVENANCE))
            history = db.execute("SELECT operation, author FROM regiomap_history WHERE feature_id = ? "
                                 "AND collection = ?", (fid, COLLECTION)).fetchall()
            self.assertEqual(history, [("create", "editor")])
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        _, _, collections = self.send("GET", "/collections")
        self.assertNotIn("regiomap_history", [c["id"] for c in collections["collections"]])

    def test_patch_put_delete_with_if_match(self):
        fid, etag, _ = self.create("Numbat Test Park")
        path = f"/collections/{COLLECTION}/items/{fid}"
        patch = {"properties": {"status": "construction_start", "status_date": "2026-12-02"}}
        status, _, body = self.send("PATCH", path, patch, token=self.tokens["editor"],
                                    content_type="application/merge-patch+json")
        self.assertEqual(status, 428, body)
        status, _, body = self.send("PATCH", path, patch, token=self.tokens["editor"],
                                    headers={"If-Match": '"0123456789abcdef"'},
                                    content_type="application/merge-patch+json")
        self.assertEqual(status, 412, body)
        self.assertEqual(self.send("GET", path)[2]["properties"]["status"], "planned", "a 412 wrote")
        status, headers, body = self.send("PATCH", path, patch, token=self.tokens["editor"],
                                          headers={"If-Match": etag, "X-Change-Reason": "ground broken"},
                                          content_type="application/merge-patch+json")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["properties"]["status"], "construction_start")
        self.assertEqual(body["properties"]["name_en"], "Numbat Test Park", "a merge patch lost a property")
        new_etag = headers["etag"]
        self.assertNotEqual(new_etag, etag)
        # The old ETag is now stale for every method.
        status, _, _ = self.send("DELETE", path, token=self.tokens["editor"], headers={"If-Match": etag})
        self.assertEqual(status, 412)
        # PUT replaces: the ETag from GET (plain JSON representation) is accepted too.
        _, get_headers, _ = self.send("GET", path + "?f=json")
        replacement = new_feature("Numbat Test Park", lon=117.16, status="completed")
        replacement["id"] = fid
        status, headers, body = self.send("PUT", path, replacement, token=self.tokens["admin"],
                                          headers={"If-Match": get_headers["etag"]})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["geometry"]["coordinates"], [117.16, 39.25])
        status, _, body = self.send("DELETE", path, token=self.tokens["editor"], headers={"If-Match": headers["etag"]})
        self.assertEqual(status, 204, body)
        self.assertEqual(self.send("GET", path)[0], 404)
        _, _, history = self.send("GET", path + "/history")
        changes = history["changes"]
        self.assertEqual([c["operation"] for c in changes], ["delete", "replace", "update", "create"])
        update = changes[2]
        self.assertEqual(update["author"], "editor")
        self.assertEqual(update["reason"], "ground broken")
        self.assertEqual(sorted(update["fields"]), ["status", "status_date"])
        self.assertEqual(update["before"]["properties"]["status"], "planned")
        self.assertEqual(update["after"]["properties"]["status"], "construction_start")
        self.assertEqual(changes[1]["author"], "admin")
        self.assertIn("geometry", changes[1]["fields"])
        self.assertIsNone(changes[0]["after"])
        # The changes feed has them too, oldest first, paged.
        _, _, feed = self.send("GET", "/changes?limit=1000")
        mine = [c for c in feed["changes"] if c["featureId"] == fid and c["collection"] == COLLECTION]
        self.assertEqual([c["operation"] for c in mine], ["create", "update", "replace", "delete"])
        ids = [c["changeId"] for c in feed["changes"]]
        self.assertEqual(ids, sorted(ids))
        _, _, page = self.send("GET", f"/changes?limit=1&after={mine[0]['changeId']}")
        self.assertEqual(len(page["changes"]), 1)
        self.assertGreater(page["changes"][0]["changeId"], mine[0]["changeId"])
        self.assertIn("after=" + str(page["changes"][0]["changeId"]), page["links"][0]["href"])
        _, _, later = self.send("GET", "/changes?since=2999-01-01")
        self.assertEqual(later["changes"], [])
        self.assertEqual(self.send("GET", "/changes?since=yesterday")[0], 400)

    def test_invalid_features_are_refused_naming_each_field(self):
        rows, count = self.history_rows(), self.feature_count()
        path = f"/collections/{COLLECTION}/items"
        token = self.tokens["editor"]
        bad = new_feature("Bad", status="finished", geom_quality="guessed")
        del bad["properties"]["geom_source"]
        status, _, body = self.send("POST", path, bad, token=token)
        self.assertEqual(status, 422, body)
        fields = {e["field"] for e in body["errors"]}
        self.assertEqual(fields, {"properties.status", "properties.geom_quality", "properties.geom_source"})
        cases = [
            (new_feature("Bad", target_year="soon"), "properties.target_year"),
            (dict(new_feature("Bad"), geometry={"type": "LineString", "coordinates": [[117.1, 39.2], [117.2, 39.3]]}),
             "geometry.type"),
            (new_feature("Bad", lon=39.25, lat=117.15), "geometry.coordinates"),   # swapped axes
            (new_feature("Bad", lon=2.35, lat=48.85), "geometry.coordinates"),     # far from the data
            (dict(new_feature("Bad"), properties=dict(new_feature("Bad")["properties"], colour="red")),
             "properties.colour"),
            (dict(new_feature("Bad"), id=5), "id"),
        ]
        for feature, field in cases:
            status, _, body = self.send("POST", path, feature, token=token)
            self.assertEqual(status, 422, (field, body))
            self.assertIn(field, [e["field"] for e in body["errors"]], body)
        # Malformed bodies: 400, 413, 415.
        for raw, expected in [(b'{"type": "Feature", ', 400), (b"[" * 100 + b"]" * 100, 400),
                              (b'{"type": "Feature", "properties": {"name_en": "\xff\xfe"}}', 400),
                              (b'{"type": "FeatureCollection", "features": []}', 400),
                              (b"x" * 70_000, 413)]:
            status, _, body = self.send("POST", path, raw, token=token)
            self.assertEqual(status, expected, (raw[:40], body))
        status, _, _ = self.send("POST", path, new_feature("Bad"), token=token, content_type="text/plain")
        self.assertEqual(status, 415)
        # Another CRS is taken when named (EPSG:4490 is latitude first).
        feature = new_feature("Wombat Test Yard")
        feature["geometry"]["coordinates"] = [39.25, 117.15]
        status, _, body = self.send("POST", path, feature, token=token,
                                    headers={"Content-Crs": "<http://www.opengis.net/def/crs/EPSG/0/4490>"})
        self.assertEqual(status, 201, body)
        self.assertAlmostEqual(body["geometry"]["coordinates"][0], 117.15, places=6)
        self.assertEqual((self.history_rows(), self.feature_count()), (rows + 1, count + 1))

    def test_z_no_token_in_any_log_response_or_metric(self):
        # Runs last (name order): every request of the suite is in the logs by now.
        self.send("POST", f"/collections/{COLLECTION}/items", new_feature("Leak"), token=self.tokens["editor"] + "x")
        _, _, _ = self.send("GET", "/metrics")
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.request("GET", "/metrics")
        metrics = conn.getresponse().read()
        conn.close()
        texts = [self.server.log().encode(), Path(self.access_log).read_bytes(), metrics] + self.responses
        for token in self.tokens.values():
            secret = secret_of(token).encode()
            for text in texts:
                self.assertNotIn(secret, text)


class UnconditionalWritesTest(unittest.TestCase):
    def test_if_match_optional_lets_clients_without_it_write(self):
        with tempfile.TemporaryDirectory() as tmp:
            gpkg = os.path.join(tmp, "beichen.gpkg")
            shutil.copy(shipped_gpkg(), gpkg)
            tokens_file = os.path.join(tmp, "tokens.json")
            token = token_command("add", "bot", "--role", "editor", "--tokens-file", tokens_file).stdout.strip()
            with RunningServer(gpkg, "--tokens-file", tokens_file, "--if-match", "optional") as server:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                conn.request("PATCH", f"/collections/{COLLECTION}/items/1",
                             body=json.dumps({"properties": {"status": "completed"}}),
                             headers={"Authorization": "Bearer " + token,
                                      "Content-Type": "application/merge-patch+json"})
                response = conn.getresponse()
                body = json.loads(response.read())
                conn.close()
                self.assertEqual(response.status, 200, body)
                self.assertEqual(body["properties"]["status"], "completed")

    def test_failed_sign_ins_are_rate_limited_per_client(self):
        with tempfile.TemporaryDirectory() as tmp:
            gpkg = os.path.join(tmp, "beichen.gpkg")
            shutil.copy(shipped_gpkg(), gpkg)
            tokens_file = os.path.join(tmp, "tokens.json")
            token = token_command("add", "ed", "--role", "editor", "--tokens-file", tokens_file).stdout.strip()

            def patch(server, bearer):
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                conn.request("PATCH", f"/collections/{COLLECTION}/items/1", body=b"{}",
                             headers={"Authorization": "Bearer " + bearer,
                                      "Content-Type": "application/merge-patch+json"})
                response = conn.getresponse()
                response.read()
                conn.close()
                return response.status, response.getheader("Retry-After")

            with RunningServer(gpkg, "--tokens-file", tokens_file) as server:
                for _ in range(10):
                    self.assertEqual(patch(server, token + "x")[0], 401)
                status, retry_after = patch(server, token + "x")
                self.assertEqual(status, 429)
                self.assertTrue(1 <= int(retry_after) <= 60, retry_after)
                # Blocked before the token is looked at: the right one waits too.
                self.assertEqual(patch(server, token)[0], 429)
                self.assertNotIn(secret_of(token), server.log())

    def test_without_tokens_file_nothing_can_be_written(self):
        with tempfile.TemporaryDirectory() as tmp:
            gpkg = os.path.join(tmp, "beichen.gpkg")
            shutil.copy(shipped_gpkg(), gpkg)
            with RunningServer(gpkg) as server:
                status, headers, _ = server.request(f"/collections/{COLLECTION}/items/1", method="DELETE")
                self.assertEqual(status, 405)
                status, _, body = server.request("/conformance")
                self.assertNotIn(b"ogcapi-features-4", body)


if __name__ == "__main__":
    unittest.main()

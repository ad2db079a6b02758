"""Editing with PostGIS as the source of record (issue 14): the real server
on a throwaway PostgreSQL + PostGIS cluster loaded by scripts/load-postgis.
A create, change and delete each go through to the table and to
regiomap.history in one transaction and are acknowledged after COMMIT; the
database's own rules (UNIQUE project ids) answer 409 with nothing written;
the served data shows the change at once; the connection string's password
shows up in no response and no log line."""
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, binary, postgis_cluster, shipped_gpkg  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
COLLECTION = "industry"
PASSWORD = "pg-secret-for-the-edit-test"


class EditPostgisTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="regiomap-edit-pg-")
        cls.pg = postgis_cluster()
        cls.pg.create_database("edits")
        subprocess.run([str(REPO / "scripts" / "load-postgis"), "--quiet", "--from", shipped_gpkg(),
                        cls.pg.gdal("edits")], check=True)
        # A role with a password (md5 is not enforced on a trust cluster, but the string carries it as a
        # deployment would): it must never be shown.
        cls.pg.sql(f"CREATE ROLE editor LOGIN PASSWORD '{PASSWORD}'; GRANT ALL ON DATABASE edits TO editor", "postgres")
        cls.pg.sql("GRANT ALL ON ALL TABLES IN SCHEMA public TO editor; "
                   "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO editor; "
                   "GRANT ALL ON SCHEMA public TO editor; GRANT ALL ON SCHEMA regiomap TO editor; "
                   "GRANT ALL ON ALL TABLES IN SCHEMA regiomap TO editor", "edits")
        cls.source = cls.pg.gdal("edits", user="editor", password=PASSWORD)
        cls.tokens_file = os.path.join(cls.dir, "tokens.json")
        result = subprocess.run([binary(), "token", "add", "district-office", "--role", "editor", "--collections",
                                 COLLECTION, "--tokens-file", cls.tokens_file], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        cls.token = result.stdout.strip()
        cls.server = RunningServer(cls.source, "--tokens-file", cls.tokens_file)
        cls.server.__enter__()
        cls.bodies = []

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def db(self):
        connection = psycopg2.connect(self.pg.dsn("edits"))
        self.addCleanup(connection.close)
        return connection.cursor()

    def send(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            all_headers = dict(headers or {})
            data = None
            if body is not None:
                data = json.dumps(body).encode()
            if method != "GET":
                all_headers["Authorization"] = "Bearer " + self.token
            conn.request(method, path, body=data, headers=all_headers)
            response = conn.getresponse()
            raw = response.read()
            self.bodies.append(raw)
            head = {k.lower(): v for k, v in response.getheaders()}
            parsed = json.loads(raw) if raw and "json" in head.get("content-type", "") else None
            return response.status, head, parsed
        finally:
            conn.close()

    def new_feature(self, project_id):
        return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [117.15, 39.25]},
                "properties": {"id": project_id, "name_zh": "测试项目", "name_en": "Test project",
                               "category": "industry", "kind": "industrial_park", "action": "build",
                               "status": "planned", "status_date": "2026-12-01", "target_year": 2026,
                               "source_quote": "TEST", "geom_quality": "schematic",
                               "geom_source": "TEST: synthetic, tests/integration/test_edit_postgis.py",
                               "uncertainty_m": 1000}}

    def test_create_change_delete_go_through_to_the_database_with_history(self):
        cur = self.db()
        cur.execute("SELECT count(*) FROM regiomap.history")
        history_before = cur.fetchone()[0]
        # create
        status, head, body = self.send("POST", f"/collections/{COLLECTION}/items", self.new_feature("test-pg-create"),
                                       {"Content-Type": "application/geo+json", "X-Change-Reason": "pg test"})
        self.assertEqual(status, 201, body)
        fid = int(head["location"].rsplit("/", 1)[1])
        cur.execute("SELECT id, status, ST_X(geom), ST_Y(geom) FROM industry WHERE fid = %s", (fid,))
        self.assertEqual(cur.fetchone(), ("test-pg-create", "planned", 117.15, 39.25))
        # served at once
        status, head, body = self.send("GET", f"/collections/{COLLECTION}/items/{fid}")
        self.assertEqual((status, body["properties"]["id"]), (200, "test-pg-create"))
        # change
        status, head, body = self.send("PATCH", f"/collections/{COLLECTION}/items/{fid}",
                                       {"properties": {"status": "under_construction"}},
                                       {"Content-Type": "application/merge-patch+json", "If-Match": head["etag"]})
        self.assertEqual(status, 200, body)
        cur.execute("SELECT status FROM industry WHERE fid = %s", (fid,))
        self.assertEqual(cur.fetchone()[0], "under_construction")
        # the history, in the database and over the API
        cur.execute("SELECT operation, author, reason FROM regiomap.history WHERE feature_id = %s ORDER BY change_id",
                    (fid,))
        self.assertEqual(cur.fetchall(), [("create", "district-office", "pg test"),
                                          ("update", "district-office", None)])
        _, _, history = self.send("GET", f"/collections/{COLLECTION}/items/{fid}/history")
        self.assertEqual([c["operation"] for c in history["changes"]], ["update", "create"])
        # delete
        status, head, _ = self.send("GET", f"/collections/{COLLECTION}/items/{fid}")
        status, _, body = self.send("DELETE", f"/collections/{COLLECTION}/items/{fid}", headers={"If-Match": head["etag"]})
        self.assertEqual(status, 204, body)
        cur.execute("SELECT count(*) FROM industry WHERE fid = %s", (fid,))
        self.assertEqual(cur.fetchone()[0], 0)
        self.assertEqual(self.send("GET", f"/collections/{COLLECTION}/items/{fid}")[0], 404)
        cur.execute("SELECT count(*) FROM regiomap.history")
        self.assertEqual(cur.fetchone()[0], history_before + 3)

    def test_the_databases_rules_answer_409_and_nothing_is_written(self):
        cur = self.db()
        cur.execute("SELECT id FROM industry ORDER BY fid LIMIT 1")
        taken = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM industry")
        rows = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM regiomap.history")
        history = cur.fetchone()[0]
        status, _, body = self.send("POST", f"/collections/{COLLECTION}/items", self.new_feature(taken),
                                    {"Content-Type": "application/geo+json"})
        self.assertEqual(status, 409, body)
        cur.execute("SELECT count(*) FROM industry")
        self.assertEqual(cur.fetchone()[0], rows)
        cur.execute("SELECT count(*) FROM regiomap.history")
        self.assertEqual(cur.fetchone()[0], history, "the history row went with the refused change")

    def test_z_no_password_in_any_response_or_log(self):
        for text in [self.server.log().encode()] + self.bodies:
            self.assertNotIn(PASSWORD.encode(), text)
        self.assertNotIn(self.token.split("_", 2)[2], self.server.log())


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""The failure paths of a PostgreSQL source that need a running database, for
secrets: the database going down while the server runs (a reload then
fails: /health shows why, the previous data stays served), and a layer the
source cannot read (a SQL view that fails when GDAL reads it). The password
of the connection string appears in no log line, response body, header or
metric. (Wrong password and down-at-start: test_postgis_source.py.)"""
import json
import signal
import subprocess
import sys
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "lib"))
from support.regiomap_server import RunningServer, binary, fixture_gpkg  # noqa: E402
from throwaway_postgis import Cluster  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Reload-9f3a-never-shown"
TOKEN = "secret-test-token-0123456789"
USER = "editor"


class SecretsWithPostgisTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = Cluster(name="regiomap-secrets").start()
        cls.pg.create_database("gis")
        subprocess.run([str(REPO / "scripts" / "load-postgis"), "--quiet", "--from", fixture_gpkg(),
                        cls.pg.gdal("gis")], check=True)
        cls.pg.sql(f"CREATE ROLE {USER} LOGIN PASSWORD '{PASSWORD}'")
        cls.pg.sql(f"GRANT USAGE ON SCHEMA public, regiomap TO {USER}; "
                   f"GRANT SELECT ON ALL TABLES IN SCHEMA public, regiomap TO {USER}", "gis")
        # A view that fails when read: a division by zero in every row.
        cls.pg.sql("CREATE VIEW broken AS SELECT fid, geom, 1 / (fid - fid) AS boom FROM roads", "gis")
        cls.pg.sql(f"GRANT SELECT ON broken TO {USER}", "gis")

    @classmethod
    def tearDownClass(cls):
        cls.pg.close()

    def source(self, **extra):
        fields = {"host": "127.0.0.1", "port": self.pg.port, "dbname": "gis", "user": USER,
                  "password": PASSWORD, **extra}
        return "PG:" + " ".join(f"{k}={v}" for k, v in fields.items())

    def assert_no_secret(self, server, *texts):
        for text in texts + (server.log(),):
            self.assertNotIn(PASSWORD, text)

    def everything_a_client_sees(self, server):
        seen = []
        for path in ["/health", "/metrics", "/collections", "/api", "/tiles.json", "/nope"]:
            status, head, body = server.request(path)
            seen += [body.decode("utf-8", "replace"), json.dumps(head)]
        return seen

    def test_database_down_at_reload(self):
        with RunningServer(self.source(), "--admin-token", TOKEN) as server:
            self.assertEqual(json.loads(server.request("/health")[2])["data_generation"], 1)
            self.pg.stop()
            try:
                status, head, body = server.request("/admin/reload", method="POST",
                                                    headers={"Authorization": f"Bearer {TOKEN}"})
                self.assertEqual(status, 500)
                server.process.send_signal(signal.SIGHUP)  # the other way in
                time.sleep(1)
                health = json.loads(server.request("/health")[2])
                self.assertFalse(health["last_reload"]["ok"])
                self.assertIn("database gis on 127.0.0.1", health["last_reload"]["error"])
                self.assertEqual(server.request("/collections/roads/items?limit=1")[0], 200,
                                 "the previous data stays served")
                self.assert_no_secret(server, body.decode(), json.dumps(head),
                                      *self.everything_a_client_sees(server))
            finally:
                self.pg.restart()

    def test_a_layer_that_fails_to_read(self):
        # GDAL reports the failed read (a division by zero on the server)
        # through our log; whether the collection is then served empty or
        # the start is refused, the password appears nowhere.
        args = [binary(), "--data", self.source(), "--collections", "roads,broken",
                "--collection-key", "broken=fid", "--port", "0", "--address", "127.0.0.1", "--web-root", ""]
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:  # it started: serving what it could read
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=30)
        self.assertIn("division by zero", output)
        self.assertNotIn(PASSWORD, output)


if __name__ == "__main__":
    unittest.main()

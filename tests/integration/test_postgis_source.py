"""PostGIS as a source of record, against a throwaway PostgreSQL 15 + PostGIS
cluster (scripts/throwaway-postgis) loaded by scripts/load-postgis:

- the same answers from the GeoPackage and from PostGIS, compared document by
  document: collections, every feature of every collection, search, TileJSON
  and tiles over the whole Beichen extent at every zoom;
- load-postgis: constraints for allowed values and provenance, change
  capture (NOTIFY with table and key), idempotent, edits survive a re-run;
- choosing, renaming and describing collections; views and materialized
  views with a key column; a table or view without a key refused by name;
- secrets: PGPASSFILE, PGSERVICE and PGPASSWORD work; with the password in
  the connection string it appears in no log line, response body or header,
  whether the password is wrong, the database is down at start, or the
  server runs; --wait-for-source waits for a database that is not up yet."""
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "lib"))
from support.regiomap_server import RunningServer, binary, fixture_gpkg, shipped_gpkg  # noqa: E402
from throwaway_postgis import Cluster  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
LOAD = str(REPO / "scripts" / "load-postgis")
PASSWORD = "Pw-4c7e1d-not-for-logs"  # must never show up anywhere
READER = "reader"


def load(cluster, dbname, gpkg=None, *extra):
    cluster.create_database(dbname)
    args = [LOAD, "--quiet"] + (["--from", gpkg] if gpkg else []) + list(extra) + [cluster.gdal(dbname)]
    subprocess.run(args, check=True)


def normalise(doc, port):
    """A response body with this server's host:port and the request time taken out."""
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False).replace(f"127.0.0.1:{port}", "HOST")
    text = re.sub(r'"timeStamp": "[^"]*"', '"timeStamp": "T"', text)
    # Tile URLs name the server's run (?v=<generation>-<run id>), which two servers never share.
    return re.sub(r"\?v=(\d+)-[0-9a-f]{8}", r"?v=\1-RUN", text)


def bbox_of(geometry):
    def points(c):
        if isinstance(c[0], (int, float)):
            yield c
        else:
            for part in c:
                yield from points(part)
    xs, ys = zip(*points(geometry["coordinates"]))
    return min(xs), min(ys), max(xs), max(ys)


def tile_range(box, z):
    """The tiles (x range, y range) at zoom z that the lon/lat box meets."""
    n = 2 ** z

    def x_of(lon):
        return min(n - 1, max(0, int((lon + 180) / 360 * n)))

    def y_of(lat):
        r = math.radians(max(-85.05112878, min(85.05112878, lat)))
        return min(n - 1, max(0, int((1 - math.asinh(math.tan(r)) / math.pi) / 2 * n)))

    west, south, east, north = box
    return range(x_of(west), x_of(east) + 1), range(y_of(north), y_of(south) + 1)


CLUSTER = None


def setUpModule():
    """One cluster for the module: the shipped data and the fixture, read only."""
    global CLUSTER
    CLUSTER = Cluster().start()
    load(CLUSTER, "shipped")
    load(CLUSTER, "fixture", fixture_gpkg())
    CLUSTER.sql(f"CREATE ROLE {READER} LOGIN PASSWORD '{PASSWORD}'")
    for db in ("shipped", "fixture"):
        CLUSTER.sql(f"GRANT USAGE ON SCHEMA public, regiomap TO {READER}; "
                    f"GRANT SELECT ON ALL TABLES IN SCHEMA public, regiomap TO {READER}", db)


def tearDownModule():
    CLUSTER.close()


class PostgisCluster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg = CLUSTER


class SameAnswersTest(PostgisCluster):
    """The shipped data and the fixture, served from both sources."""

    def compare_servers(self, gpkg, pg_source, tiles=True):
        with RunningServer(gpkg) as a, RunningServer(pg_source) as b:
            def get(server, path):
                status, head, body = server.request(path)
                return status, head.get("content-type"), body

            def same_json(path):
                sa, ta, ba = get(a, path)
                sb, tb, bb = get(b, path)
                self.assertEqual((sa, ta), (sb, tb), path)
                self.assertEqual(normalise(json.loads(ba), a.port), normalise(json.loads(bb), b.port), path)
                return json.loads(ba)

            collections = same_json("/collections")["collections"]
            self.assertGreater(len(collections), 0)
            names, boxes = [], []
            for collection in collections:
                cid = collection["id"]
                same_json(f"/collections/{cid}")
                page = same_json(f"/collections/{cid}/items?limit=10000")
                self.assertEqual(page["numberReturned"], page["numberMatched"])
                boxes += [bbox_of(f["geometry"]) for f in page["features"] if f["geometry"]]
                for feature in page["features"]:
                    same_json(f"/collections/{cid}/items/{feature['id']}")
                    for key in ("name_en", "name"):
                        if isinstance(feature["properties"].get(key), str):
                            names.append(feature["properties"][key])
                same_json(f"/tiles/{cid}.json")
            same_json("/tiles.json")
            for name in names[:40]:
                same_json("/search?q=" + urllib.parse.quote(name.split(" ")[0]))
            if not tiles:
                return 0
            # Every tile that any feature's box touches, z0-z14: the same bytes.
            paths = set()
            for box in boxes:
                for z in range(0, 15):
                    xs, ys = tile_range(box, z)
                    paths.update(f"/tiles/{z}/{x}/{y}.mvt" for x in xs for y in ys)
            for path in sorted(paths):
                sa, ta, ba = get(a, path)
                sb, tb, bb = get(b, path)
                self.assertEqual((sa, ta, ba), (sb, tb, bb), path)
            return len(paths)

    def test_shipped_data_same_from_both(self):
        tiles = self.compare_servers(shipped_gpkg(), self.pg.gdal("shipped"))
        self.assertGreater(tiles, 100)

    def test_fixture_same_from_both(self):
        # Null geometry, a self-intersecting polygon repaired, a CRS other
        # than CRS84, dates, date-times and booleans: the same either way.
        self.compare_servers(fixture_gpkg(), self.pg.gdal("fixture"), tiles=False)


class LoadPostgisTest(PostgisCluster):
    def connect(self, dbname="shipped"):
        connection = psycopg2.connect(self.pg.dsn(dbname))
        self.addCleanup(connection.close)
        return connection

    def rejected(self, statement, kind):
        connection = self.connect()
        with self.assertRaises(kind, msg=statement):
            with connection, connection.cursor() as cur:
                cur.execute(statement)

    def test_constraints_for_allowed_values_and_provenance(self):
        self.rejected("UPDATE industry SET status = 'finished' WHERE fid = 1", psycopg2.errors.CheckViolation)
        self.rejected("UPDATE industry SET category = 'misc' WHERE fid = 1", psycopg2.errors.CheckViolation)
        self.rejected("UPDATE industry SET geom_quality = 'exact' WHERE fid = 1", psycopg2.errors.CheckViolation)
        self.rejected("UPDATE industry SET geom_source = NULL WHERE fid = 1", psycopg2.errors.NotNullViolation)
        self.rejected("UPDATE industry SET geom_source = '  ' WHERE fid = 1", psycopg2.errors.CheckViolation)
        self.rejected("UPDATE industry SET uncertainty_m = -1 WHERE fid = 1", psycopg2.errors.CheckViolation)
        self.rejected("UPDATE industry SET geom = 'SRID=4326;LINESTRING(0 0,1 1)' WHERE fid = 1",
                      psycopg2.errors.InvalidParameterValue)
        with self.connect().cursor() as cur:
            cur.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'industry'")
            self.assertTrue(any("USING gist (geom)" in row[0] for row in cur.fetchall()))

    def test_change_capture_notifies_table_and_key(self):
        load(self.pg, "capture")
        listener = self.connect("capture")
        listener.autocommit = True
        with listener.cursor() as cur:
            cur.execute("LISTEN regiomap_changes")
        writer = self.connect("capture")
        with writer, writer.cursor() as cur:
            cur.execute("UPDATE towns SET name_en = name_en WHERE fid = 2")
            # A copy of town 1 under a new fid (the identity column's next value) and a project id of its
            # own (the id column is UNIQUE).
            cur.execute("INSERT INTO towns OVERRIDING USER VALUE SELECT (jsonb_populate_record(t, "
                        "jsonb_build_object('id', t.id || '-copy'))).* FROM towns t WHERE fid = 1 RETURNING fid")
            new_fid = cur.fetchone()[0]
            cur.execute("DELETE FROM towns WHERE fid = %s", (new_fid,))
        self.assertGreater(new_fid, 2, "new rows continue after the loaded fids")
        deadline = time.monotonic() + 10
        payloads = []
        while len(payloads) < 3 and time.monotonic() < deadline:
            listener.poll()
            payloads += [json.loads(n.payload) for n in listener.notifies]
            listener.notifies.clear()
            time.sleep(0.02)
        self.assertEqual(payloads, [
            {"v": 1, "schema": "public", "table": "towns", "op": "update", "key": 2},
            {"v": 1, "schema": "public", "table": "towns", "op": "insert", "key": new_fid},
            {"v": 1, "schema": "public", "table": "towns", "op": "delete", "key": new_fid}])

    def test_idempotent_and_edits_survive(self):
        load(self.pg, "again")
        connection = psycopg2.connect(self.pg.dsn("again"))
        self.addCleanup(connection.close)

        def snapshot():
            with connection, connection.cursor() as cur:
                cur.execute("SELECT count(*), string_agg(status, ',' ORDER BY fid) FROM industry")
                rows = cur.fetchone()
                cur.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'regiomap_%'")
                return rows, cur.fetchone()[0]

        before = snapshot()
        with connection, connection.cursor() as cur:
            cur.execute("UPDATE industry SET status = 'completed' WHERE fid = 3")
        out = subprocess.run([LOAD, "--quiet", self.pg.gdal("again")], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        (count, statuses), triggers = snapshot()
        self.assertEqual((count, triggers), (before[0][0], before[1]))
        self.assertEqual(statuses.split(",")[2], "completed", "the edit survived the second run")
        subprocess.run([LOAD, "--quiet", "--reset", self.pg.gdal("again")], check=True)
        self.assertEqual(snapshot(), before, "--reset restores the sources")
        # A table whose columns differ is left alone, with a message saying so.
        with connection, connection.cursor() as cur:
            cur.execute("ALTER TABLE urban ADD COLUMN note text")
        out = subprocess.run([LOAD, "--quiet", self.pg.gdal("again")], capture_output=True, text=True)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("public.urban exists with other columns", out.stderr)
        self.assertIn("nothing changed", out.stderr)


class CollectionsTest(PostgisCluster):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load(cls.pg, "views")
        cls.pg.sql("CREATE VIEW completed AS SELECT fid AS project, name_en, status, geom FROM industry "
                   "WHERE status <> 'planned'; "
                   "CREATE MATERIALIZED VIEW town_points AS SELECT fid AS town, name_en, geom FROM towns; "
                   "CREATE TABLE loose (name text, geom geometry(Point, 4326)); "
                   "INSERT INTO loose VALUES ('a', 'SRID=4326;POINT(117.1 39.2)')", "views")

    def run_server(self, *args, timeout=60):
        return subprocess.run([binary(), "--data", self.pg.gdal("views"), "--port", "0", "--address",
                               "127.0.0.1", "--web-root", "", *args], capture_output=True, text=True,
                              timeout=timeout)

    def test_choose_rename_and_describe(self):
        with RunningServer(self.pg.gdal("views"), "--collections", "projects=industry, transport_lines",
                           "--collection-title", "projects=Industrial projects",
                           "--collection-description", "projects=What the district builds") as server:
            _, _, body = server.request("/collections")
            collections = json.loads(body)["collections"]
            self.assertEqual([c["id"] for c in collections], ["projects", "transport_lines"])
            self.assertEqual(collections[0]["title"], "Industrial projects")
            self.assertEqual(collections[0]["description"], "What the district builds")
            status, _, body = server.request("/collections/projects/items/3")
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body)["properties"]["id"], "industry-binhai-lianchuang")

    def test_views_and_materialized_views_with_a_key(self):
        with RunningServer(self.pg.gdal("views"), "--collections", "completed,town_points",
                           "--collection-key", "completed=project", "--collection-key", "town_points=town") as server:
            _, _, body = server.request("/collections/completed/items?limit=100")
            page = json.loads(body)
            expected = self.pg.sql("SELECT string_agg(fid::text, ',' ORDER BY fid) FROM industry "
                                   "WHERE status <> 'planned'", "views", capture=True)
            self.assertEqual([f["id"] for f in page["features"]], [int(i) for i in expected.split(",")])
            self.assertNotIn("project", page["features"][0]["properties"], "the key is the id, not a property")
            status, _, body = server.request("/collections/town_points/items/2")
            self.assertEqual(status, 200)
            self.assertEqual(json.loads(body)["geometry"]["type"], "Point")
            status, _, _ = server.request("/tiles/town_points/0/0/0.mvt")
            self.assertEqual(status, 200)

    def test_without_a_key_refused_by_name(self):
        out = self.run_server("--collections", "industry,completed")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("refused completed has no key", out.stderr)
        self.assertIn("--collection-key completed=COLUMN", out.stderr)
        out = self.run_server("--collections", "loose")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("refused loose has no key", out.stderr)
        # Serving everything: the tables and views without a key are left
        # out, each named; the rest is served.
        with RunningServer(self.pg.gdal("views")) as server:
            _, _, body = server.request("/collections")
            ids = [c["id"] for c in json.loads(body)["collections"]]
            self.assertIn("industry", ids)
            for refused in ("loose", "completed", "town_points"):
                self.assertNotIn(refused, ids)
                self.assertIn(f"not served: {refused} has no key", server.log())

    def test_bad_choices_are_named(self):
        for args, message in [
            (["--collections", "industry,nowhere"], "no layer, table or view 'nowhere'"),
            (["--collections", "a=industry,a=urban"], "collection id 'a' is given twice"),
            (["--collections", "industry", "--collection-title", "urban=Urban"],
             "a title is given for 'urban', which is not a collection"),
            (["--collections", "x=completed", "--collection-key", "x=name_en"], "is not an integer column"),
        ]:
            out = self.run_server(*args)
            self.assertNotEqual(out.returncode, 0, args)
            self.assertIn(message, out.stderr, args)


class SecretsTest(PostgisCluster):
    """No password anywhere: logs, bodies, headers, on every path added here."""

    def assert_secret_absent(self, *texts):
        for text in texts:
            self.assertNotIn(PASSWORD, text)

    def reader_source(self, password=PASSWORD, **extra):
        fields = {"host": "127.0.0.1", "port": self.pg.port, "dbname": "shipped", "user": READER, **extra}
        if password:
            fields["password"] = password
        return "PG:" + " ".join(f"{k}={v}" for k, v in fields.items())

    def failed_start(self, source, env=None):
        out = subprocess.run([binary(), "--data", source, "--port", "0", "--address", "127.0.0.1",
                              "--web-root", ""], capture_output=True, text=True, timeout=60,
                             env=dict(os.environ, **(env or {})))
        self.assertNotEqual(out.returncode, 0)
        self.assert_secret_absent(out.stdout, out.stderr)
        return out.stderr

    def test_wrong_password(self):
        log = self.failed_start(self.reader_source(password=PASSWORD + "x"))
        self.assertNotIn(PASSWORD + "x", log)
        self.assertIn(f"cannot connect to PostgreSQL database shipped on 127.0.0.1:{self.pg.port} as reader", log)
        self.assertIn("password authentication failed", log)

    def test_database_down_at_start(self):
        with Cluster() as down:
            port = down.port
        log = self.failed_start(f"PG:host=127.0.0.1 port={port} dbname=gis user={READER} password={PASSWORD}")
        self.assertIn(f"cannot connect to PostgreSQL database gis on 127.0.0.1:{port} as reader", log)
        log = self.failed_start(f"PG:postgresql://{READER}:{PASSWORD}@127.0.0.1:{port}/gis")
        self.assertIn(f"PostgreSQL database gis on 127.0.0.1:{port} as reader", log)

    def test_running_server_shows_no_password(self):
        with RunningServer(self.reader_source()) as server:
            for path in ["/", "/health", "/metrics", "/collections", "/collections/industry", "/tiles.json",
                         "/api", "/collections/industry/items", "/search?q=Beichen", "/nope"]:
                status, head, body = server.request(path)
                self.assert_secret_absent(body.decode("utf-8", "replace"), json.dumps(head))
            server.stop()
            self.assert_secret_absent(server.log())

    def test_password_from_pgpassfile_pgservice_and_environment(self):
        with tempfile.TemporaryDirectory() as tmp:
            passfile = os.path.join(tmp, "pgpass")
            with open(passfile, "w") as f:
                f.write(f"127.0.0.1:{self.pg.port}:*:{READER}:{PASSWORD}\n")
            os.chmod(passfile, 0o600)
            services = os.path.join(tmp, "pg_service.conf")
            with open(services, "w") as f:
                f.write(f"[beichen]\nhost=127.0.0.1\nport={self.pg.port}\ndbname=shipped\nuser={READER}\n")
            cases = [
                (self.reader_source(password=None), {"PGPASSFILE": passfile}),
                ("PG:service=beichen", {"PGSERVICEFILE": services, "PGPASSFILE": passfile}),
                ("PG:", {"PGHOST": "127.0.0.1", "PGPORT": str(self.pg.port), "PGDATABASE": "shipped",
                         "PGUSER": READER, "PGPASSWORD": PASSWORD}),
            ]
            for source, env in cases:
                saved = {k: os.environ.get(k) for k in env}
                os.environ.update(env)
                try:
                    with RunningServer(source) as server:
                        status, _, body = server.request("/collections/industry/items?limit=1")
                        self.assertEqual(status, 200, source)
                        self.assertEqual(json.loads(body)["numberMatched"], 12)
                        server.stop()
                        self.assert_secret_absent(server.log())
                finally:
                    for k, v in saved.items():
                        if v is None:
                            os.environ.pop(k, None)
                        else:
                            os.environ[k] = v

    def test_wait_for_source(self):
        with Cluster() as later:
            later.stop()
            server = RunningServer(f"PG:host=127.0.0.1 port={later.port} dbname=late user={READER} "
                                   f"password={PASSWORD}", "--wait-for-source", ready_timeout=0.5)
            with self.assertRaises(RuntimeError):
                server.__enter__()  # not healthy while the database is down
            try:
                status, _, body = server.request("/health")
                self.assertEqual(status, 503)
                later.restart()
                later.sql(f"CREATE ROLE {READER} LOGIN PASSWORD '{PASSWORD}'")
                load(later, "late")
                later.sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public, regiomap TO {READER}; "
                          f"GRANT USAGE ON SCHEMA regiomap TO {READER}", "late")
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    status, _, body = server.request("/health")
                    if status == 200:
                        break
                    time.sleep(0.2)
                self.assertEqual(status, 200, body)
                self.assertIn("waiting for the data source", server.log())
            finally:
                self.assertEqual(server.stop(), 0)
            self.assert_secret_absent(server.log())


if __name__ == "__main__":
    unittest.main()

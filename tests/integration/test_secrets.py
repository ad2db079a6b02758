"""Passwords in connection strings never reach a log line, an error, a
response or a metric. The failure paths that need no database are here;
those with a running PostgreSQL (wrong password, database down at reload,
bad SQL layer) are in tests/postgis/."""
import os
import socket
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import binary  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SecretsAtStartTest(unittest.TestCase):
    def run_server(self, data, env=None):
        result = subprocess.run([binary(), "--data", data, "--address", "127.0.0.1", "--port", "0",
                                 "--web-root", ""], capture_output=True, text=True, timeout=120,
                                env=dict(os.environ, **(env or {})))
        return result.returncode, result.stdout + result.stderr

    def test_database_down_at_start(self):
        port = free_port()  # nothing listens there
        for data, secret in [
            (f"PG:host=127.0.0.1 port={port} dbname=gis user=u password=topsecret-kv", "topsecret-kv"),
            (f"PG:host=127.0.0.1 port={port} dbname=gis user=u password='quoted secret'", "quoted secret"),
            (f"PG:postgresql://u:topsecret-uri@127.0.0.1:{port}/gis", "topsecret-uri"),
        ]:
            code, output = self.run_server(data)
            self.assertNotEqual(code, 0, output)
            self.assertNotIn(secret, output)
            self.assertIn(f"database gis on 127.0.0.1:{port}", output, "names what it could not reach")

    def test_other_sources_with_a_password_are_shown_masked(self):
        port = free_port()
        secret = "url-secret-456"
        code, output = self.run_server(f"https://reader:{secret}@127.0.0.1:{port}/projects.geojson")
        self.assertNotEqual(code, 0, output)
        self.assertNotIn(secret, output)
        self.assertIn("cannot open data source", output)
        self.assertIn("reader:***@127.0.0.1", output)

    def test_pgpassword_from_the_environment(self):
        port = free_port()
        code, output = self.run_server(f"PG:host=127.0.0.1 port={port} dbname=gis user=u",
                                       env={"PGPASSWORD": "env-secret-123"})
        self.assertNotEqual(code, 0)
        self.assertNotIn("env-secret-123", output)


class SecretsOfEditingTest(unittest.TestCase):
    """Editing a PostGIS source whose database cannot be reached at start
    (nothing listens on the port): the refusal names the database, not its
    password, and the server does not start."""

    def test_editing_a_pg_source_is_refused_without_its_password(self):
        port = free_port()  # nothing listens there: the writer cannot connect
        with tempfile.TemporaryDirectory() as tmp:
            tokens_file = os.path.join(tmp, "tokens.json")
            added = subprocess.run([binary(), "token", "add", "ed", "--role", "editor", "--tokens-file", tokens_file],
                                   capture_output=True, text=True, timeout=60)
            self.assertEqual(added.returncode, 0, added.stderr)
            access_log = os.path.join(tmp, "access.log")
            for data, secret in [
                (f"PG:host=127.0.0.1 port={port} dbname=gis user=u password=edit-secret-kv", "edit-secret-kv"),
                (f"PG:dbname=gis host=127.0.0.1 port={port} password='edit secret quoted'", "edit secret quoted"),
                (f"PG:postgresql://u:edit-secret-uri@127.0.0.1:{port}/gis", "edit-secret-uri"),
            ]:
                result = subprocess.run([binary(), "--data", data, "--address", "127.0.0.1", "--port", "0",
                                         "--web-root", "", "--tokens-file", tokens_file, "--access-log", access_log],
                                        capture_output=True, text=True, timeout=120)
                output = result.stdout + result.stderr
                self.assertNotEqual(result.returncode, 0, output)
                self.assertIn("editing", output)
                self.assertIn("database gis", output, "names the database it refuses")
                self.assertNotIn("listening on", result.stdout, "refused before the port opens")
                for text in (output, Path(access_log).read_text() if os.path.exists(access_log) else ""):
                    self.assertNotIn(secret, text)
                    self.assertNotIn(secret.split()[-1], text)


if __name__ == "__main__":
    unittest.main()

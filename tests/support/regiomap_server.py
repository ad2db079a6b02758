"""Starts the real regiomap binary on a free port for a test and stops it.

The binary and the data come from the environment that CTest sets
(REGIOMAP_BIN, REGIOMAP_FIXTURE, REGIOMAP_SHIPPED), so the suites run the
build under test, on a real GeoPackage, over real sockets.

With REGIOMAP_SOURCE=postgis the same suites run against PostGIS: every
GeoPackage a suite hands to RunningServer is loaded into a throwaway
PostgreSQL + PostGIS cluster (scripts/throwaway-postgis, one per test
process, one database per GeoPackage, loaded by scripts/load-postgis --from)
and the server is started with "PG:…" for it instead. The suites' own
expectations still come from the GeoPackage (they open it with OGR), so
every answer served from PostGIS is compared with the GeoPackage feature by
feature.
"""
import atexit
import http.client
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def binary():
    return os.environ["REGIOMAP_BIN"]


def fixture_gpkg():
    return os.environ["REGIOMAP_FIXTURE"]


def shipped_gpkg():
    return os.environ["REGIOMAP_SHIPPED"]


def source_kind():
    """'gpkg' (default) or 'postgis': what RunningServer serves a GeoPackage from."""
    kind = os.environ.get("REGIOMAP_SOURCE", "gpkg")
    if kind not in ("gpkg", "postgis"):
        raise RuntimeError(f"REGIOMAP_SOURCE={kind!r}: use gpkg or postgis")
    return kind


_cluster = None
_databases = {}


def postgis_cluster():
    """The test process's throwaway PostGIS cluster, started on first use and stopped at exit."""
    global _cluster
    if _cluster is None:
        sys.path.insert(0, str(REPO / "scripts" / "lib"))
        from throwaway_postgis import Cluster
        _cluster = Cluster().start()
        atexit.register(_cluster.close)
    return _cluster


def postgis_copy(gpkg):
    """'PG:…' of a database holding the GeoPackage's layers (loaded once per process)."""
    gpkg = os.path.realpath(gpkg)
    if gpkg not in _databases:
        cluster = postgis_cluster()
        name = f"db{len(_databases) + 1}_" + re.sub(r"[^a-z0-9]", "_", Path(gpkg).stem.lower())
        cluster.create_database(name)
        subprocess.run([str(REPO / "scripts" / "load-postgis"), "--quiet", "--from", gpkg, cluster.gdal(name)],
                       check=True)
        _databases[gpkg] = cluster.gdal(name)
    return _databases[gpkg]


def served_source(data):
    """What the server is given for `data`: the data itself, or its PostGIS copy."""
    if source_kind() == "postgis" and str(data).endswith(".gpkg") and os.path.exists(data):
        return postgis_copy(data)
    return data


class RunningServer:
    """Context manager: `with RunningServer(data) as server: server.get(...)`."""

    def __init__(self, data, *extra_args, ready_timeout=60):
        self.data = data
        self.extra_args = list(extra_args)
        self.ready_timeout = ready_timeout
        self.process = None
        self.port = None
        self.log_file = tempfile.NamedTemporaryFile(prefix="regiomap-", suffix=".log", delete=False)

    def __enter__(self):
        args = [binary(), "--data", served_source(self.data), "--address", "127.0.0.1", "--port", "0",
                "--web-root", ""] + self.extra_args
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log_file, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"http://localhost:(\d+)/", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"server did not print its URL: {line!r}\n{self.log()}")
        self.port = int(match.group(1))
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url("/health"), timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not become healthy:\n" + self.log())

    def __exit__(self, *exc):
        self.stop()

    def stop(self, timeout=20):
        """SIGTERM, then wait: returns the exit code (0 for a clean stop)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process and self.process.stdout:
            self.process.stdout.close()
        return self.process.returncode if self.process else None

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def log(self):
        self.log_file.flush()
        with open(self.log_file.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def request(self, path, method="GET", headers=None, connection=None):
        """One request; returns (status, headers dict with lower-case names, body bytes)."""
        own = connection is None
        conn = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            body = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            if own:
                conn.close()

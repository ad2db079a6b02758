#!/usr/bin/python3
"""The regiomap benchmark; run it through scripts/bench/run, which installs
the packages and builds the server first. See docs/BENCHMARKS.md.

Modes:
  (default)  10^4/10^5/10^6, wrk 10 s per point; peers: nginx, TileServer GL,
             geojson-vt + vt-pbf, PostGIS                     ~15 min
  --quick    10^4/10^5 only, wrk 3 s per point, shorter lists  ~5 min
  --smoke    2·10^3 features, regiomap only, one wrk run of 2 s; needs only
             wrk, node, python3-gdal/numpy and a built server   a few seconds
"""

import argparse
import datetime
import json
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.join(ROOT, "scripts", "bench")
LAYERS = ["roads", "parcels", "pois"]
PG_BIN = "/usr/lib/postgresql/15/bin"

MODES = {
    "full": dict(sizes=[10_000, 100_000, 1_000_000], main=100_000, wrk_seconds=5, connections=[1, 16, 64, 256],
                 hot_tiles=3000, cold_tiles=1500, street_tiles=2000, zoom_samples=50, zoom_budget_s=20,
                 bbox_queries=500, paging_runs=3, repeats=3, peers=True, spot_tiles=(8, 2, 2), cold_max_s=60,
                 cold_seconds=10),
    "quick": dict(sizes=[10_000, 100_000], main=100_000, wrk_seconds=3, connections=[1, 16, 64, 256],
                  hot_tiles=2000, cold_tiles=300, street_tiles=400, zoom_samples=12, zoom_budget_s=4,
                  bbox_queries=100, paging_runs=1, repeats=1, peers=True, spot_tiles=(6, 1, 1), cold_max_s=20,
                  cold_seconds=4),
    "smoke": dict(sizes=[2_000], main=2_000, wrk_seconds=2, connections=[16], hot_tiles=200, cold_tiles=40,
                  street_tiles=40, zoom_samples=2, zoom_budget_s=1, bbox_queries=10, paging_runs=1, repeats=1,
                  peers=False, spot_tiles=(0, 0, 0), cold_max_s=10, cold_seconds=0),
}
# What "no thinning" passes to the server: a threshold no collection reaches.
NO_THINNING = ["--thin-above", "1000000000"]
PG_LAYERS = {
    "roads": ["name", "class", "lanes"],
    "parcels": ["code", "landuse", "area_m2", "year"],
    "pois": ["name", "kind", "level"],
}


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def size_label(n):
    exponent = round(math.log10(n))
    return f"1e{exponent}" if 10 ** exponent == n else str(n)


def pretty_size(n):
    exponent = round(math.log10(n))
    return f"10^{exponent}" if 10 ** exponent == n else f"{n:,}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_status(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def wait_for(url, seconds, process=None, want=200):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        if http_status(url) == want:
            return
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer {want} within {seconds} s")


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def stop(process, name):
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        log(f"{name} did not stop on SIGTERM; killing it")
        process.kill()
        process.wait()


class Node:
    def __init__(self, heap_mb=None):
        self.heap_mb = heap_mb

    def __call__(self, command, options, heap_mb=None):
        args = ["node"]
        heap = heap_mb or self.heap_mb
        if heap:
            args.append(f"--max-old-space-size={heap}")
        args += [os.path.join(HERE, "client.mjs"), command, json.dumps(options)]
        out = subprocess.run(args, cwd=HERE, check=True, stdout=subprocess.PIPE, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])


node = Node()


# --- the tile client -----------------------------------------------------------

class TileClient:
    """scripts/bench/tileclient.c, compiled on first use into build-bench/: a
    C client for cold tiles over HTTP and from PostgreSQL that reports its own
    CPU time (the Node client it replaces used a third of this machine)."""

    def __init__(self):
        self.binary = os.path.join(ROOT, "build-bench", "tileclient")
        self.built = False

    def build(self):
        source = os.path.join(HERE, "tileclient.c")
        if self.built or (os.path.exists(self.binary) and os.path.getmtime(self.binary) > os.path.getmtime(source)):
            self.built = True
            return
        os.makedirs(os.path.dirname(self.binary), exist_ok=True)
        args = ["cc", "-O2", "-std=c11", "-Wall", "-Wextra", "-o", self.binary, source, "-lpthread"]
        if os.path.exists("/usr/include/postgresql/libpq-fe.h"):
            args += ["-I/usr/include/postgresql", "-lpq"]
        else:
            args.append("-DTILECLIENT_NO_PG")  # the smoke run needs no PostgreSQL
        subprocess.run(args, check=True)
        self.built = True

    def run(self, args):
        self.build()
        out = subprocess.run([self.binary] + [str(a) for a in args], check=True, stdout=subprocess.PIPE,
                             text=True).stdout
        return json.loads(out.strip().splitlines()[-1])

    def http(self, base, tiles, connections, encoding="identity", max_seconds=None, repeat=1):
        host, port = base.replace("http://", "").split(":")
        args = ["http", host, port, tiles, connections, "--encoding", encoding, "--repeat", repeat]
        if max_seconds:
            args += ["--seconds", max_seconds]
        return self.run(args)

    def pg(self, conninfo, tiles, connections, sql, max_seconds=None):
        args = ["pg", conninfo, tiles, connections, sql]
        if max_seconds:
            args += ["--seconds", max_seconds]
        return self.run(args)


tileclient = TileClient()


def cpu_seconds(pid, with_children=False):
    """CPU time (user + system) of a process so far: of all its threads, from
    their schedstat in nanoseconds; with_children, from its stat in clock ticks,
    adding the children it has reaped (PostgreSQL's backends)."""
    if not with_children:
        total = 0
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                    total += int(f.read().split()[0])
            except OSError:
                pass  # a thread that just ended
        return total / 1e9
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


# --- the server under test ---------------------------------------------------

class Regiomap:
    LOADED = re.compile(r"loaded (\d+) collections, (\d+) features from .* in (\d+) ms")

    def __init__(self, binary, data, cache_mb, workdir, threads=None, extra=(), access_log=False):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.stderr_path = os.path.join(workdir, f"regiomap-{self.port}.log")
        args = [binary, "--data", data, "--address", "127.0.0.1", "--port", str(self.port), "--web-root", "",
                "--tile-cache-mb", str(cache_mb)] + list(extra)
        if not access_log:
            args.append("--no-access-log")  # else the default: one line per request to stderr (a file here)
        if threads:
            args += ["--threads", str(threads)]
        self.args = args
        self.stderr = open(self.stderr_path, "w")
        t0 = time.monotonic()
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.stderr, cwd=ROOT)
        wait_for(self.base + "/health", 600, self.process)
        self.wall_s = time.monotonic() - t0
        self.rss_kib = rss_kib(self.process.pid)
        self.hwm_kib = rss_kib(self.process.pid, "VmHWM")
        with open(self.stderr_path) as f:
            match = self.LOADED.search(f.read())
        self.load_ms = int(match.group(3)) if match else None
        self.features = int(match.group(2)) if match else None

    def close(self):
        stop(self.process, "regiomap")
        self.stderr.close()


# --- tile lists --------------------------------------------------------------

def lonlat_to_tile(lon, lat, z):
    n = 1 << z
    x = int((lon + 180.0) / 360.0 * n)
    lat_r = math.radians(lat)
    y = int((1.0 - math.log(math.tan(lat_r) + 1.0 / math.cos(lat_r)) / math.pi) / 2.0 * n)
    return z, min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def sample_positions(gpkg, count, seed):
    """Positions where the data is: a random vertex of random features (all layers, by size)."""
    from osgeo import ogr
    ogr.UseExceptions()
    rng = random.Random(seed)
    ds = ogr.Open(gpkg)
    layers = [(ds.GetLayerByName(name), ds.GetLayerByName(name).GetFeatureCount()) for name in LAYERS]
    total = sum(n for _, n in layers)
    out = []
    for _ in range(count):
        pick = rng.randrange(total)
        for layer, n in layers:
            if pick < n:
                break
            pick -= n
        feature = layer.GetFeature(pick + 1)
        g = feature.GetGeometryRef()
        if g.GetGeometryType() == ogr.wkbPolygon:
            g = g.GetGeometryRef(0)
        k = g.GetPointCount()
        i = rng.randrange(k) if k else 0
        out.append((g.GetX(i), g.GetY(i)))
    return out


def street_tile_list(gpkg, count, seed):
    """Up to `count` distinct street-level tiles where the data is dense: 97.5 % at
    z12–z16 (equal shares, a zoom's shortfall of distinct tiles passed on to the
    next), the rest z8–z11; positions drawn from the data with weights growing
    with the data around them (the number of sampled positions in the same z12
    tile), in a random order."""
    rng = random.Random(seed)
    pool = sample_positions(gpkg, count * 4, seed)
    around = {}
    for lon, lat in pool:
        cell = lonlat_to_tile(lon, lat, 12)
        around[cell] = around.get(cell, 0) + 1
    weights = [around[lonlat_to_tile(lon, lat, 12)] for lon, lat in pool]
    low = round(count * 0.025)
    quotas = {z: low // 4 for z in (8, 9, 10, 11)}
    street = count - sum(quotas.values())
    quotas.update({z: street // 5 for z in (12, 13, 14, 15, 16)})
    quotas[16] += count - sum(quotas.values())
    tiles = []
    carry = 0
    for z in sorted(quotas):
        want = quotas[z] + (carry if z >= 12 else 0)
        seen = set()
        got = []
        for _ in range(want * 30):
            lon, lat = rng.choices(pool, weights)[0]
            tile = lonlat_to_tile(lon, lat, z)
            if tile not in seen:
                seen.add(tile)
                got.append(tile)
                if len(got) == want:
                    break
        carry = want - len(got) if z >= 12 else 0
        tiles += got
    rng.shuffle(tiles)
    return tiles


def per_zoom_count(tiles):
    return {z: sum(1 for t in tiles if t[0] == z) for z in sorted({t[0] for t in tiles})}


def make_tile_list(gpkg, count, zooms, seed):
    """Up to `count` distinct tiles where the data is, zooms drawn uniformly, in a random order."""
    rng = random.Random(seed)
    positions = sample_positions(gpkg, count * 3, seed)
    seen = set()
    tiles = []
    for lon, lat in positions:
        tile = lonlat_to_tile(lon, lat, rng.choice(zooms))
        if tile not in seen:
            seen.add(tile)
            tiles.append(tile)
            if len(tiles) == count:
                break
    return tiles


def write_tiles(path, tiles):
    with open(path, "w") as f:
        for z, x, y in tiles:
            f.write(f"{z}/{x}/{y}\n")


def read_tiles(path):
    with open(path) as f:
        return [tuple(int(v) for v in line.strip().split("/")) for line in f if line.strip()]


# --- peers -------------------------------------------------------------------

class Nginx:
    def __init__(self, static_root, workdir, access_log=False):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        prefix = os.path.join(workdir, f"nginx-{self.port}")
        # nginx's default: every request to logs/access.log in the combined format, unbuffered.
        log = f"access_log {prefix}/access.log combined;" if access_log else "access_log off;"
        os.makedirs(os.path.join(prefix, "tmp"), exist_ok=True)
        conf = os.path.join(prefix, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    {log}
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    open_file_cache max=20000 inactive=60s;
    open_file_cache_valid 60s;
    gzip_static on;
    types {{ application/vnd.mapbox-vector-tile mvt; }}
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    server {{
        listen 127.0.0.1:{self.port};
        root {static_root};
        location /tiles/ {{ }}
    }}
}}
""")
        self.process = subprocess.Popen(["nginx", "-c", conf, "-p", prefix, "-g", "daemon off;"],
                                        stdout=subprocess.DEVNULL, stderr=open(os.path.join(prefix, "stderr"), "w"))

    def wait(self, probe):
        wait_for(self.base + probe, 30, self.process)

    def close(self):
        stop(self.process, "nginx")

    def master_pid(self):
        return self.process.pid


def write_mbtiles(path, static_root, tiles):
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE metadata (name TEXT, value TEXT);
        CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
        CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
    """)
    zooms = [t[0] for t in tiles]
    vector_layers = [
        {"id": "roads", "fields": {"name": "String", "class": "String", "lanes": "Number"}},
        {"id": "parcels", "fields": {"code": "String", "landuse": "String", "area_m2": "Number", "year": "Number"}},
        {"id": "pois", "fields": {"name": "String", "kind": "String", "level": "Number"}},
    ]
    metadata = {"name": "bench", "format": "pbf", "type": "overlay", "version": "1",
                "minzoom": str(min(zooms)), "maxzoom": str(max(zooms)),
                "bounds": "116.7,38.8,117.8,39.6", "center": "117.2,39.13,10",
                "json": json.dumps({"vector_layers": vector_layers})}
    db.executemany("INSERT INTO metadata VALUES (?, ?)", metadata.items())
    for z, x, y in tiles:
        with open(os.path.join(static_root, "tiles", str(z), str(x), f"{y}.mvt.gz"), "rb") as f:
            data = f.read()
        db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, data))
    db.commit()
    db.close()


class TileServerGL:
    def __init__(self, mbtiles, workdir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = os.path.join(workdir, "tileserver-config.json")
        with open(config, "w") as f:
            json.dump({"options": {"paths": {"root": workdir, "mbtiles": os.path.dirname(mbtiles)}},
                       "data": {"bench": {"mbtiles": os.path.basename(mbtiles)}}}, f)
        main = os.path.join(HERE, "node_modules", "tileserver-gl-light", "src", "main.js")
        self.log = open(os.path.join(workdir, "tileserver.log"), "w")
        self.process = subprocess.Popen(["node", main, "--config", config, "--port", str(self.port),
                                         "--bind", "127.0.0.1", "--silent"], cwd=workdir,
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, probe):
        wait_for(self.base + probe, 60, self.process)

    def close(self):
        stop(self.process, "tileserver-gl-light")
        self.log.close()


def pg_tile_sql(layers):
    """One query per tile, as client.mjs's pg-tiles: ST_AsMVT over ST_AsMVTGeom per layer."""
    parts = [f"(SELECT coalesce(ST_AsMVT(q, '{layer}', 4096, 'geom', 'fid'), ''::bytea) FROM ("
             f"SELECT fid, {', '.join(PG_LAYERS[layer])}, "
             f"ST_AsMVTGeom(geom3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom FROM {layer} "
             f"WHERE geom3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)) q WHERE q.geom IS NOT NULL)"
             for layer in layers]
    return "SELECT " + " || ".join(parts) + " AS tile"


class PostGIS:
    loaded = None

    def __init__(self, workdir):
        self.dir = tempfile.mkdtemp(prefix="regiomap-bench-pg-")
        shutil.chown(self.dir, "postgres", "postgres")
        self.port = free_port()
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(workdir, "postgres.log")
        self.as_postgres([f"{PG_BIN}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                          "--no-sync"])
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c shared_buffers=2GB "
                   "-c work_mem=64MB -c maintenance_work_mem=1GB -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c jit=off -c max_parallel_workers_per_gather=0 "
                   "-c max_wal_size=4GB")
        open(self.log, "w").close()
        shutil.chown(self.log, "postgres", "postgres")
        self.as_postgres([f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "start"])
        self.conn = {"host": "127.0.0.1", "port": self.port, "user": "postgres", "database": "postgres"}
        self.dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        self.sql("CREATE EXTENSION postgis")

    def as_postgres(self, args):
        subprocess.run(["runuser", "-u", "postgres", "--"] + args, check=True, stdout=subprocess.DEVNULL,
                       cwd="/tmp")

    def sql(self, text):
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.dsn, "-c", text], check=True,
                       stdout=subprocess.DEVNULL)

    def load(self, gpkg):
        """Loads the layers and builds what the tile and GeoJSON queries need; returns the timings."""
        t0 = time.monotonic()
        subprocess.run(["ogr2ogr", "-f", "PostgreSQL", f"PG:{self.dsn}", gpkg, "-lco", "GEOMETRY_NAME=geom",
                        "-lco", "FID=fid", "-lco", "SPATIAL_INDEX=NONE", "-preserve_fid", "-overwrite",
                        "--config", "PG_USE_COPY", "YES"] + LAYERS, check=True)
        t1 = time.monotonic()
        for layer in LAYERS:
            self.sql(f"ALTER TABLE {layer} ADD COLUMN geom3857 geometry; "
                     f"UPDATE {layer} SET geom3857 = ST_Transform(geom, 3857)")
        t2 = time.monotonic()
        for layer in LAYERS:
            self.sql(f"CREATE INDEX ON {layer} USING gist (geom3857); CREATE INDEX ON {layer} USING gist (geom)")
            self.sql(f"VACUUM ANALYZE {layer}")
        t3 = time.monotonic()
        self.loaded = gpkg
        return {"load_s": t1 - t0, "transform_s": t2 - t1, "index_s": t3 - t2, "total_s": t3 - t0}

    def postmaster_pid(self):
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            return int(f.readline())

    def backends_cpu_seconds(self):
        """CPU of the postmaster and every backend it has reaped (a connection's
        backend is reaped soon after the connection closes)."""
        return cpu_seconds(self.postmaster_pid(), with_children=True)

    def close(self):
        try:
            self.as_postgres([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


# --- the parts ---------------------------------------------------------------

def median_of(runs, key):
    """The run with the median `key`; every run's value is kept in it as `all_<key>`."""
    ordered = sorted(runs, key=lambda r: r[key])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["all_" + key] = [r[key] for r in runs]
    return chosen


def wrk(base, tiles_file, prefix, suffix, connections, seconds):
    """wrk cycling through a tile list with Accept-Encoding: gzip (tiles.lua)."""
    threads = min(2, connections)
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
            "-s", os.path.join(HERE, "tiles.lua"), base, "--", tiles_file, prefix, suffix]
    out = subprocess.run(args, check=True, stdout=subprocess.PIPE, text=True).stdout
    summary = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
    seconds_run = summary["duration_us"] / 1e6
    errors = sum(summary["errors"].values())
    return {
        "connections": connections,
        "threads": threads,
        "requests": summary["requests"],
        "req_per_s": summary["requests"] / seconds_run,
        "mb_per_s": summary["bytes"] / seconds_run / 2 ** 20,
        "p50_ms": summary["latency_us"]["p50"] / 1000,
        "p99_ms": summary["latency_us"]["p99"] / 1000,
        "errors": errors,
        "error_detail": summary["errors"],
    }


def hot_tiles(cfg, binary, data_dir, work, results):
    """Cached tiles over HTTP (wrk, keep-alive, gzip): regiomap against nginx serving
    the same gzip bytes as static files (and TileServer GL an MBTiles of them), on
    today's list and the street-level list, without access logs; and regiomap with
    its default access log against nginx with its default one (issue 11 §2)."""
    n = cfg["main"]
    gpkg = os.path.join(data_dir, f"bench-{size_label(n)}.gpkg")
    lists = {
        "today": (os.path.join(work, "hot-candidates.txt"), os.path.join(work, "hot-tiles.txt"),
                  make_tile_list(gpkg, cfg["hot_tiles"], list(range(8, 17)), seed=61)),
        "street": (os.path.join(work, "hot-street-candidates.txt"), os.path.join(work, "hot-street-tiles.txt"),
                   street_tile_list(gpkg, cfg["street_tiles"], seed=71)),
    }
    server = Regiomap(binary, gpkg, 256, work)
    static = os.path.join(work, "static")
    shutil.rmtree(static, ignore_errors=True)
    peers = []
    out = {"lists": {}, "runs": {}}
    try:
        for name, (candidates, kept, tiles) in lists.items():
            write_tiles(candidates, tiles)
            # Every tile once with gzip: warms the cache and writes the static files.
            fetched = node("fetch", {"base": server.base, "tiles": candidates, "out": static, "kept": kept})
            tiles = read_tiles(kept)
            log(f"hot {name} list: {fetched['kept']} non-empty of {fetched['tiles']}, "
                f"{fetched['bytes_raw'] / 2 ** 20:.1f} MiB raw, {fetched['bytes_gzip'] / 2 ** 20:.1f} MiB gzip")
            out["lists"][name] = {"tiles": len(tiles), "candidates": fetched["tiles"], "bytes_raw": fetched["bytes_raw"],
                                  "bytes_gzip": fetched["bytes_gzip"], "per_zoom": per_zoom_count(tiles)}
        today, street = lists["today"][1], lists["street"][1]
        # (name, server, list name, list file, prefix, suffix, connection counts)
        points = [("regiomap", server, "today", today, "/tiles/", ".mvt", cfg["connections"])]
        if cfg["peers"]:
            ngx = Nginx(static, work)
            peers.append(ngx)
            ngx.wait("/tiles/{}/{}/{}.mvt".format(*read_tiles(today)[0]))
            mbtiles = os.path.join(work, "bench.mbtiles")
            write_mbtiles(mbtiles, static, read_tiles(today))
            tsgl = TileServerGL(mbtiles, work)
            peers.append(tsgl)
            tsgl.wait("/data/bench/{}/{}/{}.pbf".format(*read_tiles(today)[0]))
            logged = Regiomap(binary, gpkg, 256, work, access_log=True)
            peers.append(logged)
            tileclient.http(logged.base, today, 2, "gzip")  # warm its cache
            ngx_logged = Nginx(static, work, access_log=True)
            peers.append(ngx_logged)
            ngx_logged.wait("/tiles/{}/{}/{}.mvt".format(*read_tiles(today)[0]))
            logged_connections = [c for c in cfg["connections"] if c >= 16]
            points += [
                ("nginx", ngx, "today", today, "/tiles/", ".mvt", cfg["connections"]),
                ("tileserver-gl", tsgl, "today", today, "/data/bench/", ".pbf", cfg["connections"]),
                ("regiomap", server, "street", street, "/tiles/", ".mvt", cfg["connections"]),
                ("nginx", ngx, "street", street, "/tiles/", ".mvt", cfg["connections"]),
                ("regiomap-log", logged, "today", today, "/tiles/", ".mvt", logged_connections),
                ("nginx-log", ngx_logged, "today", today, "/tiles/", ".mvt", logged_connections),
            ]
            # warm-up: every tile once at least (JITs, page cache, open-file cache)
            for name, target, _, tiles_file, prefix, suffix, _ in points:
                wrk(target.base, tiles_file, prefix, suffix, 16, max(1, cfg["wrk_seconds"] // 3))
        # Every point `repeats` times, the servers interleaved, so that background
        # noise hits all of them alike; the median run (by req/s) is reported.
        samples = {}
        for _ in range(cfg["repeats"]):
            for name, target, list_name, tiles_file, prefix, suffix, connections in points:
                for c in connections:
                    r = wrk(target.base, tiles_file, prefix, suffix, c, cfg["wrk_seconds"])
                    log(f"hot {list_name} {name} c={c}: {r['req_per_s']:.0f} req/s, p50 {r['p50_ms']:.2f} ms, "
                        f"p99 {r['p99_ms']:.2f} ms, errors {r['errors']}")
                    samples.setdefault(f"{list_name}/{name}/{c}", []).append(r)
        out["runs"] = {key: median_of(runs, "req_per_s") for key, runs in samples.items()}
        out["regiomap_rss_kib"] = rss_kib(server.process.pid)
    finally:
        for p in peers:
            p.close()
        server.close()
    results["hot"] = out


COLD_CONFIGS = (("default", ()), ("no-thinning", NO_THINNING))
ENCODINGS = ("gzip", "identity")


def gzip_sizes(base, tiles):
    """Each tile as sent with and without Accept-Encoding: gzip, and what zlib at
    level 6 (the server's compressor before libdeflate) made of it."""
    import http.client
    import zlib
    host, port = base.replace("http://", "").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    out = {"tiles": 0, "raw": 0, "gzip": 0, "zlib6": 0}
    for z, x, y in tiles:
        bodies = {}
        for encoding in ("identity", "gzip"):
            conn.request("GET", f"/tiles/{z}/{x}/{y}.mvt", headers={"Accept-Encoding": encoding})
            response = conn.getresponse()
            bodies[encoding] = (response.status, response.getheader("Content-Encoding"), response.read())
        if bodies["identity"][0] != 200:
            continue
        raw = bodies["identity"][2]
        status, coding, packed = bodies["gzip"]
        # Bodies under --gzip-min-bytes are sent as they are, gzip asked or not.
        unpacked = zlib.decompress(packed, 31) if coding == "gzip" else packed
        if status != 200 or coding not in ("gzip", None) or unpacked != raw:
            raise RuntimeError(f"tile {z}/{x}/{y}: the gzip form is not the raw tile")
        zlib6 = zlib.compressobj(6, zlib.DEFLATED, 31)
        out["tiles"] += 1
        out["raw"] += len(raw)
        out["gzip"] += len(packed)
        out["zlib6"] += len(zlib6.compress(raw) + zlib6.flush())
    conn.close()
    return out


def cold_tiles(cfg, binary, data_dir, work, results, pg):
    """Tiles made from the data (`--tile-cache-mb 0`) by the C tile client, per data
    size and tile list: regiomap as users run it (defaults) and without thinning,
    with and without gzip, against PostGIS ST_AsMVT; 1 and 2 connections each.
    geojson-vt and the spot check on today's list at the main size."""
    out = {"sizes": {}}
    for n in cfg["sizes"]:
        label = size_label(n)
        gpkg = os.path.join(data_dir, f"bench-{label}.gpkg")
        size_out = {"lists": {}}
        lists = {}
        for name, tiles in (("today", make_tile_list(gpkg, cfg["cold_tiles"], list(range(8, 17)), seed=61)),
                            ("street", street_tile_list(gpkg, cfg["street_tiles"], seed=71))):
            path = os.path.join(work, f"cold-{name}-{label}.txt")
            write_tiles(path, tiles)
            lists[name] = path
            size_out["lists"][name] = {"tiles": len(tiles), "per_zoom_count": per_zoom_count(tiles), "runs": {}}
        if pg:
            log(f"PostGIS: loading the {pretty_size(n)} set")
            size_out["postgis_load"] = pg.load(gpkg)
        servers = {config: Regiomap(binary, gpkg, 0, work, extra=extra) for config, extra in COLD_CONFIGS}
        sql = pg_tile_sql(LAYERS)
        try:
            samples = {}
            for _ in range(cfg["repeats"]):
                for list_name, path in lists.items():
                    for config, server in servers.items():
                        for encoding in ENCODINGS:
                            for c in (1, 2):
                                before = cpu_seconds(server.process.pid)
                                # The list again and again for cold_seconds: one pass of a small list
                                # takes milliseconds, too short to measure on a shared machine.
                                if cfg["cold_seconds"]:
                                    r = tileclient.http(server.base, path, c, encoding, cfg["cold_seconds"],
                                                        repeat=1000)
                                else:
                                    r = tileclient.http(server.base, path, c, encoding, cfg["cold_max_s"])
                                r["server_cpu_s"] = cpu_seconds(server.process.pid) - before
                                if set(r["statuses"]) - {"200", "204"}:
                                    raise RuntimeError(f"cold {config} {encoding}: statuses {r['statuses']}")
                                log(f"cold {pretty_size(n)} {list_name} {config} {encoding} c={c}: "
                                    f"{r['tiles_per_s']:.1f} tiles/s, p99 {r['latency_ms']['p99']:.1f} ms, "
                                    f"server {1e3 * r['server_cpu_s'] / r['tiles']:.2f} ms CPU/tile, "
                                    f"client {1e3 * (r['cpu_user_s'] + r['cpu_sys_s']) / r['tiles']:.3f}")
                                samples.setdefault((list_name, f"regiomap/{config}/{encoding}/{c}"), []).append(r)
                    if pg:
                        for c in (1, 2):
                            before = pg.backends_cpu_seconds()
                            r = tileclient.pg(pg.dsn, path, c, sql, cfg["cold_max_s"])
                            time.sleep(0.2)  # the backends exit and are reaped: their CPU is counted
                            r["server_cpu_s"] = pg.backends_cpu_seconds() - before
                            log(f"cold {pretty_size(n)} {list_name} PostGIS c={c}: {r['tiles_per_s']:.1f} tiles/s, "
                                f"p99 {r['latency_ms']['p99']:.1f} ms")
                            samples.setdefault((list_name, f"postgis/{c}"), []).append(r)
            for (list_name, key), runs in samples.items():
                size_out["lists"][list_name]["runs"][key] = median_of(runs, "tiles_per_s")
            for list_name, path in lists.items():
                sizes = gzip_sizes(servers["default"].base, read_tiles(path))
                size_out["lists"][list_name]["bytes"] = sizes
                log(f"bytes {pretty_size(n)} {list_name}: gzip {sizes['gzip']} vs zlib 6 {sizes['zlib6']} "
                    f"({sizes['gzip'] / max(sizes['zlib6'], 1):.3f}x), raw {sizes['raw']}")
            if n == cfg["main"] and cfg["peers"] and cfg.get("vt", True):
                today = read_tiles(lists["today"])
                for w in (1, 2):
                    runs = []
                    for _ in range(cfg["repeats"]):
                        r = node("vt-tiles", {"data": os.path.join(data_dir, f"bench-{label}"), "layers": LAYERS,
                                              "tiles": lists["today"], "workers": w, "max_zoom": 16}, heap_mb=8192)
                        log(f"cold geojson-vt workers={w}: {r['tiles_per_s']:.1f} tiles/s, index "
                            f"{r['index_ms']:.0f} ms (+ parse {r['parse_ms']:.0f} ms)")
                        runs.append(r)
                    out.setdefault("geojson_vt", {})[w] = median_of(runs, "tiles_per_s")
                high, middle, low = cfg["spot_tiles"]
                spot_tiles = ([t for t in today if t[0] >= 14][:high] + [t for t in today if 12 <= t[0] < 14][:middle]
                              + [t for t in today if t[0] < 12][:low])
                out["spot"] = node("spot", {"base": servers["default"].base,
                                            "data": os.path.join(data_dir, f"bench-{label}"), "layers": LAYERS,
                                            "conn": pg.conn, "tiles": spot_tiles}, heap_mb=8192)
                detail = [t for t in out["spot"]["tiles"] if t["detail"]]
                log(f"spot check at z >= {out['spot']['detail_zoom']}: same ids (sub-pixel features aside) as "
                    f"geojson-vt in {sum(1 for t in detail if t['same_as_vt'])}/{len(detail)} tiles, as PostGIS "
                    f"in {sum(1 for t in detail if t['same_as_pg'])}/{len(detail)}")
        finally:
            for server in servers.values():
                server.close()
        out["sizes"][n] = size_out
    results["cold"] = out


def bbox_boxes(gpkg, count, seed, size_deg=0.01):
    rng = random.Random(seed)
    boxes = []
    for lon, lat in sample_positions(gpkg, count, seed):
        w = size_deg * rng.uniform(0.5, 1.5)
        collection = LAYERS[len(boxes) % len(LAYERS)]
        boxes.append([collection, [round(lon - w / 2, 6), round(lat - w / 2, 6), round(lon + w / 2, 6),
                                   round(lat + w / 2, 6)]])
    return boxes


def median_run(cfg, run):
    """The run with the median time of cfg["paging_runs"] runs."""
    runs = sorted((run() for _ in range(cfg["paging_runs"])), key=lambda r: r["seconds"])
    chosen = runs[len(runs) // 2]
    chosen["runs_seconds"] = [r["seconds"] for r in runs]
    return chosen


def geojson_api(cfg, binary, data_dir, work, results, pg):
    n = cfg["main"]
    gpkg = os.path.join(data_dir, f"bench-{size_label(n)}.gpkg")
    boxes = bbox_boxes(gpkg, cfg["bbox_queries"], seed=62)
    out = {"limit": 10000, "regiomap": {}, "postgis": {}}
    server = Regiomap(binary, gpkg, 0, work)
    try:
        for collection in LAYERS:
            out["regiomap"][collection] = median_run(cfg, lambda: node(
                "http-paging", {"base": server.base, "collection": collection, "limit": 10000}))
        out["regiomap"]["bbox"] = node("http-bbox", {"base": server.base, "boxes": boxes, "limit": 10000})
    finally:
        server.close()
    if pg:
        for collection in LAYERS:
            out["postgis"][collection] = median_run(cfg, lambda: node(
                "pg-paging", {"conn": pg.conn, "collection": collection, "limit": 10000}))
        out["postgis"]["bbox"] = node("pg-bbox", {"conn": pg.conn, "boxes": boxes, "limit": 10000})
    for side in ("regiomap", "postgis"):
        pages = [out[side][c] for c in LAYERS if c in out[side]]
        if pages:
            features = sum(p["features"] for p in pages)
            seconds = sum(p["seconds"] for p in pages)
            out[side]["all"] = {"features": features, "seconds": seconds, "features_per_s": features / seconds,
                                "bytes": sum(p["bytes"] for p in pages)}
            log(f"GeoJSON paging {side}: {features / seconds:,.0f} features/s; bbox p50 "
                f"{out[side]['bbox']['latency_ms']['p50']:.2f} ms")
    results["geojson"] = out


def scale(cfg, binary, data_dir, work, results):
    out = {}
    for n in cfg["sizes"]:
        label = size_label(n)
        gpkg = os.path.join(data_dir, f"bench-{label}.gpkg")
        positions = sample_positions(gpkg, 2000, seed=63)
        rng = random.Random(64)
        server = Regiomap(binary, gpkg, 0, work)
        try:
            row = {"features": server.features, "load_ms": server.load_ms, "rss_kib": server.rss_kib,
                   "hwm_kib": server.hwm_kib, "bytes_per_feature": server.rss_kib * 1024 / n,
                   "gpkg_bytes": os.path.getsize(gpkg), "zooms": {}}
            log(f"scale {pretty_size(n)}: loaded in {server.load_ms} ms, RSS {server.rss_kib / 1024:.0f} MiB")
            for z in range(0, 17):
                seen = []
                for lon, lat in positions:
                    t = lonlat_to_tile(lon, lat, z)
                    if t not in seen:
                        seen.append(t)
                    if len(seen) == cfg["zoom_samples"]:
                        break
                rng.shuffle(seen)
                tiles = [seen[i % len(seen)] for i in range(cfg["zoom_samples"])]
                zoom_list = os.path.join(work, f"zoom-{label}-{z}.txt")
                write_tiles(zoom_list, tiles)
                r = tileclient.http(server.base, zoom_list, 1, "identity", cfg["zoom_budget_s"])
                row["zooms"][z] = {"tiles": r["tiles"], "distinct": len(seen), "p50_ms": r["latency_ms"]["p50"],
                                   "p99_ms": r["latency_ms"]["p99"], "max_ms": r["latency_ms"]["max"],
                                   "bytes_mean": r["per_zoom"][str(z)]["bytes_mean"] if r["tiles"] else None}
            worst = max(row["zooms"].items(), key=lambda kv: kv[1]["p99_ms"] or 0)
            log(f"scale {pretty_size(n)}: worst cold-tile p99 {worst[1]['p99_ms']:.1f} ms at z{worst[0]}")
            boxes = bbox_boxes(gpkg, cfg["bbox_queries"], seed=65)
            row["bbox"] = node("http-bbox", {"base": server.base, "boxes": boxes, "limit": 10000})
        finally:
            server.close()
        out[n] = row
    results["scale"] = out


# --- report ------------------------------------------------------------------

def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])

    def version(args):
        try:
            return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout.strip()
        except OSError:
            return None

    versions = {
        "wrk": (version(["wrk", "-v"]) or "? ?").split()[1] if shutil.which("wrk") else None,
        "node": version(["node", "--version"]),
    }
    if shutil.which("nginx"):
        versions["nginx"] = version(["nginx", "-v"]).replace("nginx version: ", "")
    pkg = os.path.join(HERE, "node_modules")
    for name in ("tileserver-gl-light", "geojson-vt", "vt-pbf"):
        try:
            with open(os.path.join(pkg, name, "package.json")) as f:
                versions[name] = json.load(f)["version"]
        except OSError:
            pass
    if os.path.exists(f"{PG_BIN}/postgres"):
        versions["postgresql"] = version([f"{PG_BIN}/postgres", "--version"]).split()[2]
        pgis = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "postgresql-15-postgis-3"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
        versions["postgis"] = pgis or None
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "server"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True).stdout.strip()
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return {"cpus": os.cpu_count(), "cpu": model, "load_at_start": load, "memory_gib": round(mem_kib / 2 ** 20, 1),
            "kernel": platform.release(), "versions": versions,
            "commit": commit + (" (server/ modified)" if dirty else "")}


def fmt(value, digits=0):
    if value is None:
        return "–"
    if isinstance(value, (int, float)) and abs(value) >= 1000 and digits == 0:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r):
    return "–" if r is None else f"{r:.2f}×"


def verdict(ok):
    return "**met**" if ok else "**missed**"


def hot_cell(run):
    if not run:
        return "–", "–"
    err = f" ({run['errors']} errors)" if run["errors"] else ""
    return fmt(run["req_per_s"]) + err, f"{run['p50_ms']:.2f} / {run['p99_ms']:.2f}"


def report_hot(hot, results, add, targets):
    runs = hot["runs"]
    conns = results["config"]["connections"]

    def run(list_name, name, c):
        return runs.get(f"{list_name}/{name}/{c}")

    def rate(list_name, name, c):
        r = run(list_name, name, c)
        return r["req_per_s"] if r else None

    def describe(name):
        hl = hot["lists"][name]
        return (f"{hl['tiles']} distinct non-empty tiles (per zoom: "
                + ", ".join(f"z{z} {c}" for z, c in hl["per_zoom"].items())
                + f"), {hl['bytes_gzip'] / 2 ** 20:.1f} MiB gzip, {hl['bytes_gzip'] / max(hl['tiles'], 1) / 1024:.1f} "
                "KiB a tile")

    add("## Hot tiles over HTTP")
    add("")
    add(f"Today's list: {describe('today')}. Street-level list: {describe('street')}; built like the cold one "
        "below. Both from the " f"{pretty_size(results['main'])} set, cycled by `wrk` with `scripts/bench/tiles.lua` "
        f"(keep-alive, `Accept-Encoding: gzip`), {results['config']['wrk_seconds']} s per point; each point is the "
        f"median of {results['config']['repeats']} runs with the servers interleaved (every run in the JSON); "
        "`-t2` (`-t1` at 1 connection). regiomap: tile cache warmed with every tile, gzip forms included; nginx: "
        "the same gzip bytes as static files (`gzip_static`, `sendfile`, `open_file_cache`, 2 workers); "
        "TileServer GL: an MBTiles of the same gzip bytes. Without access logs unless the table says so.")
    add("")
    add("Today's list:")
    add("")
    add("| connections | regiomap req/s | p50 / p99 ms | nginx req/s | p50 / p99 ms | TileServer GL req/s "
        "| p50 / p99 ms | regiomap / nginx | regiomap / TileServer GL |")
    add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in conns:
        cells = [str(c)]
        for name in ("regiomap", "nginx", "tileserver-gl"):
            cells += list(hot_cell(run("today", name, c)))
        rn = ratio(rate("today", "regiomap", c), rate("today", "nginx", c))
        rt = ratio(rate("today", "regiomap", c), rate("today", "tileserver-gl", c))
        cells += [fmt_ratio(rn), fmt_ratio(rt)]
        add("| " + " | ".join(cells) + " |")
        if c == 64 and rn is not None:
            targets.append(("6", "hot tiles ≥ 0.8× nginx req/s at 64 connections", fmt_ratio(rn), rn >= 0.8))
            if rt is not None:
                targets.append(("6", "hot tiles ≥ 5× TileServer GL req/s at 64 connections", fmt_ratio(rt), rt >= 5))
    add("")
    if any(k.startswith("street/") for k in runs):
        add("Street-level list:")
        add("")
        add("| connections | regiomap req/s | p50 / p99 ms | nginx req/s | p50 / p99 ms | regiomap / nginx |")
        add("|---:|---:|---:|---:|---:|---:|")
        street = []
        for c in conns:
            rn = ratio(rate("street", "regiomap", c), rate("street", "nginx", c))
            street.append((c, rn))
            add("| " + " | ".join([str(c), *hot_cell(run("street", "regiomap", c)), *hot_cell(run("street", "nginx", c)),
                                   fmt_ratio(rn)]) + " |")
        add("")
        measured = ", ".join(f"{fmt_ratio(r)} at {c}" for c, r in street if r is not None)
        targets.append(("16", "hot street-level tiles ≥ 1.0× nginx (same gzip bytes)", measured,
                        all(r >= 1.0 for c, r in street if r is not None and c >= 16)))
    logged = [c for c in conns if run("today", "regiomap-log", c)]
    if logged:
        add("Access logs, today's list: regiomap with its default access log (one logfmt line per request, "
            "to stderr, here a file) and nginx with its default one (`access_log … combined`, a file); "
            "the columns without logs are the same runs as the first table.")
        add("")
        add("| connections | regiomap, log req/s | p50 / p99 ms | nginx, log req/s | p50 / p99 ms | "
            "regiomap / nginx, both logging | regiomap / nginx, neither logging | regiomap logging / nginx not |")
        add("|---:|---:|---:|---:|---:|---:|---:|---:|")
        both = []
        for c in logged:
            rl = ratio(rate("today", "regiomap-log", c), rate("today", "nginx-log", c))
            rn = ratio(rate("today", "regiomap", c), rate("today", "nginx", c))
            rx = ratio(rate("today", "regiomap-log", c), rate("today", "nginx", c))
            both.append((c, rl))
            add("| " + " | ".join([str(c), *hot_cell(run("today", "regiomap-log", c)),
                                   *hot_cell(run("today", "nginx-log", c)), fmt_ratio(rl), fmt_ratio(rn),
                                   fmt_ratio(rx)]) + " |")
        add("")
        measured = ", ".join(f"{fmt_ratio(r)} at {c}" for c, r in both if r is not None)
        targets.append(("11 §2", "hot tiles, default access log ≥ 1.0× nginx with its default access log", measured,
                        all(r >= 1.0 for _, r in both if r is not None)))


COLD_ROWS = (("default", "gzip", "defaults (thinning below z14)", "gzip"),
             ("default", "identity", "defaults (thinning below z14)", "none"),
             ("no-thinning", "gzip", "no thinning", "gzip"),
             ("no-thinning", "identity", "no thinning", "none"))


def per_tile_ms(run, key):
    if not run or not run.get("tiles"):
        return None
    if key == "client":
        return 1e3 * (run["cpu_user_s"] + run["cpu_sys_s"]) / run["tiles"]
    return 1e3 * run["server_cpu_s"] / run["tiles"]


def fmt_ms(value, digits=2):
    return "–" if value is None else f"{value:.{digits}f}"


def report_cold(cold, results, add, targets):
    sizes = list(cold["sizes"].keys())
    main = results["main"]
    add("## Cold tiles (no cache)")
    add("")
    add("Every tile made from the data: regiomap with `--tile-cache-mb 0`, as users run it (default options) and "
        "without thinning (`--thin-above 1000000000`), each with `Accept-Encoding: gzip` (what every browser sends) "
        "and without; PostGIS: one query per tile, `ST_AsMVT(…, 4096, 'geom', 'fid')` over "
        "`ST_AsMVTGeom(geom3857, ST_TileEnvelope(z,x,y), 4096, 64, true)` with "
        "`geom3857 && ST_TileEnvelope(z,x,y, margin => 64.0/4096)` per layer (no compression, as PostGIS "
        "sends it; `max_parallel_workers_per_gather=0`, `jit=off`, `shared_buffers=2GB`). One client for both: "
        "`scripts/bench/tileclient.c` (C, one thread per connection, keep-alive HTTP or libpq with a prepared "
        "statement and binary results), regiomap: the list over and over for "
        f"{results['config'].get('cold_seconds') or 'one pass'}{' s' if results['config'].get('cold_seconds') else ''} "
        "per run (still cold: nothing is cached); PostGIS: the list once, at most "
        f"{results['config']['cold_max_s']} s; 1 and 2 connections; each figure is "
        f"the median of {results['config']['repeats']} interleaved runs. \"server CPU\" is the server process's "
        "user + system time (PostGIS: its backends') per tile, \"client CPU\" the client's. Two lists per size, "
        "drawn from that size's data: today's (as in the hot table: zooms 8–16 alike, where the data is) and a "
        "street-level one (97.5 % at z12–z16, equal shares where distinct tiles allow, positions weighted by the "
        "data around them).")
    add("")
    ratio_rows = []  # (label, key) for the summary
    summary = {}     # (size, list, key, c) -> ratio
    for n in sizes:
        block = cold["sizes"][n]
        add(f"### {pretty_size(int(n))} features")
        add("")
        if block.get("postgis_load"):
            p = block["postgis_load"]
            add(f"PostGIS load: {p['load_s']:.1f} s ogr2ogr + {p['transform_s']:.1f} s ST_Transform + "
                f"{p['index_s']:.1f} s GiST/ANALYZE.")
            add("")
        for list_name, lst in block["lists"].items():
            runs = lst["runs"]
            title = "Today's list" if list_name == "today" else "Street-level list"
            add(f"{title}, {lst['tiles']} tiles (per zoom: "
                + ", ".join(f"z{z} {c}" for z, c in lst["per_zoom_count"].items()) + "):")
            add("")
            add("| server | compression | 1 conn tiles/s | p50 / p99 ms | 2 conns tiles/s | p50 / p99 ms "
                "| ÷ PostGIS, 1 conn | ÷ PostGIS, 2 conns | server CPU ms/tile | client CPU ms/tile |")
            add("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            pg1, pg2 = runs.get("postgis/1"), runs.get("postgis/2")
            for config, encoding, label, compression in COLD_ROWS:
                one = runs.get(f"regiomap/{config}/{encoding}/1")
                two = runs.get(f"regiomap/{config}/{encoding}/2")
                if not one or not two:
                    continue
                r1 = ratio(one["tiles_per_s"], pg1["tiles_per_s"]) if pg1 else None
                r2 = ratio(two["tiles_per_s"], pg2["tiles_per_s"]) if pg2 else None
                summary[(n, list_name, f"{config}/{encoding}", 1)] = r1
                summary[(n, list_name, f"{config}/{encoding}", 2)] = r2
                add(f"| regiomap, {label} | {compression} | {one['tiles_per_s']:.1f} | "
                    f"{one['latency_ms']['p50']:.2f} / {one['latency_ms']['p99']:.2f} | {two['tiles_per_s']:.1f} | "
                    f"{two['latency_ms']['p50']:.2f} / {two['latency_ms']['p99']:.2f} | {fmt_ratio(r1)} | "
                    f"{fmt_ratio(r2)} | {fmt_ms(per_tile_ms(one, 'server'))} | {fmt_ms(per_tile_ms(one, 'client'), 3)} |")
            if pg1 and pg2:
                add(f"| PostGIS ST_AsMVT | none | {pg1['tiles_per_s']:.1f} | {pg1['latency_ms']['p50']:.2f} / "
                    f"{pg1['latency_ms']['p99']:.2f} | {pg2['tiles_per_s']:.1f} | {pg2['latency_ms']['p50']:.2f} / "
                    f"{pg2['latency_ms']['p99']:.2f} | | | {fmt_ms(per_tile_ms(pg1, 'server'))} | "
                    f"{fmt_ms(per_tile_ms(pg1, 'client'), 3)} |")
            add("")
    # Every ratio of issue 16 in one view.
    if any(v is not None for v in summary.values()):
        columns = [(n, list_name) for n in sizes for list_name in cold["sizes"][n]["lists"]]
        add("regiomap ÷ PostGIS, every size and list (tiles/s, 1 / 2 connections):")
        add("")
        add("| regiomap | " + " | ".join(f"{pretty_size(int(n))} {'today' if l == 'today' else 'street'}"
                                        for n, l in columns) + " |")
        add("|---|" + "---:|" * len(columns))
        for config, encoding, label, compression in COLD_ROWS:
            key = f"{config}/{encoding}"
            add(f"| {label}, {compression} | " + " | ".join(
                f"{fmt_ratio(summary.get((n, l, key, 1)))} / {fmt_ratio(summary.get((n, l, key, 2)))}"
                for n, l in columns) + " |")
        add("")

        def target(key, minimum):
            values = [(n, l, c, summary.get((n, l, key, c))) for n, l in columns for c in (1, 2)]
            values = [v for v in values if v[3] is not None]
            worst = min(values, key=lambda v: v[3])
            missed = [v for v in values if v[3] < minimum]
            text = (f"{len(values) - len(missed)} of {len(values)}; lowest {fmt_ratio(worst[3])} "
                    f"({pretty_size(int(worst[0]))}, {worst[1]}, {worst[2]} conn)")
            if missed:
                text += "; under: " + ", ".join(f"{pretty_size(int(n))} {l} {c} conn {fmt_ratio(r)}"
                                                for n, l, c, r in missed)
            return text, not missed

        text, ok = target("default/gzip", 5)
        targets.append(("16", "cold tiles, defaults, gzip ≥ 5× PostGIS (both lists, 1 and 2 conns, every size)",
                        text, ok))
        text, ok = target("no-thinning/gzip", 3)
        targets.append(("16", "cold tiles, no thinning, gzip ≥ 3× PostGIS (both lists, 1 and 2 conns, every size)",
                        text, ok))
    big = cold["sizes"].get(max(int(n) for n in sizes)) if sizes else None
    if big and int(max(int(n) for n in sizes)) >= 1_000_000 and "street" in big["lists"]:
        r1 = big["lists"]["street"]["runs"].get("regiomap/default/gzip/1")
        r2 = big["lists"]["street"]["runs"].get("regiomap/default/gzip/2")
        if r1:
            p99 = r1["latency_ms"]["p99"]
            add(f"Street-level list at 10^6, defaults, gzip, per zoom (1 connection; ms, p50 / p99):")
            add("")
            zooms = sorted(r1["per_zoom"], key=int)
            add("| | " + " | ".join(f"z{z}" for z in zooms) + " |")
            add("|---|" + "---:|" * len(zooms))
            add("| p50 / p99 | " + " | ".join(f"{r1['per_zoom'][z]['p50']:.1f} / {r1['per_zoom'][z]['p99']:.1f}"
                                            for z in zooms) + " |")
            add("| KiB (gzip) | " + " | ".join(f"{r1['per_zoom'][z]['bytes_mean'] / 1024:.1f}" for z in zooms) + " |")
            add("")
            extra = f" (2 conns: {r2['latency_ms']['p99']:.1f} ms)" if r2 else ""
            targets.append(("16", "p99 of a cold street-level tile at 10^6 with gzip < 50 ms",
                            f"{p99:.1f} ms{extra}", p99 < 50))
    # Bytes on the wire.
    rows = [(n, l, cold["sizes"][n]["lists"][l].get("bytes")) for n in sizes for l in cold["sizes"][n]["lists"]]
    rows = [r for r in rows if r[2] and r[2]["tiles"]]
    if rows:
        add("Bytes on the wire: each tile of the lists as sent with gzip (libdeflate, `--gzip-level 1`, the "
            "default) against zlib at level 6 (the server's compressor before libdeflate) on the same raw tile:")
        add("")
        add("| features | list | tiles | raw MiB | gzip MiB | zlib 6 MiB | gzip ÷ zlib 6 |")
        add("|---:|---|---:|---:|---:|---:|---:|")
        worst = 0
        for n, l, b in rows:
            r = b["gzip"] / b["zlib6"]
            worst = max(worst, r)
            add(f"| {pretty_size(int(n))} | {l} | {b['tiles']} | {b['raw'] / 2 ** 20:.2f} | {b['gzip'] / 2 ** 20:.2f} | "
                f"{b['zlib6'] / 2 ** 20:.2f} | {r:.3f} |")
        add("")
        targets.append(("16", "gzip bytes ≤ 1.05× zlib 6's", f"at most {worst:.3f}×", worst <= 1.05))
    # Issue 11 §3 and issue 6: today's list at the main size, without compression.
    block = cold["sizes"].get(main)
    if block and "today" in block["lists"]:
        runs = block["lists"]["today"]["runs"]
        one, two = runs.get("regiomap/default/identity/1"), runs.get("regiomap/default/identity/2")
        pg1, pg2 = runs.get("postgis/1"), runs.get("postgis/2")
        if one and two and pg1 and pg2:
            r1, r2 = ratio(one["tiles_per_s"], pg1["tiles_per_s"]), ratio(two["tiles_per_s"], pg2["tiles_per_s"])
            client = per_tile_ms(two, "client")
            server = per_tile_ms(two, "server")
            targets.append(("11 §3 (6)", f"cold tiles ≥ 5× PostGIS ST_AsMVT (today's list, {pretty_size(main)}, "
                            "uncompressed; 1 / 2 connections)",
                            f"{fmt_ratio(r1)} / {fmt_ratio(r2)}; at 2 conns server {fmt_ms(server)} ms and client "
                            f"{fmt_ms(client, 3)} ms CPU per tile", min(r1, r2) >= 5))
        vt = cold.get("geojson_vt")
        if vt and one and two:
            add(f"geojson-vt + vt-pbf, today's list at {pretty_size(main)}: in process (`client.mjs vt-tiles`), "
                "`maxZoom` 16, extent 4096, buffer 64, tolerance 3, one index per layer, 1 and 2 worker threads (one "
                "index each); it keeps every tile it slices, so later tiles reuse their parents' slices. Compared "
                "with regiomap's uncompressed default row above.")
            add("")
            add("| implementation | 1 thread tiles/s | p50 / p99 ms | 2 threads tiles/s | regiomap ÷ it, 1 thread | "
                "regiomap ÷ it, 2 threads | index build |")
            add("|---|---:|---:|---:|---:|---:|---|")
            r1 = ratio(one["tiles_per_s"], vt[1]["tiles_per_s"])
            r2 = ratio(two["tiles_per_s"], vt[2]["tiles_per_s"])
            add(f"| geojson-vt + vt-pbf | {vt[1]['tiles_per_s']:.1f} | {vt[1]['latency_ms']['p50']:.2f} / "
                f"{vt[1]['latency_ms']['p99']:.2f} | {vt[2]['tiles_per_s']:.1f} | {fmt_ratio(r1)} | {fmt_ratio(r2)} | "
                f"{vt[1]['index_ms'] / 1000:.1f} s (+ {vt[1]['parse_ms'] / 1000:.1f} s reading GeoJSON) |")
            add("")
            targets.append(("6", "cold tiles ≥ 3× geojson-vt + vt-pbf (1 thread / 2 threads)",
                            f"{fmt_ratio(r1)} / {fmt_ratio(r2)}", min(r1, r2) >= 3))
            add("Cold-tile latency per zoom, today's list, 1 connection or thread (ms, p50 / p99):")
            add("")
            sides = [("regiomap, defaults, uncompressed", one["per_zoom"]), ("geojson-vt", vt[1]["per_zoom"])]
            if pg1:
                sides.append(("PostGIS", pg1["per_zoom"]))
            zooms = sorted({int(z) for _, pz in sides for z in pz})
            add("| implementation | " + " | ".join(f"z{z}" for z in zooms) + " |")
            add("|---|" + "---:|" * len(zooms))
            for name, pz in sides:
                add(f"| {name} | " + " | ".join(
                    f"{pz[str(z)]['p50']:.1f} / {pz[str(z)]['p99']:.1f}" if str(z) in pz else "–" for z in zooms) + " |")
            add("")
    spot = cold.get("spot")
    if spot:
        report_spot(spot, add)


def report_spot(spot, add):
    tiles = spot["tiles"]
    n = len(tiles)
    dz = spot["detail_zoom"]
    detail = [t for t in tiles if t["detail"]]
    low = [t for t in tiles if not t["detail"]]
    same_vt = sum(1 for t in detail if t["same_as_vt"])
    same_pg = sum(1 for t in detail if t["same_as_pg"])
    ident_vt = sum(1 for t in detail if t["identical_vt"])
    ident_pg = sum(1 for t in detail if t["identical_pg"])
    sub_vt = sum(1 for t in low if t["subset_of_vt"])
    sub_pg = sum(1 for t in low if t["subset_of_pg"])
    add(f"Spot check: {n} tiles decoded with @mapbox/vector-tile, feature ids compared per layer "
        f"(counts are regiomap / geojson-vt / PostGIS). regiomap leaves out lines and polygons smaller "
        "than one pixel (16 grid units), which the peers keep, and below its detail zoom "
        f"(z{dz}, the TileJSON maxzoom) it thins collections of more than 5000 features on purpose "
        "(one feature per 8-pixel cell by default, larger features first). So: at z ≥ "
        f"{dz} the id sets must be the same apart from peer-only features whose own geometry spans at "
        f"most 17 grid units — they are in {same_vt}/{len(detail)} tiles with geojson-vt and "
        f"{same_pg}/{len(detail)} with PostGIS (identical, sub-pixel included: {ident_vt} and "
        f"{ident_pg}); below z{dz} regiomap must send a subset of the peers' features — it does in "
        f"{sub_vt}/{len(low)} tiles (geojson-vt) and {sub_pg}/{len(low)} (PostGIS). \"Sub-pixel\" "
        "counts features only the peer has that span at most 17 units; \"other\" lists every other "
        "difference (below the detail zoom: features thinned by regiomap).")
    add("")
    add("| tile | roads | parcels | pois | peer-only sub-pixel (vt / PostGIS) | other differences |")
    add("|---|---|---|---|---:|---|")
    for t in tiles:
        cells = []
        notes = []
        sub_vt = sub_pg = 0
        for layer in LAYERS:
            entry = t["layers"][layer]
            vt, pgl = entry["geojson_vt"], entry["postgis"]
            cells.append(f"{entry['regiomap']} / {vt['count']} / {pgl['count']}")
            sub_vt += vt["only_peer_subpixel"]
            sub_pg += pgl["only_peer_subpixel"]
            for peer, label in ((vt, "geojson-vt"), (pgl, "PostGIS")):
                if peer["only_peer_other_count"]:
                    notes.append(f"{layer}: {peer['only_peer_other_count']} only in {label} "
                                 f"(ids {', '.join(map(str, peer['only_peer_other'][:5]))})")
                if peer["only_regiomap_count"]:
                    notes.append(f"{layer}: {peer['only_regiomap_count']} only in regiomap vs {label} "
                                 f"(ids {', '.join(map(str, peer['only_regiomap'][:5]))})")
        add(f"| {t['tile']} | " + " | ".join(cells) + f" | {sub_vt} / {sub_pg} | {'; '.join(notes) or 'none'} |")
    add("")


def report(results, mode, command):
    lines = []
    add = lines.append
    m = results["machine"]
    add("# Benchmarks")
    add("")
    add(f"Produced by `{command}` ({mode} run) on {results['date']}; raw figures in "
        f"`build-bench/results-{mode}.json`. Do not edit the tables by hand: run the command again.")
    add("")
    add(f"Machine: {m['cpus']} × {m['cpu']}, {m['memory_gib']} GiB, Linux {m['kernel']}, load average "
        f"{m.get('load_at_start', '?')} at the start. "
        f"regiomap commit {m['commit']}, Release build. "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v) + ".")
    add("")
    add("Data: `scripts/bench/generate` (seed 6) — per size N, 20 % roads (random walks, median 30 vertices), "
        "50 % parcels (4–12 vertices, some with a hole), 30 % points, around Tianjin; the comparisons use the "
        f"{pretty_size(results['main'])} set. All servers and clients run on this machine over loopback; "
        "CPU-heavy parts run one after another.")
    add("")

    targets = []  # (issue, target, measured, met, why when not)
    hot = results.get("hot")
    if hot:
        report_hot(hot, results, add, targets)
    cold = results.get("cold")
    if cold:
        report_cold(cold, results, add, targets)

    gj = results.get("geojson")
    if gj:
        add("## GeoJSON API")
        add("")
        add(f"Every feature of the {pretty_size(results['main'])} set, collection by collection, "
            f"`limit={gj['limit']}`: regiomap following its `next` links (offset paging), PostGIS the same rows "
            "and page size with keyset paging on `fid`, each page one FeatureCollection text built by "
            "`string_agg(ST_AsGeoJSON(t.*, 'geom', 15), ',')` (as a feature server on PostGIS would send it). "
            "One connection, uncompressed. bbox: "
            f"{gj['regiomap']['bbox']['queries']} boxes of about 1 km at places with data, rotating over the "
            "three collections (`&&` + `ST_Intersects` on PostGIS).")
        add("")
        add("| | regiomap | PostGIS | ratio |")
        add("|---|---:|---:|---:|")
        for c in LAYERS + ["all"]:
            a = gj["regiomap"].get(c)
            b = gj["postgis"].get(c)
            r = ratio(a["features_per_s"], b["features_per_s"]) if a and b else None
            add(f"| paging {c}: features/s | {fmt(a['features_per_s']) if a else '–'} | "
                f"{fmt(b['features_per_s']) if b else '–'} | {fmt_ratio(r)} |")
            if c == "all" and r is not None:
                targets.append(("6", "GeoJSON paging ≥ 2× PostGIS ST_AsGeoJSON features/s", fmt_ratio(r), r >= 2))
        a = gj["regiomap"]["bbox"]["latency_ms"]
        b = gj["postgis"].get("bbox", {}).get("latency_ms")
        add(f"| bbox query p50 ms | {a['p50']:.2f} | {b['p50']:.2f} | {fmt_ratio(ratio(b['p50'], a['p50']))} |"
            if b else f"| bbox query p50 ms | {a['p50']:.2f} | – | – |")
        add(f"| bbox query p99 ms | {a['p99']:.2f} | {b['p99']:.2f} | {fmt_ratio(ratio(b['p99'], a['p99']))} |"
            if b else f"| bbox query p99 ms | {a['p99']:.2f} | – | – |")
        add("")
        add("(bbox ratios are PostGIS latency ÷ regiomap latency: above 1 means regiomap is faster.)")
        add("")

    sc = results.get("scale")
    if sc:
        add("## Scale")
        add("")
        add("regiomap alone, `--tile-cache-mb 0`. Load time from the server's log line; resident memory "
            "(`VmRSS`) right after the load, peak (`VmHWM`) in brackets; bytes per feature = VmRSS ÷ features, "
            "marginal = growth of VmRSS ÷ growth of features from the size above. "
            f"Cold tiles per zoom: up to {results['config']['zoom_samples']} distinct tiles where the data is "
            f"(repeated where a zoom has fewer), one at a time, stopping after {results['config']['zoom_budget_s']} s "
            "per zoom.")
        add("")
        add("| features | load s | RSS MiB (peak) | bytes/feature | marginal bytes/feature | "
            "bbox p50 / p99 ms | worst cold p99 |")
        add("|---:|---:|---:|---:|---:|---:|---|")
        previous = None
        for n, row in sc.items():
            worst = max(row["zooms"].items(), key=lambda kv: kv[1]["p99_ms"] or 0)
            marginal = "–"
            if previous:
                marginal = f"{(row['rss_kib'] - previous[1]['rss_kib']) * 1024 / (int(n) - int(previous[0])):.0f}"
            previous = (n, row)
            add(f"| {pretty_size(int(n))} | {row['load_ms'] / 1000:.2f} | {row['rss_kib'] / 1024:.0f} "
                f"({row['hwm_kib'] / 1024:.0f}) | {row['bytes_per_feature']:.0f} | {marginal} | "
                f"{row['bbox']['latency_ms']['p50']:.2f} / {row['bbox']['latency_ms']['p99']:.2f} | "
                f"{worst[1]['p99_ms']:.1f} ms at z{worst[0]} |")
        add("")
        add("Cold-tile latency per zoom (ms, p50 / p99; mean tile size in KiB below):")
        add("")
        add("| features | " + " | ".join(f"z{z}" for z in range(17)) + " |")
        add("|---|" + "---:|" * 17)
        for n, row in sc.items():
            add(f"| {pretty_size(int(n))} | " + " | ".join(
                f"{row['zooms'][z]['p50_ms']:.1f} / {row['zooms'][z]['p99_ms']:.1f}"
                if row["zooms"][z]["tiles"] else "–" for z in range(17)) + " |")
            add(f"| KiB | " + " | ".join(
                f"{row['zooms'][z]['bytes_mean'] / 1024:.0f}" if row["zooms"][z]["bytes_mean"] is not None
                else "–" for z in range(17)) + " |")
        add("")
        big = sc.get(1_000_000)
        if big:
            worst = max(big["zooms"].items(), key=lambda kv: kv[1]["p99_ms"] or 0)
            targets.append(("6", "10^6: load < 10 s from GeoPackage", f"{big['load_ms'] / 1000:.2f} s",
                            big["load_ms"] < 10_000))
            targets.append(("6", "10^6: resident memory < 1 GiB", f"{big['rss_kib'] / 1024:.0f} MiB",
                            big["rss_kib"] < 2 ** 20))
            targets.append(("6", "10^6: cold-tile p99 < 50 ms at every zoom 0–16",
                            f"worst {worst[1]['p99_ms']:.0f} ms (z{worst[0]}); over 50 ms at "
                            + (", ".join(f"z{z}" for z, v in big["zooms"].items() if (v["p99_ms"] or 0) >= 50)
                               or "none"), all((v["p99_ms"] or 0) < 50 for v in big["zooms"].values())))

    if targets:
        add("## Targets")
        add("")
        add("| issue | target | measured | |")
        add("|---|---|---|---|")
        for issue, name, value, ok in targets:
            add(f"| {issue} | {name} | {value} | {verdict(ok)} |")
        add("")
    return "\n".join(lines), targets


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true")
    group.add_argument("--smoke", action="store_true")
    parser.add_argument("--server", default=os.path.join(ROOT, "build-bench", "server", "regiomap"))
    parser.add_argument("--data-dir", default=os.path.join(ROOT, "build-bench", "data"))
    parser.add_argument("--work-dir", default=None, help="scratch files (default build-bench/work-MODE)")
    parser.add_argument("--doc", default=None,
                        help="where to write the Markdown report (default docs/BENCHMARKS.md, "
                             "build-bench/BENCHMARKS-smoke.md for --smoke)")
    parser.add_argument("--only", default="hot,cold,vt,geojson,scale",
                        help="comma-separated parts to run (hot,cold,vt,geojson,scale; vt: geojson-vt and the "
                             "spot check, part of cold)")
    parser.add_argument("--sizes", default=None,
                        help="feature counts instead of the mode's, e.g. 1e4,1e5,1e6 (the main size stays)")
    parser.add_argument("--command", default="scripts/bench/run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    cfg = dict(MODES[mode])
    parts = set(args.only.split(","))
    cfg["vt"] = "vt" in parts
    if args.sizes:
        cfg["sizes"] = [int(float(v)) for v in args.sizes.split(",")]
    work = args.work_dir or os.path.join(ROOT, "build-bench", f"work-{mode}")
    os.makedirs(work, exist_ok=True)
    binary = os.path.abspath(args.server)
    if not os.access(binary, os.X_OK):
        sys.exit(f"bench: no server binary at {binary} (build it, or pass --server)")
    doc = args.doc or (os.path.join(ROOT, "build-bench", "BENCHMARKS-smoke.md") if args.smoke
                       else os.path.join(ROOT, "docs", "BENCHMARKS.md"))
    t_start = time.monotonic()

    sizes = sorted(set(cfg["sizes"]) | {cfg["main"]})
    geojson = [cfg["main"]] if cfg["peers"] else []
    subprocess.run([os.path.join(HERE, "generate"), "--sizes", ",".join(str(n) for n in sizes),
                    "--geojson", ",".join(str(n) for n in geojson), "--out", args.data_dir], check=True)

    results = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "mode": mode, "config": cfg, "main": cfg["main"], "machine": machine(),
               "server": binary}
    command = args.command + {"full": "", "quick": " --quick", "smoke": " --smoke"}[mode]
    pg = None
    try:
        if "hot" in parts:
            hot_tiles(cfg, binary, args.data_dir, work, results)
        if cfg["peers"] and ({"cold", "geojson"} & parts):
            pg = PostGIS(work)
        if "cold" in parts:
            cold_tiles(cfg, binary, args.data_dir, work, results, pg)
        if "geojson" in parts:
            main_gpkg = os.path.join(args.data_dir, f"bench-{size_label(cfg['main'])}.gpkg")
            if pg and pg.loaded != main_gpkg:
                log("PostGIS: loading the data")
                results["postgis_load"] = pg.load(main_gpkg)
            geojson_api(cfg, binary, args.data_dir, work, results, pg)
    finally:
        if pg:
            pg.close()
    if "scale" in parts:
        scale(cfg, binary, args.data_dir, work, results)
        main_row = results["scale"].get(cfg["main"])
        if main_row:
            results["cold_load_ms"] = main_row["load_ms"]
    results["seconds"] = time.monotonic() - t_start

    with open(os.path.join(ROOT, "build-bench", f"results-{mode}.json"), "w") as f:
        json.dump(results, f, indent=1)
    text, targets = report(results, mode, command)
    text += f"\nThe run took {results['seconds'] / 60:.1f} minutes.\n"
    if os.path.exists(doc) and not args.smoke:
        # keep the hand-written analysis below the generated part
        with open(doc) as f:
            old = f.read()
        marker = "<!-- end of generated part -->"
        if marker in old:
            text += "\n" + marker + old.split(marker, 1)[1]
        else:
            text += "\n" + marker + "\n"
    elif not args.smoke:
        text += "\n<!-- end of generated part -->\n"
    with open(doc, "w") as f:
        f.write(text)
    print(text)
    log(f"wrote {doc} in {results['seconds']:.0f} s")
    if mode == "smoke":
        hot = [r for key, r in results.get("hot", {}).get("runs", {}).items() if key.startswith("today/regiomap/")]
        bad = [r for r in hot if r["errors"] or r["requests"] == 0]
        cold = [r for size in results.get("cold", {}).get("sizes", {}).values() for lst in size["lists"].values()
                for r in lst["runs"].values()]
        if bad or not hot or not cold or any(r["tiles"] == 0 for r in cold) or not results.get("scale"):
            sys.exit("bench: smoke run failed: " + json.dumps(bad))


if __name__ == "__main__":
    main()

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
    "full": dict(sizes=[10_000, 100_000, 1_000_000], main=100_000, wrk_seconds=10, connections=[1, 16, 64, 256],
                 hot_tiles=3000, cold_tiles=1500, zoom_samples=50, zoom_budget_s=20, bbox_queries=500,
                 paging_runs=3, repeats=3, peers=True, spot_tiles=(8, 2, 2)),
    "quick": dict(sizes=[10_000, 100_000], main=100_000, wrk_seconds=3, connections=[1, 16, 64, 256],
                  hot_tiles=2000, cold_tiles=300, zoom_samples=12, zoom_budget_s=4, bbox_queries=100,
                  paging_runs=1, repeats=1, peers=True, spot_tiles=(6, 1, 1)),
    "smoke": dict(sizes=[2_000], main=2_000, wrk_seconds=2, connections=[16], hot_tiles=200, cold_tiles=40,
                  zoom_samples=2, zoom_budget_s=1, bbox_queries=10, paging_runs=1, repeats=1, peers=False,
                  spot_tiles=(0, 0, 0)),
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


# --- the server under test ---------------------------------------------------

class Regiomap:
    LOADED = re.compile(r"loaded (\d+) collections, (\d+) features from .* in (\d+) ms")

    def __init__(self, binary, data, cache_mb, workdir, threads=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.stderr_path = os.path.join(workdir, f"regiomap-{self.port}.log")
        args = [binary, "--data", data, "--address", "127.0.0.1", "--port", str(self.port), "--web-root", "",
                "--no-access-log", "--tile-cache-mb", str(cache_mb)]
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
    def __init__(self, static_root, workdir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        prefix = os.path.join(workdir, "nginx")
        os.makedirs(os.path.join(prefix, "tmp"), exist_ok=True)
        conf = os.path.join(prefix, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
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


class PostGIS:
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
        return {"load_s": t1 - t0, "transform_s": t2 - t1, "index_s": t3 - t2, "total_s": t3 - t0}

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
    n = cfg["main"]
    gpkg = os.path.join(data_dir, f"bench-{size_label(n)}.gpkg")
    candidates = os.path.join(work, "hot-candidates.txt")
    hot_list = os.path.join(work, "hot-tiles.txt")
    write_tiles(candidates, make_tile_list(gpkg, cfg["hot_tiles"], list(range(8, 17)), seed=61))
    server = Regiomap(binary, gpkg, 256, work)
    static = os.path.join(work, "static")
    shutil.rmtree(static, ignore_errors=True)
    peers = []
    try:
        fetched = node("fetch", {"base": server.base, "tiles": candidates, "out": static, "kept": hot_list})
        tiles = read_tiles(hot_list)
        log(f"hot tiles: {fetched['kept']} non-empty of {fetched['tiles']} (z8–z16), "
            f"{fetched['bytes_raw'] / 2 ** 20:.1f} MiB raw, {fetched['bytes_gzip'] / 2 ** 20:.1f} MiB gzip")
        results["hot_list"] = {"tiles": len(tiles), "candidates": fetched["tiles"],
                               "bytes_raw": fetched["bytes_raw"], "bytes_gzip": fetched["bytes_gzip"],
                               "per_zoom": {z: sum(1 for t in tiles if t[0] == z) for z in range(8, 17)}}
        targets = [("regiomap", server, "/tiles/", ".mvt")]
        if cfg["peers"]:
            ngx = Nginx(static, work)
            peers.append(ngx)
            probe = "/tiles/{}/{}/{}.mvt".format(*tiles[0])
            ngx.wait(probe)
            targets.append(("nginx", ngx, "/tiles/", ".mvt"))
            mbtiles = os.path.join(work, "bench.mbtiles")
            write_mbtiles(mbtiles, static, tiles)
            tsgl = TileServerGL(mbtiles, work)
            peers.append(tsgl)
            tsgl.wait("/data/bench/{}/{}/{}.pbf".format(*tiles[0]))
            targets.append(("tileserver-gl", tsgl, "/data/bench/", ".pbf"))
        for name, target, prefix, suffix in targets:
            # warm-up: every tile once at least (JITs, page cache, open-file cache)
            if cfg["peers"]:
                wrk(target.base, hot_list, prefix, suffix, 16, max(1, cfg["wrk_seconds"] // 3))
        # Every point `repeats` times, the servers interleaved, so that background
        # noise hits all of them alike; the median run (by req/s) is reported.
        samples = {}
        for _ in range(cfg["repeats"]):
            for name, target, prefix, suffix in targets:
                for c in cfg["connections"]:
                    r = wrk(target.base, hot_list, prefix, suffix, c, cfg["wrk_seconds"])
                    log(f"hot {name} c={c}: {r['req_per_s']:.0f} req/s, p50 {r['p50_ms']:.2f} ms, "
                        f"p99 {r['p99_ms']:.2f} ms, errors {r['errors']}")
                    samples.setdefault((name, c), []).append(r)
        runs = {name: [median_of(samples[(name, c)], "req_per_s") for c in cfg["connections"]]
                for name, *_ in targets}
        results["hot"] = runs
        stats = server.rss_kib
        results["hot_regiomap_rss_kib"] = stats
    finally:
        for p in peers:
            p.close()
        server.close()


def cold_tiles(cfg, binary, data_dir, work, results, pg):
    n = cfg["main"]
    label = size_label(n)
    gpkg = os.path.join(data_dir, f"bench-{label}.gpkg")
    hot_list = os.path.join(work, "hot-tiles.txt")
    cold_list = os.path.join(work, "cold-tiles.txt")
    tiles = read_tiles(hot_list)[: cfg["cold_tiles"]]
    write_tiles(cold_list, tiles)
    out = {"tiles": len(tiles), "per_zoom_count": {z: sum(1 for t in tiles if t[0] == z) for z in range(8, 17)}}
    server = Regiomap(binary, gpkg, 0, work)
    try:
        # Each measurement `repeats` times, interleaved; the median run (by tiles/s) is reported.
        samples = {}
        for _ in range(cfg["repeats"]):
            for c in (1, 2):
                r = node("http-tiles", {"base": server.base, "tiles": cold_list, "concurrency": c})
                log(f"cold regiomap c={c}: {r['tiles_per_s']:.1f} tiles/s (statuses {r['statuses']})")
                samples.setdefault(("regiomap", c), []).append(r)
            if not cfg["peers"]:
                continue
            for w in (1, 2):
                r = node("vt-tiles", {"data": os.path.join(data_dir, f"bench-{label}"), "layers": LAYERS,
                                      "tiles": cold_list, "workers": w, "max_zoom": 16}, heap_mb=8192)
                log(f"cold geojson-vt workers={w}: {r['tiles_per_s']:.1f} tiles/s, index {r['index_ms']:.0f} ms "
                    f"(+ parse {r['parse_ms']:.0f} ms)")
                samples.setdefault(("geojson_vt", w), []).append(r)
            for c in (1, 2):
                r = node("pg-tiles", {"conn": pg.conn, "tiles": cold_list, "connections": c, "layers": LAYERS})
                log(f"cold PostGIS connections={c}: {r['tiles_per_s']:.1f} tiles/s")
                samples.setdefault(("postgis", c), []).append(r)
        for (side, k), runs in samples.items():
            out.setdefault(side, {})[k] = median_of(runs, "tiles_per_s")
        if cfg["peers"]:
            high, middle, low = cfg["spot_tiles"]
            spot_tiles = ([t for t in tiles if t[0] >= 14][:high] + [t for t in tiles if 12 <= t[0] < 14][:middle]
                          + [t for t in tiles if t[0] < 12][:low])
            out["spot"] = node("spot", {"base": server.base, "data": os.path.join(data_dir, f"bench-{label}"),
                                        "layers": LAYERS, "conn": pg.conn, "tiles": spot_tiles}, heap_mb=8192)
            detail = [t for t in out["spot"]["tiles"] if t["detail"]]
            same_vt = sum(1 for t in detail if t["same_as_vt"])
            same_pg = sum(1 for t in detail if t["same_as_pg"])
            log(f"spot check at z >= {out['spot']['detail_zoom']}: same ids (sub-pixel features aside) as "
                f"geojson-vt in {same_vt}/{len(detail)} tiles, as PostGIS in {same_pg}/{len(detail)}")
    finally:
        server.close()
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
                r = node("http-tiles", {"base": server.base, "tiles": zoom_list, "concurrency": 1,
                                        "max_seconds": cfg["zoom_budget_s"]})
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

    targets = []
    hot = results.get("hot")
    if hot:
        hl = results["hot_list"]
        add("## Hot tiles over HTTP")
        add("")
        add(f"{hl['tiles']} distinct non-empty tiles z8–z16 (per zoom: "
            + ", ".join(f"z{z} {c}" for z, c in hl["per_zoom"].items()) + "), "
            f"{hl['bytes_gzip'] / 2 ** 20:.1f} MiB gzip, cycled by `wrk` with `scripts/bench/tiles.lua` "
            f"(keep-alive, `Accept-Encoding: gzip`), {results['config']['wrk_seconds']} s per point; each point is the "
            f"median of {results['config']['repeats']} runs with the servers interleaved (every run in the JSON); "
            "`-t2` (`-t1` at 1 connection). regiomap: tile cache warmed with every tile; nginx: the same gzip "
            "bytes as static files (`gzip_static`, `open_file_cache`, 2 workers, no access log); "
            "TileServer GL: an MBTiles of the same gzip bytes.")
        add("")
        add("| connections | regiomap req/s | p50 / p99 ms | nginx req/s | p50 / p99 ms | TileServer GL req/s "
            "| p50 / p99 ms | regiomap / nginx | regiomap / TileServer GL |")
        add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for i, c in enumerate(results["config"]["connections"]):
            cells = [str(c)]
            row = {}
            for name in ("regiomap", "nginx", "tileserver-gl"):
                r = hot.get(name, [None] * (i + 1))[i]
                row[name] = r
                if r:
                    err = f" ({r['errors']} errors)" if r["errors"] else ""
                    cells += [fmt(r["req_per_s"]) + err, f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f}"]
                else:
                    cells += ["–", "–"]
            rn = ratio(row["regiomap"]["req_per_s"], row["nginx"]["req_per_s"]) if row["nginx"] else None
            rt = ratio(row["regiomap"]["req_per_s"], row["tileserver-gl"]["req_per_s"]) \
                if row["tileserver-gl"] else None
            cells += [fmt_ratio(rn), fmt_ratio(rt)]
            add("| " + " | ".join(cells) + " |")
            if c == 64 and rn is not None:
                targets.append(("hot tiles ≥ 0.8× nginx req/s at 64 connections", fmt_ratio(rn), rn >= 0.8))
                targets.append(("hot tiles ≥ 5× TileServer GL req/s at 64 connections", fmt_ratio(rt), rt >= 5))
        add("")

    cold = results.get("cold")
    if cold:
        add("## Cold tiles (no cache)")
        add("")
        add(f"The first {cold['tiles']} tiles of the hot list (per zoom: "
            + ", ".join(f"z{z} {c}" for z, c in cold["per_zoom_count"].items()) + "), each made once from the "
            f"data; each figure is the median of {results['config']['repeats']} interleaved runs. "
            "regiomap: `--tile-cache-mb 0`, a Node keep-alive client (`client.mjs http-tiles`) with 1 and "
            "2 connections, uncompressed. geojson-vt + vt-pbf: in process, `maxZoom` 16, extent 4096, buffer 64, "
            "tolerance 3, one index per layer, 1 and 2 worker threads (one index each); it keeps every tile "
            "it slices, so later tiles reuse their parents' slices. PostGIS: one query per tile, "
            "`ST_AsMVT(…, 4096, 'geom', 'fid')` over `ST_AsMVTGeom(geom3857, ST_TileEnvelope(z,x,y), 4096, 64, "
            "true)` with `geom3857 && ST_TileEnvelope(z,x,y, margin => 64.0/4096)` per layer, 1 and 2 "
            "connections (`max_parallel_workers_per_gather=0`, `jit=off`, `shared_buffers=2GB`).")
        add("")
        add("| implementation | 1 thread tiles/s | p50 / p99 ms | 2 threads tiles/s | regiomap ÷ it, 1 thread "
            "| regiomap ÷ it, 2 threads | index build |")
        add("|---|---:|---:|---:|---:|---:|---|")
        ours = cold["regiomap"]
        for key, name, k1, k2 in (("regiomap", "regiomap", 1, 2), ("geojson_vt", "geojson-vt + vt-pbf", 1, 2),
                                  ("postgis", "PostGIS ST_AsMVT", 1, 2)):
            side = cold.get(key)
            if not side:
                continue
            one, two = side[k1], side[k2]
            if key == "regiomap":
                build = f"part of the load ({results.get('cold_load_ms', '–')} ms in all)"
            elif key == "geojson_vt":
                build = f"{one['index_ms'] / 1000:.1f} s (+ {one['parse_ms'] / 1000:.1f} s reading GeoJSON)"
            else:
                p = results["postgis_load"]
                build = (f"{p['load_s']:.1f} s ogr2ogr + {p['transform_s']:.1f} s ST_Transform + "
                         f"{p['index_s']:.1f} s GiST/ANALYZE")
            r1 = ratio(ours[1]["tiles_per_s"], one["tiles_per_s"])
            r2 = ratio(ours[2]["tiles_per_s"], two["tiles_per_s"])
            add(f"| {name} | {one['tiles_per_s']:.1f} | {one['latency_ms']['p50']:.2f} / "
                f"{one['latency_ms']['p99']:.2f} | {two['tiles_per_s']:.1f} | "
                f"{fmt_ratio(r1) if key != 'regiomap' else ''} | {fmt_ratio(r2) if key != 'regiomap' else ''} "
                f"| {build} |")
            if key == "geojson_vt":
                targets.append(("cold tiles ≥ 3× geojson-vt + vt-pbf (1 thread / 2 threads)",
                                f"{fmt_ratio(r1)} / {fmt_ratio(r2)}", min(r1, r2) >= 3))
            if key == "postgis":
                targets.append(("cold tiles ≥ 5× PostGIS ST_AsMVT (1 / 2 connections)",
                                f"{fmt_ratio(r1)} / {fmt_ratio(r2)}", min(r1, r2) >= 5))
        add("")
        add("Cold-tile latency per zoom, 1 thread (ms, p50 / p99):")
        add("")
        zooms = sorted({int(z) for side in ("regiomap", "geojson_vt", "postgis") if side in cold
                        for z in cold[side][1]["per_zoom"]})
        add("| implementation | " + " | ".join(f"z{z}" for z in zooms) + " |")
        add("|---|" + "---:|" * len(zooms))
        for key, name in (("regiomap", "regiomap"), ("geojson_vt", "geojson-vt"), ("postgis", "PostGIS")):
            if key in cold:
                pz = cold[key][1]["per_zoom"]
                add(f"| {name} | " + " | ".join(
                    f"{pz[str(z)]['p50']:.1f} / {pz[str(z)]['p99']:.1f}" if str(z) in pz else "–" for z in zooms)
                    + " |")
        add("")
        spot = cold.get("spot")
        if spot:
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
                    l = t["layers"][layer]
                    vt, pgl = l["geojson_vt"], l["postgis"]
                    cells.append(f"{l['regiomap']} / {vt['count']} / {pgl['count']}")
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
                targets.append(("GeoJSON paging ≥ 2× PostGIS ST_AsGeoJSON features/s", fmt_ratio(r), r >= 2))
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
            targets.append(("10^6: load < 10 s from GeoPackage", f"{big['load_ms'] / 1000:.2f} s",
                            big["load_ms"] < 10_000))
            targets.append(("10^6: resident memory < 1 GiB", f"{big['rss_kib'] / 1024:.0f} MiB",
                            big["rss_kib"] < 2 ** 20))
            targets.append(("10^6: cold-tile p99 < 50 ms at every zoom 0–16",
                            f"worst {worst[1]['p99_ms']:.0f} ms (z{worst[0]}); over 50 ms at "
                            + (", ".join(f"z{z}" for z, v in big["zooms"].items() if (v["p99_ms"] or 0) >= 50)
                               or "none"), all((v["p99_ms"] or 0) < 50 for v in big["zooms"].values())))

    if targets:
        add("## Targets (issue 6)")
        add("")
        add("| target | measured | |")
        add("|---|---|---|")
        for name, value, ok in targets:
            add(f"| {name} | {value} | {verdict(ok)} |")
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
    parser.add_argument("--only", default="hot,cold,geojson,scale",
                        help="comma-separated parts to run (hot,cold,geojson,scale)")
    parser.add_argument("--command", default="scripts/bench/run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    cfg = dict(MODES[mode])
    parts = set(args.only.split(","))
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
            log("PostGIS: loading the data")
            results["postgis_load"] = pg.load(os.path.join(args.data_dir, f"bench-{size_label(cfg['main'])}.gpkg"))
            log("PostGIS: loaded in {load_s:.1f} s, ST_Transform {transform_s:.1f} s, indexes {index_s:.1f} s"
                .format(**results["postgis_load"]))
        if "cold" in parts:
            if not os.path.exists(os.path.join(work, "hot-tiles.txt")):
                sys.exit("bench: the cold part uses the hot part's tile list; run hot first")
            cold_tiles(cfg, binary, args.data_dir, work, results, pg)
        if "geojson" in parts:
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
        hot = results.get("hot", {}).get("regiomap", [])
        bad = [r for r in hot if r["errors"] or r["requests"] == 0]
        if bad or not results.get("scale"):
            sys.exit("bench: smoke run failed: " + json.dumps(bad))


if __name__ == "__main__":
    main()

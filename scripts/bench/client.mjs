// Clients and in-process peers of the regiomap benchmark, driven by
// scripts/bench/bench.py: `node client.mjs COMMAND 'JSON options'`, one JSON
// result on stdout. The HTTP commands use only Node's standard library (the
// smoke run needs no npm install); geojson-vt, vt-pbf, pg and
// @mapbox/vector-tile are imported only by the commands that use them.
//
//   http-tiles   GET every tile of a list once (or `repeat` times) with `concurrency`
//                keep-alive connections: tiles/s, latency per zoom, statuses
//   fetch        GET every tile of a list (gzip), write z/x/y.mvt and .mvt.gz, list the non-empty ones
//   vt-tiles     geojson-vt + vt-pbf in process: index build time, then every tile of the list once,
//                on `workers` threads (each with its own index)
//   pg-tiles     PostGIS ST_AsMVT/ST_AsMVTGeom over `connections` connections
//   http-paging  page a collection with limit=N following `next` links
//   pg-paging    the same rows from PostGIS (ST_AsGeoJSON, keyset paging on fid)
//   http-bbox / pg-bbox   latency of small bbox queries
//   spot         decode the same tiles from regiomap, geojson-vt and PostGIS, compare feature ids

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

function percentile(sorted, q) {
    if (sorted.length === 0) return null;
    const rank = Math.ceil(q * sorted.length) - 1;
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function summarise(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const sum = sorted.reduce((a, b) => a + b, 0);
    return {
        n: sorted.length,
        mean: sorted.length ? sum / sorted.length : null,
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        max: sorted.length ? sorted[sorted.length - 1] : null,
    };
}

function readTiles(file) {
    return fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => l.trim().split('/').map(Number));
}

function perZoom(samples) {
    // samples: [{z, ms, bytes}]
    const byZoom = {};
    for (const s of samples) (byZoom[s.z] ??= []).push(s);
    const out = {};
    for (const [z, list] of Object.entries(byZoom)) {
        out[z] = { ...summarise(list.map((s) => s.ms)), bytes_mean: list.reduce((a, s) => a + s.bytes, 0) / list.length };
    }
    return out;
}

// --- HTTP -----------------------------------------------------------------

function get(agent, url, headers = {}) {
    return new Promise((resolve, reject) => {
        const req = http.get(url, { agent, headers }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on('error', reject);
        });
        req.on('error', reject);
    });
}

// Runs `count` jobs on `concurrency` loops; job(i) returns a promise.
async function pool(count, concurrency, job, deadline = Infinity) {
    let next = 0;
    let done = 0;
    const loops = [];
    for (let c = 0; c < concurrency; c++) {
        loops.push(
            (async () => {
                while (next < count && now() < deadline) {
                    const i = next++;
                    await job(i, c);
                    done++;
                }
            })(),
        );
    }
    await Promise.all(loops);
    return done;
}

async function httpTiles(o) {
    const tiles = readTiles(o.tiles);
    const repeat = o.repeat ?? 1;
    const template = o.path ?? '/tiles/{z}/{x}/{y}.mvt';
    const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
    const headers = o.gzip ? { 'accept-encoding': 'gzip' } : {};
    const samples = [];
    const statuses = {};
    const jobs = tiles.length * repeat;
    const deadline = o.max_seconds ? now() + o.max_seconds * 1000 : Infinity;
    const t0 = now();
    const done = await pool(
        jobs,
        o.concurrency,
        async (i) => {
            const [z, x, y] = tiles[i % tiles.length];
            const url = o.base + template.replace('{z}', z).replace('{x}', x).replace('{y}', y);
            const start = now();
            const res = await get(agent, url, headers);
            const ms = now() - start;
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            samples.push({ z, ms, bytes: res.body.length });
        },
        deadline,
    );
    const seconds = (now() - t0) / 1000;
    agent.destroy();
    return {
        tiles: done,
        seconds,
        tiles_per_s: done / seconds,
        latency_ms: summarise(samples.map((s) => s.ms)),
        per_zoom: perZoom(samples),
        statuses,
        bytes: samples.reduce((a, s) => a + s.bytes, 0),
    };
}

async function fetchTiles(o) {
    const tiles = readTiles(o.tiles);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const kept = [];
    let bytesRaw = 0;
    let bytesGzip = 0;
    const statuses = {};
    await pool(tiles.length, 2, async (i) => {
        const [z, x, y] = tiles[i];
        const res = await get(agent, `${o.base}/tiles/${z}/${x}/${y}.mvt`, { 'accept-encoding': 'gzip' });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status !== 200) return;
        const gz = res.headers['content-encoding'] === 'gzip' ? res.body : zlib.gzipSync(res.body, { level: 6 });
        const raw = res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(res.body) : res.body;
        const dir = path.join(o.out, 'tiles', String(z), String(x));
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, `${y}.mvt`), raw);
        fs.writeFileSync(path.join(dir, `${y}.mvt.gz`), gz);
        bytesRaw += raw.length;
        bytesGzip += gz.length;
        kept.push(i);
    });
    agent.destroy();
    kept.sort((a, b) => a - b);
    fs.writeFileSync(o.kept, kept.map((i) => tiles[i].join('/')).join('\n') + '\n');
    return { tiles: tiles.length, kept: kept.length, bytes_raw: bytesRaw, bytes_gzip: bytesGzip, statuses };
}

async function httpPaging(o) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let url = `${o.base}/collections/${o.collection}/items?limit=${o.limit}`;
    let features = 0;
    let pages = 0;
    let bytes = 0;
    const pageMs = [];
    const t0 = now();
    while (url) {
        const start = now();
        const res = await get(agent, url);
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
        pageMs.push(now() - start);
        bytes += res.body.length;
        // Count the page and find the next link without a full parse of
        // the geometry: numberReturned and the links come before the features.
        const head = res.body.toString('utf8', 0, Math.min(res.body.length, 4096));
        const returned = Number(/"numberReturned":(\d+)/.exec(head)?.[1] ?? 0);
        features += returned;
        pages++;
        const next = /\{"href":"([^"]+)","rel":"next"/.exec(head);
        url = next ? next[1].replace(/^https?:\/\/[^/]+/, o.base) : null;
        if (pages > 100000) throw new Error('paging does not end');
    }
    const seconds = (now() - t0) / 1000;
    agent.destroy();
    return { features, pages, seconds, features_per_s: features / seconds, bytes, page_ms: summarise(pageMs) };
}

async function httpBbox(o) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ms = [];
    let features = 0;
    for (let i = 0; i < o.boxes.length; i++) {
        const [collection, box] = o.boxes[i];
        const url = `${o.base}/collections/${collection}/items?limit=${o.limit}&bbox=${box.join(',')}`;
        const start = now();
        const res = await get(agent, url);
        ms.push(now() - start);
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
        features += Number(/"numberReturned":(\d+)/.exec(res.body.toString('utf8', 0, 4096))?.[1] ?? 0);
    }
    agent.destroy();
    return { queries: ms.length, features, latency_ms: summarise(ms) };
}

// --- geojson-vt + vt-pbf --------------------------------------------------

async function readGeojsonl(file) {
    const features = [];
    const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
    for await (const line of rl) {
        if (line.trim()) features.push(JSON.parse(line));
    }
    return { type: 'FeatureCollection', features };
}

async function buildVt(o) {
    const { default: GeoJSONVT } = await import('geojson-vt');
    const t0 = now();
    const data = {};
    for (const layer of o.layers) data[layer] = await readGeojsonl(`${o.data}-${layer}.geojsonl`);
    const t1 = now();
    const indexes = {};
    for (const layer of o.layers) {
        indexes[layer] = new GeoJSONVT(data[layer], {
            maxZoom: o.max_zoom ?? 16,
            extent: 4096,
            buffer: 64,
            tolerance: 3,
        });
        delete data[layer];
    }
    const t2 = now();
    return { indexes, parse_ms: t1 - t0, index_ms: t2 - t1 };
}

let vtpbf = null;
async function vtTile(indexes, z, x, y) {
    vtpbf ??= (await import('vt-pbf')).default;
    const layers = {};
    for (const [name, index] of Object.entries(indexes)) {
        const tile = index.getTile(z, x, y);
        if (tile && tile.features.length) layers[name] = tile;
    }
    if (Object.keys(layers).length === 0) return null;
    return Buffer.from(vtpbf.fromGeojsonVt(layers, { version: 2, extent: 4096 }));
}

async function vtWorkerMain() {
    const o = workerData;
    const built = await buildVt(o);
    const tiles = readTiles(o.tiles);
    parentPort.postMessage({ type: 'ready', parse_ms: built.parse_ms, index_ms: built.index_ms, rss: process.memoryUsage().rss });
    parentPort.once('message', async () => {
        const samples = [];
        let empty = 0;
        for (let i = o.worker; i < tiles.length; i += o.workers) {
            const [z, x, y] = tiles[i];
            const start = now();
            const buffer = await vtTile(built.indexes, z, x, y);
            const ms = now() - start;
            if (!buffer) empty++;
            samples.push({ z, ms, bytes: buffer ? buffer.length : 0 });
        }
        parentPort.postMessage({ type: 'done', samples, empty });
    });
}

async function vtTiles(o) {
    const workers = [];
    const ready = [];
    for (let w = 0; w < o.workers; w++) {
        const worker = new Worker(new URL(import.meta.url), { workerData: { ...o, worker: w } });
        workers.push(worker);
        ready.push(new Promise((resolve, reject) => {
            worker.once('message', resolve);
            worker.once('error', reject);
        }));
    }
    const t0 = now();
    const readies = await Promise.all(ready);
    const buildSeconds = (now() - t0) / 1000;
    const done = workers.map((w) => new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
    }));
    const t1 = now();
    workers.forEach((w) => w.postMessage('go'));
    const results = await Promise.all(done);
    const seconds = (now() - t1) / 1000;
    workers.forEach((w) => w.terminate());
    const samples = results.flatMap((r) => r.samples);
    return {
        tiles: samples.length,
        empty: results.reduce((a, r) => a + r.empty, 0),
        seconds,
        tiles_per_s: samples.length / seconds,
        parse_ms: Math.max(...readies.map((r) => r.parse_ms)),
        index_ms: Math.max(...readies.map((r) => r.index_ms)),
        build_wall_s: buildSeconds,
        rss_mb_after_index: process.memoryUsage().rss / 2 ** 20,
        latency_ms: summarise(samples.map((s) => s.ms)),
        per_zoom: perZoom(samples),
    };
}

// --- PostGIS --------------------------------------------------------------

// The layers as the benchmark's data has them (scripts/bench/generate).
const PG_LAYERS = {
    roads: ['name', 'class', 'lanes'],
    parcels: ['code', 'landuse', 'area_m2', 'year'],
    pois: ['name', 'kind', 'level'],
};

function pgTileSql(layers) {
    const parts = layers.map(
        (layer) =>
            `(SELECT coalesce(ST_AsMVT(q, '${layer}', 4096, 'geom', 'fid'), ''::bytea) FROM (` +
            `SELECT fid, ${PG_LAYERS[layer].join(', ')}, ` +
            `ST_AsMVTGeom(geom3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom FROM ${layer} ` +
            `WHERE geom3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096)) q WHERE q.geom IS NOT NULL)`,
    );
    return `SELECT ${parts.join(' || ')} AS tile`;
}

async function pgClient(conn) {
    const { default: pg } = await import('pg');
    const client = new pg.Client(conn);
    await client.connect();
    return client;
}

async function pgTiles(o) {
    const tiles = readTiles(o.tiles);
    const clients = await Promise.all(Array.from({ length: o.connections }, () => pgClient(o.conn)));
    const sql = { name: 'tile', text: pgTileSql(o.layers) };
    // prepare on every connection outside the timing
    await Promise.all(clients.map((c) => c.query({ ...sql, values: [20, 0, 0] })));
    const samples = [];
    let empty = 0;
    const t0 = now();
    await pool(tiles.length, o.connections, async (i, c) => {
        const [z, x, y] = tiles[i];
        const start = now();
        const res = await clients[c].query({ ...sql, values: [z, x, y] });
        const ms = now() - start;
        const tile = res.rows[0].tile;
        if (!tile || tile.length === 0) empty++;
        samples.push({ z, ms, bytes: tile ? tile.length : 0 });
    });
    const seconds = (now() - t0) / 1000;
    await Promise.all(clients.map((c) => c.end()));
    return {
        tiles: samples.length,
        empty,
        seconds,
        tiles_per_s: samples.length / seconds,
        latency_ms: summarise(samples.map((s) => s.ms)),
        per_zoom: perZoom(samples),
    };
}

function pgFeatureCollectionSql(layer, where, order) {
    return (
        `SELECT '{"type":"FeatureCollection","features":[' || coalesce(string_agg(ST_AsGeoJSON(t.*, 'geom', 15), ','), '') ` +
        `|| ']}' AS body, count(*)::int AS n, max(fid) AS last FROM (SELECT fid, ${PG_LAYERS[layer].join(', ')}, geom ` +
        `FROM ${layer} WHERE ${where} ${order}) t`
    );
}

async function pgPaging(o) {
    const client = await pgClient(o.conn);
    const sql = { name: 'page', text: pgFeatureCollectionSql(o.collection, 'fid > $1', 'ORDER BY fid LIMIT $2') };
    let last = 0;
    let features = 0;
    let pages = 0;
    let bytes = 0;
    const pageMs = [];
    const t0 = now();
    for (;;) {
        const start = now();
        const res = await client.query({ ...sql, values: [last, o.limit] });
        pageMs.push(now() - start);
        const row = res.rows[0];
        if (!row.n) break;
        features += row.n;
        bytes += Buffer.byteLength(row.body);
        pages++;
        last = Number(row.last);
        if (row.n < o.limit) break;
    }
    const seconds = (now() - t0) / 1000;
    await client.end();
    return { features, pages, seconds, features_per_s: features / seconds, bytes, page_ms: summarise(pageMs) };
}

async function pgBbox(o) {
    const client = await pgClient(o.conn);
    const ms = [];
    let features = 0;
    const env = 'ST_MakeEnvelope($1, $2, $3, $4, 4326)';
    for (const [collection, box] of o.boxes) {
        const sql = {
            name: `bbox-${collection}`,
            text: pgFeatureCollectionSql(collection, `geom && ${env} AND ST_Intersects(geom, ${env})`, 'ORDER BY fid LIMIT $5'),
        };
        const start = now();
        const res = await client.query({ ...sql, values: [...box, o.limit] });
        ms.push(now() - start);
        features += res.rows[0].n;
    }
    await client.end();
    return { queries: ms.length, features, latency_ms: summarise(ms) };
}

// --- spot check -----------------------------------------------------------

// Feature ids per layer, and the grid-unit size (larger side of the bounding
// box) of every feature's geometry as decoded.
async function decodeIds(buffer) {
    const { VectorTile } = await import('@mapbox/vector-tile');
    const { default: Pbf } = await import('pbf');
    const out = {};
    if (!buffer || buffer.length === 0) return out;
    const tile = new VectorTile(new Pbf(buffer));
    for (const [name, layer] of Object.entries(tile.layers)) {
        const ids = [];
        const sizes = new Map();
        for (let i = 0; i < layer.length; i++) {
            const feature = layer.feature(i);
            const id = Number(feature.id);
            ids.push(id);
            let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
            for (const ring of feature.loadGeometry()) {
                for (const p of ring) {
                    minX = Math.min(minX, p.x); maxX = Math.max(maxX, p.x);
                    minY = Math.min(minY, p.y); maxY = Math.max(maxY, p.y);
                }
            }
            // points are never left out for size: any difference in them is a real one
            sizes.set(id, feature.type === 1 ? Infinity : Math.max(maxX - minX, maxY - minY));
        }
        out[name] = { ids: ids.sort((a, b) => a - b), sizes };
    }
    return out;
}

// regiomap leaves out lines and polygons smaller than one pixel of a
// 256-pixel tile (16 grid units at extent 4096, TileOptions::min_feature_size);
// geojson-vt and PostGIS keep many of them. A feature only a peer has counts
// as explained when the peer's own geometry of it spans at most 17 units
// (16 plus a unit of rounding).
const SUBPIXEL = 17;

async function spot(o) {
    const tiles = o.tiles;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const built = await buildVt({ data: o.data, layers: o.layers, max_zoom: 16 });
    const client = await pgClient(o.conn);
    const sql = { name: 'tile', text: pgTileSql(o.layers) };
    const tilejson = JSON.parse((await get(agent, `${o.base}/tiles.json`)).body.toString('utf8'));
    const detailZoom = tilejson.maxzoom;
    const report = [];
    for (const [z, x, y] of tiles) {
        const res = await get(agent, `${o.base}/tiles/${z}/${x}/${y}.mvt`);
        const ours = await decodeIds(res.status === 200 ? res.body : null);
        const vt = await decodeIds(await vtTile(built.indexes, z, x, y));
        const pgRes = await client.query({ ...sql, values: [z, x, y] });
        const pgIds = await decodeIds(pgRes.rows[0].tile);
        const row = { tile: `${z}/${x}/${y}`, layers: {} };
        const empty = { ids: [], sizes: new Map() };
        for (const layer of o.layers) {
            const a = ours[layer] ?? empty;
            const diff = (p, q) => {
                const qs = new Set(q.ids);
                return p.ids.filter((v) => !qs.has(v));
            };
            const compare = (peer) => {
                const onlyPeer = diff(peer, a);
                const onlyOurs = diff(a, peer);
                const subpixel = onlyPeer.filter((id) => peer.sizes.get(id) <= SUBPIXEL);
                const unexplained = onlyPeer.filter((id) => !(peer.sizes.get(id) <= SUBPIXEL));
                return {
                    count: peer.ids.length,
                    only_peer_subpixel: subpixel.length,
                    only_peer_other: unexplained.slice(0, 10),
                    only_peer_other_count: unexplained.length,
                    only_regiomap: onlyOurs.slice(0, 10),
                    only_regiomap_count: onlyOurs.length,
                    identical: onlyPeer.length === 0 && onlyOurs.length === 0,
                    same: unexplained.length === 0 && onlyOurs.length === 0,
                };
            };
            row.layers[layer] = { regiomap: a.ids.length, geojson_vt: compare(vt[layer] ?? empty),
                                  postgis: compare(pgIds[layer] ?? empty) };
        }
        const layers = Object.values(row.layers);
        // Below the detail zoom regiomap thins large collections on purpose: there it
        // must send a subset of what the peers send, nothing they do not have.
        row.detail = z >= detailZoom;
        row.subset_of_vt = layers.every((l) => l.geojson_vt.only_regiomap_count === 0);
        row.subset_of_pg = layers.every((l) => l.postgis.only_regiomap_count === 0);
        row.identical_vt = layers.every((l) => l.geojson_vt.identical);
        row.identical_pg = layers.every((l) => l.postgis.identical);
        row.same_as_vt = layers.every((l) => l.geojson_vt.same);
        row.same_as_pg = layers.every((l) => l.postgis.same);
        report.push(row);
    }
    await client.end();
    agent.destroy();
    return { detail_zoom: detailZoom, tiles: report };
}

// --- main -----------------------------------------------------------------

const commands = {
    'http-tiles': httpTiles,
    fetch: fetchTiles,
    'vt-tiles': vtTiles,
    'pg-tiles': pgTiles,
    'http-paging': httpPaging,
    'pg-paging': pgPaging,
    'http-bbox': httpBbox,
    'pg-bbox': pgBbox,
    spot,
};

if (!isMainThread) {
    await vtWorkerMain();
} else {
    const [command, json] = process.argv.slice(2);
    const run = commands[command];
    if (!run) {
        console.error(`usage: node client.mjs (${Object.keys(commands).join('|')}) 'JSON options'`);
        process.exit(2);
    }
    const result = await run(JSON.parse(json ?? '{}'));
    process.stdout.write(JSON.stringify(result) + '\n');
}

// A PMTiles archive written by `regiomap export`, shown in Chromium by the
// web map's own renderer (protomaps-leaflet's PmtilesSource, which reads the
// file with HTTP range requests through the pmtiles package): the archive
// is drawn where the district is, and a missing archive draws nothing.
// The page and the archive are served to the browser by routes of the test
// on the real server's origin (the archive with Range and 206, as a static
// host or CDN would); the libraries come from the server's web/.
//
//   node --test tests/browser/archive.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, DATA, startServer, launchBrowser, decodePng, artifactPath } from './support.mjs';

let server;
let browser;
let dir;
let archive;

before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'regiomap-archive-browser-'));
    const path = join(dir, 'beichen.pmtiles');
    const made = spawnSync(BIN, ['export', '--data', DATA, '--maxzoom', '13', '--bbox', '116.9,39.1,117.45,39.4', path],
        { encoding: 'utf8' });
    assert.equal(made.status, 0, `export: ${made.stderr}`);
    archive = readFileSync(path);
    server = await startServer();
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
});

const page = (base, url) => `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="${base}/node_modules/leaflet/dist/leaflet.css">
<script src="${base}/node_modules/leaflet/dist/leaflet.js"></script>
<script src="${base}/node_modules/protomaps-leaflet/dist/protomaps-leaflet.js"></script>
<style>html,body{margin:0} #map{width:512px;height:512px;background:#fff}</style></head>
<body><div id="map"></div><script>
const map = L.map('map', { zoomControl: false, attributionControl: false, fadeAnimation: false, zoomAnimation: false })
    .setView([39.25, 117.17], 10);
const layer = protomapsL.leafletLayer({
    url: ${JSON.stringify(url)}, maxDataZoom: 13,
    paintRules: [
        { dataLayer: 'boundaries', symbolizer: new protomapsL.PolygonSymbolizer({ fill: '#ff0000', opacity: 1 }) },
        { dataLayer: 'transport_lines', symbolizer: new protomapsL.LineSymbolizer({ color: '#0000ff', width: 4 }) },
    ],
    labelRules: [],
});
layer.addTo(map);
window.sourceKind = Object.values(layer.views ? Object.fromEntries(layer.views) : {})
    .map((view) => view.tileCache?.source?.constructor?.name).join(',');
</script></body></html>`;

/** Serves the archive like a static host: byte ranges with 206 and Content-Range. */
async function serveArchive(context, ranges) {
    await context.route(`${server.base}/test-archive/beichen.pmtiles`, async (route) => {
        const header = route.request().headers().range || '';
        ranges.push(header);
        const m = /^bytes=(\d+)-(\d*)$/.exec(header);
        if (!m) return route.fulfill({ status: 200, body: archive, headers: { 'Content-Type': 'application/vnd.pmtiles' } });
        const start = Number(m[1]);
        const end = Math.min(m[2] ? Number(m[2]) : archive.length - 1, archive.length - 1);
        return route.fulfill({
            status: 206,
            body: archive.subarray(start, end + 1),
            headers: {
                'Content-Type': 'application/vnd.pmtiles', 'Content-Range': `bytes ${start}-${end}/${archive.length}`,
                'Accept-Ranges': 'bytes', 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': '*',
            },
        });
    });
}

async function draw(url) {
    const context = await browser.newContext({ viewport: { width: 512, height: 512 } });
    const ranges = [];
    await serveArchive(context, ranges);
    await context.route(`${server.base}/test-archive/`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: page(server.base, url) }));
    const tab = await context.newPage();
    const errors = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.goto(`${server.base}/test-archive/`);
    // A missing archive keeps protomaps-leaflet retrying: settle for what is drawn by then.
    await tab.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => {});
    await tab.waitForTimeout(800);  // protomaps-leaflet paints on a timer after the data arrives
    const png = await tab.locator('#map').screenshot();
    const kind = await tab.evaluate(() => window.sourceKind);
    await context.close();
    const image = decodePng(png);
    let red = 0;
    let blue = 0;
    for (let i = 0; i < image.data.length; i += 4) {
        const [r, g, b] = [image.data[i], image.data[i + 1], image.data[i + 2]];
        if (r > 200 && g < 60 && b < 60) red++;
        if (b > 200 && r < 60 && g < 60) blue++;
    }
    return { red, blue, ranges, kind, errors, png };
}

test('protomaps-leaflet reads the exported PMTiles file by range requests and draws the district', async () => {
    const shown = await draw(`${server.base}/test-archive/beichen.pmtiles`);
    await import('node:fs').then(({ writeFileSync }) => writeFileSync(artifactPath('archive-pmtiles.png'), shown.png));
    assert.deepEqual(shown.errors, []);
    assert.ok(shown.ranges.length >= 2 && shown.ranges.every((r) => /^bytes=\d+-\d+$/.test(r)),
        `range requests: ${JSON.stringify(shown.ranges)}`);
    assert.ok(shown.red > 20000, `the district outline drawn from the archive (red pixels: ${shown.red})`);
    assert.ok(shown.blue > 300, `roads and rail drawn from the archive (blue pixels: ${shown.blue})`);
});

test('the same page with no archive behind the URL draws nothing', async () => {
    const shown = await draw(`${server.base}/test-archive/missing.pmtiles`);
    assert.equal(shown.red + shown.blue, 0);
});

// The first view says what it shows (issue 18 §1): where this is and what
// the symbols are in one line, the most important projects labelled at the
// district view, the page small and quick; a local (offline) basemap used by
// default when the server has one; and the popup's "status as of".

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { REPO, BIN, DATA, serverAndBrowser, startServer, openPage, settle, errorsOf } from './support.mjs';
import { labelRank } from '../../web/src/palette.js';

const palette = JSON.parse(readFileSync(join(REPO, 'styles/palette.json'), 'utf8'));
const PAGE_BUDGET = 250 * 1024;

const fx = serverAndBrowser({ before, after });

/** Records every text drawn on a canvas (the map's labels), from the page's first script on. */
const recordCanvasText = (context) => context.addInitScript(() => {
    window.__drawnText = [];
    const fill = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
        window.__drawnText.push({ text: String(text), font: this.font });
        return fill.call(this, text, ...rest);
    };
});

test('the first view: a what-you-see line in both languages, and the most important projects labelled', async (t) => {
    const { page, context, log } = await openPage(fx.browser, `${fx.server.base}/`, { beforeGoto: (p, c) => recordCanvasText(c) });
    try {
        const features = await page.evaluate(() => window.regiomap.features.map((f) => ({ collection: f.collection, p: f.properties })));
        const summary = await page.locator('#summary').innerText();
        const projects = features.filter((f) => f.collection !== 'boundaries').length;
        assert.match(summary, /北辰区.*天津/, summary);
        assert.match(summary, /Beichen District, north of central Tianjin/, summary);
        assert.ok(summary.includes(`${projects} 个`) && summary.includes(`${projects} projects`), `counts the projects (${projects}): ${summary}`);
        assert.match(summary, /soft disc/);

        const zoom = await page.evaluate(() => window.regiomap.map.getZoom());
        await settle(page, 800);
        const texts = new Set(await page.evaluate(() => window.__drawnText.map((d) => d.text)));
        // a long name is wrapped onto lines: drawn if its first and last lines were
        const drawn = { has: (name) => texts.has(name) || ([...texts].some((x) => x.length >= 2 && name.startsWith(x) && x !== name) && [...texts].some((x) => x.length >= 2 && name.endsWith(x) && x !== name)) };
        const pointCollections = ['industry', 'urban', 'rural', 'livelihood', 'transport_nodes'];
        const candidates = features.filter((f) => pointCollections.includes(f.collection));
        const labelled = candidates.filter((f) => drawn.has(f.p.name_zh));
        t.diagnostic(`zoom ${zoom}: ${labelled.length} of ${candidates.length} projects labelled: ${labelled.map((f) => f.p.name_zh).join(', ')}`);
        assert.ok(zoom <= 11, `the district view (zoom ${zoom})`);
        assert.ok(labelled.length >= 6, `projects labelled at the district view: ${labelled.length}`);
        // by priority: the best-known positions first; a label of a lower rank is only there when no better one of its layer collides
        const best = Math.min(...candidates.map((f) => labelRank(palette, f.p)));
        assert.ok(labelled.some((f) => labelRank(palette, f.p) === best), 'a project of the highest priority is labelled');
        // and none of the projects drawn in a group marker is labelled at its stand-in position
        const grouped = new Set(await page.evaluate(() => window.regiomap.groups.flatMap((g) => g.members.map((f) => f.properties.name_zh))));
        for (const name of grouped) assert.ok(!drawn.has(name), `${name} (in a group) is not labelled on the map`);
        assert.deepEqual(errorsOf(log), []);
    } finally {
        await context.close();
    }
});

test('zoomed in, a locator inset shows where the view lies in the district; activating it returns to the district view', async () => {
    const { page, context, log } = await openPage(fx.browser, `${fx.server.base}/`);
    try {
        assert.equal(await page.isVisible('.locator'), false, 'not at the district view');
        const district = await page.evaluate(() => window.regiomap.map.getBounds());
        await page.evaluate(() => window.regiomap.map.setView([39.2, 117.12], 14, { animate: false }));
        await page.locator('.locator').waitFor({ state: 'visible' });
        const inset = await page.evaluate(() => {
            const r = document.querySelector('.locator-view');
            const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((k) => Number(r.getAttribute(k)));
            return { x, y, w, h, area: document.querySelector('.locator-area').getAttribute('d').length };
        });
        assert.ok(inset.area > 50, 'the district outline is drawn');
        assert.ok(inset.w < 40 && inset.h < 30 && inset.x >= 0 && inset.y >= 0, `a small box for the view: ${JSON.stringify(inset)}`);
        assert.match(await page.getAttribute('.locator', 'aria-label'), /北辰区.*Beichen District/);
        await page.focus('.locator');
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => window.regiomap.map.getZoom() <= 11, null, { timeout: 5000 });
        await page.locator('.locator').waitFor({ state: 'hidden' });
        assert.ok(district, 'back at the district view');
        assert.deepEqual(errorsOf(log), []);
    } finally {
        await context.close();
    }
});

test('page weight and first draw: under 250 KB, first features in under a second', async (t) => {
    const { page, context } = await openPage(fx.browser, `${fx.server.base}/`);
    try {
        await settle(page, 500);
        const weight = await page.evaluate(() => performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
            .reduce((s, e) => s + (e.transferSize || 0), 0));
        const requests = await page.evaluate(() => performance.getEntriesByType('resource').length + 1);
        const ms = await page.evaluate(() => window.regiomap.firstFeatureMs);
        t.diagnostic(`page: ${Math.round(weight / 1024)} KB transferred in ${requests} requests; first features ${Math.round(ms)} ms (cold browser)`);
        assert.ok(weight > 50 * 1024, `the sizes were measured: ${weight}`);
        assert.ok(weight < PAGE_BUDGET, `the page weighs ${Math.round(weight / 1024)} KB (budget 250 KB)`);
    } finally {
        await context.close();
    }
});

test('the popup says when the status was stated: 状态截至 / status as of', async () => {
    const { page, context, log } = await openPage(fx.browser, `${fx.server.base}/`);
    try {
        const f = await page.evaluate(() => window.regiomap.features.find((x) => x.properties.status_date && x.collection === 'livelihood'));
        assert.ok(f, 'the shipped data has status_date');
        await page.evaluate((ref) => window.regiomap.choose(ref, { fly: false }), { collection: f.collection, id: f.id });
        const text = await page.locator('.feature-popup').innerText();
        const date = String(f.properties.status_date).slice(0, 10);
        assert.ok(text.includes(`状态截至 ${date}`) && text.includes(`status as of ${date}`), text);
        // absent: no such line
        await page.evaluate(() => {
            const g = window.regiomap.features.find((x) => x.collection === 'towns');
            delete g.properties.status_date;
            return window.regiomap.choose({ collection: g.collection, id: g.id }, { feature: g, fly: false });
        });
        await page.waitForFunction(() => document.querySelector('.feature-popup')?.dataset.collection === 'towns');
        assert.ok(!(await page.locator('.feature-popup').innerText()).includes('status as of'));
        assert.deepEqual(errorsOf(log), []);
    } finally {
        await context.close();
    }
});

/**
 * A server with a basemap archive answers /basemap.json with a TileJSON and
 * serves /basemap/{z}/{x}/{y}.mvt. Until the server side lands, the browser
 * stands in for it: it answers those URLs with this server's own tiles (any
 * MVT will do for the generic drawing) and a TileJSON made from /tiles.json.
 */
async function serveBasemap(page, schema) {
    const tj = await (await fetch(`${fx.server.base}/tiles.json`)).json();
    const requested = [];
    await page.route(`${fx.server.base}/basemap.json`, (route) => route.fulfill({
        status: 200, contentType: 'application/json',
        body: JSON.stringify({
            tilejson: '3.0.0', name: 'Test basemap', attribution: 'Test basemap © its makers', 'x-schema': schema,
            tiles: ['/basemap/{z}/{x}/{y}.mvt'], minzoom: 0, maxzoom: tj.maxzoom ?? 14,
            // the data's layers renamed as a generic basemap's would be
            vector_layers: [{ id: 'roads__________', fields: {} }, { id: 'water__', fields: {} }, { id: 'boundary__', fields: {} }],
        }),
    }));
    await page.route(/\/basemap\/\d+\/\d+\/\d+\.mvt$/, async (route) => {
        const path = new URL(route.request().url()).pathname.replace('/basemap/', '/tiles/');
        requested.push(path);
        const r = await fetch(`${fx.server.base}${path}`);
        // rename the data's layers to the basemap's: the MVT layer name is a length-prefixed string, same length keeps the bytes valid
        let body = Buffer.from(await r.arrayBuffer());
        body = Buffer.from(body.toString('latin1').replace(/transport_lines/g, 'roads__________').replace(/ecology/g, 'water__').replace(/boundaries/g, 'boundary__'), 'latin1');
        await route.fulfill({ status: r.status, contentType: 'application/vnd.mapbox-vector-tile', body });
    });
    return requested;
}

test('a local basemap, when the server has one, is drawn beneath the data by default; the permalink\'s choice wins', async () => {
    const opened = {};
    const { page, context, log } = await openPage(fx.browser, `${fx.server.base}/`, { beforeGoto: async (p) => { opened.requested = await serveBasemap(p, 'generic'); } });
    try {
        await page.waitForFunction(() => document.querySelectorAll('.basemap-local canvas, .leaflet-tile-pane .basemap-local').length > 0, null, { timeout: 10000 });
        await page.waitForFunction(() => document.querySelector('#map').classList.contains('has-basemap'));
        assert.ok(opened.requested.length > 0, 'basemap tiles requested');
        assert.match(await page.locator('.leaflet-control-attribution').innerText(), /Test basemap © its makers/);
        await page.click('#tab-layers');
        assert.equal(await page.isChecked('input[name=basemap][value=local]'), true, 'the local basemap is the default');
        // beneath the data: its pane is the tile pane, under the features
        const z = await page.evaluate(() => {
            const b = document.querySelector('.basemap-local').closest('.leaflet-pane');
            return { basemap: getComputedStyle(b).zIndex, features: getComputedStyle(document.querySelector('.leaflet-features-pane')).zIndex };
        });
        assert.ok(Number(z.basemap) < Number(z.features), `basemap under the data: ${JSON.stringify(z)}`);
        await page.check('input[name=basemap][value=plain]');
        await page.waitForFunction(() => !document.querySelector('#map').classList.contains('has-basemap'));
        await page.waitForFunction(() => /bm=plain/.test(location.hash));
        assert.deepEqual(errorsOf(log), []);
    } finally {
        await context.close();
    }

    // the permalink's choice wins over the default: no basemap tile is requested
    const plainRequests = {};
    const plain = await openPage(fx.browser, `${fx.server.base}/#bm=plain`, { beforeGoto: async (p) => { plainRequests.list = await serveBasemap(p, 'generic'); } });
    try {
        await settle(plain.page, 500);
        assert.equal(plainRequests.list.length, 0, 'bm=plain: no basemap tiles');
        assert.equal(await plain.page.evaluate(() => document.querySelector('#map').classList.contains('has-basemap')), false);
    } finally {
        await plain.context.close();
    }

    // the Protomaps schema is drawn with protomaps-leaflet's own basemap style
    const pmRequests = {};
    const pm = await openPage(fx.browser, `${fx.server.base}/`, { beforeGoto: async (p) => { pmRequests.list = await serveBasemap(p, 'protomaps'); } });
    try {
        await pm.page.waitForFunction(() => document.querySelector('#map').classList.contains('has-basemap'), null, { timeout: 10000 });
        await settle(pm.page, 500);
        assert.ok(pmRequests.list.length > 0, 'protomaps-schema tiles requested');
        assert.equal(await pm.page.evaluate(() => window.regiomap.basemap.layers.local.paintRules.length > 10), true, 'the Protomaps basemap style');
        assert.deepEqual(errorsOf(pm.log), []);
    } finally {
        await pm.context.close();
    }
});

// The real thing: a server started with a basemap archive (issue 17). The archive is made by the
// server's own exporter from the shipped data (any MVT archive is a basemap to the page: drawn generically).
const serverHasBasemap = spawnSync(BIN, ['--help'], { encoding: 'utf8' }).stdout?.includes('--basemap');
test('a server started with --basemap: the page finds /basemap.json and draws the archive\'s tiles beneath the data',
    { skip: serverHasBasemap ? false : 'this server binary has no --basemap yet (issue 17)' }, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'regiomap-basemap-'));
        const archive = join(dir, 'basemap.pmtiles');
        const made = spawnSync(BIN, ['export', '--data', DATA, '--minzoom', '0', '--maxzoom', '12', '--name', 'Beichen as a basemap', '--type', 'baselayer', archive], { encoding: 'utf8' });
        assert.equal(made.status, 0, `export: ${made.stderr}`);
        const withBasemap = await startServer({ extraArgs: ['--basemap', archive] });
        try {
            const tj = await (await fetch(`${withBasemap.base}/basemap.json`)).json();
            assert.match(tj.tiles[0], /\/basemap\/\{z\}\/\{x\}\/\{y\}\.mvt$/);
            const { page, context, log } = await openPage(fx.browser, `${withBasemap.base}/`);
            try {
                await page.waitForFunction(() => document.querySelector('#map').classList.contains('has-basemap'), null, { timeout: 10000 });
                await settle(page, 600);
                const basemapTiles = log.responses.filter((r) => /\/basemap\/\d+\/\d+\/\d+\.mvt$/.test(new URL(r.url).pathname));
                assert.ok(basemapTiles.length > 0, 'basemap tiles requested');
                assert.deepEqual(basemapTiles.filter((r) => r.status !== 200 && r.status !== 204), [], 'every basemap tile answers 200 or 204');
                await page.click('#tab-layers');
                assert.equal(await page.isChecked('input[name=basemap][value=local]'), true, 'the local basemap is the default');
                assert.deepEqual(errorsOf(log), [], 'a clean console (no 404 for /basemap.json either)');
                assert.equal(log.console.filter((m) => /basemap\.json/.test(m.url || '')).length, 0);
            } finally {
                await context.close();
            }
        } finally {
            await withBasemap.stop();
            rmSync(dir, { recursive: true, force: true });
        }
    });

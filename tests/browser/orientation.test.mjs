// Orientation at the district view (issue 18 §1): the neighbouring districts
// and central Tianjin are named, quietly, from web/data/orientation.geojson
// (GeoNames points); they are labels only: not in the legend, the project
// list, the counts, the search, picking or popups; project labels win over
// them; the attribution credits GeoNames; axe still finds nothing serious.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, serverAndBrowser, openPage, settle, errorsOf, axeSerious } from './support.mjs';

const ORIENTATION = JSON.parse(readFileSync(join(REPO, 'web/data/orientation.geojson'), 'utf8'));
const fx = serverAndBrowser({ before, after });

/**
 * Records the text each canvas shows now: protomaps-leaflet clears a tile's
 * canvas before it draws the tile again, so a label that gave way to
 * another one is no longer counted.
 */
const recordCanvasText = (context) => context.addInitScript(() => {
    const proto = CanvasRenderingContext2D.prototype;
    const fill = proto.fillText;
    const clear = proto.clearRect;
    proto.fillText = function (text, ...rest) {
        (this.canvas.__texts ||= []).push({ text: String(text), font: this.font, alpha: this.globalAlpha, fill: String(this.fillStyle) });
        return fill.call(this, text, ...rest);
    };
    proto.clearRect = function (x, y, w, h) {
        if (x <= 0 && y <= 0 && w >= 256 && h >= 256) this.canvas.__texts = [];
        return clear.call(this, x, y, w, h);
    };
});

/** The texts on the map's tiles as they are now. */
const shownTexts = (page) => page.evaluate(() => [...document.querySelectorAll('.leaflet-features-pane canvas')]
    .filter((c) => c.isConnected && c.width > 0)
    .flatMap((c) => c.__texts || []));

const sizeOf = (font) => parseFloat(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? '0');

test('the district view names the neighbouring districts and central Tianjin, quietly and in both languages; they are labels, not projects', async (t) => {
    const labels = ORIENTATION.features.map((f) => f.properties);
    assert.ok(labels.length >= 4, 'the orientation file has the places');
    const { page, context, log } = await openPage(fx.browser, `${fx.server.base}/`, { beforeGoto: (p, c) => recordCanvasText(c) });
    try {
        await settle(page, 800);
        const zoom = await page.evaluate(() => window.regiomap.map.getZoom());
        assert.ok(zoom <= 11, `the district view (zoom ${zoom})`);
        const shown = await shownTexts(page);
        const projectText = shown.find((d) => d.alpha === 1 && /[\u4e00-\u9fff]/.test(d.text));
        assert.ok(projectText, 'project labels are drawn');
        for (const p of labels) {
            for (const name of [p.label_zh, p.label_en]) {
                const drawn = shown.filter((d) => d.text === name);
                assert.ok(drawn.length > 0, `“${name}” is on the map at the district view (${shown.length} texts shown)`);
                for (const d of drawn) {
                    assert.ok(sizeOf(d.font) >= 11, `“${name}” is at least 11 px (${d.font})`);
                    assert.ok(d.alpha < 1, `“${name}” is quieter than the project labels (opacity ${d.alpha})`);
                }
            }
            assert.ok(shown.some((d) => d.text === p.label_en && /italic/.test(d.font)), `the English “${p.label_en}” is set in italics`);
        }
        t.diagnostic(`zoom ${zoom}: ${labels.map((p) => p.label_zh).join(', ')} drawn beside ${new Set(shown.filter((d) => d.alpha === 1).map((d) => d.text)).size} project label lines`);

        // the attribution credits GeoNames with the licence
        const attribution = await page.locator('.leaflet-control-attribution').textContent();
        assert.match(attribution, /邻区与天津市中心城区标注：GeoNames（CC BY 4\.0）/, attribution);
        assert.match(attribution, /Neighbouring districts and central Tianjin: GeoNames \(CC BY 4\.0\)/, attribution);
        assert.ok(await page.locator('.leaflet-control-attribution a[href="https://creativecommons.org/licenses/by/4.0/"]').count() > 0, 'a link to the licence');

        // not a project: not among the features, the counts, the list or the legend
        const names = labels.flatMap((p) => [p.label_zh, p.label_en, p.name_zh, p.name_en]);
        const features = await page.evaluate(() => window.regiomap.features.map((f) => ({ collection: f.collection, zh: f.properties.name_zh, en: f.properties.name_en })));
        assert.deepEqual(features.filter((f) => names.includes(f.zh) || names.includes(f.en)), [], 'no orientation place among the features');
        let served = 0;
        for (const c of (await (await fetch(`${fx.server.base}/collections`)).json()).collections) {
            served += (await (await fetch(`${fx.server.base}/collections/${c.id}/items?limit=10000`)).json()).features.length;
        }
        assert.equal(features.length, served, 'the page holds exactly the served features');
        const summary = await page.locator('#summary').innerText();
        const projects = features.filter((f) => f.collection !== 'boundaries').length;
        assert.ok(summary.includes(`${projects} projects`), `the count is of projects only: ${summary}`);
        const legend = await page.locator('.legend').innerText();
        const list = await page.locator('#project-list').innerText();
        for (const name of names) {
            assert.ok(!legend.includes(name), `“${name}” is not in the legend`);
            assert.ok(!list.includes(name), `“${name}” is not in the project list`);
        }

        // not found by the search
        for (const q of ['武清区', 'Xiqing', '东丽', '天津市中心城区']) {
            await page.fill('#search-input', q);
            await page.waitForFunction(() => /\S/.test(document.getElementById('search-status').textContent), null, { timeout: 5000 });
            const offered = await page.locator('#search-results [role=option] .result-text').allInnerTexts();
            for (const name of names) assert.ok(!offered.some((r) => r.includes(name)), `search “${q}” does not offer “${name}”: ${offered.join(' | ')}`);
            await page.fill('#search-input', '');
            await page.evaluate(() => { document.getElementById('search-status').textContent = ''; });
        }

        // not picked, no popup: a click on a label's place opens nothing
        for (const f of ORIENTATION.features) {
            const [lng, lat] = f.geometry.coordinates;
            assert.equal(await page.evaluate(([la, ln]) => window.regiomap.pick(L.latLng(la, ln)), [lat, lng]), null, `${f.properties.label_en} is not picked`);
        }
        const [lng, lat] = ORIENTATION.features.find((f) => f.id === 'orientation-dongli').geometry.coordinates;
        const at = await page.evaluate(([la, ln]) => window.regiomap.map.latLngToContainerPoint([la, ln]), [lat, lng]);
        const box = await page.locator('#map').boundingBox();
        await page.mouse.click(box.x + at.x, box.y + at.y);
        await settle(page, 300);
        assert.equal(await page.locator('.feature-popup').count(), 0, 'no popup for an orientation label');

        assert.deepEqual(await axeSerious(page), [], 'axe: no serious or critical violation with the orientation labels');
        assert.deepEqual(errorsOf(log), []);
    } finally {
        await context.close();
    }
});

test('project labels win: orientation labels crowded onto a labelled project give way to it', async (t) => {
    // which project is labelled at the district view, and where
    const first = await openPage(fx.browser, `${fx.server.base}/`, { beforeGoto: (p, c) => recordCanvasText(c) });
    let project;
    try {
        await settle(first.page, 800);
        const shown = new Set((await shownTexts(first.page)).filter((d) => d.alpha === 1).map((d) => d.text));
        project = await first.page.evaluate((texts) => {
            const candidates = window.regiomap.features.filter((f) => f.geometry?.type === 'Point' && texts.includes(f.properties.name_zh));
            const f = candidates[0];
            if (!f) return null;
            const [lng, lat] = f.geometry.coordinates;
            const map = window.regiomap.map;
            const p = map.latLngToContainerPoint([lat, lng]);
            // stand-in orientation points on and around it, covering every place its label could take
            const around = [[0, 0], [0, -22], [0, 22], [48, 0], [-48, 0]].map(([dx, dy]) => map.containerPointToLatLng([p.x + dx, p.y + dy]));
            return { name: f.properties.name_zh, zoom: map.getZoom(), around: around.map((q) => [q.lng, q.lat]) };
        }, [...shown]);
    } finally {
        await first.context.close();
    }
    assert.ok(project, 'a point project is labelled at the district view');
    const fixture = {
        type: 'FeatureCollection',
        features: project.around.map((c, i) => ({
            type: 'Feature', id: `test-${i}`,
            properties: { label_zh: `测试地名${i}`, label_en: `Test place ${i}`, geom_quality: 'approximate', geom_source: 'test fixture, not a real place' },
            geometry: { type: 'Point', coordinates: c },
        })),
    };
    const { page, context, log } = await openPage(fx.browser, `${fx.server.base}/`, {
        beforeGoto: async (p, c) => {
            await recordCanvasText(c);
            await p.route(`${fx.server.base}/data/orientation.geojson`, (route) => route.fulfill({ status: 200, contentType: 'application/geo+json', body: JSON.stringify(fixture) }));
        },
    });
    try {
        await settle(page, 800);
        assert.equal(await page.evaluate(() => window.regiomap.map.getZoom()), project.zoom);
        const shown = (await shownTexts(page)).map((d) => d.text);
        const fixtures = fixture.features.map((f) => f.properties.label_zh).filter((n) => shown.includes(n));
        t.diagnostic(`${project.name}: label ${shown.includes(project.name) ? 'kept' : 'lost'}; stand-in orientation labels drawn: ${fixtures.join(', ') || 'none'}`);
        assert.ok(shown.includes(project.name), `${project.name} keeps its label`);
        assert.ok(fixtures.length < fixture.features.length, 'orientation labels that would cover it gave way');
        assert.deepEqual(errorsOf(log), []);
    } finally {
        await context.close();
    }
});

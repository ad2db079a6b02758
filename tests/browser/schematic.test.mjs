// Schematic must look schematic (issue 18 §2): a point known only to lie in
// an area is drawn as that area (a soft disc, no pin); schematic points whose
// areas coincide are one group marker that opens into a list. The grouping
// comes from the data alone (positions and uncertainty_m), checked here on
// the shipped data against what geom_source says of each position.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, serverAndBrowser, openPage, errorsOf } from './support.mjs';
import { groupByArea, sameArea, distanceM } from '../../web/src/discs.js';
import { Style } from '../../web/src/style.js';

const palette = JSON.parse(readFileSync(join(REPO, 'styles/palette.json'), 'utf8'));
const style = new Style(palette);
const shipped = readdirSync(join(REPO, 'geodata')).filter((f) => f.endsWith('.geojson')).flatMap((file) =>
    JSON.parse(readFileSync(join(REPO, 'geodata', file), 'utf8')).features.map((f) => ({
        collection: file.replace(/\.geojson$/, ''), id: f.properties.id, properties: f.properties, geometry: f.geometry,
    })));

test('groups come from the data: schematic points whose stated areas coincide, nothing else', () => {
    const groups = groupByArea(shipped, style);
    assert.ok(groups.length >= 2, `groups found: ${groups.length}`);
    const grouped = new Set(groups.flatMap((g) => g.members.map((f) => f.id)));
    for (const g of groups) {
        assert.ok(g.members.length >= 2);
        for (const f of g.members) {
            assert.equal(style.pointSymbol(f.properties.geom_quality), 'disc', `${f.id} is drawn as a disc (schematic)`);
            // each member is tied to the group by a chain of coinciding areas
            assert.ok(g.members.some((o) => o !== f && sameArea(f, o)), `${f.id} shares its area with another member`);
            // the group's disc covers the member's own
            assert.ok(distanceM(g.center, f.geometry.coordinates) + f.properties.uncertainty_m <= g.radius + 1, `${f.id} inside its group's disc`);
        }
    }
    // what geom_source says: points placed on a grid or ring of schematic points never stand alone …
    const schematicPoints = shipped.filter((f) => f.geometry.type === 'Point' && f.properties.geom_quality === 'schematic');
    const spaced = schematicPoints.filter((f) => /(grid|ring) of schematic points/i.test(f.properties.geom_source));
    assert.ok(spaced.length >= 10, `stand-in positions in the data: ${spaced.length}`);
    for (const f of spaced) assert.ok(grouped.has(f.id), `${f.id} (${f.properties.name_zh}) is drawn in its group, not at its stand-in position`);
    // … and schematic points set apart in the same town (its NBS code in geom_source) are one group
    const byTown = new Map();
    for (const f of schematicPoints) {
        const town = /only to keep the features apart/.test(f.properties.geom_source) && /\b(1201131\d\d)\b/.exec(f.properties.geom_source)?.[1];
        if (town) byTown.set(town, [...(byTown.get(town) || []), f.id]);
    }
    const groupOf = new Map(groups.flatMap((g) => g.members.map((f) => [f.id, g.id])));
    for (const [town, ids] of byTown) {
        if (ids.length < 2) continue;
        assert.equal(new Set(ids.map((id) => groupOf.get(id))).size, 1, `town ${town}: ${ids.join(', ')} in one group`);
        assert.ok(groupOf.get(ids[0]), `town ${town} grouped`);
    }
    // and nothing with a position of its own is swallowed
    for (const f of shipped.filter((x) => x.properties.geom_quality !== 'schematic')) assert.ok(!grouped.has(f.id), `${f.id} is not grouped`);
});

test('sameArea: near and alike areas coincide; far ones, or a small area inside a large one, do not', () => {
    const pt = (lon, lat, r) => ({ geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { uncertainty_m: r } });
    assert.ok(sameArea(pt(117, 39, 3000), pt(117.005, 39, 3500))); // ~430 m apart, 3 km areas
    assert.ok(!sameArea(pt(117, 39, 3000), pt(117.03, 39, 3000))); // ~2.6 km apart
    assert.ok(!sameArea(pt(117, 39, 3000), pt(117, 39, 20000))); // a town inside the district: different claims
    assert.ok(!sameArea(pt(117, 39, 3000), { geometry: { type: 'Point', coordinates: [117, 39] }, properties: {} }));
});

const fx = serverAndBrowser({ before, after });

test('on the map: one marker per group, no pin at a member\'s stand-in position; the marker opens into a list by keyboard', async () => {
    const { page, context, log } = await openPage(fx.browser, `${fx.server.base}/`);
    try {
        const groups = await page.evaluate(() => window.regiomap.groups.map((g) => ({ id: g.id, n: g.members.length, members: g.members.map((f) => ({ collection: f.collection, id: f.id, name: f.properties.name_zh, at: f.geometry.coordinates })) })));
        assert.equal(await page.locator('.group-marker[data-group]').count(), groups.length, 'a marker per group');
        // a member's own position is neither drawn nor pickable: the tiles' picking finds nothing there
        for (const g of groups) {
            for (const m of g.members) {
                const hit = await page.evaluate(([lon, lat]) => {
                    const h = window.regiomap.pick(L.latLng(lat, lon));
                    return h && `${h.ref.collection}/${h.ref.id}`;
                }, m.at);
                assert.notEqual(hit, `${m.collection}/${m.id}`, `${m.name} is not drawn at its stand-in position`);
            }
        }
        // keyboard: focus the largest group's marker, Enter opens its list, Enter on a project opens its details at the marker
        const big = groups.reduce((a, b) => (b.n > a.n ? b : a));
        const marker = page.locator(`.group-marker[data-group="${big.id}"]`);
        assert.match(await marker.getAttribute('aria-label'), new RegExp(`${big.n} 个示意项目.*${big.n} schematic projects`));
        await marker.focus();
        await page.keyboard.press('Enter');
        const list = page.locator('.group-popup');
        await list.waitFor();
        assert.ok(await page.evaluate(() => document.querySelector('.group-popup').contains(document.activeElement)), 'focus moves into the list');
        const text = await list.innerText();
        for (const m of big.members) assert.ok(text.includes(m.name), `the list names ${m.name}`);
        assert.match(text, /位于此范围内某处/);
        assert.match(text, /somewhere in this area/);
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
        const details = page.locator('.feature-popup:not(.group-popup)');
        await details.waitFor();
        const at = await page.evaluate(() => {
            const p = window.regiomap.map._popup.getLatLng();
            return [p.lng, p.lat];
        });
        const center = await page.evaluate((id) => window.regiomap.groups.find((g) => g.id === id).center, big.id);
        assert.ok(Math.abs(at[0] - center[0]) < 1e-9 && Math.abs(at[1] - center[1]) < 1e-9, 'the details point at the group marker, not at a stand-in position');
        await page.keyboard.press('Escape');
        await page.waitForFunction(() => !document.querySelector('.leaflet-popup'), null, { timeout: 3000 });
        assert.ok(await page.evaluate((id) => document.activeElement?.dataset.group === id, big.id), 'focus back on the marker');
        assert.deepEqual(errorsOf(log), []);
    } finally {
        await context.close();
    }
});

test('a schematic point alone is a soft disc with no pin; approximate points keep their symbol and a smaller disc', async () => {
    const { page, context, log } = await openPage(fx.browser, `${fx.server.base}/`);
    try {
        const discs = await page.evaluate(() => window.regiomap.discs());
        const features = await page.evaluate(() => window.regiomap.features.map((f) => ({ key: `${f.collection}/${f.id}`, q: f.properties.geom_quality, type: f.geometry?.type, r: f.properties.uncertainty_m })));
        const grouped = new Set(await page.evaluate(() => window.regiomap.groups.flatMap((g) => g.members.map((f) => `${f.collection}/${f.id}`))));
        for (const f of features.filter((x) => x.type === 'Point' && x.r > 0)) {
            const own = discs.filter((d) => d.keys.includes(f.key));
            if (f.q === 'surveyed') assert.equal(own.length, 0, `${f.key}: surveyed, no disc`);
            else assert.equal(own.length, 1, `${f.key} (${f.q}) has one disc`);
            if (f.q === 'schematic' && !grouped.has(f.key)) assert.equal(own[0].quiet, false, `${f.key}: a full soft disc`);
            if (f.q === 'approximate') assert.equal(own[0].quiet, true, `${f.key}: a quieter disc under its symbol`);
        }
        // the pin: a schematic point's symbol has no white base and no outline ring (drawn by the map's own code on a test canvas)
        const ring = await page.evaluate(() => {
            const draw = (q) => {
                const c = document.createElement('canvas');
                c.width = c.height = 40;
                const ctx = c.getContext('2d');
                ctx.fillStyle = '#000';
                ctx.fillRect(0, 0, 40, 40);
                window.regiomap.style.drawPoint(ctx, 20, 20, { category: 'industry', status: 'planned', geom_quality: q }, 'industry', 14);
                const d = ctx.getImageData(0, 0, 40, 40).data;
                let white = 0;
                for (let i = 0; i < d.length; i += 4) if (d[i] > 230 && d[i + 1] > 230 && d[i + 2] > 230) white++;
                return white;
            };
            return { schematic: draw('schematic'), approximate: draw('approximate') };
        });
        assert.equal(ring.schematic, 0, 'no white base: no pin');
        assert.ok(ring.approximate > 20, `an approximate point keeps its symbol: ${ring.approximate} white pixels`);
        assert.deepEqual(errorsOf(log), []);
    } finally {
        await context.close();
    }
});

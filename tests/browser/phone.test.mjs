// The phone layout (issue 18 §4): the details and the legend as bottom
// sheets, a one-line attribution that unfolds, at 360×640 and 390×844; and
// screenshots of each state compared with the committed references in
// tests/browser/references/ (a tolerant comparison: antialiasing and one-pixel
// shifts of glyphs are no difference). Deterministic: fixed viewport, device
// scale 1, no basemap, reduced motion (no animation), a permalink view.
//
// REGIOMAP_UPDATE_REFERENCES=1 rewrites the references from this run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
    REPO, serverAndBrowser, openPage, settle, errorsOf, decodePng, encodePng, comparePngs, artifactPath,
} from './support.mjs';

const REFERENCES = join(REPO, 'tests/browser/references');
const UPDATE = process.env.REGIOMAP_UPDATE_REFERENCES === '1';
// share of pixels that may differ (after the tolerant comparison) before a screenshot fails
const MAX_SHARE = Number(process.env.REGIOMAP_SCREENSHOT_TOLERANCE || 0.004);
// the view of every screenshot: the district (permalink), the same on every run
const VIEW = 'map=10/39.23/117.17';

const fx = serverAndBrowser({ before, after });

async function phone(size, hash) {
    const opened = await openPage(fx.browser, `${fx.server.base}/#${hash}`, { viewport: size, mobile: true, reducedMotion: 'reduce' });
    await opened.page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; caret-color: transparent !important; }' });
    return opened;
}

/** Compares the page with its reference (or writes the reference in update mode). */
async function matchesReference(t, page, name) {
    await settle(page, 600);
    const shot = await page.screenshot();
    writeFileSync(artifactPath(`${name}.png`), shot);
    const ref = join(REFERENCES, `${name}.png`);
    if (UPDATE || !existsSync(ref)) {
        mkdirSync(REFERENCES, { recursive: true });
        writeFileSync(ref, shot);
        t.diagnostic(`${name}: reference ${UPDATE ? 'updated' : 'written (none was committed)'}`);
        return;
    }
    const result = comparePngs(decodePng(readFileSync(ref)), decodePng(shot));
    t.diagnostic(`${name}: ${result.different} of ${result.total} pixels differ (${(result.share * 100).toFixed(3)} %)`);
    if (result.share > MAX_SHARE && result.diff) writeFileSync(artifactPath(`${name}-diff.png`), encodePng(result.diff));
    assert.ok(result.share <= MAX_SHARE, `${name}: ${(result.share * 100).toFixed(2)} % of the pixels differ from ${ref} (see ${name}-diff.png in the artifacts)`);
}

for (const size of [{ width: 360, height: 640 }, { width: 390, height: 844 }]) {
    const tag = `phone-${size.width}x${size.height}`;

    test(`${size.width}×${size.height}: the first view, a one-line attribution that unfolds`, async (t) => {
        const { page, context, log } = await phone(size, VIEW);
        try {
            const attribution = page.locator('.leaflet-control-attribution');
            const closed = await attribution.boundingBox();
            assert.ok(closed.height <= 22, `one line: ${closed.height}px`);
            assert.ok(closed.x >= 0 && closed.x + closed.width <= size.width, 'on screen');
            const summary = await page.locator('#summary').boundingBox();
            assert.ok(summary && summary.y + summary.height < size.height / 3, `the what-you-see line at the top: ${JSON.stringify(summary)}`);
            await matchesReference(t, page, `${tag}-map`);

            await page.click('.attribution-toggle');
            assert.equal(await page.getAttribute('.attribution-toggle', 'aria-expanded'), 'true');
            const open = await attribution.boundingBox();
            assert.ok(open.height > closed.height + 8, `unfolded: ${open.height}px`);
            assert.ok((await attribution.innerText()).includes('OpenStreetMap'), 'the whole attribution can be read');
            assert.deepEqual(errorsOf(log), []);
        } finally {
            await context.close();
        }
    });

    test(`${size.width}×${size.height}: a feature's details in a bottom sheet, the feature above it`, async (t) => {
        const { page, context, log } = await phone(size, `${VIEW}&sel=industry/1`);
        try {
            const sheet = page.locator('#sheet');
            await page.locator('#sheet .feature-popup').waitFor();
            const box = await sheet.boundingBox();
            assert.ok(box.x === 0 && Math.abs(box.width - size.width) <= 1 && Math.abs(box.y + box.height - size.height) <= 1, `a sheet at the bottom: ${JSON.stringify(box)}`);
            assert.ok(box.height <= size.height * 0.5, `at most half the screen: ${box.height}`);
            const anchor = await page.evaluate(() => {
                const f = window.regiomap.features.find((x) => x.collection === 'industry' && String(x.id) === '1');
                return window.regiomap.map.latLngToContainerPoint([f.geometry.coordinates[1], f.geometry.coordinates[0]]);
            });
            const mapTop = (await page.locator('#map').boundingBox()).y;
            assert.ok(anchor.y > 0 && mapTop + anchor.y < box.y, `the feature stays visible above the sheet: y ${mapTop + anchor.y} < ${box.y}`);
            await matchesReference(t, page, `${tag}-sheet`);
            // its last part, the position quality, is not cut off: its top and its bottom can both be scrolled into the sheet
            for (const block of ['start', 'end']) {
                await page.evaluate((b) => document.querySelector('#sheet .quality').scrollIntoView({ block: b }), block);
                const q = await page.locator('#sheet .quality').boundingBox();
                const edge = block === 'start' ? q.y : q.y + q.height;
                assert.ok(edge >= box.y - 0.5 && edge <= box.y + box.height + 0.5 && q.x >= 0 && q.x + q.width <= size.width,
                    `the ${block} of the position box can be seen in the sheet: ${JSON.stringify(q)} in ${JSON.stringify(box)}`);
            }
            // a tap on the map beside every feature closes it, as a click closes a popup
            const mapBox = await page.locator('#map').boundingBox();
            await page.touchscreen.tap(mapBox.x + 20, box.y - 20);
            await sheet.waitFor({ state: 'hidden', timeout: 3000 });
            await page.waitForFunction(() => !location.hash.includes('sel='), null, { timeout: 3000 }); // and the selection is gone from the permalink
            assert.deepEqual(errorsOf(log), []);
        } finally {
            await context.close();
        }
    });

    test(`${size.width}×${size.height}: the legend opens as a bottom sheet with every row visible`, async (t) => {
        const { page, context, log } = await phone(size, VIEW);
        try {
            await page.click('.legend summary');
            const legend = page.locator('.legend[open]');
            await legend.waitFor();
            const box = await legend.boundingBox();
            assert.ok(box.x <= 0.5 && Math.abs(box.width - size.width) <= 1 && Math.abs(box.y + box.height - size.height) <= 1, `a sheet at the bottom: ${JSON.stringify(box)}`);
            assert.ok(box.height <= size.height * 0.62, `leaves the map visible: ${box.height}`);
            await matchesReference(t, page, `${tag}-legend`);
            // every row can be reached: the last one scrolls fully into the sheet, none is clipped sideways
            const rows = legend.locator('li');
            const n = await rows.count();
            await rows.nth(n - 1).scrollIntoViewIfNeeded();
            const inner = await legend.boundingBox();
            for (let i = 0; i < n; i++) {
                const r = await rows.nth(i).boundingBox();
                assert.ok(r.x >= 0 && r.x + r.width <= size.width + 0.5, `row ${i} not clipped sideways: ${JSON.stringify(r)}`);
            }
            const last = await rows.nth(n - 1).boundingBox();
            assert.ok(last.y + last.height <= inner.y + inner.height + 1, `the last row is visible: ${JSON.stringify(last)} in ${JSON.stringify(inner)}`);
            // a feature's details take the place of the legend
            await page.evaluate(() => window.regiomap.choose({ collection: 'industry', id: 1 }, { fly: false }));
            await page.locator('#sheet .feature-popup').waitFor();
            assert.equal(await page.locator('.legend[open]').count(), 0, 'the legend closed for the details');
            assert.deepEqual(errorsOf(log), []);
        } finally {
            await context.close();
        }
    });
}

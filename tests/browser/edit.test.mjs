// Editing on the web map (issue 14 §4): a signed-in editor changes a
// project's status and position from its details and sees the map's tiles
// change without reloading the page; two editors of the same project get a
// conflict (412) said in words, not a lost change; without a valid token
// nothing offers to edit. The real server on a copy of the shipped
// GeoPackage with a real tokens file, Debian's Chromium.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, DATA, startServer, launchBrowser, openPage, errorsOf, axeSerious, settle } from './support.mjs';

const COLLECTION = 'livelihood';
const PROJECT = 'livelihood-no92-middle-school'; // an approximate point: drawn from the tiles, in no group

let dir, server, browser, token, feature;

function addToken(name, ...args) {
    const out = execFileSync(BIN, ['token', 'add', name, '--tokens-file', join(dir, 'tokens.json'), ...args], { encoding: 'utf8' });
    const found = /rgm_\S+/.exec(out);
    if (!found) throw new Error(`no token in: ${out}`);
    return found[0];
}

async function getFeature() {
    const r = await fetch(`${server.base}/collections/${COLLECTION}/items/${feature.id}`, { cache: 'no-store' });
    return r.json();
}

before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'regiomap-edit-'));
    copyFileSync(DATA, join(dir, 'beichen.gpkg'));
    token = addToken('district-office', '--role', 'editor', '--collections', COLLECTION);
    server = await startServer({ extraArgs: ['--data', join(dir, 'beichen.gpkg'), '--tokens-file', join(dir, 'tokens.json')] });
    browser = await launchBrowser();
    const fc = await (await fetch(`${server.base}/collections/${COLLECTION}/items?limit=1000`)).json();
    feature = fc.features.find((f) => f.properties.id === PROJECT);
    assert.ok(feature, `${PROJECT} is in the data`);
});

after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signIn(page, value) {
    await page.click('#signin-button');
    await page.fill('#signin-token', value);
    await page.click('#signin-dialog .signin-submit');
}

async function chooseProject(page) {
    await page.evaluate(({ collection, id }) => window.regiomap.choose({ collection, id }, { fly: true }), { collection: COLLECTION, id: feature.id });
    await page.waitForSelector(`.feature-popup[data-id="${feature.id}"]`);
}

test('without a valid token nothing offers to edit, and a wrong token is refused in words', async () => {
    const { page, context, log } = await openPage(browser, `${server.base}/`);
    try {
        await page.waitForSelector('#signin-button:not([hidden])');
        await chooseProject(page);
        assert.equal(await page.locator('.edit-open').count(), 0, 'no edit button before signing in');
        await signIn(page, `${token.slice(0, -4)}xxxx`);
        await page.waitForFunction(() => /not valid|无效/.test(document.querySelector('#signin-dialog .signin-status').textContent));
        assert.equal(await page.evaluate(() => sessionStorage.getItem('regiomap.editToken')), null, 'a refused token is not kept');
        assert.deepEqual(await axeSerious(page), [], 'the sign-in dialog passes axe');
        await page.click('#signin-dialog .signin-cancel');
        assert.equal(await page.locator('.edit-open').count(), 0);
        // the server's log and the page's console name no token
        // the whole secret after "rgm_<id>_": it is base64url, so it may hold '_' itself (split('_')[2]
        // was then a piece of it, or empty, which every log "includes")
        const secret = token.slice(token.indexOf('_', 'rgm_'.length) + 1);
        assert.ok(secret.length >= 20, `the secret part of the token: ${secret.length} characters`);
        assert.ok(!server.stderr.includes(secret), 'no secret in the server log');
        assert.deepEqual(errorsOf(log).filter((e) => !/401/.test(e)), []);
    } finally {
        await context.close();
    }
});

test('a signed-in editor changes status and position; the map updates without reloading the page', async () => {
    const { page, context, log } = await openPage(browser, `${server.base}/`);
    try {
        await page.evaluate(() => { window.notReloaded = true; });
        await signIn(page, token);
        await page.waitForFunction(() => /district-office/.test(document.getElementById('signin-button').textContent));
        await chooseProject(page);
        await page.click('.edit-open');
        await page.waitForSelector('.edit-form select[name="status"]');
        assert.deepEqual(await axeSerious(page), [], 'the edit form passes axe');
        const before = await getFeature();
        assert.notEqual(before.properties.status, 'completed');
        const [lon, lat] = before.geometry.coordinates;
        await page.selectOption('.edit-form select[name="status"]', 'completed');
        // a new status is dated today unless the editor says otherwise
        assert.equal(await page.inputValue('.edit-form input[name="status_date"]'), new Date().toISOString().slice(0, 10));
        await page.fill('.edit-form input[name="lat"]', String(lat + 0.002));
        await page.fill('.edit-form input[name="geom_source"]', 'Surveyed on site by the district office, 2026-12');
        await page.fill('.edit-form input[name="reason"]', '扩建工程已完工');
        await page.click('.edit-form .edit-save');
        await page.waitForSelector('.edit-saved');

        const stored = await getFeature();
        assert.equal(stored.properties.status, 'completed');
        assert.ok(Math.abs(stored.geometry.coordinates[1] - (lat + 0.002)) < 1e-9, 'moved north');
        assert.ok(Math.abs(stored.geometry.coordinates[0] - lon) < 1e-9);
        const history = await (await fetch(`${server.base}/collections/${COLLECTION}/items/${feature.id}/history`)).json();
        assert.equal(history.changes[0].author, 'district-office');
        assert.equal(history.changes[0].reason, '扩建工程已完工', 'a reason in Chinese arrives as written');
        assert.ok(history.changes[0].fields.includes('properties.status') || history.changes[0].fields.includes('status'), JSON.stringify(history.changes[0].fields));

        // the tiles are fetched again under the new data generation and show the change
        const generation = await page.evaluate(() => window.regiomap.generation);
        assert.ok(Number.isInteger(generation) && generation >= 2, `generation ${generation}`);
        await settle(page);
        assert.ok(log.responses.some((r) => /\.mvt\?/.test(r.url) && r.url.includes(`v=${generation}`) && r.status === 200), 'tiles of the new generation fetched');
        const picked = await page.evaluate(({ lat: la, lon: lo }) => {
            const hit = window.regiomap.pick(L.latLng(la, lo));
            return hit && { id: hit.ref.id, status: hit.props.status };
        }, { lat: lat + 0.002, lon });
        assert.deepEqual(picked, { id: feature.id, status: 'completed' }, 'the tile at the new position has the new status');
        // the details show the last change
        await page.waitForSelector('.feature-popup .last-change');
        assert.match(await page.textContent('.feature-popup .last-change'), /district-office/);
        assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
        assert.deepEqual(errorsOf(log), []);
    } finally {
        await context.close();
    }
});

test('two editors of one project: the second gets a conflict in words and can load the current version', async () => {
    const a = await openPage(browser, `${server.base}/`);
    const b = await openPage(browser, `${server.base}/`);
    try {
        for (const { page } of [a, b]) {
            await signIn(page, token);
            await page.waitForFunction(() => /district-office/.test(document.getElementById('signin-button').textContent));
            await chooseProject(page);
            await page.click('.edit-open');
            await page.waitForSelector('.edit-form select[name="status"]');
        }
        await a.page.selectOption('.edit-form select[name="status"]', 'ongoing');
        await a.page.click('.edit-form .edit-save');
        await a.page.waitForSelector('.edit-saved');

        await b.page.fill('.edit-form input[name="uncertainty_m"]', '150');
        await b.page.click('.edit-form .edit-save');
        await b.page.waitForSelector('.edit-form .edit-message[role="alert"] .edit-load-theirs');
        const said = await b.page.textContent('.edit-form .edit-message');
        assert.match(said, /Conflict/);
        assert.match(said, /status/, 'says what the other editor changed');
        assert.equal((await getFeature()).properties.uncertainty_m !== 150, true, 'the stale change was not written');
        await b.page.click('.edit-load-theirs');
        assert.equal(await b.page.inputValue('.edit-form select[name="status"]'), 'ongoing', "the other editor's version is shown");
        // saved again on the current version, the change goes through
        await b.page.fill('.edit-form input[name="uncertainty_m"]', '150');
        await b.page.click('.edit-form .edit-save');
        await b.page.waitForSelector('.edit-saved');
        assert.equal((await getFeature()).properties.uncertainty_m, 150);
    } finally {
        await a.context.close();
        await b.context.close();
    }
});

// The HTML pages of the OGC API (landing, conformance, collections, a
// collection, items, an item) in Debian's Chromium against the real server
// and the shipped data: every page reached by following its links from the
// landing page, each checked for console errors and failed requests, its
// language, title, one <h1>, table headers and captions, both languages,
// axe-core's serious and critical findings, and every same-origin link on
// it answering 200. Screenshots go to $REGIOMAP_ARTIFACTS.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serverAndBrowser, openPage, errorsOf, artifactPath } from './support.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const fx = serverAndBrowser({ before, after });

async function axe(page) {
    await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        resultTypes: ['violations'],
    }));
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
}

/** What a page is made of, read in the page. */
function inspect(page) {
    return page.evaluate(() => ({
        lang: document.documentElement.lang,
        title: document.title,
        h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
        tables: [...document.querySelectorAll('table')].map((t) => ({
            caption: t.caption ? t.caption.textContent.trim() : '',
            headers: [...t.querySelectorAll('thead th')].map((th) => th.getAttribute('scope')),
            rows: t.tBodies[0] ? t.tBodies[0].rows.length : 0,
            rowHeaders: [...t.querySelectorAll('tbody th')].every((th) => th.getAttribute('scope') === 'row'),
        })),
        zh: document.querySelectorAll('[lang="zh-Hans"]').length,
        en: document.querySelectorAll('[lang="en"]').length,
        // SVG links too (their href is not a string property).
        links: [...document.querySelectorAll('a[href], link[rel="alternate"]')]
            .map((a) => new URL(a.getAttribute('href'), location.href).href),
        shapes: document.querySelectorAll('svg.map a').length,
        text: document.body.innerText,
    }));
}

/** Pages to visit: the HTML pages one click away, same origin only. */
function htmlLinks(info, base) {
    return info.links.filter((href) => href.startsWith(base) && href.includes('f=html'));
}

/** Which page a URL is. */
function kindOf(url) {
    const path = new URL(url).pathname;
    return path === '/' ? 'landing' : path === '/conformance' ? 'conformance'
        : path === '/collections' ? 'collections' : /^\/collections\/[^/]+$/.test(path) ? 'collection'
            : /\/items$/.test(path) ? 'items' : /\/items\/[^/]+$/.test(path) ? 'item' : 'other';
}

// How many pages of each kind the crawl visits: every kind, a few of each
// (the shipped data has many collections and thousands of features).
const VISITS = { landing: 1, conformance: 1, collections: 1, collection: 3, items: 4, item: 4, other: 0 };

test('every HTML page reached from the landing page is clean, accessible and bilingual', async () => {
    const base = fx.server.base;
    const start = `${base}/?f=html`;
    const queue = [start];
    const seen = new Set(queue);
    const queued = { landing: 1 };
    const kinds = new Set();
    const checkedLinks = new Map();
    while (queue.length) {
        const url = queue.shift();
        const { page, context, log } = await openPage(fx.browser, url, { waitReady: false });
        await page.waitForLoadState('load');
        const info = await inspect(page);
        const where = url.slice(base.length);
        assert.deepEqual(errorsOf(log), [], `${where}: console errors or failed requests`);
        assert.ok(log.responses.every((r) => r.status < 400), `${where}: a request failed: ${JSON.stringify(log.responses)}`);
        assert.equal(info.lang, 'zh-Hans', where);
        assert.ok(info.title.length > 3 && info.title.includes('regiomap'), `${where}: title "${info.title}"`);
        assert.equal(info.h1.length, 1, `${where}: one h1`);
        assert.ok(info.zh > 0 && info.en > 0, `${where}: both languages`);
        for (const table of info.tables) {
            assert.ok(table.caption, `${where}: a table without caption`);
            assert.ok(table.headers.length > 0 && table.headers.every((s) => s === 'col'), `${where}: column headers`);
            assert.ok(table.rowHeaders, `${where}: row headers`);
        }
        assert.deepEqual(await axe(page), [], `${where}: axe`);

        const kind = kindOf(url);
        kinds.add(kind);
        if (kind === 'items' && !url.includes('offset=')) {
            assert.ok(info.tables.length === 1 && info.tables[0].rows > 0, `${where}: a feature table`);
            assert.ok(info.shapes > 0, `${where}: features on the map`);
        }
        if (kind === 'item' && info.text.includes('source_quote')) {
            assert.match(info.text, /位置来源/);
            assert.match(info.text, /The source's own words/);
            assert.ok(info.shapes === 1 || info.text.includes('no geometry'), `${where}: the feature's map`);
        }
        if (kind !== 'other' && !kinds.has(`shot:${kind}`)) {
            kinds.add(`shot:${kind}`);
            await page.screenshot({ path: artifactPath(`ogc-${kind}.png`), fullPage: false });
        }
        // Every same-origin link answers (JSON alternates, queryables, tiles, next pages, …).
        for (const href of info.links.filter((h) => h.startsWith(base))) {
            if (!checkedLinks.has(href)) {
                const response = await fetch(href);
                checkedLinks.set(href, response.status);
                await response.arrayBuffer();
            }
            assert.equal(checkedLinks.get(href), 200, `${where}: link ${href}`);
        }
        // Breadth first, a few pages of each kind.
        for (const href of htmlLinks(info, base)) {
            const next = kindOf(href);
            if (!seen.has(href) && (queued[next] ?? 0) < VISITS[next]) {
                seen.add(href);
                queued[next] = (queued[next] ?? 0) + 1;
                queue.push(href);
            }
        }
        await context.close();
    }
    for (const kind of ['landing', 'conformance', 'collections', 'collection', 'items', 'item']) {
        assert.ok(kinds.has(kind), `reached a ${kind} page (reached: ${[...kinds]})`);
    }
});

test('a browser asking for text/html gets the pages without f=html; JSON clients still get JSON', async () => {
    const base = fx.server.base;
    const { page, context, log } = await openPage(fx.browser, `${base}/collections/industry/items?limit=2`,
        { waitReady: false });
    await page.waitForLoadState('load');
    const info = await inspect(page);
    assert.deepEqual(errorsOf(log), []);
    assert.equal(info.tables.length, 1);
    assert.equal(info.tables[0].rows, 2);
    await context.close();
    const json = await fetch(`${base}/collections/industry/items?limit=2`, { headers: { accept: 'application/geo+json, application/json' } });
    assert.equal(json.headers.get('content-type'), 'application/geo+json');
    assert.match(json.headers.get('vary'), /Accept/);
    const any = await fetch(`${base}/collections`);
    assert.equal(any.headers.get('content-type'), 'application/json');
    // The web map stays the browser's landing page; the API's own page is /?f=html.
    const { page: root, context: rootContext } = await openPage(fx.browser, `${base}/`, { waitReady: false });
    await root.waitForLoadState('load');
    assert.ok(await root.evaluate(() => Boolean(document.querySelector('#map'))));
    await rootContext.close();
});

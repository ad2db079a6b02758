// Accessibility of the web map (issue 18 §3, §5): axe-core 4 (WCAG 2.1 A/AA
// rules) over the page's states at desktop and phone size, and a keyboard
// test for each defect the audit found: focus visible on the map, Escape from
// the popup's close button, focus kept when a phone's sheet closes, a named
// region for the map, headings in order, skip links; and both languages in
// every text of the interface.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage, settle, errorsOf, axeSerious as axe } from './support.mjs';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const fx = serverAndBrowser({ before, after });

const open = (size, hash = '') => openPage(fx.browser, `${fx.server.base}/${hash}`, { viewport: size, mobile: size === PHONE });

/**
 * The page states the audit covered, reached one after the other on one page
 * the way a user would; visit(name) is called in each.
 */
async function walkStates(page, size, visit) {
    const phone = size === PHONE;
    // Leaflet fades popups in and out: check them when the fade is over (axe measures contrast through opacity)
    const popupSettled = () => page.waitForFunction(() => [...document.querySelectorAll('.leaflet-popup')]
        .every((p) => getComputedStyle(p).opacity === '1'), null, { timeout: 3000 });
    await visit('initial');
    if (phone) {
        await page.click('#panel-toggle');
        await page.locator('#panel').waitFor({ state: 'visible' });
    }
    await page.locator('#project-list button.project').first().waitFor();
    await visit('panel open');
    await page.click('#tab-layers');
    await page.uncheck('#coll-ecology');
    await page.uncheck('#cat-urban');
    await visit('layers tab, layers toggled');
    await page.click('#tab-projects'); // the list shows projects of hidden layers
    await visit('list with hidden layers');
    await page.click('#tab-about');
    await visit('about tab');
    await page.click('#tab-layers');
    await page.click('#show-all');
    await page.click('#tab-projects');
    if (phone) await page.click('#panel-toggle');
    await settle(page);
    if (phone) await page.click('.legend summary');
    await page.locator('.legend[open]').waitFor();
    await visit('legend open');
    await page.evaluate(() => window.regiomap.choose({ collection: 'livelihood', id: 1 }, { fly: false }));
    await page.locator('.feature-popup').waitFor();
    await page.evaluate(() => document.querySelectorAll('.feature-popup details').forEach((d) => { d.open = true; }));
    await popupSettled();
    await visit('popup open');
    await page.keyboard.press('Escape');
    await page.evaluate(() => window.regiomap.map.closePopup());
    await page.locator('.group-marker[data-group]').first().click();
    await page.locator('.group-popup').waitFor();
    await popupSettled();
    await visit('group list open');
}

for (const [sizeName, size] of [['1280×800', DESKTOP], ['390×844', PHONE]]) {
    test(`axe-core: no serious or critical violation in any state at ${sizeName}; every text in both languages`, async (t) => {
        const found = {};
        const untranslatedByState = {};
        const { page, context, log } = await open(size);
        try {
            await walkStates(page, size, async (name) => {
                const v = await axe(page);
                t.diagnostic(`${sizeName} ${name}: ${v.length} serious/critical`);
                if (v.length) found[name] = v;
                const bad = await untranslated(page);
                if (bad.length) untranslatedByState[name] = bad;
            });
            assert.deepEqual(errorsOf(log), [], 'no console errors');
        } finally {
            await context.close();
        }
        assert.deepEqual(found, {}, 'axe violations by state');
        assert.deepEqual(untranslatedByState, {}, 'texts that are not a zh/en pair, by state (one message catalogue)');
    });
}

test('axe-core finds the defects the audit found when they are put back (the check can fail)', async () => {
    const { page, context } = await open(DESKTOP);
    try {
        await page.locator('#project-list button.project').first().waitFor();
        await page.addStyleTag({ content: 'button.project { opacity: .5 }' });
        const v = (await axe(page)).join('\n');
        assert.match(v, /color-contrast/, v);
    } finally {
        await context.close();
    }
});

test('keyboard: the map shows its focus inside its own edge, on a desktop and on a phone', async () => {
    for (const size of [DESKTOP, PHONE]) {
        const { page, context } = await open(size);
        try {
            // the skip link leads to the map
            await page.keyboard.press('Tab');
            assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#map', 'the first Tab stop is "skip to the map"');
            await page.keyboard.press('Enter');
            await page.waitForFunction(() => document.activeElement?.id === 'map');
            const ring = await page.evaluate(() => {
                const map = document.getElementById('map');
                const after = getComputedStyle(map, '::after');
                const box = map.getBoundingClientRect();
                const top = document.elementFromPoint(box.left + box.width / 2, box.top + 1);
                return {
                    border: after.borderTopWidth, style: after.borderTopStyle, color: after.borderTopColor, position: after.position, zIndex: after.zIndex,
                    inset: [after.top, after.right, after.bottom, after.left], mapTop: box.top, topbarBottom: document.querySelector('.topbar').getBoundingClientRect().bottom,
                    topIsMap: map.contains(top),
                };
            });
            assert.equal(ring.style, 'solid', `a focus ring is drawn: ${JSON.stringify(ring)}`);
            assert.ok(parseFloat(ring.border) >= 2, `at least 2 px: ${ring.border}`);
            assert.deepEqual(ring.inset, ['0px', '0px', '0px', '0px'], 'on all four edges, inside the map');
            assert.ok(ring.mapTop >= ring.topbarBottom - 0.5 && ring.topIsMap, 'its top edge is not under the top bar');
            assert.ok(Number(ring.zIndex) > 400, 'above the tiles');
        } finally {
            await context.close();
        }
    }
});

test('keyboard: skip to the project list; the zoom buttons are the first stops after skipping to the map', async () => {
    const { page, context } = await open(DESKTOP);
    try {
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#project-list');
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.activeElement?.id === 'project-list');
        await page.keyboard.press('Tab');
        assert.ok(await page.evaluate(() => document.getElementById('project-list').contains(document.activeElement)), 'the next stop is in the list');

        await page.focus('#map');
        await page.keyboard.press('Tab');
        assert.ok(await page.evaluate(() => document.activeElement.classList.contains('leaflet-control-zoom-in')), 'zoom in right after the map');
    } finally {
        await context.close();
    }
});

test('keyboard: Escape closes the popup while its close button has the focus', async () => {
    const { page, context } = await open(DESKTOP);
    try {
        await page.locator('#project-list button.project').first().focus();
        await page.keyboard.press('Enter');
        await page.locator('.leaflet-popup .feature-popup').waitFor();
        await page.focus('.leaflet-popup-close-button');
        assert.match(await page.getAttribute('.leaflet-popup-close-button', 'aria-label'), /关闭.*Close/, 'a bilingual name');
        await page.keyboard.press('Escape');
        await page.locator('.leaflet-popup').waitFor({ state: 'detached', timeout: 3000 });
        assert.ok(await page.evaluate(() => document.activeElement.classList.contains('project')), 'focus back on the project it came from');
    } finally {
        await context.close();
    }
});

test('keyboard on a phone: closing the sheet of a project chosen from the list keeps the focus on a visible control', async () => {
    const { page, context } = await open(PHONE);
    try {
        await page.click('#panel-toggle');
        const project = page.locator('#project-list button.project').first();
        await project.focus();
        await page.keyboard.press('Enter');
        await page.locator('#sheet .feature-popup').waitFor();
        assert.equal(await page.isVisible('#panel'), false, 'the panel gave way to the map');
        assert.ok(await page.evaluate(() => document.getElementById('sheet').contains(document.activeElement)), 'focus in the sheet');
        await page.keyboard.press('Escape');
        await page.locator('#sheet').waitFor({ state: 'hidden' });
        const focus = await page.evaluate(() => {
            const a = document.activeElement;
            return { id: a.id, visible: a.checkVisibility(), body: a === document.body };
        });
        assert.ok(!focus.body && focus.visible, `focus not lost: ${JSON.stringify(focus)}`);
        assert.equal(focus.id, 'panel-toggle', 'on the button that brings the list back');
        // the close button of the sheet works from the keyboard too
        await page.keyboard.press('Enter');
        await project.focus();
        await page.keyboard.press('Enter');
        await page.locator('#sheet .feature-popup').waitFor();
        await page.focus('.sheet-close');
        await page.keyboard.press('Enter');
        await page.locator('#sheet').waitFor({ state: 'hidden' });
        assert.equal(await page.evaluate(() => document.activeElement.id), 'panel-toggle');
    } finally {
        await context.close();
    }
});

test('the map is a named region, headings go down one level at a time, each popup is labelled by its title', async () => {
    const { page, context } = await open(DESKTOP);
    try {
        assert.equal(await page.getAttribute('#map', 'role'), 'region');
        assert.match(await page.getAttribute('#map', 'aria-label'), /地图.*Map/);
        await page.evaluate(() => window.regiomap.choose({ collection: 'industry', id: 1 }, { fly: false }));
        await page.locator('.feature-popup').waitFor();
        const levels = await page.evaluate(() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])));
        assert.equal(levels[0], 1, 'the page title is the h1');
        for (let i = 1; i < levels.length; i++) assert.ok(levels[i] <= levels[i - 1] + 1, `no skipped level: ${levels.join(' ')}`);
        const label = await page.evaluate(() => {
            const a = document.querySelector('.feature-popup');
            return document.getElementById(a.getAttribute('aria-labelledby'))?.textContent;
        });
        assert.ok(label && label.length > 1, 'labelled by its title');
    } finally {
        await context.close();
    }
});

test('a project of a hidden layer keeps readable text (no faded control) and says it is hidden', async () => {
    const { page, context } = await open(DESKTOP);
    try {
        await page.click('#tab-layers');
        await page.uncheck('#cat-urban');
        await page.click('#tab-projects');
        const b = page.locator('#project-list button.project.hidden-layer').first();
        await b.waitFor();
        const style = await b.evaluate((n) => ({ opacity: getComputedStyle(n).opacity, tag: n.querySelector('.tag-hidden').innerText }));
        assert.equal(style.opacity, '1');
        assert.match(style.tag, /已隐藏.*hidden/);
        await b.click(); // and it still works: the layer comes back
        await page.locator('.feature-popup').waitFor();
        await page.click('#tab-layers');
        assert.equal(await page.isChecked('#cat-urban'), true);
    } finally {
        await context.close();
    }
});

/**
 * Both languages everywhere: every visible text of the interface is either
 * data (names, the article's sentence, numbers) or a pair: a Chinese part and
 * an English part side by side.
 */
async function untranslated(page) {
    return page.evaluate(() => {
        const bad = [];
        const hasZh = (s) => /[\u4e00-\u9fff]/.test(s);
        const hasEn = (s) => /[A-Za-z]{2,}/.test(s);
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const s = n.textContent.trim();
            const e = n.parentElement;
            if (!s || !e || !e.checkVisibility() || e.closest('script, style, noscript')) continue;
            if (!hasZh(s) && !hasEn(s)) continue; // numbers, symbols
            // data, shown as it is: names, the article's words, attribution, codes, proper names
            if (e.closest('.name-zh, .name-en, .popup-title, blockquote, .source, .extra, code, [translate=no], .leaflet-control-attribution, .leaflet-control-scale, canvas')) continue;
            if (e.closest('.result-text .name-zh, .result-text .name-en')) continue;
            // the nearest language: a pair's half (the page's own lang on <html> is no pair)
            const half = e.closest('[lang]');
            const other = half?.lang === 'en' ? 'zh-Hans' : 'en';
            const partner = half && half !== document.documentElement && half.parentElement
                && [...half.parentElement.children].some((c) => c.lang === other && c.textContent.trim());
            // an English-only value of the data (an action the catalogue does not know) is allowed only in a table cell
            if (!partner && !(half?.lang === 'en' && half.closest('td'))) bad.push(`not a zh/en pair: “${s}” in <${e.tagName.toLowerCase()} class="${e.className}">`);
        }
        return bad;
    });
}

test('labels on the map are at least 11 px', async () => {
    const { page, context } = await open(DESKTOP, '#map=14/39.26/117.2');
    try {
        const fonts = await page.evaluate(() => {
            const sizes = [];
            const proto = CanvasRenderingContext2D.prototype;
            const fill = proto.fillText;
            proto.fillText = function (...a) {
                sizes.push(parseFloat(/(\d+(\.\d+)?)px/.exec(this.font)?.[1] ?? '0'));
                return fill.apply(this, a);
            };
            window.regiomap.vector.clearLayout();
            window.regiomap.vector.rerenderTiles();
            return new Promise((r) => setTimeout(() => r(sizes), 1500));
        });
        assert.ok(fonts.length > 5, `labels drawn: ${fonts.length}`);
        assert.ok(Math.min(...fonts) >= 11, `smallest label ${Math.min(...fonts)} px`);
    } finally {
        await context.close();
    }
});

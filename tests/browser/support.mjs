// Shared support of the browser tests: the real regiomap server, Debian's
// Chromium driven by playwright-core, a PNG decoder for pixel checks, and the
// artifacts directory.
//
//   REGIOMAP_BIN        server binary (default <repo>/build/server/regiomap)
//   REGIOMAP_SHIPPED    data set (default <repo>/geodata/beichen.gpkg)
//   REGIOMAP_ARTIFACTS  screenshots go here (default <repo>/build/test-artifacts)
//   REGIOMAP_CHROMIUM   browser (default /usr/bin/chromium)

import { spawn } from 'node:child_process';
import { mkdirSync, existsSync, copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.REGIOMAP_BIN || join(REPO, 'build/server/regiomap');
export const DATA = process.env.REGIOMAP_SHIPPED || join(REPO, 'geodata/beichen.gpkg');
export const ARTIFACTS = process.env.REGIOMAP_ARTIFACTS || join(REPO, 'build/test-artifacts');
export const CHROMIUM = process.env.REGIOMAP_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync',
];

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations (WCAG 2.0/2.1 A and AA rules and best practices) on the page as it is. */
export async function axeSerious(page) {
    if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: AXE });
    const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
        resultTypes: ['violations'],
    }));
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
}

/** Starts the real server on a free port (extraArgs: more options); resolves when /health answers 200. */
export async function startServer({ extraArgs = [] } = {}) {
    for (const [what, path] of [['server binary', BIN], ['data set', DATA], ['browser', CHROMIUM]]) {
        if (!existsSync(path)) throw new Error(`${what} not found: ${path}`);
    }
    if (!existsSync(join(REPO, 'web/node_modules/leaflet/dist/leaflet.js'))) {
        throw new Error('web/node_modules is missing: run `npm ci` in web/ (scripts/setup does)');
    }
    const child = spawn(BIN, [
        '--data', DATA, '--web-root', join(REPO, 'web'), '--styles-dir', join(REPO, 'styles'),
        '--port', '0', '--address', '127.0.0.1', ...extraArgs,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
        stderr = (stderr + d).slice(-20000);
    });
    const base = await new Promise((resolveBase, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`server did not print its address in 20 s; stderr:\n${stderr}`)), 20000);
        child.on('exit', (code) => reject(new Error(`server exited with ${code} before serving; stderr:\n${stderr}`)));
        child.stdout.on('data', (d) => {
            out += d;
            const m = /serving on (http:\/\/[^/\s]+)\//.exec(out);
            if (m) {
                clearTimeout(timer);
                resolveBase(m[1].replace('localhost', '127.0.0.1'));
            }
        });
    });
    child.stdout.resume();
    const deadline = Date.now() + 30000;
    for (;;) {
        try {
            const r = await fetch(`${base}/health`);
            if (r.status === 200) break;
        } catch { /* not yet */ }
        if (Date.now() > deadline) throw new Error(`/health never answered 200; stderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
    }
    return {
        base,
        child,
        get stderr() {
            return stderr;
        },
        async stop() {
            if (child.exitCode != null) return child.exitCode;
            const exited = new Promise((r) => child.on('exit', (code, signal) => r(code ?? signal)));
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
            const result = await exited;
            clearTimeout(timer);
            return result;
        },
    };
}

/**
 * The real server and a browser for the tests of one file: started before
 * them, stopped after. Returns an object whose server and browser are set
 * once started.
 */
export function serverAndBrowser({ before, after }) {
    const fixture = { server: null, browser: null };
    before(async () => {
        fixture.server = await startServer();
        fixture.browser = await launchBrowser();
    });
    after(async () => {
        await fixture.browser?.close();
        await fixture.server?.stop();
    });
    return fixture;
}

/** Debian's Chromium, headless, a fresh profile (Playwright makes a temporary user-data dir). */
export function launchBrowser() {
    return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A page that records what a tester would look at in DevTools: console
 * messages, uncaught errors, failed requests and every response.
 */
export async function openPage(browser, url, { viewport = { width: 1280, height: 800 }, mobile = false, waitReady = true, beforeGoto, reducedMotion = 'no-preference' } = {}) {
    const context = await browser.newContext({
        viewport,
        deviceScaleFactor: 1,
        isMobile: mobile,
        hasTouch: mobile,
        locale: 'zh-CN',
        reducedMotion,
    });
    const page = await context.newPage();
    const log = { console: [], errors: [], failed: [], responses: [] };
    page.on('console', (m) => log.console.push({ type: m.type(), text: m.text(), url: m.location()?.url }));
    page.on('pageerror', (e) => log.errors.push(String(e?.stack || e)));
    page.on('requestfailed', (r) => log.failed.push({ url: r.url(), error: r.failure()?.errorText }));
    page.on('response', (r) => log.responses.push({ url: r.url(), status: r.status() }));
    if (beforeGoto) await beforeGoto(page, context);
    await page.goto(url);
    if (waitReady) await waitForMap(page);
    return { page, context, log };
}

/** The app is ready (data loaded) and the first vector tiles are on screen. */
export async function waitForMap(page) {
    await page.waitForFunction(() => window.regiomap && window.regiomap.ready, null, { timeout: 15000 });
    await page.evaluate(() => window.regiomap.ready);
    await settle(page);
}

/** No tile is loading any more and Leaflet's fade-in has finished. */
export async function settle(page, extraMs = 400) {
    await page.waitForFunction(() => {
        const tiles = [...document.querySelectorAll('.leaflet-pane.leaflet-features-pane .leaflet-tile')];
        return tiles.length > 0 && tiles.every((t) => t.classList.contains('leaflet-tile-loaded'));
    }, null, { timeout: 15000 });
    await page.waitForTimeout(extraMs);
}

/**
 * Errors a tester would see in the console. The one exception: the page asks
 * /basemap.json whether the server has a local basemap, and a server without
 * one answers 404, which Chromium itself logs ("Failed to load resource");
 * no page code can silence that line.
 */
export function errorsOf(log) {
    const expected404 = (m) => /Failed to load resource: .*404/.test(m.text) && /\/basemap\.json$/.test(m.url || '');
    return [
        ...log.errors.map((e) => `uncaught: ${e}`),
        ...log.console.filter((m) => (m.type === 'error' || m.type === 'assert') && !expected404(m)).map((m) => `console.${m.type}: ${m.text} (${m.url || ''})`),
    ];
}

export function artifactPath(name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    return join(ARTIFACTS, name);
}

/** With REGIOMAP_UPDATE_README_IMAGE=1, a picture of docs/images/ (name) is replaced by this screenshot. */
export function maybeUpdateReadmeImage(path, name = 'web-map.png') {
    if (process.env.REGIOMAP_UPDATE_README_IMAGE !== '1') return false;
    const target = join(REPO, 'docs/images', name);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(path, target);
    return true;
}

// ---------------------------------------------------------------------- pixels

/** Decodes an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) into { width, height, data: RGBA }. */
export function decodePng(buf) {
    const sig = [137, 80, 78, 71, 13, 10, 26, 10];
    sig.forEach((b, i) => {
        if (buf[i] !== b) throw new Error('not a PNG');
    });
    let pos = 8;
    let width = 0, height = 0, depth = 0, colorType = 0, interlace = 0;
    const idat = [];
    while (pos < buf.length) {
        const len = buf.readUInt32BE(pos);
        const type = buf.toString('latin1', pos + 4, pos + 8);
        const body = buf.subarray(pos + 8, pos + 8 + len);
        if (type === 'IHDR') {
            width = body.readUInt32BE(0);
            height = body.readUInt32BE(4);
            depth = body[8];
            colorType = body[9];
            interlace = body[12];
        } else if (type === 'IDAT') idat.push(body);
        else if (type === 'IEND') break;
        pos += 12 + len;
    }
    if (depth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6)) {
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
    }
    const bpp = colorType === 6 ? 4 : 3;
    const raw = inflateSync(Buffer.concat(idat));
    const stride = width * bpp;
    const out = Buffer.alloc(width * height * 4);
    let prev = Buffer.alloc(stride);
    for (let y = 0; y < height; y++) {
        const filter = raw[y * (stride + 1)];
        const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
        for (let i = 0; i < stride; i++) {
            const a = i >= bpp ? line[i - bpp] : 0;
            const b = prev[i];
            const c = i >= bpp ? prev[i - bpp] : 0;
            let v = line[i];
            if (filter === 1) v += a;
            else if (filter === 2) v += b;
            else if (filter === 3) v += (a + b) >> 1;
            else if (filter === 4) {
                const p = a + b - c;
                const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
                v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            }
            line[i] = v & 0xff;
        }
        for (let x = 0; x < width; x++) {
            const o = (y * width + x) * 4;
            out[o] = line[x * bpp];
            out[o + 1] = line[x * bpp + 1];
            out[o + 2] = line[x * bpp + 2];
            out[o + 3] = bpp === 4 ? line[x * bpp + 3] : 255;
        }
        prev = line;
    }
    return { width, height, data: out };
}

export function hexToRgb(hex) {
    const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    return m.slice(1).map((h) => parseInt(h, 16));
}

function hueOf(r, g, b) {
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    const d = max - min;
    if (d === 0) return 0;
    let h;
    if (max === r) h = ((g - b) / d) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
    return (h * 60 + 360) % 360;
}

/**
 * Pixel statistics of a screenshot: how many pixels differ from the plain
 * background, how many are clearly coloured (saturated), and how many are
 * coloured with a hue near each given colour.
 */
export function pixelStats(png, { background, hues = {} }) {
    const bg = hexToRgb(background);
    const targets = Object.entries(hues).map(([name, hex]) => {
        const [r, g, b] = hexToRgb(hex);
        return { name, hue: hueOf(r, g, b) };
    });
    const stats = { total: png.width * png.height, nonBackground: 0, coloured: 0, hue: Object.fromEntries(targets.map((t) => [t.name, 0])) };
    const d = png.data;
    for (let i = 0; i < d.length; i += 4) {
        const r = d[i], g = d[i + 1], b = d[i + 2];
        if (Math.abs(r - bg[0]) > 24 || Math.abs(g - bg[1]) > 24 || Math.abs(b - bg[2]) > 24) stats.nonBackground++;
        const max = Math.max(r, g, b), min = Math.min(r, g, b);
        if (max - min < 60) continue; // greys, the background, the district's faint fill
        stats.coloured++;
        const h = hueOf(r, g, b);
        for (const t of targets) {
            const dh = Math.min(Math.abs(h - t.hue), 360 - Math.abs(h - t.hue));
            if (dh <= 12) stats.hue[t.name]++;
        }
    }
    return stats;
}

/** Screenshot of the map area only: controls hidden, so only the drawing counts. */
export async function mapPixels(page, options) {
    const setControls = (v) => page.evaluate((vis) => {
        document.querySelector('.leaflet-control-container').style.visibility = vis;
    }, v);
    await setControls('hidden');
    try {
        return pixelStats(decodePng(await page.locator('#map').screenshot()), options);
    } finally {
        await setControls('');
    }
}

/** Encodes { width, height, data: RGBA } as a PNG (for diff images of failed comparisons). */
export function encodePng({ width, height, data }) {
    const chunk = (type, body) => {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(body.length);
        const td = Buffer.concat([Buffer.from(type, 'latin1'), body]);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(crc32(td) >>> 0);
        return Buffer.concat([len, td, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8;
    ihdr[9] = 6;
    const raw = Buffer.alloc(height * (width * 4 + 1));
    for (let y = 0; y < height; y++) data.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
    return Buffer.concat([
        Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
        chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
    ]);
}

/**
 * A tolerant comparison of two screenshots of the same size: a pixel counts
 * as different only if no pixel within `radius` of it in the other image is
 * within `threshold` on every channel (text antialiasing and sub-pixel shifts
 * of a glyph are not differences). Returns { different, total, share, diff }:
 * diff is an image with the differing pixels in red over a faded `actual`.
 */
export function comparePngs(expected, actual, { threshold = 48, radius = 1 } = {}) {
    if (expected.width !== actual.width || expected.height !== actual.height) {
        return { different: Infinity, total: actual.width * actual.height, share: 1, diff: null, sizeMismatch: true };
    }
    const { width, height } = actual;
    const close = (a, i, b, j) => Math.abs(a[i] - b[j]) <= threshold && Math.abs(a[i + 1] - b[j + 1]) <= threshold && Math.abs(a[i + 2] - b[j + 2]) <= threshold;
    const matchesNear = (a, b, x, y) => {
        const i = (y * width + x) * 4;
        for (let dy = -radius; dy <= radius; dy++) {
            for (let dx = -radius; dx <= radius; dx++) {
                const xx = x + dx;
                const yy = y + dy;
                if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
                if (close(a, i, b, (yy * width + xx) * 4)) return true;
            }
        }
        return false;
    };
    const diff = Buffer.alloc(width * height * 4);
    let different = 0;
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const i = (y * width + x) * 4;
            const bad = !matchesNear(actual.data, expected.data, x, y) || !matchesNear(expected.data, actual.data, x, y);
            if (bad) different++;
            diff[i] = bad ? 255 : 128 + (actual.data[i] >> 1);
            diff[i + 1] = bad ? 0 : 128 + (actual.data[i + 1] >> 1);
            diff[i + 2] = bad ? 0 : 128 + (actual.data[i + 2] >> 1);
            diff[i + 3] = 255;
        }
    }
    return { different, total: width * height, share: different / (width * height), diff: { width, height, data: diff } };
}

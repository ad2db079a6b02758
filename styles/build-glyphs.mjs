#!/usr/bin/env node
// Builds the SDF glyph PBFs that the MapLibre styles' "glyphs" URL points at,
// from a Debian font, with fontnik (npm; its package ships the linux-x64 binary,
// nothing is downloaded). Not committed: run at setup time.
//
//   node styles/build-glyphs.mjs [--font FILE] [--out DIR] [--force]
//
// Defaults from styles/palette.json: the font file of Debian's fonts-noto-cjk
// (/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc), the face named by
// font.fontstack ("Noto Sans CJK SC Regular"), output styles/glyphs/. Writes
// all 256 ranges, DIR/<fontstack>/<start>-<end>.pbf for start = 0, 256, …,
// 65280 (empty ranges too, so no request for a range 404s), uncompressed.
// Skips the work when DIR/<fontstack>/.source says it was built from the same
// font file (path, size, mtime) by the same script version.

import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const VERSION = 1;

function parseArgs(argv) {
    const args = { force: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === '--force') args.force = true;
        else if (a === '--font') args.font = argv[++i];
        else if (a === '--out') args.out = argv[++i];
        else if (a === '--help' || a === '-h') {
            console.log('usage: node styles/build-glyphs.mjs [--font FILE] [--out DIR] [--force]');
            process.exit(0);
        } else throw new Error(`unknown argument ${a}`);
    }
    return args;
}

const promisify = (fn) => (arg) => new Promise((ok, fail) => fn(arg, (err, res) => (err ? fail(err) : ok(res))));

/**
 * fontnik writes one fontstack per face of a font collection (.ttc), and
 * MapLibre would mix them (the last face wins). Give it a one-face collection:
 * the TTC header with numFonts = 1 and the wanted face's table directory
 * offset (table offsets in a TTC are absolute, so nothing else moves).
 */
function singleFace(buffer, index) {
    if (buffer.toString('latin1', 0, 4) !== 'ttcf') return buffer;
    const copy = Buffer.from(buffer);
    const offset = buffer.readUInt32BE(12 + 4 * index);
    copy.writeUInt32BE(1, 8);
    copy.writeUInt32BE(offset, 12);
    return copy;
}

async function main() {
    const args = parseArgs(process.argv.slice(2));
    const palette = JSON.parse(readFileSync(join(HERE, 'palette.json'), 'utf8'));
    const fontstack = palette.font.fontstack;
    const fontFile = resolve(args.font || palette.font.font_file);
    const outRoot = resolve(args.out || join(HERE, 'glyphs'));
    const outDir = join(outRoot, fontstack);

    if (!existsSync(fontFile)) {
        console.error(`build-glyphs: ${fontFile} not found; install Debian's ${palette.font.debian_package} (apt-get install ${palette.font.debian_package})`);
        process.exit(2);
    }
    const st = statSync(fontFile);
    const source = JSON.stringify({ version: VERSION, fontstack, font: fontFile, size: st.size, mtime: Math.floor(st.mtimeMs) });
    const stamp = join(outDir, '.source');
    if (!args.force && existsSync(stamp) && readFileSync(stamp, 'utf8') === source) {
        console.log(`build-glyphs: ${outDir} is up to date`);
        return;
    }

    let fontnik;
    try {
        fontnik = require('fontnik');
    } catch (e) {
        console.error(`build-glyphs: cannot load fontnik (${e.message}); run npm ci in styles/`);
        process.exit(2);
    }
    const load = promisify(fontnik.load);
    const range = promisify(fontnik.range);

    const font = readFileSync(fontFile);
    const faces = await load(font);
    const names = faces.map((f) => `${f.family_name} ${f.style_name || ''}`.trim());
    const index = names.indexOf(fontstack);
    if (index < 0) {
        console.error(`build-glyphs: ${fontFile} has no face "${fontstack}" (it has: ${names.join(', ')})`);
        process.exit(2);
    }
    const face = singleFace(font, index);

    const tmp = `${outDir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const started = Date.now();
    const starts = Array.from({ length: 256 }, (_, i) => i * 256);
    let bytes = 0;
    const worker = async () => {
        for (let s = starts.shift(); s !== undefined; s = starts.shift()) {
            const pbf = await range({ font: face, start: s, end: s + 255 });
            writeFileSync(join(tmp, `${s}-${s + 255}.pbf`), pbf);
            bytes += pbf.length;
        }
    };
    await Promise.all([worker(), worker()]);
    writeFileSync(join(tmp, '.source'), source);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outRoot, { recursive: true });
    renameSync(tmp, outDir);
    console.log(`build-glyphs: wrote 256 ranges of "${fontstack}" (${(bytes / 1048576).toFixed(1)} MiB) to ${outDir} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
    console.error(`build-glyphs: ${e.stack || e}`);
    process.exit(1);
});

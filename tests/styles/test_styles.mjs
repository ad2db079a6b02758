// Checks of styles/: run with `node --test tests/styles/test_styles.mjs`
// (after `npm ci` in tests/styles). No server needed.
//
// - styles/beichen.json and styles/beichen-qgis.json pass the MapLibre style
//   validator (@maplibre/maplibre-gl-style-spec, the library behind gl-style-validate);
// - every source-layer is a collection id and every collection has layers;
// - the committed styles are exactly what styles/build-styles.mjs generates;
// - every palette category has a colour, and every category/status/geom_quality
//   value of the shipped data (geodata/*.geojson) has a symbol;
// - evaluated like a renderer would: each category gets its colour, each status
//   its fill, each geom_quality its dash, and every feature is drawn exactly once
//   per symbol part (no gaps or doubles between filtered layers);
// - no sprites or icons, one font (the one the glyph build makes), and the glyph
//   PBFs, if built, cover every range.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPropertyExpression, featureFilter, latest, validateStyleMin } from '@maplibre/maplibre-gl-style-spec';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const STYLES = join(ROOT, 'styles');
const { buildStyles, readPalette, OUTPUTS, SOURCE_ID } = await import(join(STYLES, 'build-styles.mjs'));

const COLLECTIONS = ['boundaries', 'core_areas', 'towns', 'transport_lines', 'transport_nodes', 'industry', 'urban', 'rural', 'ecology', 'livelihood', 'partner_counties'];
const GEOM_TYPE = { point: 1, line: 2, polygon: 3 };

const palette = readPalette();
const read = (name) => JSON.parse(readFileSync(join(STYLES, name), 'utf8'));
const styles = Object.fromEntries(OUTPUTS.map((name) => [name, read(name)]));

function dataFeatures() {
    const out = [];
    for (const id of COLLECTIONS) {
        const path = join(ROOT, 'geodata', `${id}.geojson`);
        if (!existsSync(path)) continue;
        for (const f of JSON.parse(readFileSync(path, 'utf8')).features) out.push({ collection: id, properties: f.properties, geometry: f.geometry.type });
    }
    return out;
}

/** Evaluate a paint/layout property of a style layer for one feature at a zoom. */
function evaluate(layer, kind, prop, properties, zoom, type) {
    const spec = latest[`${kind}_${layer.type}`][prop];
    const value = layer[kind]?.[prop];
    if (value === undefined) return spec.default;
    const parsed = createPropertyExpression(value, `layers.${layer.id}.${kind}.${prop}`, spec);
    assert.equal(parsed.result, 'success', `${layer.id} ${prop}: ${JSON.stringify(parsed.value)}`);
    return parsed.value.evaluate({ zoom }, { properties, type });
}

function passes(layer, properties, zoom, type) {
    if (layer.minzoom !== undefined && zoom < layer.minzoom) return false;
    if (layer.maxzoom !== undefined && zoom >= layer.maxzoom) return false;
    if (!layer.filter) return true;
    return featureFilter(layer.filter, `layers.${layer.id}.filter`).filter({ zoom }, { properties, type });
}

const hex = (color) => '#' + [color.r, color.g, color.b].map((v) => Math.round((v / (color.a || 1)) * 255).toString(16).padStart(2, '0')).join('');

// ---------------------------------------------------------------- validation

for (const [name, style] of Object.entries(styles)) {
    test(`${name} passes the MapLibre style validator`, () => {
        const errors = validateStyleMin(style);
        assert.deepEqual(errors.map((e) => e.message), []);
    });

    test(`${name}: source layers are exactly the collections`, () => {
        const used = new Set();
        for (const layer of style.layers) {
            if (layer.type === 'background') continue;
            assert.equal(layer.source, SOURCE_ID, `${layer.id} source`);
            assert.ok(COLLECTIONS.includes(layer['source-layer']), `${layer.id}: source-layer ${layer['source-layer']} is not a collection id`);
            used.add(layer['source-layer']);
        }
        assert.deepEqual([...used].sort(), [...COLLECTIONS].sort(), 'every collection has at least one layer');
        assert.deepEqual(style.sources, { [SOURCE_ID]: { type: 'vector', url: '/tiles.json' } });
        assert.equal(style.layers[0].type, 'background', 'the first layer is the background');
        assert.equal(style.layers[0].paint['background-color'], palette.background);
    });

    test(`${name}: no sprites or icons, one served font, a glyphs template`, () => {
        assert.equal(style.sprite, undefined, 'no sprite sheet');
        assert.match(style.glyphs, /^\/.*\{fontstack\}.*\{range\}.*\.pbf$/, 'glyphs: a server-relative template with {fontstack} and {range}');
        for (const layer of style.layers) {
            for (const key of Object.keys(layer.layout || {})) assert.ok(!key.startsWith('icon-'), `${layer.id}: ${key} (no icons: points are circle layers)`);
            if (layer.type === 'symbol') {
                assert.ok(layer.layout['text-field'], `${layer.id} has a text-field`);
                assert.deepEqual(layer.layout['text-font'], [palette.font.fontstack], `${layer.id}: text-font must be the fontstack build-glyphs.mjs makes`);
            }
        }
    });

    test(`${name}: zoom ranges are sensible`, () => {
        for (const layer of style.layers) {
            if (layer.type === 'background') continue;
            const c = palette.collections[layer['source-layer']];
            assert.ok(layer.minzoom >= 0 && layer.minzoom <= 14, `${layer.id} minzoom`);
            if (layer.maxzoom !== undefined) assert.ok(layer.maxzoom > layer.minzoom, `${layer.id} maxzoom > minzoom`);
            assert.ok(layer.minzoom >= c.minzoom, `${layer.id}: not before its collection's minzoom`);
        }
        // the whole district is drawn at z9-10, the partner counties far out
        for (const id of COLLECTIONS.filter((c) => c !== 'partner_counties')) {
            assert.ok(style.layers.some((l) => l['source-layer'] === id && l.type !== 'symbol' && l.minzoom <= 9), `${id} drawn at z9`);
        }
        assert.ok(style.layers.some((l) => l['source-layer'] === 'partner_counties' && l.minzoom <= 5), 'partner counties drawn at z5');
    });
}

// ---------------------------------------------------------------- generated = committed

test('the committed styles are what build-styles.mjs generates from palette.json', () => {
    const generated = buildStyles(readPalette());
    assert.deepEqual(Object.keys(generated).sort(), [...OUTPUTS].sort());
    for (const [name, text] of Object.entries(generated)) {
        assert.ok(text === readFileSync(join(STYLES, name), 'utf8'), `styles/${name} differs from the generator's output: run node styles/build-styles.mjs and commit`);
    }
});

test('build-styles.mjs --check agrees (and is deterministic)', () => {
    execFileSync(process.execPath, [join(STYLES, 'build-styles.mjs'), '--check'], { stdio: 'pipe' });
    assert.equal(buildStyles(readPalette())['beichen.json'], buildStyles(readPalette())['beichen.json']);
});

// ---------------------------------------------------------------- palette

test('every palette category has a colour; statuses and qualities are complete', () => {
    const cats = ['frame', 'transport', 'industry', 'urban', 'rural', 'ecology', 'livelihood'];
    assert.deepEqual(Object.keys(palette.categories).sort(), [...cats].sort());
    const colours = new Set();
    for (const [id, c] of Object.entries(palette.categories)) {
        assert.match(c.color, /^#[0-9a-f]{6}$/, `${id} colour`);
        assert.ok(c.label_zh && c.label_en, `${id} labels`);
        colours.add(c.color);
    }
    assert.equal(colours.size, cats.length, 'one distinct colour per category');
    assert.deepEqual(Object.keys(palette.status).sort(), ['completed', 'completion_due', 'construction_start', 'ongoing', 'planned', 'under_construction']);
    for (const [id, s] of Object.entries(palette.status)) {
        assert.ok(s.fill_opacity >= 0 && s.fill_opacity <= 1, `${id} fill_opacity`);
        assert.ok(['category', 'dark', 'base'].includes(s.stroke), `${id} stroke`);
        assert.ok(s.label_zh && s.label_en && s.description_en, `${id} legend text`);
    }
    assert.equal(palette.status.planned.fill_opacity, 0, 'planned is hollow');
    assert.equal(palette.status.completed.fill_opacity, 1, 'completed is solid');
    assert.deepEqual(Object.keys(palette.geom_quality).sort(), ['approximate', 'schematic', 'surveyed']);
    assert.equal(palette.geom_quality.surveyed.dash_px, null, 'surveyed is solid');
    assert.ok(palette.geom_quality.schematic.dash_px && palette.geom_quality.approximate.dash_px, 'approximate and schematic are dashed');
    assert.notDeepEqual(palette.geom_quality.schematic.dash_px, palette.geom_quality.approximate.dash_px);
    assert.deepEqual(Object.keys(palette.collections).sort(), [...COLLECTIONS].sort());
    assert.deepEqual([...palette.label_order].sort(), [...COLLECTIONS].sort());
});

test('the shipped data uses only values the palette draws', (t) => {
    const features = dataFeatures();
    if (!features.length) return t.skip('geodata/*.geojson not found');
    for (const f of features) {
        const p = f.properties;
        const where = `${f.collection}/${p.id}`;
        assert.ok(p.category in palette.categories, `${where}: category ${p.category}`);
        assert.ok(p.status in palette.status, `${where}: status ${p.status}`);
        assert.ok(p.geom_quality in palette.geom_quality, `${where}: geom_quality ${p.geom_quality}`);
        assert.ok(palette.collections[f.collection].categories.includes(p.category), `${where}: category ${p.category} not listed for ${f.collection} in palette.json (the QGIS styles split by it)`);
        const geometry = { Point: 'point', MultiPoint: 'point', LineString: 'line', MultiLineString: 'line', Polygon: 'polygon', MultiPolygon: 'polygon' }[f.geometry];
        assert.equal(geometry, palette.collections[f.collection].geometry, `${where}: geometry type`);
    }
});

// ---------------------------------------------------------------- evaluated drawing

/** Every combination a collection can hold: its categories × statuses × qualities. */
function combinations(id) {
    const out = [];
    for (const category of palette.collections[id].categories) {
        for (const status of Object.keys(palette.status)) {
            for (const geom_quality of Object.keys(palette.geom_quality)) out.push({ category, status, geom_quality, name_zh: '北辰', name_en: 'Beichen' });
        }
    }
    return out;
}

for (const [name, style] of Object.entries(styles)) {
    test(`${name}: every feature is drawn once per part, in its category colour`, () => {
        for (const id of COLLECTIONS) {
            const c = palette.collections[id];
            const type = GEOM_TYPE[c.geometry];
            const zoom = Math.max(c.minzoom, 12);
            const layers = style.layers.filter((l) => l['source-layer'] === id);
            for (const props of combinations(id)) {
                const hit = layers.filter((l) => passes(l, props, zoom, type));
                const what = `${name} ${id} ${JSON.stringify(props)}`;
                const colour = palette.categories[props.category].color;
                const quality = palette.geom_quality[props.geom_quality];
                const status = palette.status[props.status];
                const part = (re) => hit.filter((l) => re.test(l.id));
                if (c.geometry === 'point') {
                    const circles = part(/-circle(-|$)/);
                    assert.equal(circles.length, 1, `${what}: one circle layer`);
                    assert.equal(hex(evaluate(circles[0], 'paint', 'circle-color', props, zoom, type)), colour, `${what}: colour`);
                    assert.equal(evaluate(circles[0], 'paint', 'circle-opacity', props, zoom, type), status.fill_opacity, `${what}: fill by status`);
                    assert.equal(part(/-base$/).length, 1, `${what}: white base`);
                    const glows = part(/-glow/);
                    assert.equal(glows.length, quality.glow ? 1 : 0, `${what}: halo by geom_quality`);
                    if (quality.glow) {
                        const r = evaluate(circles[0], 'paint', 'circle-radius', props, zoom, type);
                        assert.ok(Math.abs(evaluate(glows[0], 'paint', 'circle-radius', props, zoom, type) - r - quality.glow.extra_px) < 0.01, `${what}: halo radius`);
                        assert.equal(evaluate(glows[0], 'paint', 'circle-opacity', props, zoom, type), quality.glow.opacity);
                    }
                } else if (c.geometry === 'line') {
                    const casings = part(/-casing-/);
                    assert.equal(casings.length, 1, `${what}: one casing layer`);
                    assert.equal(hex(evaluate(casings[0], 'paint', 'line-color', props, zoom, type)), colour, `${what}: colour`);
                    assert.equal(!!casings[0].paint['line-dasharray'], !!quality.dash_px, `${what}: dashed by geom_quality`);
                    const cores = part(/-core-/);
                    assert.equal(cores.length, status.fill_opacity < 1 ? 1 : 0, `${what}: white core while not complete`);
                    if (cores.length) assert.ok(Math.abs(evaluate(cores[0], 'paint', 'line-opacity', props, zoom, type) - (1 - status.fill_opacity)) < 1e-9);
                    assert.equal(part(/-glow/).length, quality.glow ? 1 : 0, `${what}: halo by geom_quality`);
                } else {
                    const fills = part(/-fill/);
                    if (name === 'beichen.json' || status.fill_opacity > 0) {
                        assert.equal(fills.length, 1, `${what}: one fill layer`);
                        assert.equal(hex(evaluate(fills[0], 'paint', 'fill-color', props, zoom, type)), colour, `${what}: colour`);
                        assert.ok(Math.abs(evaluate(fills[0], 'paint', 'fill-opacity', props, zoom, type) - status.fill_opacity * c.fill_opacity) < 0.001, `${what}: fill by status`);
                    } else {
                        assert.equal(fills.length, 0, `${what}: planned areas are not filled`);
                    }
                    const outlines = part(/-outline-/);
                    assert.equal(outlines.length, 1, `${what}: one outline`);
                    assert.equal(!!outlines[0].paint['line-dasharray'], !!quality.dash_px, `${what}: outline dashed by geom_quality`);
                    assert.equal(hex(evaluate(outlines[0], 'paint', 'line-color', props, zoom, type)), colour);
                }
                const lz = c.label.maxzoom !== undefined ? c.label.minzoom : Math.max(c.label.minzoom, zoom);
                assert.equal(layers.filter((l) => /-label/.test(l.id) && passes(l, props, lz, type)).length, 1, `${what}: one label layer at z${lz}`);
            }
        }
    });
}

test('beichen.json labels: Chinese, then Chinese + smaller English from bilingual_minzoom', () => {
    const style = styles['beichen.json'];
    const props = { name_zh: '绿地全球贸易港', name_en: 'Greenland Global Trade Port' };
    for (const id of COLLECTIONS) {
        const l = palette.collections[id].label;
        const layer = style.layers.find((x) => x.id === `${id}-label`);
        const text = (zoom) => evaluate(layer, 'layout', 'text-field', props, zoom, 1).sections.map((s) => [s.text, s.scale]);
        if (l.bilingual_minzoom > l.minzoom) assert.deepEqual(text(l.minzoom), [[props.name_zh, null]], `${id}: Chinese only at z${l.minzoom}`);
        const both = text(Math.max(l.bilingual_minzoom, l.minzoom));
        assert.equal(both[0][0], props.name_zh);
        assert.equal(both[2][0], props.name_en, `${id}: English from z${l.bilingual_minzoom}`);
        assert.equal(both[2][1], palette.text.en_font_scale);
    }
    // a feature without an English name still gets a label
    const towns = style.layers.find((x) => x.id === 'towns-label');
    assert.equal(evaluate(towns, 'layout', 'text-field', { name_zh: '双街' }, 14, 1).sections[0].text, '双街');
});

test('glyph PBFs, if built, cover all 256 ranges of the fontstack', (t) => {
    const dir = join(STYLES, 'glyphs', palette.font.fontstack);
    if (!existsSync(dir)) return t.skip(`not built: node styles/build-glyphs.mjs (needs npm ci in styles/ and Debian's ${palette.font.debian_package})`);
    const files = new Set(readdirSync(dir));
    for (let s = 0; s < 65536; s += 256) assert.ok(files.has(`${s}-${s + 255}.pbf`), `${s}-${s + 255}.pbf`);
    const cjk = readFileSync(join(dir, '19968-20223.pbf'));
    assert.ok(cjk.length > 10000, 'CJK range 19968-20223 holds glyphs');
    assert.ok(cjk.includes(Buffer.from(palette.font.fontstack)), 'named after the fontstack');
    assert.ok(readFileSync(join(dir, '0-255.pbf')).length > 1000, 'Latin range holds glyphs');
});

test('the validator is not vacuous: it rejects a broken copy', () => {
    const broken = structuredClone(styles['beichen.json']);
    broken.layers[1].paint['fill-color'] = ['match', ['get', 'category'], 'frame'];
    broken.layers.push({ id: 'x', type: 'circle', source: 'nowhere', 'source-layer': 'towns' });
    assert.ok(validateStyleMin(broken).length >= 2);
});

// WCAG 1.4.11 (non-text contrast): the edge of every category's symbols stands out from the map background by ≥ 3:1.
test('every category outline has at least 3:1 contrast against the background (WCAG 1.4.11)', () => {
    const luminance = (hex) => {
        const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
            .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
    };
    for (const [id, c] of Object.entries(palette.categories)) {
        const edge = c.outline || c.color;
        const ratio = contrast(edge, palette.background);
        assert.ok(ratio >= 3, `${id}: outline ${edge} on ${palette.background} is ${ratio.toFixed(2)}:1`);
    }
    // and the MapLibre style strokes points with it
    const circle = styles['beichen.json'].layers.find((l) => l.id === 'urban-circle');
    assert.ok(JSON.stringify(circle.paint['circle-stroke-color']).includes(palette.categories.urban.outline || palette.categories.urban.color));
});

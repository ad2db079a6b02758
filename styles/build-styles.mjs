#!/usr/bin/env node
// Generates the MapLibre GL styles of regiomap from styles/palette.json:
//
//   styles/beichen.json       MapLibre GL style v8 (data-driven: match/step/format)
//   styles/beichen-qgis.json  the same drawing for QGIS 3.22's vector tile layer,
//                             whose style converter understands only literal colours,
//                             simple filters and "{field}" label tokens
//
//   node styles/build-styles.mjs           write both files
//   node styles/build-styles.mjs --check   exit 1 if a committed file differs
//
// Deterministic: same palette, same bytes. No dependencies (plain node >= 18).

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { atZoom, dashReferenceWidth, DASH_REFERENCE_ZOOM, labelPx, labelRank, outlineColor, radiusStops, strokeColor } from '../web/src/palette.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SOURCE_ID = 'regiomap';
export const OUTPUTS = ['beichen.json', 'beichen-qgis.json'];

// ---------------------------------------------------------------- formatting

/** JSON with short arrays/objects on one line: readable diffs, stable bytes. */
export function formatJson(value, width = 100) {
    const out = (v, indent) => {
        const flat = JSON.stringify(v);
        if (v === null || typeof v !== 'object' || flat.length + indent.length <= width) return flat;
        const inner = indent + '  ';
        if (Array.isArray(v)) {
            const items = v.map((x) => out(x, inner));
            if (items.every((x) => !x.includes('\n'))) {
                // pack short items greedily: a "match" keeps its pairs together
                const lines = [];
                for (const item of items) {
                    const last = lines.length - 1;
                    if (last >= 0 && inner.length + lines[last].length + 1 + item.length + 1 <= width) lines[last] += ',' + item;
                    else lines.push(item);
                }
                return '[\n' + lines.map((l) => inner + l).join(',\n') + '\n' + indent + ']';
            }
            return '[\n' + items.map((x) => inner + x).join(',\n') + '\n' + indent + ']';
        }
        const keys = Object.keys(v);
        return '{\n' + keys.map((k) => inner + JSON.stringify(k) + ': ' + out(v[k], inner)).join(',\n') + '\n' + indent + '}';
    };
    return out(value, '') + '\n';
}

// ---------------------------------------------------------------- helpers

const round = (x) => Math.round(x * 1000) / 1000;
const entries = (o) => Object.entries(o);
const get = (field) => ['get', field];

/** [[z, v], ...] → a zoom interpolation (or the constant when there is one stop). */
function byZoom(stops, map = (v) => v) {
    if (stops.length === 1) return map(stops[0][1]);
    return ['interpolate', ['linear'], ['zoom'], ...stops.flatMap(([z, v]) => [z, map(v)])];
}

/** ["match", input, labels, value, ..., fallback] grouping keys that share a value. */
function match(input, pairs, fallback) {
    const groups = new Map();
    for (const [key, value] of pairs) {
        const k = JSON.stringify(value);
        if (!groups.has(k)) groups.set(k, { value, keys: [] });
        groups.get(k).keys.push(key);
    }
    if (groups.size === 1 && JSON.stringify(fallback) === [...groups.keys()][0]) return fallback;
    const expr = ['match', input];
    for (const { value, keys } of groups.values()) expr.push(keys.length === 1 ? keys[0] : keys, value);
    expr.push(fallback);
    return expr;
}

// line-dasharray is in line widths: the pixel dashes divided by the width at the reference zoom
function dashArray(quality, widthStops) {
    if (!quality.dash_px) return null;
    const w = dashReferenceWidth(widthStops);
    return quality.dash_px.map((px) => round(px / w));
}

function checkPalette(p) {
    const need = (cond, msg) => {
        if (!cond) throw new Error(`palette.json: ${msg}`);
    };
    for (const [id, c] of entries(p.categories)) need(/^#[0-9a-f]{6}$/i.test(c.color), `category ${id} needs a #rrggbb color`);
    for (const [id, s] of entries(p.status)) need(typeof s.fill_opacity === 'number', `status ${id} needs fill_opacity`);
    for (const [id, c] of entries(p.collections)) {
        need(['point', 'line', 'polygon'].includes(c.geometry), `collection ${id}: geometry`);
        for (const cat of c.categories) need(cat in p.categories, `collection ${id}: unknown category ${cat}`);
        need(p.label_order.includes(id), `label_order lacks ${id}`);
        for (const [z, px] of c.label?.size || []) {
            const smallest = c.label.bilingual_minzoom != null ? px * Math.min(1, p.text.en_font_scale) : px;
            need(labelPx(p, smallest) === smallest, `collection ${id}: label text of ${smallest} px at zoom ${z} is below text.min_size_px`);
        }
    }
}

/** MapLibre's symbol-sort-key for palette.label_priority: the rank labelRank() gives each feature, as a sum of two matches. */
function labelSortKey(p) {
    const { geom_quality: qualities, status: statuses } = p.label_priority;
    // labelRank = quality index × (statuses + 1) + status index; unknown values rank last
    const qualityTerm = (q) => labelRank(p, { geom_quality: q, status: statuses[0] });
    const statusTerm = (s) => labelRank(p, { geom_quality: qualities[0], status: s });
    return ['+',
        match(get('geom_quality'), qualities.map((q) => [q, qualityTerm(q)]), qualityTerm(null)),
        match(get('status'), statuses.map((s) => [s, statusTerm(s)]), statusTerm(null))];
}

function labelPaint(p) {
    return { 'text-color': p.text.color, 'text-halo-color': p.text.halo_color, 'text-halo-width': p.text.halo_width };
}

// ---------------------------------------------------------------- MapLibre (data-driven)

function maplibreLayers(p) {
    const cats = entries(p.categories);
    const statuses = entries(p.status);
    const qualities = entries(p.geom_quality);
    const catColor = match(get('category'), cats.map(([k, c]) => [k, c.color]), p.unknown_color);
    const catOutline = match(get('category'), cats.map(([k]) => [k, outlineColor(p, k)]), p.unknown_color);
    const glowQualities = qualities.filter(([, q]) => q.glow).map(([k]) => k);
    const inQualities = (keys) => ['match', get('geom_quality'), keys, true, false];
    const layers = [];

    for (const [id, c] of entries(p.collections)) {
        const base = { source: SOURCE_ID, 'source-layer': id, minzoom: c.minzoom };
        if (c.geometry === 'polygon') {
            layers.push({
                id: `${id}-fill`, type: 'fill', ...base,
                paint: {
                    'fill-color': catColor,
                    'fill-opacity': match(get('status'), statuses.map(([k, s]) => [k, round(s.fill_opacity * c.fill_opacity)]), round(c.fill_opacity)),
                },
            });
            for (const [qk, q] of qualities) {
                const paint = { 'line-color': catColor, 'line-width': byZoom(c.outline_width) };
                const dash = dashArray(q, c.outline_width);
                if (dash) paint['line-dasharray'] = dash;
                layers.push({ id: `${id}-outline-${qk}`, type: 'line', ...base, filter: ['==', get('geom_quality'), qk], layout: { 'line-join': 'round' }, paint });
            }
        } else if (c.geometry === 'line') {
            const glowOf = (f) => match(get('geom_quality'), qualities.filter(([, q]) => q.glow).map(([k, q]) => [k, f(q.glow)]), 0);
            layers.push({
                id: `${id}-glow`, type: 'line', ...base, filter: inQualities(glowQualities),
                layout: { 'line-join': 'round', 'line-cap': 'round' },
                paint: {
                    'line-color': catColor,
                    'line-width': byZoom(c.width, (w) => match(get('geom_quality'), qualities.filter(([, q]) => q.glow).map(([k, q]) => [k, round(w + 2 * q.glow.line_extra_px)]), w)),
                    'line-opacity': glowOf((g) => g.opacity),
                    'line-blur': glowOf((g) => round(g.line_extra_px * g.blur)),
                },
            });
            const coreStatuses = statuses.filter(([, s]) => s.fill_opacity < 1);
            const coreWidth = c.width.map(([z, w]) => [z, round(w / 2)]);
            for (const [qk, q] of qualities) {
                const paint = { 'line-color': catColor, 'line-width': byZoom(c.width) };
                const dash = dashArray(q, c.width);
                if (dash) paint['line-dasharray'] = dash;
                layers.push({ id: `${id}-casing-${qk}`, type: 'line', ...base, filter: ['==', get('geom_quality'), qk], layout: { 'line-join': 'round' }, paint });
            }
            for (const [qk, q] of qualities) {
                const paint = {
                    'line-color': p.base,
                    'line-width': byZoom(coreWidth),
                    'line-opacity': match(get('status'), coreStatuses.map(([k, s]) => [k, round(1 - s.fill_opacity)]), 0),
                };
                const dash = dashArray(q, coreWidth);
                if (dash) paint['line-dasharray'] = dash;
                layers.push({
                    id: `${id}-core-${qk}`, type: 'line', ...base,
                    filter: ['all', ['==', get('geom_quality'), qk], ['match', get('status'), coreStatuses.map(([k]) => k), true, false]],
                    layout: { 'line-join': 'round' }, paint,
                });
            }
        } else {
            const radius = radiusStops(p, c);
            const glowOf = (f, other) => match(get('geom_quality'), qualities.filter(([, q]) => q.glow).map(([k, q]) => [k, f(q.glow)]), other);
            layers.push({
                id: `${id}-glow`, type: 'circle', ...base, filter: inQualities(glowQualities),
                paint: {
                    'circle-color': catColor,
                    'circle-radius': byZoom(radius, (r) => glowOf((g) => round(r + g.extra_px), r)),
                    'circle-opacity': glowOf((g) => g.opacity, 0),
                    'circle-blur': glowOf((g) => g.blur, 0),
                },
            });
            layers.push({
                id: `${id}-base`, type: 'circle', ...base,
                paint: { 'circle-color': p.base, 'circle-radius': byZoom(radius) },
            });
            layers.push({
                id: `${id}-circle`, type: 'circle', ...base,
                paint: {
                    'circle-color': catColor,
                    'circle-radius': byZoom(radius),
                    'circle-opacity': match(get('status'), statuses.map(([k, s]) => [k, s.fill_opacity]), 1),
                    'circle-stroke-color': match(get('status'), statuses.map(([k, s]) => [k, strokeColor(p, s.stroke, catOutline)]), catOutline),
                    'circle-stroke-width': p.point.stroke_width,
                },
            });
        }
    }

    // Labels: the topmost symbol layer is placed first, so the most important come last.
    const name = (field) => ['coalesce', get(field), ''];
    for (const id of p.label_order) {
        const c = p.collections[id];
        const l = c.label;
        const along = c.geometry === 'line' || l.placement === 'line';
        const sep = along ? '  ' : '\n';
        const zh = ['format', name('name_zh'), {}];
        const both = ['format', name('name_zh'), {}, sep, {}, name('name_en'), { 'font-scale': p.text.en_font_scale }];
        let field = zh;
        if (l.bilingual_minzoom != null) field = l.bilingual_minzoom <= l.minzoom ? both : ['step', ['zoom'], zh, l.bilingual_minzoom, both];
        const layout = {
            'text-field': field,
            'text-font': [p.font.fontstack],
            'text-size': byZoom(l.size),
        };
        if (along) {
            Object.assign(layout, { 'symbol-placement': 'line', 'symbol-spacing': 400, 'text-max-angle': 35 });
        } else if (c.geometry === 'point') {
            Object.assign(layout, {
                'symbol-sort-key': labelSortKey(p),
                'text-variable-anchor': ['top', 'bottom', 'right', 'left'],
                'text-radial-offset': 0.9,
                'text-justify': 'auto',
                'text-max-width': p.text.max_width_em,
            });
        } else {
            Object.assign(layout, { 'text-max-width': p.text.max_width_em });
        }
        const layer = { id: `${id}-label`, type: 'symbol', source: SOURCE_ID, 'source-layer': id, minzoom: l.minzoom };
        if (l.maxzoom != null) layer.maxzoom = l.maxzoom;
        layer.layout = layout;
        layer.paint = labelPaint(p);
        layers.push(layer);
    }
    return layers;
}

// ---------------------------------------------------------------- QGIS 3.22 flavour

// QGIS 3.22's QgsMapBoxGlStyleConverter ignores "match"/"case" colours on circles,
// mistranslates "match" on fills and lines, drops "in"/"!" filters (drawing
// everything) and cannot read "format"/"step" text fields. So this variant
// splits layers by category/status/quality with literal values, filters with
// "==" / "all" only, and labels with "{field}" tokens.
function qgisLayers(p) {
    const statuses = entries(p.status);
    const qualities = entries(p.geom_quality);
    const glowQualities = qualities.filter(([, q]) => q.glow);
    const eq = (field, value) => ['==', get(field), value];
    const all = (...conds) => (conds.length === 1 ? conds[0] : ['all', ...conds]);
    const layers = [];

    for (const [id, c] of entries(p.collections)) {
        const base = { source: SOURCE_ID, 'source-layer': id, minzoom: c.minzoom };
        const cats = c.categories.map((k) => [k, p.categories[k]]);
        if (c.geometry === 'polygon') {
            for (const [ck, cat] of cats) {
                for (const [sk, s] of statuses) {
                    const opacity = round(s.fill_opacity * c.fill_opacity);
                    if (opacity === 0) continue;
                    layers.push({ id: `${id}-fill-${ck}-${sk}`, type: 'fill', ...base, filter: all(eq('category', ck), eq('status', sk)), paint: { 'fill-color': cat.color, 'fill-opacity': opacity } });
                }
            }
            for (const [ck, cat] of cats) {
                for (const [qk, q] of qualities) {
                    const paint = { 'line-color': cat.color, 'line-width': byZoom(c.outline_width) };
                    const dash = dashArray(q, c.outline_width);
                    if (dash) paint['line-dasharray'] = dash;
                    layers.push({ id: `${id}-outline-${ck}-${qk}`, type: 'line', ...base, filter: all(eq('category', ck), eq('geom_quality', qk)), layout: { 'line-join': 'round' }, paint });
                }
            }
        } else if (c.geometry === 'line') {
            for (const [ck, cat] of cats) {
                for (const [qk, q] of glowQualities) {
                    layers.push({
                        id: `${id}-glow-${ck}-${qk}`, type: 'line', ...base, filter: all(eq('category', ck), eq('geom_quality', qk)),
                        layout: { 'line-join': 'round', 'line-cap': 'round' },
                        paint: { 'line-color': cat.color, 'line-width': byZoom(c.width, (w) => round(w + 2 * q.glow.line_extra_px)), 'line-opacity': q.glow.opacity },
                    });
                }
            }
            for (const [ck, cat] of cats) {
                for (const [qk, q] of qualities) {
                    const paint = { 'line-color': cat.color, 'line-width': byZoom(c.width) };
                    const dash = dashArray(q, c.width);
                    if (dash) paint['line-dasharray'] = dash;
                    layers.push({ id: `${id}-casing-${ck}-${qk}`, type: 'line', ...base, filter: all(eq('category', ck), eq('geom_quality', qk)), layout: { 'line-join': 'round' }, paint });
                }
            }
            const coreWidth = c.width.map(([z, w]) => [z, round(w / 2)]);
            for (const [sk, s] of statuses) {
                if (s.fill_opacity >= 1) continue;
                for (const [qk, q] of qualities) {
                    const paint = { 'line-color': p.base, 'line-width': byZoom(coreWidth), 'line-opacity': round(1 - s.fill_opacity) };
                    const dash = dashArray(q, coreWidth);
                    if (dash) paint['line-dasharray'] = dash;
                    layers.push({ id: `${id}-core-${sk}-${qk}`, type: 'line', ...base, filter: all(eq('status', sk), eq('geom_quality', qk)), layout: { 'line-join': 'round' }, paint });
                }
            }
        } else {
            // QGIS 3.22 reads only the first stop of a zoom-interpolated circle-radius: give it the size at the reference zoom
            const r = round(atZoom(radiusStops(p, c), Math.max(c.minzoom, DASH_REFERENCE_ZOOM)));
            for (const [ck, cat] of cats) {
                for (const [qk, q] of glowQualities) {
                    layers.push({
                        id: `${id}-glow-${ck}-${qk}`, type: 'circle', ...base, filter: all(eq('category', ck), eq('geom_quality', qk)),
                        paint: { 'circle-color': cat.color, 'circle-radius': round(r + q.glow.extra_px), 'circle-opacity': q.glow.opacity },
                    });
                }
            }
            layers.push({ id: `${id}-base`, type: 'circle', ...base, paint: { 'circle-color': p.base, 'circle-radius': r } });
            for (const [ck, cat] of cats) {
                for (const [sk, s] of statuses) {
                    layers.push({
                        id: `${id}-circle-${ck}-${sk}`, type: 'circle', ...base, filter: all(eq('category', ck), eq('status', sk)),
                        paint: {
                            'circle-color': cat.color,
                            'circle-radius': r,
                            'circle-opacity': s.fill_opacity,
                            'circle-stroke-color': strokeColor(p, s.stroke, outlineColor(p, ck)),
                            'circle-stroke-width': p.point.stroke_width,
                        },
                    });
                }
            }
        }
    }

    for (const id of p.label_order) {
        const c = p.collections[id];
        const l = c.label;
        const along = c.geometry === 'line' || l.placement === 'line';
        const sep = along ? '  ' : '\n';
        const bands = [];
        if (l.bilingual_minzoom == null) bands.push([l.minzoom, l.maxzoom, '{name_zh}', 'zh']);
        else if (l.bilingual_minzoom <= l.minzoom) bands.push([l.minzoom, l.maxzoom, `{name_zh}${sep}{name_en}`, 'zh-en']);
        else {
            bands.push([l.minzoom, l.bilingual_minzoom, '{name_zh}', 'zh']);
            bands.push([l.bilingual_minzoom, l.maxzoom, `{name_zh}${sep}{name_en}`, 'zh-en']);
        }
        for (const [minzoom, maxzoom, field, suffix] of bands) {
            // likewise text-size (first stop only)
            const layout = { 'text-field': field, 'text-font': [p.font.fontstack], 'text-size': round(atZoom(l.size, Math.max(minzoom, DASH_REFERENCE_ZOOM))) };
            if (along) Object.assign(layout, { 'symbol-placement': 'line' });
            else if (c.geometry === 'point') Object.assign(layout, { 'text-anchor': 'top', 'text-offset': [0, 0.9], 'text-max-width': p.text.max_width_em });
            else Object.assign(layout, { 'text-max-width': p.text.max_width_em });
            const layer = { id: `${id}-label-${suffix}`, type: 'symbol', source: SOURCE_ID, 'source-layer': id, minzoom };
            if (maxzoom != null) layer.maxzoom = maxzoom;
            layer.layout = layout;
            layer.paint = labelPaint(p);
            layers.push(layer);
        }
    }
    return layers;
}

// ---------------------------------------------------------------- styles

function style(p, variant) {
    return {
        version: 8,
        name: variant === 'qgis' ? `${p.name} (QGIS 3.22)` : p.name,
        metadata: {
            'regiomap:generator': 'styles/build-styles.mjs',
            'regiomap:palette': 'styles/palette.json',
            'regiomap:variant': variant,
            'regiomap:note': 'Generated file: edit styles/palette.json or styles/build-styles.mjs, then run node styles/build-styles.mjs',
        },
        center: p.center,
        zoom: p.zoom,
        sources: { [SOURCE_ID]: { type: 'vector', url: '/tiles.json' } },
        glyphs: p.font.glyphs,
        layers: [
            { id: 'background', type: 'background', paint: { 'background-color': p.background } },
            ...(variant === 'qgis' ? qgisLayers(p) : maplibreLayers(p)),
        ],
    };
}

export function readPalette(path = join(HERE, 'palette.json')) {
    return JSON.parse(readFileSync(path, 'utf8'));
}

/** { 'beichen.json': text, 'beichen-qgis.json': text } */
export function buildStyles(palette = readPalette()) {
    checkPalette(palette);
    return {
        'beichen.json': formatJson(style(palette, 'maplibre')),
        'beichen-qgis.json': formatJson(style(palette, 'qgis')),
    };
}

function main(args) {
    const check = args.includes('--check');
    const outputs = buildStyles();
    let stale = 0;
    for (const [name, text] of Object.entries(outputs)) {
        const path = join(HERE, name);
        let current = null;
        try {
            current = readFileSync(path, 'utf8');
        } catch {
            /* missing */
        }
        if (current === text) continue;
        if (check) {
            console.error(`styles/${name} is not what styles/build-styles.mjs generates; run: node styles/build-styles.mjs`);
            stale++;
        } else {
            writeFileSync(path, text);
            console.log(`wrote styles/${name}`);
        }
    }
    process.exit(stale ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));

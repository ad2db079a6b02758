// Positions drawn as what they are. A point whose quality the palette draws
// as a "disc" (schematic) is only known to lie somewhere in its uncertainty
// disc (radius uncertainty_m): the map draws that disc with a soft fill and
// no pin. An approximate point ("point_and_disc") gets its smaller disc under
// its symbol. Surveyed points get none.
//
// Where several schematic points claim the same area — their positions are
// closer to each other than a third of the smaller radius and their radii
// differ by less than a factor of two, i.e. the data cannot tell them apart —
// they are one group: one disc and one numbered marker that opens into a list.
// Their individual positions (spaced only to keep them apart) are never drawn.
//
// Discs are drawn on a Leaflet canvas (they span many tiles: a tile renderer
// would cut them at tile edges). A disc whose centre lies in the district
// (the fit collection's area) is clipped to it: the projects are in the
// district, so the disc outside it is no possible place.

import { keyOf } from './state.js';

const NEAR = 1 / 3; // centres closer than this share of the smaller radius …
const RATIO = 2; // … and radii within this factor: the same area

const EARTH_R = 6371008.8;
const rad = (d) => (d * Math.PI) / 180;
/** Great-circle distance in metres between [lon, lat] positions. */
export function distanceM(a, b) {
    const dLat = rad(b[1] - a[1]);
    const dLon = rad(b[0] - a[0]);
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_R * Math.asin(Math.min(1, Math.sqrt(h)));
}

const pointOf = (f) => (f.geometry?.type === 'Point' ? f.geometry.coordinates : null);
const radiusOf = (f) => {
    const u = Number(f.properties?.uncertainty_m);
    return Number.isFinite(u) && u > 0 ? u : null;
};

/** Do two schematic points claim the same area? */
export function sameArea(a, b) {
    const pa = pointOf(a);
    const pb = pointOf(b);
    const ra = radiusOf(a);
    const rb = radiusOf(b);
    if (!pa || !pb || !ra || !rb) return false;
    const small = Math.min(ra, rb);
    return Math.max(ra, rb) / small <= RATIO && distanceM(pa, pb) <= NEAR * small;
}

/**
 * Groups of schematic points that share an area (transitively), from the data alone.
 * Returns [{ id, members, center: [lon, lat], radius }] for groups of two or more;
 * radius covers every member's disc.
 */
export function groupByArea(features, style) {
    const candidates = features.filter((f) => pointOf(f) && radiusOf(f) && style.pointSymbol(f.properties.geom_quality) === 'disc');
    const parent = candidates.map((_, i) => i);
    const find = (i) => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    for (let i = 0; i < candidates.length; i++) {
        for (let j = i + 1; j < candidates.length; j++) {
            if (sameArea(candidates[i], candidates[j])) parent[find(i)] = find(j);
        }
    }
    const sets = new Map();
    candidates.forEach((f, i) => {
        const root = find(i);
        if (!sets.has(root)) sets.set(root, []);
        sets.get(root).push(f);
    });
    const groups = [];
    for (const members of sets.values()) {
        if (members.length < 2) continue;
        const center = [0, 1].map((k) => members.reduce((s, f) => s + pointOf(f)[k], 0) / members.length);
        const radius = Math.max(...members.map((f) => distanceM(center, pointOf(f)) + radiusOf(f)));
        members.sort((a, b) => String(a.properties.name_zh || '').localeCompare(String(b.properties.name_zh || ''), 'zh-Hans-CN'));
        groups.push({ id: `group-${groups.length + 1}`, members, center, radius });
    }
    return groups;
}

/** Is [lon, lat] inside a GeoJSON Polygon/MultiPolygon (even-odd over all rings)? */
export function inside(geometry, [x, y]) {
    const polys = geometry?.type === 'Polygon' ? [geometry.coordinates] : geometry?.type === 'MultiPolygon' ? geometry.coordinates : [];
    let hit = false;
    for (const rings of polys) {
        for (const ring of rings) {
            for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
                const [xi, yi] = ring[i];
                const [xj, yj] = ring[j];
                if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
            }
        }
    }
    return hit;
}

/**
 * The disc layer. app: { map, style, state }.
 * Returns { update(), list(), setSelected(ref|null) }: update() after the features,
 * the groups or the visible layers change.
 */
export function createDiscLayer({ map, style, state }) {
    map.createPane('discs').style.zIndex = '340'; // under the vector features (350)
    map.getPane('discs').style.pointerEvents = 'none';
    const renderer = L.canvas({ pane: 'discs', padding: 0.3 });
    const group = L.layerGroup().addTo(map);
    let selectedKey = null;
    let drawn = []; // what update() drew: { keys, radius, quiet }
    let clipCache = { key: '', rings: null };

    /** The district's rings in layer pixels (cached per zoom and origin). */
    const clipRings = () => {
        const area = state.clipArea;
        if (!area) return null;
        const key = `${map.getZoom()}/${map.getPixelOrigin().x}/${map.getPixelOrigin().y}`;
        if (clipCache.key !== key) {
            const polys = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
            clipCache = { key, rings: polys.flat().map((ring) => ring.map(([lon, lat]) => map.latLngToLayerPoint([lat, lon]))) };
        }
        return clipCache.rings;
    };

    const Disc = L.Circle.extend({
        _updatePath() {
            const r = this._renderer;
            if (!r._drawing || this._empty()) return;
            const ctx = r._ctx;
            ctx.save();
            const rings = this.options.clipped ? clipRings() : null;
            if (rings) {
                ctx.beginPath();
                for (const ring of rings) {
                    ring.forEach((p, i) => (i ? ctx.lineTo(p.x, p.y) : ctx.moveTo(p.x, p.y)));
                    ctx.closePath();
                }
                ctx.clip('evenodd');
            }
            style.drawDisc(ctx, this._point.x, this._point.y, Math.max(this._radius, 3), this.options.props, {
                quiet: this.options.quiet, selected: this.options.keys.includes(selectedKey),
            });
            ctx.restore();
        },
    });

    function update() {
        group.clearLayers();
        const discs = [];
        const visible = (f) => state.isVisible(f.collection, f.properties.category);
        for (const f of state.features) {
            const p = pointOf(f);
            const r = radiusOf(f);
            if (!p || !r || !visible(f) || state.groupOf.has(keyOf(f))) continue;
            const symbol = style.pointSymbol(f.properties.geom_quality);
            if (symbol === 'point') continue;
            discs.push({ center: p, radius: r, props: f.properties, quiet: symbol !== 'disc', keys: [keyOf(f)] });
        }
        for (const g of state.groups) {
            const members = g.members.filter(visible);
            if (!members.length) continue;
            // the group's disc in the colour of its first member (groups of one category are the rule)
            discs.push({ center: g.center, radius: g.radius, props: members[0].properties, quiet: false, keys: g.members.map(keyOf) });
        }
        discs.sort((a, b) => b.radius - a.radius); // small discs on top
        drawn = discs.map((d) => ({ keys: d.keys, radius: d.radius, quiet: d.quiet }));
        for (const d of discs) {
            group.addLayer(new Disc([d.center[1], d.center[0]], {
                radius: d.radius, renderer, interactive: false, props: d.props, quiet: d.quiet, keys: d.keys,
                clipped: Boolean(state.clipArea && inside(state.clipArea, d.center)),
            }));
        }
    }

    return {
        update,
        list: () => drawn,
        setSelected(ref) {
            selectedKey = ref ? keyOf(ref) : null;
            group.eachLayer((l) => l.redraw());
        },
    };
}

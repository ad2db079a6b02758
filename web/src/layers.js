// The data layer: the server's vector tiles drawn by protomaps-leaflet with
// our symbolizers (palette.json), one paint and one label rule per
// collection, hidden collections and categories filtered out; and picking,
// the feature drawn under a map position.

import { labelRank, toLeafletZoom } from './palette.js';
import { FeatureSymbolizer, PointLabelSymbolizer, AreaLabelSymbolizer, lineLabelSymbolizer } from './symbolizers.js';
import { escapeHtml } from './dom.js';
import { addOrientationSource, orientationLabelRule } from './orientation.js';

/**
 * The vector layer on `map`. onDraw(collectionId) is called for every feature drawn. orientationP: the
 * orientation points (orientation.js), labelled after every project once showOrientation() is called.
 * Returns { vector, redraw(), refresh(tilesUrl, generation), pick(latlng), showOrientation() }.
 */
export function createDataLayer({ map, style, palette, tilejson, state, onDraw, orientationP }) {
    const { collectionOrder } = state;
    // A schematic point of a group is drawn by its group's marker, never at its own (stand-in) position;
    // until the groups are known (the items are loaded) no schematic point is drawn, so none flashes up.
    const inGroup = (id, f) => f.geomType === 1 && style.pointSymbol(f.props.geom_quality) === 'disc'
        && (!state.groupsReady || state.groupOf.has(`${id}/${f.id}`));
    const shown = (id, f) => state.isVisible(id, f.props.category) && !inGroup(id, f);
    const paintRules = collectionOrder.map((id) => ({
        dataLayer: id,
        minzoom: toLeafletZoom(style.collection(id).minzoom ?? -1) || undefined,
        symbolizer: new FeatureSymbolizer(style, id, onDraw),
        filter: (z, f) => shown(id, f),
    }));
    // Label rules, highest placement priority first: by layer (palette.label_order, last = first placed), and
    // within a point layer by rank (palette.label_priority: the best-known positions and the most advanced works
    // first). protomaps-leaflet gives a label that collides with one of a later rule its place, across tiles too,
    // so each rank of a point layer is its own rule.
    const labelOrder = [...(palette.label_order || collectionOrder)].reverse();
    const lastRank = labelRank(palette, {});
    const labelRules = labelOrder
        .filter((id) => collectionOrder.includes(id) && style.collection(id).label)
        .flatMap((id) => {
            const c = style.collection(id);
            const l = c.label;
            const rule = {
                dataLayer: id,
                minzoom: toLeafletZoom(l.minzoom ?? 0),
                // MapLibre's maxzoom is exclusive, protomaps' inclusive: palette zoom m = Leaflet zoom m + 1, so this is the last Leaflet zoom
                maxzoom: l.maxzoom != null ? l.maxzoom : undefined,
                symbolizer: c.geometry === 'line' ? lineLabelSymbolizer(style, id) : c.geometry === 'polygon' ? new AreaLabelSymbolizer(style, id) : new PointLabelSymbolizer(style, id),
                filter: (z, f) => shown(id, f),
            };
            if (c.geometry !== 'point') return [rule];
            return Array.from({ length: lastRank + 1 }, (_, rank) => ({
                ...rule,
                filter: (z, f) => labelRank(palette, f.props) === rank && shown(id, f),
            }));
        });
    // the neighbours and central Tianjin last: every project label wins over them
    if (orientationP) labelRules.push(orientationLabelRule(style));
    // not new URL(): it would percent-encode the {z}/{x}/{y} placeholders
    const absolute = (url) => (/^[a-z]+:\/\//i.test(url) ? url : `${location.origin}${url.startsWith('/') ? '' : '/'}${url}`);
    const tileUrl = absolute(tilejson.tiles[0]);
    const maxDataZoom = tilejson.maxzoom ?? 14;
    const vector = protomapsL.leafletLayer({
        url: tileUrl,
        maxDataZoom,
        paintRules,
        labelRules,
        pane: 'features',
        attribution: escapeHtml(tilejson.attribution || 'regiomap'),
    });
    vector.addTo(map);

    const redraw = () => {
        vector.clearLayout();
        vector.rerenderTiles();
    };

    /**
     * Fetches every tile again as of the data after an edit: under `tilesUrl` (TileJSON's, which names the data
     * generation as ?v=) or, from a server whose TileJSON does not, with ?v=`generation` added. A new URL passes
     * both the layer's own tile cache and the browser's HTTP cache, which may hold the tiles of before.
     */
    const refresh = (tilesUrl, generation) => {
        let url = tilesUrl && /[?&]v=/.test(tilesUrl) ? absolute(tilesUrl) : null;
        if (!url) {
            const [path, query = ''] = tileUrl.split('?');
            const params = new URLSearchParams(query);
            params.set('v', String(generation));
            url = `${path}?${params}`; // {z}/{x}/{y} are in the path: URLSearchParams encodes only the query
        }
        vector.views.set('', protomapsL.sourcesToViews({ url, maxDataZoom }).get(''));
        redraw();
    };

    /**
     * Adds the orientation labels: called once the first features are drawn. Their text is the first the
     * tiles draw (the neighbours lie in the outer tiles, painted first) and cost ~45 ms of the first draw
     * on a fresh page; the layer's label rule waits for its source until then.
     */
    let orientationShown = false;
    const showOrientation = () => {
        if (!orientationP || orientationShown) return;
        orientationShown = true;
        addOrientationSource(vector, map, orientationP);
        redraw();
    };

    const geomRank = { 1: 3, 2: 2, 3: 1 };
    const drawIndex = new Map(collectionOrder.map((id, i) => [id, i]));
    const TOLERANCE = 4;

    /** The feature drawn under a map position: points before lines before areas, the topmost layer first. */
    function pick(latlng) {
        const z = map.getZoom();
        const tz = Math.round(z);
        const dataZoom = Math.min(tz - 1, maxDataZoom);
        if (dataZoom < 0) return null;
        const candidates = vector.queryTileFeaturesDebug(latlng.lng, latlng.lat, 96).get('') || [];
        if (!candidates.length) return null;
        const zf = dataZoom + 1; // data-tile units are Leaflet pixels at this zoom
        const p = map.project(latlng, zf);
        const tx = Math.floor(p.x / 512);
        const ty = Math.floor(p.y / 512);
        const c = { x: p.x - tx * 512, y: p.y - ty * 512 };
        const toScreen = Math.pow(2, z - zf);
        const drawScale = Math.pow(2, z - tz);
        let best = null;
        for (const { feature, layerName } of candidates) {
            const props = feature.props || {};
            if (!shown(layerName, feature)) continue;
            const minzoom = paintRules[drawIndex.get(layerName)]?.minzoom;
            if (minzoom && tz < minzoom) continue;
            let d = 0;
            if (feature.geomType === 1) {
                d = Infinity;
                for (const part of feature.geom) d = Math.min(d, Math.hypot(part[0].x - c.x, part[0].y - c.y));
                d = d * toScreen - style.pointRadius(layerName, tz) * drawScale;
            } else if (feature.geomType === 2) {
                d = distToLines(c, feature.geom) * toScreen - (style.lineWidth(layerName, tz) * drawScale) / 2;
            }
            if (d > TOLERANCE) continue;
            const score = [geomRank[feature.geomType] || 0, drawIndex.get(layerName) ?? -1, -d];
            if (!best || compare(score, best.score) > 0) best = { score, ref: { collection: layerName, id: feature.id }, props, geomType: feature.geomType };
        }
        if (!best) return null;
        if (best.geomType === 1) {
            // the point itself, for the popup anchor
            const f = candidates.find((x) => x.layerName === best.ref.collection && x.feature.id === best.ref.id).feature;
            best.latlng = map.unproject([tx * 512 + f.geom[0][0].x, ty * 512 + f.geom[0][0].y], zf);
        }
        return best;
    }

    return { vector, redraw, refresh, pick, showOrientation };
}

const compare = (a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
};

function distToLines(p, lines) {
    let best = Infinity;
    for (const line of lines) {
        for (let i = 0; i + 1 < line.length; i++) {
            const a = line[i];
            const b = line[i + 1];
            const dx = b.x - a.x;
            const dy = b.y - a.y;
            const l2 = dx * dx + dy * dy;
            let t = l2 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
            t = Math.max(0, Math.min(1, t));
            best = Math.min(best, Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)));
        }
    }
    return best;
}

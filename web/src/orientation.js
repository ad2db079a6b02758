// Orientation labels: where the neighbouring districts and central Tianjin
// are, named quietly at the district view so that a first-time visitor sees
// where Beichen lies. They are not programme features: they come from a
// static file (data/orientation.geojson: GeoNames points, cited per point),
// not from the server's collections, so they never reach the legend, the
// counts, the project list, the search, picking or the popups.
//
// They go through the data layer's own label placement so that project
// labels win: protomaps-leaflet places the labels of earlier rules first and
// lets an earlier rule's label evict a later one's (across tiles too), and
// the orientation rule is the last. protomaps-leaflet reads labels from its
// "views" (one per tile source); this module adds one whose tiles are cut
// from the GeoJSON in the page (protomaps-leaflet 5.1's View and TileCache,
// with a source object that has the same get(tile, tileSize) as its own).

import { getJSON } from './dom.js';
import { attributionHtml } from './messages.js';

export const ORIENTATION_URL = 'data/orientation.geojson';
const SOURCE = 'orientation';
// Leaflet zooms at which the labels are drawn: around the district view (10 on a phone, 11 on a
// desktop); zoomed in further the view lies inside the district and they would only clutter its edge.
export const ORIENTATION_MINZOOM = 8;
export const ORIENTATION_MAXZOOM = 12;
// Quiet: the palette's text colour at this opacity over the palette's halo (#222 → about #646464 on white,
// 5.9:1), the English line in italics, both at the palette's smallest label size.
const TEXT_OPACITY = 0.7;

/** Starts the request; resolves to the FeatureCollection, or null when the file is absent or unreadable. */
export function fetchOrientation() {
    return getJSON(ORIENTATION_URL).catch(() => null);
}

/** A point as protomaps-leaflet's geometry code uses it (the subset of @mapbox/point-geometry it calls). */
class TilePoint {
    constructor(x, y) {
        this.x = x;
        this.y = y;
    }

    clone() {
        return new TilePoint(this.x, this.y);
    }

    add(p) {
        return new TilePoint(this.x + p.x, this.y + p.y);
    }

    sub(p) {
        return new TilePoint(this.x - p.x, this.y - p.y);
    }

    mult(k) {
        return new TilePoint(this.x * k, this.y * k);
    }

    div(k) {
        return new TilePoint(this.x / k, this.y / k);
    }

    dist(p) {
        return Math.hypot(this.x - p.x, this.y - p.y);
    }
}

/** lon/lat → Web Mercator position in [0, 1]². */
function mercator([lon, lat]) {
    const s = Math.sin((Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180);
    return { x: lon / 360 + 0.5, y: 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI) };
}

/** A tile source over the points of a FeatureCollection: each point in the one tile that holds it. */
function geojsonSource(collectionP) {
    return {
        async get(tile, tileSize) {
            const fc = await collectionP;
            const scale = tileSize * 2 ** tile.z;
            const features = [];
            for (const [i, f] of (fc?.features || []).entries()) {
                if (f.geometry?.type !== 'Point') continue;
                const m = mercator(f.geometry.coordinates);
                const x = m.x * scale - tile.x * tileSize;
                const y = m.y * scale - tile.y * tileSize;
                if (x < 0 || y < 0 || x >= tileSize || y >= tileSize) continue;
                features.push({
                    id: i + 1, geomType: 1, geom: [[new TilePoint(x, y)]], numVertices: 1,
                    bbox: { minX: x, minY: y, maxX: x, maxY: y }, props: f.properties || {},
                });
            }
            return new Map([[SOURCE, features]]);
        },
    };
}

/** Two centred lines (Chinese, then English in italics) at the point, else just above or below it; nothing if all collide. */
class OrientationLabelSymbolizer {
    constructor(style) {
        this.style = style;
        this.size = style.p.text?.min_size_px ?? 11;
    }

    place(layout, geom, feature) {
        const a = geom[0]?.[0];
        const p = feature.props || {};
        if (!a || !p.label_zh) return undefined;
        const rows = [[p.label_zh, this.style.labelFont(this.size)], [p.label_en, `italic ${this.style.labelFont(this.size)}`]]
            .filter(([text]) => text)
            .map(([text, font]) => {
                layout.scratch.font = font;
                return { text, font, width: layout.scratch.measureText(text).width };
            });
        const lineHeight = this.size * 1.2;
        const W = Math.max(...rows.map((r) => r.width));
        const H = rows.length * lineHeight;
        for (const dy of [-H / 2, -H - 4, 4]) {
            const bbox = { minX: a.x - W / 2 - 1, minY: a.y + dy - 1, maxX: a.x + W / 2 + 1, maxY: a.y + dy + H + 1 };
            if (layout.index.bboxCollides(bbox, layout.order)) continue;
            return [{ anchor: a, bboxes: [bbox], draw: (ctx) => this.draw(ctx, rows, dy, lineHeight) }];
        }
        return undefined;
    }

    draw(ctx, rows, top, lineHeight) {
        ctx.save();
        ctx.textBaseline = 'top';
        ctx.textAlign = 'center';
        ctx.lineJoin = 'round';
        ctx.lineWidth = this.style.haloWidth * 2;
        ctx.strokeStyle = this.style.haloColor;
        ctx.fillStyle = this.style.textColor;
        let y = top;
        for (const r of rows) {
            ctx.font = r.font;
            ctx.globalAlpha = 1;
            ctx.strokeText(r.text, 0, y + this.size * 0.1);
            ctx.globalAlpha = TEXT_OPACITY;
            ctx.fillText(r.text, 0, y + this.size * 0.1);
            y += lineHeight;
        }
        ctx.restore();
    }
}

/** The label rule to append after every project label rule (the last rule: every project label wins over it). */
export function orientationLabelRule(style) {
    return {
        dataSource: SOURCE,
        dataLayer: SOURCE,
        minzoom: ORIENTATION_MINZOOM,
        maxzoom: ORIENTATION_MAXZOOM,
        symbolizer: new OrientationLabelSymbolizer(style),
    };
}

/**
 * Gives the data layer `vector` (before it is added to the map) a view over the orientation points,
 * tiled as its own data tiles are; and credits their source in the map's attribution once they are in.
 */
export function addOrientationSource(vector, map, collectionP) {
    const main = vector.views.get('');
    const levelDiff = main?.levelDiff ?? 1;
    const cache = new protomapsL.TileCache(geojsonSource(collectionP), 256 << levelDiff);
    vector.views.set(SOURCE, new protomapsL.View(cache, main?.maxDataLevel ?? 14, levelDiff));
    collectionP.then((fc) => {
        if (fc?.features?.length) map.attributionControl?.addAttribution(attributionHtml('attribution.orientation'));
    });
}

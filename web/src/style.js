// How the web map draws the data, derived at run time from /styles/palette.json
// (owned by styles/; the MapLibre and QGIS styles are generated from the same
// file). Nothing here hard-codes a colour, a dash or a size: change the palette
// and the map, its legend and the popups follow.
//
// Zoom levels and stop lookups come from palette.js (shared with the style builder).

import { atZoom, categoryColor, dashReferenceWidth, labelPx, outlineColor, radiusStops, strokeColor, toPaletteZoom } from './palette.js';

/** '#rrggbb' + alpha → 'rgba(…)' */
export function rgba(hex, alpha = 1) {
    const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || '');
    if (!m) return hex;
    const [r, g, b] = m.slice(1).map((h) => parseInt(h, 16));
    return `rgba(${r},${g},${b},${alpha})`;
}

export class Style {
    constructor(palette) {
        this.p = palette;
        this.categories = palette.categories || {};
        this.statuses = palette.status || {};
        this.qualities = palette.geom_quality || {};
        this.collections = palette.collections || {};
        this.background = palette.background || '#f4f2ee';
        this.base = palette.base || '#ffffff';
        this.textColor = palette.text?.color || '#222222';
        this.haloColor = palette.text?.halo_color || '#ffffff';
        this.haloWidth = palette.text?.halo_width ?? 1.5;
        this.enScale = palette.text?.en_font_scale ?? 0.8;
        this.fontFamily = palette.font?.css_family || 'sans-serif';
    }

    // ------------------------------------------------------------ lookups

    categoryColor(category) {
        return categoryColor(this.p, category);
    }

    /** The colour of a category's outlines: darker than the fill where the fill lacks contrast with the background. */
    outlineColor(category) {
        return outlineColor(this.p, category);
    }

    /** Unknown status: drawn solid, like completed, but keeps the category outline. */
    status(status) {
        return this.statuses[status] || { fill_opacity: 1, stroke: 'category', label_en: status || 'unknown', label_zh: '' };
    }

    /** Unknown or missing quality is drawn as schematic: never pass a position off as better than it is. */
    quality(quality) {
        return this.qualities[quality] || this.qualities.schematic || { dash_px: [2, 3], glow: null, label_en: quality || 'unknown' };
    }

    collection(id) {
        return this.collections[id] || { geometry: 'point', categories: [], minzoom: 0 };
    }

    strokeColor(status, category) {
        return strokeColor(this.p, this.status(status).stroke, this.outlineColor(category));
    }

    /** How a point of this quality is drawn: 'point' | 'point_and_disc' | 'disc' (palette geom_quality.*.point_symbol). */
    pointSymbol(quality) {
        return this.quality(quality).point_symbol || 'point';
    }

    pointRadius(collectionId, z) {
        return atZoom(radiusStops(this.p, this.collection(collectionId)), toPaletteZoom(z));
    }

    lineWidth(collectionId, z) {
        return atZoom(this.collection(collectionId).width || [[0, 2]], toPaletteZoom(z));
    }

    outlineWidth(collectionId, z) {
        return atZoom(this.collection(collectionId).outline_width || [[0, 1.5]], toPaletteZoom(z));
    }

    /** Dash pattern in pixels for a line of width w (null = solid). */
    dash(quality, w, referenceWidth) {
        const d = this.quality(quality).dash_px;
        if (!d) return [];
        const grow = referenceWidth ? Math.max(1, w / referenceWidth) : 1;
        return d.map((px) => px * grow);
    }

    // ------------------------------------------------------------ drawing (canvas, pixel coordinates)

    /**
     * A point symbol: glow (approximate/schematic), white base, category fill by status, outline by status,
     * dashed by quality. A point whose quality is drawn as a disc only gets no pin: a soft spot marks the
     * centre of its disc (the disc itself is drawn by discs.js).
     */
    drawPoint(ctx, x, y, props, collectionId, z, radius = this.pointRadius(collectionId, z)) {
        const color = this.categoryColor(props.category);
        if (this.pointSymbol(props.geom_quality) === 'disc') {
            this.drawSoftCentre(ctx, x, y, props, radius);
            return;
        }
        const st = this.status(props.status);
        const q = this.quality(props.geom_quality);
        ctx.save();
        if (q.glow) {
            const R = radius + q.glow.extra_px;
            const inner = Math.max(0, 1 - (q.glow.blur ?? 0)) * R;
            const g = ctx.createRadialGradient(x, y, inner, x, y, R);
            g.addColorStop(0, rgba(color, q.glow.opacity));
            g.addColorStop(1, rgba(color, 0));
            ctx.fillStyle = g;
            ctx.beginPath();
            ctx.arc(x, y, R, 0, 2 * Math.PI);
            ctx.fill();
        }
        ctx.beginPath();
        ctx.arc(x, y, radius, 0, 2 * Math.PI);
        ctx.fillStyle = this.base;
        ctx.fill();
        if (st.fill_opacity > 0) {
            ctx.fillStyle = rgba(color, st.fill_opacity);
            ctx.fill();
        }
        ctx.lineWidth = this.p.point?.stroke_width ?? 1.5;
        ctx.strokeStyle = this.strokeColor(props.status, props.category);
        ctx.setLineDash(this.dash(props.geom_quality, ctx.lineWidth));
        ctx.stroke();
        if (st.stroke === 'base' && this.categories[props.category]?.outline) {
            // a white outline would leave a low-contrast fill as the symbol's edge: ring it in the outline colour (WCAG 1.4.11)
            ctx.beginPath();
            ctx.arc(x, y, radius + ctx.lineWidth, 0, 2 * Math.PI);
            ctx.lineWidth = 1;
            ctx.strokeStyle = this.outlineColor(props.category);
            ctx.stroke();
        }
        ctx.restore();
    }

    /** The centre of a schematic point's disc: a soft spot that fades out, no edge (not a pin), a small core in the outline colour. */
    drawSoftCentre(ctx, x, y, props, radius) {
        const color = this.categoryColor(props.category);
        const R = radius + 4;
        ctx.save();
        const g = ctx.createRadialGradient(x, y, 0, x, y, R);
        g.addColorStop(0, rgba(color, 0.75));
        g.addColorStop(0.45, rgba(color, 0.45));
        g.addColorStop(1, rgba(color, 0));
        ctx.fillStyle = g;
        ctx.beginPath();
        ctx.arc(x, y, R, 0, 2 * Math.PI);
        ctx.fill();
        ctx.fillStyle = this.outlineColor(props.category);
        ctx.beginPath();
        ctx.arc(x, y, Math.max(1.5, radius * 0.3), 0, 2 * Math.PI);
        ctx.fill();
        ctx.restore();
    }

    /**
     * An uncertainty disc on a canvas: a soft fill of the category colour (stronger as the work advances,
     * like the fill of a point), fading at the edge, with a faint dotted rim in the outline colour.
     * quiet: the smaller disc of an approximate point, fainter still.
     */
    drawDisc(ctx, x, y, r, props, { quiet = false, selected = false } = {}) {
        const color = this.categoryColor(props.category);
        const fill = this.status(props.status).fill_opacity ?? 0.5;
        const a = (quiet ? 0.05 : 0.08) + (quiet ? 0.04 : 0.08) * fill + (selected ? 0.06 : 0);
        ctx.save();
        const g = ctx.createRadialGradient(x, y, 0, x, y, r);
        g.addColorStop(0, rgba(color, a * 1.4));
        g.addColorStop(0.8, rgba(color, a));
        g.addColorStop(1, rgba(color, a * 0.3));
        ctx.fillStyle = g;
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fill();
        ctx.strokeStyle = rgba(this.outlineColor(props.category), selected ? 0.9 : quiet ? 0.35 : 0.5);
        ctx.lineWidth = selected ? 2 : 1;
        ctx.setLineDash(quiet ? [6, 4] : [2, 3]);
        ctx.stroke();
        ctx.restore();
    }

    /** A line: glow, a category-coloured casing dashed by quality, a white core that empties the line by status. */
    drawLine(ctx, lines, props, collectionId, z, width = this.lineWidth(collectionId, z)) {
        const color = this.categoryColor(props.category);
        const st = this.status(props.status);
        const q = this.quality(props.geom_quality);
        const c = this.collection(collectionId);
        const refWidth = dashReferenceWidth(c.width || [[0, 2]]);
        const path = () => {
            ctx.beginPath();
            for (const line of lines) {
                if (line.length === 0) continue;
                ctx.moveTo(line[0].x, line[0].y);
                for (let i = 1; i < line.length; i++) ctx.lineTo(line[i].x, line[i].y);
            }
        };
        ctx.save();
        ctx.lineJoin = 'round';
        if (q.glow) {
            // a soft halo: three strokes of falling width approximate the blur
            ctx.lineCap = 'round';
            ctx.strokeStyle = color;
            const extra = q.glow.line_extra_px;
            for (const f of [1, 0.66, 0.33]) {
                ctx.globalAlpha = q.glow.opacity / 3;
                ctx.lineWidth = width + 2 * extra * f;
                path();
                ctx.stroke();
            }
            ctx.globalAlpha = 1;
        }
        ctx.lineCap = 'butt';
        ctx.strokeStyle = color;
        ctx.lineWidth = width;
        ctx.setLineDash(this.dash(props.geom_quality, width, refWidth));
        path();
        ctx.stroke();
        if (st.fill_opacity < 1) {
            ctx.strokeStyle = rgba(this.base, 1 - st.fill_opacity);
            ctx.lineWidth = width / 2;
            ctx.setLineDash(this.dash(props.geom_quality, width / 2, refWidth / 2));
            path();
            ctx.stroke();
        }
        ctx.restore();
    }

    /** An area: category fill (status × collection opacity), outline dashed by quality. */
    drawPolygon(ctx, rings, props, collectionId, z, outline = this.outlineWidth(collectionId, z)) {
        const color = this.categoryColor(props.category);
        const c = this.collection(collectionId);
        const alpha = this.status(props.status).fill_opacity * (c.fill_opacity ?? 0.2);
        ctx.save();
        ctx.beginPath();
        for (const ring of rings) {
            if (ring.length === 0) continue;
            ctx.moveTo(ring[0].x, ring[0].y);
            for (let i = 1; i < ring.length; i++) ctx.lineTo(ring[i].x, ring[i].y);
            ctx.closePath();
        }
        if (alpha > 0) {
            ctx.fillStyle = rgba(color, alpha);
            ctx.fill('evenodd');
        }
        ctx.lineJoin = 'round';
        ctx.strokeStyle = color;
        ctx.lineWidth = outline;
        ctx.setLineDash(this.dash(props.geom_quality, outline));
        ctx.stroke();
        ctx.restore();
    }

    // ------------------------------------------------------------ labels

    labelFont(sizePx) {
        return `${Math.round(sizePx * 10) / 10}px ${this.fontFamily}`;
    }

    /** [zh, en|null] for a feature at Leaflet zoom z, following the collection's label rule. */
    labelLines(collectionId, props, z) {
        const l = this.collection(collectionId).label;
        if (!l) return null;
        const zh = props.name_zh || props.name_en;
        if (!zh) return null;
        const pz = toPaletteZoom(z);
        const en = l.bilingual_minzoom != null && pz >= l.bilingual_minzoom && props.name_en && props.name_zh ? props.name_en : null;
        return [zh, en];
    }

    labelSize(collectionId, z) {
        const l = this.collection(collectionId).label;
        return labelPx(this.p, atZoom(l?.size || [[0, 12]], toPaletteZoom(z)));
    }

    /** Size of the English line under a label of size px: never below the palette's minimum. */
    enLabelSize(px) {
        return labelPx(this.p, px * this.enScale);
    }

    // ------------------------------------------------------------ legend swatches

    /**
     * Swatches made from now on are drawn once `promise` settles: the legend is made before the first
     * tiles, and its ~15 canvases (a 2D context each) took ~15 ms of the first draw; laid out at once,
     * painted just after.
     */
    drawSwatchesAfter(promise) {
        this.swatchesDrawnAfter = promise;
    }

    /** A small canvas (aria-hidden, sharp on high-density screens) drawn by draw(ctx, width, height). */
    canvasSwatch(width, height, draw) {
        const canvas = document.createElement('canvas');
        const dpr = window.devicePixelRatio || 1;
        canvas.width = Math.round(width * dpr);
        canvas.height = Math.round(height * dpr);
        canvas.style.width = `${width}px`;
        canvas.style.height = `${height}px`;
        canvas.setAttribute('aria-hidden', 'true');
        canvas.className = 'swatch';
        const paint = () => {
            const ctx = canvas.getContext('2d');
            ctx.scale(dpr, dpr);
            draw(ctx, width, height);
        };
        if (this.swatchesDrawnAfter) this.swatchesDrawnAfter.then(paint, paint);
        else paint();
        return canvas;
    }

    /** A small canvas showing a feature of this collection with the given properties, drawn by the map's own code. */
    swatch(collectionId, props, { width = 36, height = 20, z = 13 } = {}) {
        const geometry = this.collection(collectionId).geometry;
        const P = (x, y) => ({ x, y });
        return this.canvasSwatch(width, height, (ctx) => {
            if (geometry === 'polygon') {
                this.drawPolygon(ctx, [[P(3, 3), P(width - 3, 3), P(width - 3, height - 3), P(3, height - 3), P(3, 3)]], props, collectionId, z,
                    Math.min(2, this.outlineWidth(collectionId, z)));
            } else if (geometry === 'line') {
                this.drawLine(ctx, [[P(3, height * 0.68), P(width * 0.5, height * 0.32), P(width - 3, height * 0.6)]], props, collectionId, z,
                    Math.min(5, this.lineWidth(collectionId, z)));
            } else {
                this.drawPoint(ctx, width / 2, height / 2, props, collectionId, z, Math.min(height / 2 - 4, this.pointRadius(collectionId, z)));
            }
        });
    }
}

// protomaps-leaflet symbolizers that draw with Style (palette.json): one paint
// symbolizer for any geometry, and label symbolizers for points, lines and
// areas (Chinese name, then the English one below it from the palette's
// bilingual zoom). Coordinates arrive in CSS pixels of the tile being drawn.

/** Draws every feature of one collection, whatever its geometry type. */
export class FeatureSymbolizer {
    constructor(style, collectionId, onDraw) {
        this.style = style;
        this.id = collectionId;
        this.onDraw = onDraw;
    }

    draw(ctx, geom, z, feature) {
        const props = feature.props || {};
        if (feature.geomType === 1) {
            for (const part of geom) if (part.length) this.style.drawPoint(ctx, part[0].x, part[0].y, props, this.id, z);
        } else if (feature.geomType === 2) {
            this.style.drawLine(ctx, geom, props, this.id, z);
        } else if (feature.geomType === 3) {
            this.style.drawPolygon(ctx, geom, props, this.id, z);
        }
        if (this.onDraw) this.onDraw(this.id);
    }
}

/** Breaks text into lines no wider than maxWidth: at spaces for Latin text, between characters for Chinese. */
export function wrapText(ctx, text, maxWidth) {
    if (ctx.measureText(text).width <= maxWidth) return [text];
    const spaced = /\s/.test(text);
    const tokens = spaced ? text.split(/\s+/) : [...text];
    const lines = [];
    let line = '';
    for (const t of tokens) {
        const candidate = line ? (spaced ? `${line} ${t}` : line + t) : t;
        if (line && ctx.measureText(candidate).width > maxWidth) {
            lines.push(line);
            line = t;
        } else {
            line = candidate;
        }
    }
    if (line) lines.push(line);
    return lines;
}

/** Measured label block: [{text, font, size, width}], width, height. */
function layoutLabel(style, collectionId, props, z, scratch) {
    const names = style.labelLines(collectionId, props, z);
    if (!names) return null;
    const size = style.labelSize(collectionId, z);
    const maxWidth = (style.p.text?.max_width_em ?? 8) * size;
    const rows = [];
    const add = (text, px) => {
        const font = style.labelFont(px);
        scratch.font = font;
        for (const line of wrapText(scratch, text, maxWidth)) rows.push({ text: line, font, size: px, width: scratch.measureText(line).width });
    };
    add(names[0], size);
    if (names[1]) add(names[1], style.enLabelSize(size));
    const width = Math.max(...rows.map((r) => r.width));
    const height = rows.reduce((h, r) => h + r.size * 1.2, 0);
    return { rows, width, height };
}

function drawBlock(style, ctx, block, x0, y0, align) {
    ctx.save();
    ctx.globalAlpha = 1;
    ctx.textBaseline = 'top';
    ctx.textAlign = align;
    ctx.lineJoin = 'round';
    ctx.lineWidth = style.haloWidth * 2;
    ctx.strokeStyle = style.haloColor;
    ctx.fillStyle = style.textColor;
    const x = align === 'center' ? x0 + block.width / 2 : align === 'right' ? x0 + block.width : x0;
    let y = y0;
    for (const r of block.rows) {
        ctx.font = r.font;
        const dy = r.size * 0.1;
        ctx.strokeText(r.text, x, y + dy);
        ctx.fillText(r.text, x, y + dy);
        y += r.size * 1.2;
    }
    ctx.restore();
}

/** Point labels: below, above, right or left of the symbol, whichever is free (as MapLibre's variable anchor). */
export class PointLabelSymbolizer {
    constructor(style, collectionId) {
        this.style = style;
        this.id = collectionId;
    }

    place(layout, geom, feature) {
        if (feature.geomType !== 1 || !geom[0]?.length) return undefined;
        const block = layoutLabel(this.style, this.id, feature.props || {}, layout.zoom, layout.scratch);
        if (!block) return undefined;
        const a = geom[0][0];
        const r = this.style.pointRadius(this.id, layout.zoom) + 2;
        const { width: W, height: H } = block;
        const candidates = [
            [a.x - W / 2, a.y + r, 'center'], // below (anchor top)
            [a.x - W / 2, a.y - r - H, 'center'], // above
            [a.x + r + 1, a.y - H / 2, 'left'], // right
            [a.x - r - 1 - W, a.y - H / 2, 'right'], // left
        ];
        for (const [x, y, align] of candidates) {
            const bbox = { minX: x - 1, minY: y - 1, maxX: x + W + 1, maxY: y + H + 1 };
            if (!layout.index.bboxCollides(bbox, layout.order)) {
                const draw = (ctx) => drawBlock(this.style, ctx, block, x - a.x, y - a.y, align);
                // once per feature: a point near a tile edge is in the neighbouring tile's buffer too
                return [{ anchor: a, bboxes: [bbox], draw, deduplicationKey: `${this.id}:${feature.id}`, deduplicationDistance: 64 }];
            }
        }
        return undefined;
    }
}

/** Area labels: centred on the part of the area in the tile, once per name nearby. */
export class AreaLabelSymbolizer {
    constructor(style, collectionId) {
        this.style = style;
        this.id = collectionId;
    }

    place(layout, geom, feature) {
        if (feature.geomType !== 3) return undefined;
        const block = layoutLabel(this.style, this.id, feature.props || {}, layout.zoom, layout.scratch);
        if (!block) return undefined;
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (const ring of geom) for (const p of ring) {
            if (p.x < minX) minX = p.x;
            if (p.y < minY) minY = p.y;
            if (p.x > maxX) maxX = p.x;
            if (p.y > maxY) maxY = p.y;
        }
        if (maxX - minX < block.width || maxY - minY < block.height) return undefined;
        // a Point of the tile's own class (@mapbox/point-geometry): the labeler calls anchor.dist()
        const a = geom[0][0].clone();
        a.x = (minX + maxX) / 2;
        a.y = (minY + maxY) / 2;
        const x = a.x - block.width / 2;
        const y = a.y - block.height / 2;
        const bbox = { minX: x, minY: y, maxX: x + block.width, maxY: y + block.height };
        if (layout.index.bboxCollides(bbox, layout.order)) return undefined;
        return [{
            anchor: a, bboxes: [bbox],
            draw: (ctx) => drawBlock(this.style, ctx, block, x - a.x, y - a.y, 'center'),
            deduplicationKey: `${this.id}:${feature.props?.name_zh || ''}`,
            deduplicationDistance: 400,
        }];
    }
}

/** Line labels: protomaps' own line placement, with our text, font and halo. */
export function lineLabelSymbolizer(style, collectionId) {
    const size = (z) => style.labelSize(collectionId, z);
    const sym = new protomapsL.LineLabelSymbolizer({
        font: (z) => style.labelFont(size(z)),
        fill: style.textColor,
        stroke: style.haloColor,
        width: style.haloWidth * 2,
        maxLabelChars: 120,
        repeatDistance: 400,
        position: protomapsL.LineLabelPlacement?.Center ?? 2,
    });
    sym.text = {
        get: (z, f) => {
            const names = style.labelLines(collectionId, f.props || {}, z);
            if (!names) return undefined;
            return names[1] ? `${names[0]}  ${names[1]}` : names[0];
        },
    };
    return sym;
}

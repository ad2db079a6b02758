// Reading styles/palette.json: zoom stops, the two zoom scales, and the
// lookups that every renderer of the palette needs. Shared by the style
// builder (styles/build-styles.mjs, under Node) and the web map (in the
// browser), so both read a stop, a dash or an outline colour the same way.
// No DOM, no Leaflet: plain functions of the palette.

/**
 * The palette's zoom stops are MapLibre zooms (512-px world at zoom 0).
 * Leaflet's world is 256 px at zoom 0, so the same ground scale is
 * Leaflet zoom z = palette zoom z + 1.
 */
export const toPaletteZoom = (leafletZoom) => leafletZoom - 1;
export const toLeafletZoom = (paletteZoom) => paletteZoom + 1;

/**
 * Dashes keep their pixel size up to the line width at this (palette) zoom,
 * then grow with the line; MapLibre's line-dasharray is in line widths, so
 * the style builder divides the pixel dashes by the width at this zoom.
 */
export const DASH_REFERENCE_ZOOM = 12;

/** Value of [[zoom, value], ...] stops at zoom z: linear between stops, clamped outside; a number is a constant. */
export function atZoom(stops, z) {
    if (typeof stops === 'number') return stops;
    if (!Array.isArray(stops) || stops.length === 0) return 0;
    if (z <= stops[0][0]) return stops[0][1];
    for (let i = 1; i < stops.length; i++) {
        const [z0, v0] = stops[i - 1];
        const [z1, v1] = stops[i];
        if (z <= z1) return v0 + ((v1 - v0) * (z - z0)) / (z1 - z0);
    }
    return stops[stops.length - 1][1];
}

/** Width of a line (or outline) at the dash reference zoom: the unit the dashes scale with. */
export const dashReferenceWidth = (widthStops) => atZoom(widthStops, DASH_REFERENCE_ZOOM);

/** The outline colour of a status's `stroke` kind: category | dark (text colour) | base (white). */
export function strokeColor(palette, kind, categoryColor) {
    if (kind === 'dark') return palette.text?.color || '#222222';
    if (kind === 'base') return palette.base || '#ffffff';
    return categoryColor;
}

/** Radius stops of a point collection: its own, else the palette's default. */
export const radiusStops = (palette, collection) => collection?.radius || palette.point?.default_radius || [[0, 5]];

/** A category's fill colour (unknown_color for a category the palette does not know). */
export const categoryColor = (palette, id) => palette.categories?.[id]?.color || palette.unknown_color || '#8c8c8c';

/** A category's outline colour: its `outline` where the fill has too little contrast with the background, else the fill. */
export const outlineColor = (palette, id) => palette.categories?.[id]?.outline || categoryColor(palette, id);

/** Label size never below the palette's minimum (text.min_size_px). */
export const labelPx = (palette, px) => Math.max(palette.text?.min_size_px ?? 0, px);

/**
 * Placement rank of a feature's label within its layer (lower = placed
 * first): palette.label_priority's geom_quality order, then its status order.
 */
export function labelRank(palette, props) {
    const pr = palette.label_priority || {};
    const index = (list, v) => {
        const i = (list || []).indexOf(v);
        return i < 0 ? (list || []).length : i;
    };
    const statuses = pr.status || [];
    return index(pr.geom_quality, props.geom_quality) * (statuses.length + 1) + index(statuses, props.status);
}

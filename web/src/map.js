// The Leaflet map, its panes and scale bar, and the district ("home") view.

import { toLeafletZoom } from './palette.js';

export function createMap(container) {
    const map = L.map(container, {
        // whole zoom levels: vector tiles are drawn for integer zooms, a fractional
        // zoom would scale every tile (and its text) by up to 1.4×
        zoomSnap: 1,
        zoomDelta: 1,
        minZoom: 3,
        maxZoom: 18,
        keyboard: true,
        worldCopyJump: false,
    });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    L.control.scale({ imperial: false, maxWidth: 80 }).addTo(map);
    map.createPane('halo').style.zIndex = '300';
    map.createPane('features').style.zIndex = '350';
    map.getPane('halo').style.pointerEvents = 'none';
    return map;
}

/** The bounds of the first view: the fit collection's extent, else the tiles' bounds (null: neither). */
export function homeBoundsOf(fitCollection, tilejson) {
    const fitBox = fitCollection?.extent?.spatial?.bbox?.[0];
    if (fitBox) return L.latLngBounds([fitBox[1], fitBox[0]], [fitBox[3], fitBox[2]]);
    const b = tilejson.bounds;
    return b ? L.latLngBounds([b[1], b[0]], [b[3], b[2]]) : null;
}

/** Shows the home view; keeps it clear of the legend when the legend is open beside it. */
export function fitHome(map, { homeBounds, legend, palette }, animate = false) {
    const lw = legend.open && map.getSize().x > 700 ? legend.offsetWidth + 12 : 0;
    if (homeBounds) map.fitBounds(homeBounds, { paddingTopLeft: [16, 16], paddingBottomRight: [16 + lw, 16], animate });
    else map.setView([palette.center?.[1] ?? 0, palette.center?.[0] ?? 0], toLeafletZoom(palette.zoom ?? 2), { animate });
}

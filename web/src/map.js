// The Leaflet map, its panes, scale bar and one-line attribution, the
// "what you see" line, and the district ("home") view.

import { toLeafletZoom } from './palette.js';
import { el } from './dom.js';
import { t, text } from './messages.js';

/**
 * Leaflet's attribution on one line (ellipsis when it does not fit) with a
 * button that unfolds it: on a phone the full text took four lines of map.
 */
const OneLineAttribution = L.Control.Attribution.extend({
    onAdd(map) {
        const container = L.Control.Attribution.prototype.onAdd.call(this, map);
        container.classList.add('one-line');
        this._text = el('span', { class: 'attribution-text', id: 'attribution-text' });
        const toggle = el('button', {
            type: 'button', class: 'attribution-toggle', 'aria-expanded': 'false', 'aria-controls': 'attribution-text',
            'aria-label': text('attribution.toggle'), title: text('attribution.toggle'),
        }, el('span', { 'aria-hidden': 'true' }, 'ⓘ'));
        toggle.addEventListener('click', () => {
            const open = container.classList.toggle('expanded');
            toggle.setAttribute('aria-expanded', String(open));
        });
        container.replaceChildren(toggle, this._text);
        this._update();
        return container;
    },
    // as Leaflet's own, but into the text span so that the button stays
    _update() {
        if (!this._map || !this._text) return;
        const attribs = Object.keys(this._attributions).filter((k) => this._attributions[k]);
        const parts = [];
        if (this.options.prefix) parts.push(this.options.prefix);
        if (attribs.length) parts.push(attribs.join(', '));
        this._text.innerHTML = parts.join(' <span aria-hidden="true">|</span> ');
    },
});

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
        // tiles appear at once: the fade animates every tile's opacity frame by frame, and each frame is a
        // compositor commit of the tile canvases (~40 ms each on a machine without a GPU) while the first
        // tiles are still being drawn
        fadeAnimation: false,
        attributionControl: false,
        zoomControl: false,
    });
    L.control.zoom({ zoomInTitle: text('map.zoomIn'), zoomOutTitle: text('map.zoomOut') }).addTo(map);
    new OneLineAttribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' }).addTo(map);
    L.control.scale({ imperial: false, maxWidth: 80 }).addTo(map);
    map.createPane('halo').style.zIndex = '300';
    map.createPane('features').style.zIndex = '350';
    map.getPane('halo').style.pointerEvents = 'none';
    // the controls first in the tab order (right after the map itself), then what is on the map (group markers)
    const controls = map.getContainer().querySelector('.leaflet-control-container');
    map.getContainer().prepend(controls);
    return map;
}

/** The "what you see" line: where this is and what the symbols are, in both languages. Returns update(count). */
export function addSummary(map) {
    const Summary = L.Control.extend({
        options: { position: 'topright' },
        onAdd() {
            const box = el('div', { class: 'summary', id: 'summary' });
            L.DomEvent.disableClickPropagation(box);
            return box;
        },
    });
    const box = new Summary().addTo(map).getContainer();
    const update = (count) => {
        box.replaceChildren(
            el('p', { class: 'summary-place' }, ...t('page.place')),
            count != null ? el('p', { class: 'summary-line' }, ...t('summary.line', { count })) : null,
            count != null ? el('p', { class: 'summary-short' }, ...t('summary.short', { count })) : null,
        );
    };
    update(null);
    return update;
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

// The permalink: the hash follows every move, toggle and popup
// (history.replaceState, no history spam) and is read on load and on hashchange.

import { parseHash, formatHash } from './hash.js';
import { keyOf } from './state.js';

/** The permalink state of the map now (hash.js's format). */
export function hashState({ map, state }) {
    const c = map.getCenter();
    const s = { view: { zoom: map.getZoom(), lat: c.lat, lng: c.lng } };
    if (state.hidden.collection.size) s.layers = state.collectionOrder.filter((id) => !state.hidden.collection.has(id));
    if (state.hidden.category.size) s.cats = state.categories.filter((id) => !state.hidden.category.has(id));
    if (state.basemapChoice) s.basemap = state.basemapChoice;
    if (state.selected) s.selected = state.selected;
    return s;
}

/**
 * app: { map, state, layersChanged(write), setBasemap(choice), choose(ref, opts), closePopup() }
 * Returns writeHash(): writes the hash 100 ms after the last change.
 */
export function initPermalink(app) {
    const { map, state } = app;
    let timer = 0;
    function writeHash() {
        clearTimeout(timer);
        timer = setTimeout(() => {
            const h = formatHash(hashState(app));
            if (h !== location.hash) history.replaceState(null, '', `${location.pathname}${location.search}${h}`);
        }, 100);
    }
    map.on('moveend', writeHash);
    window.addEventListener('hashchange', () => {
        const h = parseHash(location.hash);
        state.applyLayerParams(h);
        app.layersChanged(false);
        if (h.view) map.setView([h.view.lat, h.view.lng], h.view.zoom);
        if ((h.basemap || null) !== state.basemapChoice) app.setBasemap(h.basemap || null);
        if (h.selected && (!state.selected || keyOf(h.selected) !== keyOf(state.selected))) app.choose(h.selected, { fly: !h.view, focus: false }).catch(() => {});
        else if (!h.selected && state.selected) app.closePopup();
    });
    return writeHash;
}

// regiomap web map: Leaflet + protomaps-leaflet drawing the server's vector
// tiles with the rules of /styles/palette.json; search, side panel, layer
// switches, legend and permalink around it.
//
// This module draws the first view as early as it can: it starts every
// request the first view needs, makes the map, the what-you-see line, the
// legend (the district view is fitted beside it) and the data layer (layers.js,
// orientation.js), and only then, once the first features are drawn, loads
// app.js with import(), which wires the rest together through `app`: the
// selection and popups, the permalink, the basemap, the panel's contents, the
// discs and group markers of schematic points, the phone's bottom sheet, the
// locator, search and, when the server takes changes, editing. Every text
// comes from the message catalogue (messages.js). Why this order: the first
// draw waited on ~25 modules and ~0.3 s of wiring before (web/README.md).

import { Style } from './style.js';
import { parseHash } from './hash.js';
import { el, getJSON, isNarrow } from './dom.js';
import { applyMessages, t } from './messages.js';
import { createState } from './state.js';
import { createMap, addSummary, homeBoundsOf, fitHome } from './map.js';
import { createDataLayer } from './layers.js';
import { fetchLocalBasemap } from './basemap.js';
import { initTabs, initPanelToggle } from './panel.js';
import { addLegend } from './legend.js';
import { fetchOrientation } from './orientation.js';

applyMessages();

// Start every request the first view needs at once.
const configP = getJSON('config.json').catch(() => ({}));
const paletteP = getJSON('/styles/palette.json');
const tilejsonP = getJSON('/tiles.json');
const DEFAULT_FIT = 'boundaries'; // config.json's fit_collection, fetched before config.json is in
const fitJSON = (id) => getJSON(`/collections/${encodeURIComponent(id)}`).catch(() => null);
const defaultFitP = fitJSON(DEFAULT_FIT);
const localBasemapP = fetchLocalBasemap(); // the server's own basemap, if it has one (404 otherwise)
const orientationP = fetchOrientation(); // neighbouring districts, central Tianjin: labels only, not features

// What the browser tests (and a curious developer) can reach.
const api = (window.regiomap = { firstFeatureMs: null });

// The panel and its tabs work before the map is in.
const setPanel = initPanelToggle({
    button: document.getElementById('panel-toggle'),
    panel: document.getElementById('panel'),
    onResize: () => api.map?.invalidateSize({ pan: false }),
});
initTabs(document.querySelector('.tabs'));

api.ready = main().catch((e) => {
    const box = document.getElementById('map');
    box.replaceChildren(el('p', { class: 'fatal', role: 'alert' }, ...t('page.fatal', { error: e.message })));
    throw e;
});

async function main() {
    // the map needs none of the first requests: made (and laid out) while they are on their way
    const map = createMap('map');
    api.map = map;
    const updateSummary = addSummary(map);

    const config = await configP;
    const fitCollection = config.fit_collection || DEFAULT_FIT;
    const fitP = fitCollection === DEFAULT_FIT ? defaultFitP : fitJSON(fitCollection);
    const [palette, tilejson] = await Promise.all([paletteP, tilejsonP]);
    const style = new Style(palette);
    document.documentElement.style.setProperty('--font-family', style.fontFamily);
    document.documentElement.style.setProperty('--map-background', style.background);

    const tileLayers = (tilejson.vector_layers || []).map((l) => l.id);
    const state = createState({
        collectionOrder: [...Object.keys(style.collections).filter((id) => tileLayers.length === 0 || tileLayers.includes(id)),
            ...tileLayers.filter((id) => !(id in style.collections))],
        categories: Object.keys(style.categories),
    });
    const initial = parseHash(location.hash);
    state.applyLayerParams(initial);
    state.basemapChoice = initial.basemap || null;

    let firstDrawn;
    const firstDrawnP = new Promise((resolve) => { firstDrawn = resolve; });
    // the legend's swatches just after the first features (or 1.5 s: a view without any)
    style.drawSwatchesAfter(Promise.race([firstDrawnP, new Promise((resolve) => setTimeout(resolve, 1500))]));
    const app = { map, style, palette, config, tilejson, state, setPanel };
    // on a phone the legend and the details share the bottom of the screen: one at a time
    const legend = addLegend(map, style, state.collectionOrder, {
        onToggle: (open) => {
            if (open && isNarrow()) app.closePopup?.();
        },
    });

    // the first view: the permalink's, or the district
    const homeBounds = homeBoundsOf(await fitP, tilejson);
    if (initial.view) map.setView([initial.view.lat, initial.view.lng], initial.view.zoom, { animate: false });
    else fitHome(map, { homeBounds, legend, palette });

    const drawnCollections = new Set();
    app.data = createDataLayer({
        map, style, palette, tilejson, state, orientationP,
        onDraw: (id) => {
            if (api.firstFeatureMs == null) {
                api.firstFeatureMs = performance.now();
                firstDrawn();
            }
            drawnCollections.add(id);
        },
    });
    api.vector = app.data.vector;
    // every tile of the first view drawn (or 1.5 s: a view without features, a slow tile)
    const allTilesDrawn = new Promise((resolve) => {
        const timer = setTimeout(resolve, 1500);
        app.data.vector.once('load', () => {
            clearTimeout(timer);
            resolve();
        });
    });

    // the rest of the page, once the first features are on screen (or the first view's tiles, if it has none)
    await Promise.race([firstDrawnP, allTilesDrawn]);
    app.data.showOrientation();
    const { initApp } = await import('./app.js');
    return initApp(app, {
        api, legend, homeBounds, fitCollection, initial, drawnCollections, updateSummary,
        localBasemapP, orientationP, allTilesDrawn,
    });
}

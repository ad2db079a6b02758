// regiomap web map: Leaflet + protomaps-leaflet drawing the server's vector
// tiles with the rules of /styles/palette.json; search, side panel, layer
// switches, legend and permalink around it.
//
// This module only starts things and wires them together through `app`:
// the state (state.js), the map (map.js), the data layer and picking
// (layers.js), selection and popups (selection.js), the permalink
// (permalink.js), the basemap (basemap.js), the panel (panel.js), the legend
// (legend.js), search (search.js), the uncertainty discs and group markers
// of schematic points (discs.js, groups.js), the phone's bottom sheet
// (sheet.js), the orientation labels (orientation.js) and, when the server takes changes, editing for
// signed-in editors (editing.js, edit_form.js). Every text comes from the message catalogue (messages.js).

import { Style } from './style.js';
import { parseHash } from './hash.js';
import { el, getJSON, isNarrow } from './dom.js';
import { applyMessages, t } from './messages.js';
import { createState, keyOf } from './state.js';
import { createMap, addSummary, homeBoundsOf, fitHome } from './map.js';
import { createDataLayer } from './layers.js';
import { createDiscLayer, groupByArea } from './discs.js';
import { createGroupMarkers } from './groups.js';
import { createSheet } from './sheet.js';
import { initSelection } from './selection.js';
import { initPermalink, hashState } from './permalink.js';
import { initBasemap, fetchLocalBasemap } from './basemap.js';
import { initTabs, initPanelToggle, initPanelContents } from './panel.js';
import { addLegend } from './legend.js';
import { addLocator } from './locator.js';
import { initSearch } from './search.js';
import { fetchOrientation } from './orientation.js';
import { editingOffered, initEditing } from './editing.js';

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

    const map = createMap('map');
    const sheet = createSheet(document.getElementById('sheet'), { beforeOpen: () => { legend.open = false; } });
    const app = { map, style, palette, config, tilejson, state, setPanel, sheet };
    api.map = map;
    const updateSummary = addSummary(map);
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
            if (api.firstFeatureMs == null) api.firstFeatureMs = performance.now();
            drawnCollections.add(id);
        },
    });
    api.vector = app.data.vector;

    app.hashState = () => hashState(app);
    app.layersChanged = (write = true) => {
        app.data.redraw();
        app.discs.update();
        groupMarkers.update();
        panel.syncLayers();
        if (state.selected) {
            const f = state.findFeature(state.selected);
            if (f && !state.isVisible(f.collection, f.properties.category)) app.closePopup();
        }
        if (write) app.writeHash();
    };
    app.writeHash = () => {}; // until the permalink is wired below

    const { basemap, setBasemap } = initBasemap(app, await localBasemapP);
    app.setBasemap = setBasemap;
    api.basemap = basemap;

    app.discs = createDiscLayer(app);
    const selection = initSelection(app);
    Object.assign(app, { choose: selection.choose, closePopup: selection.closePopup });
    api.choose = selection.choose;
    const groupMarkers = createGroupMarkers({
        map, style, state,
        onOpen: (group, members) => {
            if (isNarrow()) legend.open = false;
            selection.openGroup(group, members);
        },
    });

    app.writeHash = initPermalink(app);

    const panel = initPanelContents(app);
    panel.renderLayerSwitches();

    // attribution also in the About pane
    document.getElementById('about-attribution').replaceChildren(...t('about.data', { attribution: tilejson.attribution || '' }).filter(Boolean));
    orientationP.then((fc) => {
        if (fc?.features?.length) {
            document.getElementById('about-attribution').append(' ', ...t('attribution.orientation', { geonames: 'GeoNames', licence: 'CC BY 4.0' }).filter(Boolean));
        }
    });

    // the project list: every item of every collection (small data set; paged requests would serve a large one),
    // fetched once the first tiles are drawn so that it does not compete with them
    await new Promise((resolve) => {
        const timer = setTimeout(resolve, 1500);
        app.data.vector.once('load', () => {
            clearTimeout(timer);
            resolve();
        });
    });
    const lists = await Promise.all(state.collectionOrder.map((id) =>
        getJSON(`/collections/${encodeURIComponent(id)}/items?limit=10000`)
            .then((fc) => (fc.features || []).map((f) => ({ collection: id, id: f.id, properties: f.properties || {}, geometry: f.geometry })))
            .catch(() => [])));
    state.setFeatures(lists.flat());
    for (const f of state.features) selection.cacheItem(f);
    // schematic points that share an area become groups; the district clips their discs
    state.clipArea = state.features.find((f) => f.collection === fitCollection && /Polygon/.test(f.geometry?.type || ''))?.geometry || null;
    state.setGroups(groupByArea(state.features, style));
    app.discs.update();
    groupMarkers.update();
    app.data.redraw();
    updateSummary(state.features.filter((f) => f.collection !== fitCollection).length);
    addLocator(app, () => fitHome(map, { homeBounds, legend, palette }, true))();
    panel.renderList();
    panel.renderLayerSwitches();

    if (initial.selected) {
        selection.choose(initial.selected, { fly: !initial.view, focus: false }).catch(() => {});
    }
    app.writeHash();
    api.features = state.features;
    api.drawnCollections = drawnCollections;
    api.isVisible = (c, cat) => state.isVisible(c, cat);
    api.state = state;
    api.groups = state.groups;
    api.style = style;
    api.pick = (latlng) => app.data.pick(latlng);
    api.discs = () => app.discs.list();

    // Editing, when the server takes changes (it declares OGC API – Features – Part 4)
    if (await editingOffered()) {
        app.editing = initEditing(app, { button: document.getElementById('signin-button'), dialog: document.getElementById('signin-dialog') });
        // signing in or out changes what the open details offer
        app.selectionChanged = () => {
            if (state.selected) selection.choose(state.selected, { fly: false, focus: false }).catch(() => {});
        };
        app.featureSaved = async (stored) => {
            selection.cacheItem(stored);
            state.setFeatures(state.features.map((f) => (keyOf(f) === keyOf(stored) ? stored : f)));
            state.setGroups(groupByArea(state.features, style));
            app.discs.update();
            groupMarkers.update();
            panel.renderList();
            // the tiles as of the new data: their URL carries the data generation
            const [health, tiles] = await Promise.all([
                getJSON('/health', { cache: 'no-store' }).catch(() => ({})),
                getJSON('/tiles.json', { cache: 'no-store' }).catch(() => ({})),
            ]);
            app.data.refresh(tiles.tiles?.[0], health.data_generation ?? Date.now());
            api.generation = health.data_generation;
            const content = selection.openPopup(stored, selection.anchorOf(stored), { focus: true });
            content.prepend(el('p', { class: 'edit-saved', role: 'status' }, ...t('edit.saved').filter(Boolean)));
        };
        api.editing = app.editing;
    }

    initSearch({
        input: document.getElementById('search-input'),
        list: document.getElementById('search-results'),
        status: document.getElementById('search-status'),
        style,
        limit: config.search_limit || 20,
        onChoose: (f) => {
            if (isNarrow()) setPanel(false);
            selection.choose({ collection: f.collection, id: f.id }, { feature: { collection: f.collection, id: f.id, properties: f.properties, geometry: f.geometry } })
                .catch(() => {});
        },
    });
    return api;
}

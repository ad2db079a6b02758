// Everything around the first view, wired once its first features are drawn:
// the basemap choice, selection and popups, the permalink, the panel's
// contents (layer switches, project list), the uncertainty discs and group
// markers of schematic points, the phone's bottom sheet, the locator inset,
// editing and search.
//
// main.js loads this module with import() after the first draw, so that its
// modules (and their requests and compile time) are not on the way to the
// first tiles: on a 2-vCPU machine every module before the tile layer cost
// time (web/README.md, "first draw").

import { el, getJSON, isNarrow } from './dom.js';
import { t } from './messages.js';
import { keyOf } from './state.js';
import { fitHome } from './map.js';
import { createDiscLayer, groupByArea } from './discs.js';
import { createGroupMarkers } from './groups.js';
import { createSheet } from './sheet.js';
import { initSelection } from './selection.js';
import { initPermalink, hashState } from './permalink.js';
import { initBasemap } from './basemap.js';
import { initPanelContents } from './panel.js';
import { addLocator } from './locator.js';
import { initSearch } from './search.js';
import { editingOffered, initEditing } from './editing.js';

/**
 * app: { map, style, palette, config, tilejson, state, setPanel, data } from main.js; this adds the rest.
 * first: what main.js knows of the first view: { api, legend, homeBounds, fitCollection, initial, drawnCollections,
 * updateSummary, localBasemapP, orientationP, allTilesDrawn }. Resolves to api once the app is complete.
 */
export async function initApp(app, first) {
    const { map, style, palette, config, tilejson, state } = app;
    const { api, legend, homeBounds, fitCollection, initial } = first;

    app.sheet = createSheet(document.getElementById('sheet'), { beforeOpen: () => { legend.open = false; } });
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

    const { basemap, setBasemap } = initBasemap(app, await first.localBasemapP);
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
    first.orientationP.then((fc) => {
        if (fc?.features?.length) {
            document.getElementById('about-attribution').append(' ', ...t('attribution.orientation', { geonames: 'GeoNames', licence: 'CC BY 4.0' }).filter(Boolean));
        }
    });

    // the project list: every item of every collection (small data set; paged requests would serve a large one),
    // fetched once the first view's tiles are drawn so that it does not compete with them
    await first.allTilesDrawn;
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
    first.updateSummary(state.features.filter((f) => f.collection !== fitCollection).length);
    addLocator(app, () => fitHome(map, { homeBounds, legend, palette }, true))();
    panel.renderList();
    panel.renderLayerSwitches();

    if (initial.selected) {
        selection.choose(initial.selected, { fly: !initial.view, focus: false }).catch(() => {});
    }
    app.writeHash();
    api.features = state.features;
    api.drawnCollections = first.drawnCollections;
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
            if (isNarrow()) app.setPanel(false);
            selection.choose({ collection: f.collection, id: f.id }, { feature: { collection: f.collection, id: f.id, properties: f.properties, geometry: f.geometry } })
                .catch(() => {});
        },
    });
    return api;
}

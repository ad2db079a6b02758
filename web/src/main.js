// regiomap web map: Leaflet + protomaps-leaflet drawing the server's vector
// tiles with the rules of /styles/palette.json; search, side panel, layer
// switches, legend and permalink around it.

import { Style, toLeafletZoom } from './style.js';
import { FeatureSymbolizer, PointLabelSymbolizer, AreaLabelSymbolizer, lineLabelSymbolizer } from './symbolizers.js';
import { parseHash, formatHash } from './hash.js';
import { popupContent, el } from './popup.js';
import { initSearch } from './search.js';
import { initTabs, renderProjectList, renderSwitches } from './panel.js';
import { Basemap } from './basemap.js';

const getJSON = async (url, options) => {
    const r = await fetch(url, options);
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r.json();
};
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// Start every request the first view needs at once.
const configP = getJSON('config.json').catch(() => ({}));
const paletteP = getJSON('/styles/palette.json');
const tilejsonP = getJSON('/tiles.json');
const DEFAULT_FIT = 'boundaries'; // config.json's fit_collection, fetched before config.json is in
const fitJSON = (id) => getJSON(`/collections/${encodeURIComponent(id)}`).catch(() => null);
const defaultFitP = fitJSON(DEFAULT_FIT);

const api = (window.regiomap = { firstFeatureMs: null });
api.ready = main().catch((e) => {
    const box = document.getElementById('map');
    box.replaceChildren(el('p', { class: 'fatal', role: 'alert' }, `地图无法加载 The map could not be loaded: ${e.message}`));
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

    // ------------------------------------------------------------------ state
    const tileLayers = (tilejson.vector_layers || []).map((l) => l.id);
    const collectionOrder = [...Object.keys(style.collections).filter((id) => tileLayers.length === 0 || tileLayers.includes(id)),
        ...tileLayers.filter((id) => !(id in style.collections))];
    const categories = Object.keys(style.categories);
    const hidden = { collection: new Set(), category: new Set() };
    const isVisible = (collection, category) => !hidden.collection.has(collection) && !hidden.category.has(category);

    const initial = parseHash(location.hash);
    applyLayerParams(initial);

    function applyLayerParams(h) {
        hidden.collection = h.layers ? new Set(collectionOrder.filter((c) => !h.layers.includes(c))) : new Set();
        hidden.category = h.cats ? new Set(categories.filter((c) => !h.cats.includes(c))) : new Set();
    }

    // ------------------------------------------------------------------ map
    const map = L.map('map', {
        // whole zoom levels: vector tiles are drawn for integer zooms, a fractional
        // zoom would scale every tile (and its text) by up to 1.4×
        zoomSnap: 1,
        zoomDelta: 1,
        minZoom: 3,
        maxZoom: 18,
        keyboard: true,
        worldCopyJump: false,
    });
    api.map = map;
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    L.control.scale({ imperial: false, maxWidth: 80 }).addTo(map);
    map.createPane('halo').style.zIndex = '300';
    map.createPane('features').style.zIndex = '350';
    map.getPane('halo').style.pointerEvents = 'none';

    const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    const legend = addLegend(map, style, collectionOrder);

    // the first view: the permalink's, or the district
    const fit = await fitP;
    const fitBox = fit?.extent?.spatial?.bbox?.[0];
    const homeBounds = fitBox
        ? L.latLngBounds([fitBox[1], fitBox[0]], [fitBox[3], fitBox[2]])
        : tilejson.bounds
            ? L.latLngBounds([tilejson.bounds[1], tilejson.bounds[0]], [tilejson.bounds[3], tilejson.bounds[2]])
            : null;
    const fitHome = (animate = false) => {
        // keep the district clear of the legend when it is open beside it
        const lw = legend.open && map.getSize().x > 700 ? legend.offsetWidth + 12 : 0;
        if (homeBounds) map.fitBounds(homeBounds, { paddingTopLeft: [16, 16], paddingBottomRight: [16 + lw, 16], animate });
        else map.setView([palette.center?.[1] ?? 0, palette.center?.[0] ?? 0], toLeafletZoom(palette.zoom ?? 2), { animate });
    };
    if (initial.view) map.setView([initial.view.lat, initial.view.lng], initial.view.zoom, { animate: false });
    else fitHome();

    // ------------------------------------------------------------------ vector tiles
    const drawnCollections = new Set();
    const onDraw = (id) => {
        if (api.firstFeatureMs == null) api.firstFeatureMs = performance.now();
        drawnCollections.add(id);
    };
    const paintRules = collectionOrder.map((id) => ({
        dataLayer: id,
        minzoom: toLeafletZoom(style.collection(id).minzoom ?? -1) || undefined,
        symbolizer: new FeatureSymbolizer(style, id, onDraw),
        filter: (z, f) => isVisible(id, f.props.category),
    }));
    const labelOrder = [...(palette.label_order || collectionOrder)].reverse(); // highest placement priority first
    const labelRules = labelOrder
        .filter((id) => collectionOrder.includes(id) && style.collection(id).label)
        .map((id) => {
            const c = style.collection(id);
            const l = c.label;
            return {
                dataLayer: id,
                minzoom: toLeafletZoom(l.minzoom ?? 0),
                // MapLibre's maxzoom is exclusive, protomaps' inclusive: palette zoom m = Leaflet zoom m + 1, so this is the last Leaflet zoom
                maxzoom: l.maxzoom != null ? l.maxzoom : undefined,
                symbolizer: c.geometry === 'line' ? lineLabelSymbolizer(style, id) : c.geometry === 'polygon' ? new AreaLabelSymbolizer(style, id) : new PointLabelSymbolizer(style, id),
                filter: (z, f) => isVisible(id, f.props.category),
            };
        });
    // not new URL(): it would percent-encode the {z}/{x}/{y} placeholders
    const tileUrl = /^[a-z]+:\/\//i.test(tilejson.tiles[0]) ? tilejson.tiles[0] : `${location.origin}${tilejson.tiles[0].startsWith('/') ? '' : '/'}${tilejson.tiles[0]}`;
    const maxDataZoom = tilejson.maxzoom ?? 14;
    const vector = protomapsL.leafletLayer({
        url: tileUrl,
        maxDataZoom,
        paintRules,
        labelRules,
        pane: 'features',
        attribution: escapeHtml(tilejson.attribution || 'regiomap'),
    });
    vector.addTo(map);
    api.vector = vector;
    const redraw = () => {
        vector.clearLayout();
        vector.rerenderTiles();
    };

    // ------------------------------------------------------------------ basemap
    const basemapNote = document.getElementById('basemap-note');
    const basemapRadios = [...document.querySelectorAll('input[name=basemap]')];
    let basemapChoice = initial.basemap || null;
    const basemap = new Basemap(map, config.basemap, {
        pane: 'tilePane',
        onChange: (b) => {
            basemapNote.textContent = b.note;
            for (const r of basemapRadios) r.checked = r.value === (basemapChoice || (b.active ? 'osm' : 'plain'));
            document.getElementById('basemap-name').textContent = config.basemap?.name || 'OpenStreetMap';
        },
    });
    api.basemap = basemap;
    basemap.apply(basemapChoice);
    for (const r of basemapRadios) {
        r.addEventListener('change', () => {
            if (!r.checked) return;
            basemapChoice = r.value;
            basemap.apply(basemapChoice);
            writeHash();
        });
    }

    // ------------------------------------------------------------------ features: items, picking, highlight
    const itemCache = new Map();
    const keyOf = (ref) => `${ref.collection}/${ref.id}`;
    const itemUrl = (ref) => `/collections/${encodeURIComponent(ref.collection)}/items/${encodeURIComponent(ref.id)}`;
    const getItem = (ref) => {
        const k = keyOf(ref);
        if (!itemCache.has(k)) {
            itemCache.set(k, getJSON(itemUrl(ref)).then((f) => ({ collection: ref.collection, id: f.id ?? ref.id, properties: f.properties || {}, geometry: f.geometry }))
                .catch((e) => {
                    itemCache.delete(k);
                    throw e;
                }));
        }
        return itemCache.get(k);
    };

    const geomRank = { 1: 3, 2: 2, 3: 1 };
    const drawIndex = new Map(collectionOrder.map((id, i) => [id, i]));
    const TOLERANCE = 4;

    /** The feature drawn under a map position: points before lines before areas, the topmost layer first. */
    function pick(latlng) {
        const z = map.getZoom();
        const tz = Math.round(z);
        const dataZoom = Math.min(tz - 1, maxDataZoom);
        if (dataZoom < 0) return null;
        const candidates = vector.queryTileFeaturesDebug(latlng.lng, latlng.lat, 96).get('') || [];
        if (!candidates.length) return null;
        const zf = dataZoom + 1; // data-tile units are Leaflet pixels at this zoom
        const p = map.project(latlng, zf);
        const tx = Math.floor(p.x / 512);
        const ty = Math.floor(p.y / 512);
        const c = { x: p.x - tx * 512, y: p.y - ty * 512 };
        const toScreen = Math.pow(2, z - zf);
        const drawScale = Math.pow(2, z - tz);
        let best = null;
        for (const { feature, layerName } of candidates) {
            const props = feature.props || {};
            if (!isVisible(layerName, props.category)) continue;
            const minzoom = paintRules[drawIndex.get(layerName)]?.minzoom;
            if (minzoom && tz < minzoom) continue;
            let d = 0;
            if (feature.geomType === 1) {
                d = Infinity;
                for (const part of feature.geom) d = Math.min(d, Math.hypot(part[0].x - c.x, part[0].y - c.y));
                d = d * toScreen - style.pointRadius(layerName, tz) * drawScale;
            } else if (feature.geomType === 2) {
                d = distToLines(c, feature.geom) * toScreen - (style.lineWidth(layerName, tz) * drawScale) / 2;
            }
            if (d > TOLERANCE) continue;
            const score = [geomRank[feature.geomType] || 0, drawIndex.get(layerName) ?? -1, -d];
            if (!best || compare(score, best.score) > 0) best = { score, ref: { collection: layerName, id: feature.id }, props, geomType: feature.geomType };
        }
        if (!best) return null;
        if (best.geomType === 1) {
            // the point itself, for the popup anchor
            const f = candidates.find((x) => x.layerName === best.ref.collection && x.feature.id === best.ref.id).feature;
            best.latlng = map.unproject([tx * 512 + f.geom[0][0].x, ty * 512 + f.geom[0][0].y], zf);
        }
        return best;
    }
    const compare = (a, b) => {
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
        return 0;
    };

    const hoverGroup = L.layerGroup().addTo(map);
    const selectGroup = L.layerGroup().addTo(map);

    function haloLayer(feature, strength) {
        const color = style.textColor;
        const z = map.getZoom();
        const tz = Math.round(z);
        const scale = Math.pow(2, z - tz);
        return L.geoJSON(feature.geometry, {
            pane: 'halo',
            interactive: false,
            style: () => {
                if (feature.geometry.type.includes('Polygon')) return { color, weight: 4 + 2 * strength, opacity: 0.35 + 0.25 * strength, fill: false };
                return { color, weight: style.lineWidth(feature.collection, tz) * scale + 5 + 3 * strength, opacity: 0.3 + 0.25 * strength, lineCap: 'round', lineJoin: 'round' };
            },
            pointToLayer: (_, latlng) => L.circleMarker(latlng, {
                pane: 'halo',
                radius: style.pointRadius(feature.collection, tz) * scale + 5 + strength,
                color, weight: 2 + strength, opacity: 0.5 + 0.3 * strength, fillColor: color, fillOpacity: 0.12, interactive: false,
            }),
        });
    }

    let hoverKey = null;
    async function setHover(hit) {
        const k = hit ? keyOf(hit.ref) : null;
        if (k === hoverKey) return;
        hoverKey = k;
        map.getContainer().classList.toggle('feature-hover', Boolean(hit));
        hoverGroup.clearLayers();
        if (!hit || (selected && keyOf(selected) === k)) return;
        try {
            const item = await getItem(hit.ref);
            if (hoverKey === k) hoverGroup.addLayer(haloLayer(item, 0));
        } catch { /* no halo */ }
    }

    let pending = null;
    let lastMouse = null;
    map.on('mousemove', (e) => {
        if (pending == null) {
            pending = requestAnimationFrame(() => {
                pending = null;
                if (map.getContainer().classList.contains('leaflet-drag-target')) return;
                setHover(pick(lastMouse));
            });
        }
        lastMouse = e.latlng;
    });
    map.on('mouseout dragstart zoomstart', () => setHover(null));

    // ------------------------------------------------------------------ selection and popup
    let selected = null;
    let popup = null;
    let returnFocus = null;

    const anchorOf = (geometry) => {
        if (!geometry) return null;
        const c = geometry.coordinates;
        switch (geometry.type) {
        case 'Point': return L.latLng(c[1], c[0]);
        case 'MultiPoint': return L.latLng(c[0][1], c[0][0]);
        case 'LineString': { const m = c[Math.floor(c.length / 2)]; return L.latLng(m[1], m[0]); }
        case 'MultiLineString': { const l = c.reduce((a, b) => (b.length > a.length ? b : a)); const m = l[Math.floor(l.length / 2)]; return L.latLng(m[1], m[0]); }
        default: return L.geoJSON(geometry).getBounds().getCenter();
        }
    };

    function ensureVisible(collection, category) {
        let changed = false;
        if (hidden.collection.delete(collection)) changed = true;
        if (category && hidden.category.delete(category)) changed = true;
        if (changed) layersChanged();
    }

    function flyToFeature(feature) {
        return new Promise((resolve) => {
            const done = () => {
                clearTimeout(timer);
                resolve();
            };
            const timer = setTimeout(() => {
                map.off('moveend', done);
                resolve();
            }, 4000);
            map.once('moveend', done);
            const g = feature.geometry;
            const animate = !reducedMotion;
            const opts = { animate, duration: 0.9 };
            if (g.type === 'Point') {
                const target = L.latLng(g.coordinates[1], g.coordinates[0]);
                const zoom = Math.max(map.getZoom(), 13);
                if (animate) map.flyTo(target, zoom, opts);
                else map.setView(target, zoom, { animate: false });
            } else {
                const b = L.geoJSON(g).getBounds();
                const o = { padding: [48, 48], maxZoom: 14, ...opts };
                if (animate) map.flyToBounds(b, o);
                else map.fitBounds(b, { ...o, animate: false });
            }
        });
    }

    function popupOptions() {
        const { x: w, y: h } = map.getSize();
        const narrow = w <= 700;
        return {
            maxWidth: Math.min(380, w - 48),
            minWidth: Math.min(260, w - 60),
            maxHeight: Math.max(200, Math.round(h * (narrow ? 0.55 : 0.62))),
            // on a phone the popup is as wide as the map: keep it below the zoom buttons
            autoPanPaddingTopLeft: narrow ? [12, 96] : [56, 16],
            autoPanPaddingBottomRight: [16, 16],
            className: 'feature-popup-wrap',
            keepInView: false,
        };
    }

    function openPopup(feature, latlng, { focus = false } = {}) {
        const ref = { collection: feature.collection, id: feature.id };
        selected = ref;
        const content = popupContent(feature, style, {
            item: itemUrl(ref),
            permalink: `${location.pathname}${formatHash(hashState())}`,
        });
        content.tabIndex = -1;
        content.addEventListener('keydown', (e) => {
            if (e.key === 'Escape') {
                e.stopPropagation();
                map.closePopup();
            }
        });
        const p = L.popup(popupOptions()).setLatLng(latlng).setContent(content);
        popup = p;
        p.openOn(map);
        selectGroup.clearLayers();
        hoverGroup.clearLayers();
        hoverKey = null;
        if (feature.geometry) {
            selectGroup.addLayer(haloLayer(feature, 1));
            const u = feature.properties?.uncertainty_m;
            if (feature.geometry.type === 'Point' && Number.isFinite(u) && u > 0) {
                selectGroup.addLayer(L.circle(anchorOf(feature.geometry), {
                    radius: u, pane: 'halo', interactive: false,
                    color: style.categoryColor(feature.properties.category), weight: 1.5, opacity: 0.8, dashArray: '6 5',
                    fillColor: style.categoryColor(feature.properties.category), fillOpacity: 0.06, className: 'uncertainty-circle',
                }));
            }
        }
        writeHash();
        if (focus) {
            returnFocus = document.activeElement;
            content.focus({ preventScroll: true });
        }
    }

    map.on('popupclose', (e) => {
        if (e.popup !== popup) return;
        popup = null;
        selected = null;
        selectGroup.clearLayers();
        writeHash();
        if (returnFocus && document.body.contains(returnFocus)) returnFocus.focus({ preventScroll: true });
        returnFocus = null;
    });

    /** Select a feature known by reference (from search, the panel or the permalink): show its layer, fly, popup. */
    async function choose(ref, { feature = null, fly = true, focus = true } = {}) {
        let f = feature;
        if (!f || !f.geometry) f = await getItem(ref);
        else itemCache.set(keyOf(ref), Promise.resolve(f));
        ensureVisible(f.collection, f.properties?.category);
        if (fly) await flyToFeature(f);
        openPopup(f, anchorOf(f.geometry), { focus });
        return f;
    }
    api.choose = choose;

    map.on('click', async (e) => {
        const hit = pick(e.latlng);
        if (!hit) return;
        const latlng = hit.latlng || e.latlng;
        // the tile has every property; the item adds the full geometry for the halo
        let feature = { ...hit.ref, properties: hit.props, geometry: null };
        try {
            feature = await getItem(hit.ref);
        } catch { /* popup from the tile's properties */ }
        openPopup(feature, latlng);
    });

    // ------------------------------------------------------------------ permalink
    function hashState() {
        const c = map.getCenter();
        const s = { view: { zoom: map.getZoom(), lat: c.lat, lng: c.lng } };
        if (hidden.collection.size) s.layers = collectionOrder.filter((id) => !hidden.collection.has(id));
        if (hidden.category.size) s.cats = categories.filter((id) => !hidden.category.has(id));
        if (basemapChoice) s.basemap = basemapChoice;
        if (selected) s.selected = selected;
        return s;
    }
    let hashTimer = 0;
    function writeHash() {
        clearTimeout(hashTimer);
        hashTimer = setTimeout(() => {
            const h = formatHash(hashState());
            if (h !== location.hash) history.replaceState(null, '', `${location.pathname}${location.search}${h}`);
        }, 100);
    }
    map.on('moveend', writeHash);
    window.addEventListener('hashchange', () => {
        const h = parseHash(location.hash);
        applyLayerParams(h);
        layersChanged(false);
        if (h.view) map.setView([h.view.lat, h.view.lng], h.view.zoom);
        if ((h.basemap || null) !== basemapChoice) {
            basemapChoice = h.basemap || null;
            basemap.apply(basemapChoice);
        }
        if (h.selected && (!selected || keyOf(h.selected) !== keyOf(selected))) choose(h.selected, { fly: !h.view, focus: false }).catch(() => {});
        else if (!h.selected && selected) map.closePopup();
    });

    // ------------------------------------------------------------------ layer switches, legend, list
    const counts = { category: {}, collection: {} };
    let allFeatures = [];
    let groupBy = 'category';
    const listBox = document.getElementById('project-list');

    function renderList() {
        renderProjectList(listBox, allFeatures, style, {
            groupBy, collectionOrder, isVisible,
            onChoose: (f) => {
                if (window.matchMedia('(max-width: 700px)').matches) setPanel(false);
                choose({ collection: f.collection, id: f.id }, { feature: f }).catch(() => {});
            },
        });
    }

    function renderLayerSwitches() {
        renderSwitches({
            categoryBox: document.getElementById('category-switches'),
            collectionBox: document.getElementById('collection-switches'),
            style, collections: collectionOrder, counts,
            isCategoryOn: (id) => !hidden.category.has(id),
            isCollectionOn: (id) => !hidden.collection.has(id),
            onToggle: (kind, id, on) => {
                if (on) hidden[kind].delete(id);
                else hidden[kind].add(id);
                layersChanged();
            },
        });
    }

    function layersChanged(write = true) {
        redraw();
        for (const input of document.querySelectorAll('#category-switches input')) input.checked = !hidden.category.has(input.dataset.category);
        for (const input of document.querySelectorAll('#collection-switches input')) input.checked = !hidden.collection.has(input.dataset.collection);
        for (const b of listBox.querySelectorAll('button.project')) {
            const f = allFeatures.find((x) => x.collection === b.dataset.collection && String(x.id) === b.dataset.id);
            if (f) b.classList.toggle('hidden-layer', !isVisible(f.collection, f.properties.category));
        }
        if (selected) {
            const f = allFeatures.find((x) => x.collection === selected.collection && String(x.id) === String(selected.id));
            if (f && !isVisible(f.collection, f.properties.category)) map.closePopup();
        }
        if (write) writeHash();
    }

    document.getElementById('show-all').addEventListener('click', () => {
        hidden.collection.clear();
        hidden.category.clear();
        layersChanged();
    });
    for (const r of document.querySelectorAll('input[name=group-by]')) {
        r.addEventListener('change', () => {
            if (r.checked) {
                groupBy = r.value;
                renderList();
            }
        });
    }

    renderLayerSwitches();

    // attribution also in the About pane
    document.getElementById('about-attribution').textContent = `Data: ${tilejson.attribution || ''}`;

    // the project list: every item of every collection (small data set; paged requests would serve a large one),
    // fetched once the first tiles are drawn so that it does not compete with them
    await new Promise((resolve) => {
        const timer = setTimeout(resolve, 1500);
        vector.once('load', () => {
            clearTimeout(timer);
            resolve();
        });
    });
    const lists = await Promise.all(collectionOrder.map((id) =>
        getJSON(`/collections/${encodeURIComponent(id)}/items?limit=10000`)
            .then((fc) => (fc.features || []).map((f) => ({ collection: id, id: f.id, properties: f.properties || {}, geometry: f.geometry })))
            .catch(() => [])));
    allFeatures = lists.flat();
    for (const f of allFeatures) {
        itemCache.set(keyOf(f), Promise.resolve(f));
        counts.collection[f.collection] = (counts.collection[f.collection] || 0) + 1;
        const cat = f.properties.category;
        counts.category[cat] = (counts.category[cat] || 0) + 1;
    }
    renderList();
    renderLayerSwitches();

    if (initial.selected) {
        choose(initial.selected, { fly: !initial.view, focus: false }).catch(() => {});
    }
    writeHash();
    api.features = allFeatures;
    api.drawnCollections = drawnCollections;
    api.isVisible = isVisible;
    return api;
}

function distToLines(p, lines) {
    let best = Infinity;
    for (const line of lines) {
        for (let i = 0; i + 1 < line.length; i++) {
            const a = line[i];
            const b = line[i + 1];
            const dx = b.x - a.x;
            const dy = b.y - a.y;
            const l2 = dx * dx + dy * dy;
            let t = l2 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0;
            t = Math.max(0, Math.min(1, t));
            best = Math.min(best, Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)));
        }
    }
    return best;
}

// ---------------------------------------------------------------------- legend
function addLegend(map, style, collectionOrder) {
    const Legend = L.Control.extend({
        options: { position: 'bottomright' },
        onAdd() {
            const narrow = window.matchMedia('(max-width: 700px)').matches;
            const box = el('details', { class: 'legend leaflet-bar', open: !narrow });
            box.append(el('summary', {}, '图例 Legend'));
            const pointColl = collectionOrder.find((id) => style.collection(id).geometry === 'point' && id === 'industry')
                || collectionOrder.find((id) => style.collection(id).geometry === 'point');
            const lineColl = collectionOrder.find((id) => style.collection(id).geometry === 'line');
            const pointCat = style.collection(pointColl).categories?.[0];
            const lineCat = style.collection(lineColl).categories?.[0];

            const cats = el('ul', { class: 'legend-list' });
            for (const [id, c] of Object.entries(style.categories)) {
                cats.append(el('li', { title: c.description_en || '' }, el('span', { class: 'dot', style: `background:${c.color}`, 'aria-hidden': 'true' }),
                    el('span', { lang: 'zh-Hans' }, c.label_zh || ''), ' ', el('span', { lang: 'en', class: 'en' }, c.label_en || id)));
            }
            const statuses = el('ul', { class: 'legend-list' });
            for (const [id, s] of Object.entries(style.statuses)) {
                statuses.append(el('li', { title: s.description_en || '' },
                    style.swatch(pointColl, { category: pointCat, status: id, geom_quality: 'surveyed' }, { width: 18, height: 16, z: 15 }),
                    style.swatch(lineColl, { category: lineCat, status: id, geom_quality: 'surveyed' }, { width: 26, height: 16, z: 14 }),
                    el('span', { lang: 'zh-Hans' }, s.label_zh || ''), ' ', el('span', { lang: 'en', class: 'en' }, s.label_en || id)));
            }
            const qualities = el('ul', { class: 'legend-list' });
            for (const [id, q] of Object.entries(style.qualities)) {
                qualities.append(el('li', { title: q.description_en || '' },
                    style.swatch(pointColl, { category: pointCat, status: 'planned', geom_quality: id }, { width: 18, height: 16, z: 15 }),
                    style.swatch(lineColl, { category: lineCat, status: 'completed', geom_quality: id }, { width: 26, height: 16, z: 14 }),
                    el('span', { lang: 'zh-Hans' }, q.label_zh || ''), ' ', el('span', { lang: 'en', class: 'en' }, q.label_en || id)));
            }
            box.append(
                el('h3', {}, '类别 Category'), cats,
                el('h3', {}, '2020 状态 Status (fill)'), statuses,
                el('h3', {}, '位置可信度 Position (outline)'), qualities,
            );
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            return box;
        },
    });
    const control = new Legend().addTo(map);
    return control.getContainer();
}

// ---------------------------------------------------------------------- panel toggle, tabs, search (no map needed)
const panelToggle = document.getElementById('panel-toggle');
function setPanel(open) {
    document.body.classList.toggle('panel-closed', !open);
    panelToggle.setAttribute('aria-expanded', String(open));
    setTimeout(() => window.regiomap.map?.invalidateSize({ pan: false }), 260);
}
setPanel(!window.matchMedia('(max-width: 700px)').matches);
panelToggle.addEventListener('click', () => setPanel(document.body.classList.contains('panel-closed')));
// on a phone the panel covers half the map: Escape closes it and gives the focus back to its button
document.getElementById('panel').addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && window.matchMedia('(max-width: 700px)').matches) {
        setPanel(false);
        panelToggle.focus();
    }
});
initTabs(document.querySelector('.tabs'));

api.ready.then(async () => {
    const style = new Style(await paletteP);
    const config = await configP;
    initSearch({
        input: document.getElementById('search-input'),
        list: document.getElementById('search-results'),
        status: document.getElementById('search-status'),
        style,
        limit: config.search_limit || 20,
        onChoose: (f) => {
            if (window.matchMedia('(max-width: 700px)').matches) setPanel(false);
            window.regiomap.choose({ collection: f.collection, id: f.id }, { feature: { collection: f.collection, id: f.id, properties: f.properties, geometry: f.geometry } })
                .catch(() => {});
        },
    });
}).catch(() => {});

// Features as the user points at them: the item cache (OGC API items), hover
// and selection halos, the popup with its uncertainty circle, and choosing a
// feature from search, the list or the permalink (fly there, open its popup).

import { popupContent } from './popup.js';
import { formatHash } from './hash.js';
import { getJSON } from './dom.js';
import { keyOf } from './state.js';

export const itemUrl = (ref) => `/collections/${encodeURIComponent(ref.collection)}/items/${encodeURIComponent(ref.id)}`;

/** Anchor of a popup on a geometry: the point, the middle vertex of a line, the centre of an area. */
export function anchorOf(geometry) {
    if (!geometry) return null;
    const c = geometry.coordinates;
    switch (geometry.type) {
    case 'Point': return L.latLng(c[1], c[0]);
    case 'MultiPoint': return L.latLng(c[0][1], c[0][0]);
    case 'LineString': { const m = c[Math.floor(c.length / 2)]; return L.latLng(m[1], m[0]); }
    case 'MultiLineString': { const l = c.reduce((a, b) => (b.length > a.length ? b : a)); const m = l[Math.floor(l.length / 2)]; return L.latLng(m[1], m[0]); }
    default: return L.geoJSON(geometry).getBounds().getCenter();
    }
}

/**
 * app: { map, style, state, data: { pick }, hashState(), writeHash(), layersChanged() }
 * Returns { getItem, cacheItem, openPopup, choose }.
 */
export function initSelection(app) {
    const { map, style, state } = app;
    const reducedMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

    // ------------------------------------------------------------ items
    const itemCache = new Map();
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
    const cacheItem = (f) => itemCache.set(keyOf(f), Promise.resolve(f));

    // ------------------------------------------------------------ halos
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
        if (!hit || (state.selected && keyOf(state.selected) === k)) return;
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
                setHover(app.data.pick(lastMouse));
            });
        }
        lastMouse = e.latlng;
    });
    map.on('mouseout dragstart zoomstart', () => setHover(null));

    // ------------------------------------------------------------ popup
    let popup = null;
    let returnFocus = null;

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
        state.selected = ref;
        const content = popupContent(feature, style, {
            item: itemUrl(ref),
            permalink: `${location.pathname}${formatHash(app.hashState())}`,
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
        app.writeHash();
        if (focus) {
            returnFocus = document.activeElement;
            content.focus({ preventScroll: true });
        }
    }

    map.on('popupclose', (e) => {
        if (e.popup !== popup) return;
        popup = null;
        state.selected = null;
        selectGroup.clearLayers();
        app.writeHash();
        if (returnFocus && document.body.contains(returnFocus)) returnFocus.focus({ preventScroll: true });
        returnFocus = null;
    });

    /** Select a feature known by reference (from search, the panel or the permalink): show its layer, fly, popup. */
    async function choose(ref, { feature = null, fly = true, focus = true } = {}) {
        let f = feature;
        if (!f || !f.geometry) f = await getItem(ref);
        else cacheItem(f);
        ensureVisible(f.collection, f.properties?.category);
        if (fly) await flyToFeature(f);
        openPopup(f, anchorOf(f.geometry), { focus });
        return f;
    }

    function ensureVisible(collection, category) {
        let changed = false;
        if (state.hidden.collection.delete(collection)) changed = true;
        if (category && state.hidden.category.delete(category)) changed = true;
        if (changed) app.layersChanged();
    }

    map.on('click', async (e) => {
        const hit = app.data.pick(e.latlng);
        if (!hit) return;
        const latlng = hit.latlng || e.latlng;
        // the tile has every property; the item adds the full geometry for the halo
        let feature = { ...hit.ref, properties: hit.props, geometry: null };
        try {
            feature = await getItem(hit.ref);
        } catch { /* popup from the tile's properties */ }
        openPopup(feature, latlng);
    });

    return { getItem, cacheItem, openPopup, choose, closePopup: () => map.closePopup() };
}

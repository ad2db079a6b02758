// Features as the user points at them: the item cache (OGC API items), hover
// and selection halos, the details of a feature with its uncertainty circle
// (a popup on a desktop, a bottom sheet on a phone), the list of a group of
// schematic points, and choosing a feature from search, the list or the
// permalink (fly there, open its details).

import { popupContent } from './popup.js';
import { groupContent } from './groups.js';
import { formatHash } from './hash.js';
import { getJSON, isNarrow } from './dom.js';
import { keyOf } from './state.js';
import { text } from './messages.js';

export const itemUrl = (ref) => `/collections/${encodeURIComponent(ref.collection)}/items/${encodeURIComponent(ref.id)}`;

/** Anchor of a popup on a geometry: the point, the middle vertex of a line, the centre of an area. */
export function anchorOfGeometry(geometry) {
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
 * app: { map, style, state, data: { pick }, discs: { setSelected }, sheet, hashState(), writeHash(), layersChanged() }
 * Returns { getItem, cacheItem, openPopup, openGroup, choose, closePopup }.
 */
export function initSelection(app) {
    const { map, style, state, sheet } = app;
    /** Where a feature's details point: its group's marker for a grouped schematic point, else its geometry. */
    const anchorOf = (f) => {
        const g = state.groupOf.get(keyOf(f));
        return g ? L.latLng(g.center[1], g.center[0]) : anchorOfGeometry(f.geometry);
    };
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
        if (state.groupOf.has(keyOf(feature))) return null; // its drawn position is the group's marker
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
            const halo = haloLayer(item, 0);
            if (hoverKey === k && halo) hoverGroup.addLayer(halo);
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

    // ------------------------------------------------------------ details: popup or sheet
    let popup = null; // the open L.Popup (desktop)
    let returnFocus = null; // where the focus goes when the details close

    function flyTo(feature) {
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
            const grouped = state.groupOf.get(keyOf(feature));
            if (grouped || g.type === 'Point') {
                const target = anchorOf(feature);
                // a group stands for an area: show it whole (at most the district view), a point up close
                const zoom = grouped ? Math.max(map.getZoom(), Math.min(12, map.getBoundsZoom(L.latLng(target).toBounds(grouped.radius)))) : Math.max(map.getZoom(), 13);
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
        return {
            maxWidth: Math.min(380, w - 48),
            minWidth: Math.min(260, w - 60),
            maxHeight: Math.max(200, Math.round(h * 0.62)),
            autoPanPaddingTopLeft: [56, 100], // clear of the zoom buttons and the what-you-see line
            autoPanPaddingBottomRight: [16, 16],
            className: 'feature-popup-wrap',
            keepInView: false,
        };
    }

    /** Shows details content at latlng: a popup on a desktop, the bottom sheet on a phone. */
    function present(content, latlng, { focus, invoker = null }) {
        const wasOpen = Boolean(popup) || sheet.isOpen;
        const focusInside = wasOpen && (popup?.getElement()?.contains(document.activeElement) || sheet.contains(document.activeElement));
        if (focus && !focusInside) returnFocus = invoker || document.activeElement;
        else if (!focusInside) returnFocus = null;
        content.tabIndex = -1;
        if (isNarrow()) {
            if (popup) closeQuietly();
            sheet.open(content);
            // keep the anchor clear of the sheet
            const pt = map.latLngToContainerPoint(latlng);
            const free = map.getSize().y - sheet.height() - 24;
            if (pt.y > free || pt.y < 24) map.panBy([0, pt.y - Math.max(24, free / 2)], { animate: !reducedMotion });
        } else {
            if (sheet.isOpen) sheet.close({ silent: true });
            const p = L.popup(popupOptions()).setLatLng(latlng).setContent(content);
            popup = p;
            p.openOn(map);
            // content that grows after it is shown (the edit form, an answer of the server) is laid out again:
            // scrolled within the popup's height and panned into view, never pushed off the map
            content.addEventListener('detailschange', () => {
                if (popup === p) p.update();
            });
            const node = p.getElement();
            // Escape closes the popup wherever the focus is inside it (the close button too)
            node.addEventListener('keydown', (e) => {
                if (e.key === 'Escape') {
                    e.stopPropagation();
                    map.closePopup(p);
                }
            });
            const close = node.querySelector('.leaflet-popup-close-button');
            if (close) {
                close.setAttribute('aria-label', text('popup.close'));
                close.title = text('popup.close');
                close.setAttribute('role', 'button');
            }
        }
        if (focus || focusInside) content.focus({ preventScroll: true });
    }

    /** Closes the desktop popup without treating it as the end of the selection (another opens). */
    function closeQuietly() {
        const p = popup;
        popup = null;
        if (p) map.closePopup(p);
    }

    function closed() {
        state.selected = null;
        selectGroup.clearLayers();
        app.discs?.setSelected(null);
        app.writeHash();
        const target = returnFocus;
        returnFocus = null;
        if (target && document.body.contains(target)) {
            // the invoker may be hidden now (a phone's list closes when a project is chosen): its panel's button instead
            const visible = target.checkVisibility ? target.checkVisibility() : target.offsetParent !== null;
            (visible ? target : document.getElementById('panel-toggle')).focus({ preventScroll: true });
        }
    }

    map.on('popupclose', (e) => {
        if (e.popup !== popup) return;
        popup = null;
        closed();
    });
    sheet.onClose(() => closed());
    // Escape on the map closes a sheet too (Leaflet does it for popups)
    map.getContainer().addEventListener('keydown', (e) => {
        if (e.key === 'Escape' && sheet.isOpen) sheet.close();
    });

    function openPopup(feature, latlng, { focus = false, invoker = null } = {}) {
        const ref = { collection: feature.collection, id: feature.id };
        state.selected = ref;
        const content = popupContent(feature, style, {
            item: itemUrl(ref),
            permalink: `${location.pathname}${formatHash(app.hashState())}`,
        });
        app.editing?.decorate(content, feature); // its last change; the edit button for a signed-in editor
        const anchor = state.groupOf.has(keyOf(ref)) ? anchorOf(feature) : latlng;
        present(content, anchor, { focus, invoker });
        selectGroup.clearLayers();
        hoverGroup.clearLayers();
        hoverKey = null;
        app.discs?.setSelected(ref);
        if (feature.geometry) {
            const halo = haloLayer(feature, 1);
            if (halo) selectGroup.addLayer(halo);
            const u = feature.properties?.uncertainty_m;
            if (feature.geometry.type === 'Point' && Number.isFinite(u) && u > 0) {
                selectGroup.addLayer(L.circle(anchorOf(feature), {
                    radius: u, pane: 'halo', interactive: false,
                    color: style.outlineColor(feature.properties.category), weight: 1.5, opacity: 0.8, dashArray: '6 5',
                    fill: false, className: 'uncertainty-circle',
                }));
            }
        }
        app.writeHash();
        return content;
    }

    /** The list of a group of schematic points that share an area. */
    function openGroup(group, members, { focus = true } = {}) {
        const content = groupContent(group, members, style, (f) => openPopup(f, anchorOf(f), { focus: true }));
        state.selected = null;
        selectGroup.clearLayers();
        app.discs?.setSelected({ collection: members[0].collection, id: members[0].id });
        present(content, L.latLng(group.center[1], group.center[0]), { focus });
        app.writeHash();
    }

    /** Select a feature known by reference (from search, the panel or the permalink): show its layer, fly, popup. */
    async function choose(ref, { feature = null, fly = true, focus = true, invoker = null } = {}) {
        let f = feature;
        if (!f || !f.geometry) f = await getItem(ref);
        else cacheItem(f);
        ensureVisible(f.collection, f.properties?.category);
        if (fly) await flyTo(f);
        openPopup(f, anchorOf(f), { focus, invoker });
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
        if (!hit || state.groupOf.has(keyOf(hit.ref))) {
            // a tap beside every feature closes the sheet, as a click closes a Leaflet popup
            if (sheet.isOpen) sheet.close();
            return;
        }
        const latlng = hit.latlng || e.latlng;
        // the tile has every property; the item adds the full geometry for the halo
        let feature = { ...hit.ref, properties: hit.props, geometry: null };
        try {
            feature = await getItem(hit.ref);
        } catch { /* popup from the tile's properties */ }
        openPopup(feature, latlng);
    });

    const closePopup = () => {
        if (popup) map.closePopup(popup);
        if (sheet.isOpen) sheet.close();
    };
    return { getItem, cacheItem, openPopup, openGroup, choose, closePopup, anchorOf };
}

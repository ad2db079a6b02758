// The group marker of schematic points that share an area (discs.js finds
// them): one numbered, focusable marker at the middle of their positions;
// activating it opens the list of its projects (groupContent), from which
// each project's own details open.

import { el } from './dom.js';
import { t, text, pair } from './messages.js';
import { formatDistance } from './popup.js';

/** app: { map, style, state }; onOpen(group, marker) when a marker is activated. Returns { update() }. */
export function createGroupMarkers({ map, style, state, onOpen }) {
    const layer = L.layerGroup().addTo(map);
    function update() {
        layer.clearLayers();
        for (const g of state.groups) {
            const members = g.members.filter((f) => state.isVisible(f.collection, f.properties.category));
            if (!members.length) continue;
            const colors = [...new Set(members.map((f) => f.properties.category))];
            const html = `<span class="group-count">${members.length}</span>${colors.map((c) => `<span class="group-dot" style="background:${style.categoryColor(c)};border-color:${style.outlineColor(c)}"></span>`).join('')}`;
            const marker = L.marker([g.center[1], g.center[0]], {
                icon: L.divIcon({ className: 'group-marker', html, iconSize: [28 + 10 * colors.length, 28], iconAnchor: [(28 + 10 * colors.length) / 2, 14] }),
                keyboard: true,
                riseOnHover: true,
            });
            marker.on('add', () => {
                const node = marker.getElement();
                node.setAttribute('aria-label', text('group.marker', { n: members.length }));
                node.title = text('group.marker', { n: members.length });
                node.dataset.group = g.id;
                // Leaflet's markers take the focus but do nothing on Enter: open the list as a button would
                node.addEventListener('keydown', (e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        e.stopPropagation();
                        onOpen(g, members);
                    }
                });
            });
            marker.on('click', () => onOpen(g, members));
            layer.addLayer(marker);
        }
    }
    return { update };
}

/** The list of a group's projects; onChoose(feature) opens one. */
export function groupContent(group, members, style, onChoose) {
    const titleId = `popup-title-${group.id}`;
    const root = el('article', { class: 'feature-popup group-popup', 'data-group': group.id, 'aria-labelledby': titleId });
    root.append(el('h2', { class: 'popup-title', id: titleId }, ...t('popup.group', { n: members.length })));
    root.append(el('p', { class: 'group-why' }, ...t('popup.groupWhy', { distance: formatDistance(group.radius) })));
    const list = el('ul', { class: 'projects group-list' });
    for (const f of members) {
        const p = f.properties;
        const st = style.status(p.status);
        const button = el('button', { type: 'button', class: 'project', 'data-collection': f.collection, 'data-id': String(f.id) },
            el('span', { class: 'dot', style: `background:${style.categoryColor(p.category)};border-color:${style.outlineColor(p.category)}`, 'aria-hidden': 'true' }),
            el('span', { class: 'project-text' },
                el('span', { class: 'name-zh', lang: 'zh-Hans' }, p.name_zh || p.name_en || String(f.id)),
                el('span', { class: 'name-en', lang: 'en' }, p.name_en || ''),
                el('span', { class: 'tags' }, el('span', { class: 'tag' }, ...pair(st.label_zh, st.label_en || p.status || '')))));
        button.addEventListener('click', () => onChoose(f));
        list.append(el('li', {}, button));
    }
    root.append(list);
    return root;
}

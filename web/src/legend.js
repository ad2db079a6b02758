// The legend: every category, status and position quality of the palette,
// each with a swatch drawn by the map's own drawing code, and the rule of
// schematic places (discs, groups) in both languages. Beside the map on a
// desktop; a bottom sheet when opened on a phone.

import { el, isNarrow } from './dom.js';
import { t, pair } from './messages.js';

export function addLegend(map, style, collectionOrder, { onToggle } = {}) {
    const Legend = L.Control.extend({
        options: { position: 'bottomright' },
        onAdd() {
            const box = el('details', { class: 'legend leaflet-bar', open: !isNarrow() });
            box.append(el('summary', {}, el('h2', { class: 'legend-title' }, ...t('legend.title'))));
            const pointColl = collectionOrder.find((id) => style.collection(id).geometry === 'point' && id === 'industry')
                || collectionOrder.find((id) => style.collection(id).geometry === 'point');
            const lineColl = collectionOrder.find((id) => style.collection(id).geometry === 'line');
            const pointCat = style.collection(pointColl).categories?.[0];
            const lineCat = style.collection(lineColl).categories?.[0];
            const item = (...children) => el('li', {}, ...children);

            const cats = el('ul', { class: 'legend-list' });
            for (const [id, c] of Object.entries(style.categories)) {
                cats.append(item(el('span', { class: 'dot', style: `background:${c.color};border-color:${style.outlineColor(id)}`, 'aria-hidden': 'true' }),
                    ...pair(c.label_zh, c.label_en || id)));
            }
            const statuses = el('ul', { class: 'legend-list' });
            for (const [id, s] of Object.entries(style.statuses)) {
                statuses.append(item(
                    style.swatch(pointColl, { category: pointCat, status: id, geom_quality: 'surveyed' }, { width: 18, height: 16, z: 15 }),
                    style.swatch(lineColl, { category: lineCat, status: id, geom_quality: 'surveyed' }, { width: 26, height: 16, z: 14 }),
                    ...pair(s.label_zh, s.label_en || id)));
            }
            // position quality: what each point symbol means, then the group marker and the lines
            const props = (q) => ({ category: pointCat, status: 'under_construction', geom_quality: q });
            const r = Math.min(5, style.pointRadius(pointColl, 14));
            const qualities = el('ul', { class: 'legend-list legend-quality' });
            for (const [id, q] of Object.entries(style.qualities)) {
                const symbol = q.point_symbol || 'point';
                const sw = style.canvasSwatch(34, 22, (ctx, w, h) => {
                    if (symbol !== 'point') style.drawDisc(ctx, w / 2, h / 2, symbol === 'disc' ? 10.5 : 7, props(id), { quiet: symbol !== 'disc' });
                    style.drawPoint(ctx, w / 2, h / 2, props(id), pointColl, 14, r);
                });
                const key = `legend.${id}`;
                qualities.append(item(sw, el('span', { class: 'legend-text' },
                    ...pair(q.label_zh, q.label_en || id), el('br'),
                    el('span', { class: 'legend-note' }, ...(['surveyed', 'approximate', 'schematic'].includes(id) ? t(key) : [])))));
            }
            qualities.append(item(el('span', { class: 'group-marker legend-group', 'aria-hidden': 'true' }, el('span', { class: 'group-count' }, '3')),
                el('span', { class: 'legend-text' }, ...t('legend.group'))));
            qualities.append(item(style.swatch(lineColl, { category: lineCat, status: 'completed', geom_quality: 'schematic' }, { width: 26, height: 16, z: 14 }),
                el('span', { class: 'legend-text' }, ...t('legend.lines'))));
            box.append(
                el('h3', {}, ...t('legend.category')), cats,
                el('h3', {}, ...t('legend.status')), statuses,
                el('h3', {}, ...t('legend.position')), qualities,
            );
            box.addEventListener('toggle', () => onToggle?.(box.open));
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            return box;
        },
    });
    const control = new Legend().addTo(map);
    return control.getContainer();
}

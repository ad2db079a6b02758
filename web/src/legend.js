// The legend: every category, status and position quality of the palette,
// each with a swatch drawn by the map's own drawing code.

import { el } from './dom.js';

export function addLegend(map, style, collectionOrder) {
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

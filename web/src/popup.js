// The popup of one feature: names, what is done in 2020, the article's own
// sentence, and how far to trust the drawn position. Built as DOM nodes (no
// innerHTML with data in it).

import { el } from './dom.js';

// Properties the popup shows in its own rows; the rest go under "All attributes".
const SHOWN = new Set([
    'id', 'name_zh', 'name_en', 'category', 'kind', 'action', 'status', 'target_year',
    'source_quote', 'geom_quality', 'geom_source', 'uncertainty_m', 'length_km', 'area_km2',
]);

/** 2000 → '2 km', 1500 → '1.5 km', 100 → '100 m' */
export function formatDistance(m) {
    if (!Number.isFinite(m)) return '';
    if (m >= 1000) return `${Math.round(m / 100) / 10} km`;
    return `${Math.round(m)} m`;
}

const humanKind = (kind) => (kind ? String(kind).replace(/_/g, ' ') : '—');

function bilingual(zh, en) {
    return [zh ? el('span', { lang: 'zh-Hans' }, zh) : null, zh && en ? ' ' : null, en ? el('span', { lang: 'en', class: 'en' }, en) : null];
}

function row(label, ...value) {
    return el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, ...value));
}

/**
 * feature: { collection, id, properties }
 * style: Style, links: { item: url, permalink: url }
 */
export function popupContent(feature, style, links = {}) {
    const p = feature.properties || {};
    const cat = style.categories[p.category];
    const st = style.status(p.status);
    const q = style.quality(p.geom_quality);
    const coll = style.collection(feature.collection);

    const root = el('article', { class: 'feature-popup', 'data-collection': feature.collection, 'data-id': String(feature.id) });
    root.append(
        el('h2', { class: 'popup-title' }, el('span', { lang: 'zh-Hans', class: 'name-zh' }, p.name_zh || p.name_en || `${feature.collection} ${feature.id}`)),
    );
    if (p.name_en) root.append(el('p', { class: 'name-en', lang: 'en' }, p.name_en));

    const table = el('table', { class: 'attrs' });
    table.append(
        row('类别 Category', el('span', { class: 'dot', style: `background:${style.categoryColor(p.category)}`, 'aria-hidden': 'true' }),
            ...bilingual(cat?.label_zh, cat?.label_en || p.category || '—')),
        row('类型 Kind', humanKind(p.kind)),
        row('行动 Action', p.action || '—'),
        row('状态 Status', ...bilingual(st.label_zh, st.label_en || p.status || '—'), p.status && !style.statuses[p.status] ? ` (${p.status})` : null),
        row('目标年份 Target year', p.target_year != null ? String(p.target_year) : '—'),
    );
    if (p.length_km != null) table.append(row('长度 Length', `${p.length_km} km${p.geom_quality === 'schematic' ? ' (drawn, not real)' : ''}`));
    if (p.area_km2 != null) table.append(row('面积 Area', `${p.area_km2} km²`));
    table.append(row('图层 Layer', ...bilingual(coll.title_zh, coll.title_en || feature.collection)));
    root.append(table);

    if (p.source_quote) {
        root.append(
            el('figure', { class: 'quote' },
                el('blockquote', { lang: 'zh-Hans' }, p.source_quote),
                el('figcaption', {}, '原文 The article: 津云, 2020-01-18, district head interview')),
        );
    }

    const quality = el('section', { class: `quality quality-${p.geom_quality || 'unknown'}` },
        el('h3', {}, '位置 Position: ', ...bilingual(q.label_zh, q.label_en || p.geom_quality || 'unknown')),
        el('p', { lang: 'en' }, q.description_en || ''),
    );
    if (q.description_zh) quality.append(el('p', { lang: 'zh-Hans' }, q.description_zh));
    if (p.uncertainty_m != null) {
        quality.append(
            el('p', { class: 'uncertainty' },
                el('strong', {}, `误差半径 Uncertainty radius: ±${formatDistance(p.uncertainty_m)}`),
                ' — the real place is believed to lie within this distance of the drawn one',
                coll.geometry === 'point' ? ' (the dashed circle on the map).' : '.'),
        );
    }
    if (!p.geom_quality) quality.append(el('p', {}, 'No geom_quality given: drawn as schematic.'));
    if (p.geom_source) {
        quality.append(el('details', { class: 'source' }, el('summary', {}, '位置来源 Where the shape came from'), el('p', {}, p.geom_source)));
    }
    root.append(quality);

    const extra = Object.entries(p).filter(([k, v]) => !SHOWN.has(k) && v != null);
    if (extra.length) {
        const t = el('table', { class: 'attrs extra' });
        for (const [k, v] of extra) t.append(row(k, String(v)));
        root.append(el('details', { class: 'more' }, el('summary', {}, `全部属性 All attributes (${extra.length} more)`), t));
    }

    const foot = el('p', { class: 'popup-links' });
    if (links.permalink) foot.append(el('a', { href: links.permalink, class: 'permalink' }, '链接 Link to this view'));
    if (links.item) foot.append(links.permalink ? ' · ' : '', el('a', { href: links.item, type: 'application/geo+json' }, 'GeoJSON'));
    if (p.id) foot.append(' · ', el('code', {}, p.id));
    root.append(foot);
    return root;
}

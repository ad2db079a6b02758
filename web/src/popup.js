// The details of one feature (shown in a popup on a desktop, in a bottom
// sheet on a phone): names, what is done in 2020, the article's own sentence,
// and how far to trust the drawn position. Built as DOM nodes (no innerHTML
// with data in it); every label in both languages (messages.js).

import { el } from './dom.js';
import { t, pair, kindPair, actionPair } from './messages.js';

// Properties the popup shows in its own rows; the rest go under "All attributes".
const SHOWN = new Set([
    'id', 'name_zh', 'name_en', 'category', 'kind', 'action', 'status', 'status_date', 'target_year',
    'source_quote', 'geom_quality', 'geom_source', 'uncertainty_m', 'length_km', 'area_km2',
]);

/** 2000 → '2 km', 1500 → '1.5 km', 100 → '100 m' */
export function formatDistance(m) {
    if (!Number.isFinite(m)) return '';
    if (m >= 1000) return `${Math.round(m / 100) / 10} km`;
    return `${Math.round(m)} m`;
}

function row(labelKey, ...value) {
    return el('tr', {}, el('th', { scope: 'row' }, ...t(labelKey)), el('td', {}, ...value));
}

/** "2020-06-10" (or a date-time) → "2020-06-10"; anything else as it is. */
const formatDate = (d) => (/^\d{4}-\d{2}-\d{2}/.test(String(d)) ? String(d).slice(0, 10) : String(d));

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

    const titleId = `popup-title-${String(feature.collection).replace(/\W/g, '')}-${String(feature.id).replace(/\W/g, '')}`;
    const root = el('article', { class: 'feature-popup', 'data-collection': feature.collection, 'data-id': String(feature.id), 'aria-labelledby': titleId });
    root.append(
        el('h2', { class: 'popup-title', id: titleId }, el('span', { lang: 'zh-Hans', class: 'name-zh' }, p.name_zh || p.name_en || `${feature.collection} ${feature.id}`)),
    );
    if (p.name_en) root.append(el('p', { class: 'name-en', lang: 'en' }, p.name_en));

    const table = el('table', { class: 'attrs' });
    const statusCell = [...pair(st.label_zh, st.label_en || p.status || '—')];
    if (p.status && !style.statuses[p.status]) statusCell.push(` (${p.status})`);
    if (p.status_date) statusCell.push(el('br'), el('span', { class: 'status-date' }, ...t('popup.statusAsOf', { date: formatDate(p.status_date) })));
    table.append(
        row('popup.category', el('span', { class: 'dot', style: `background:${style.categoryColor(p.category)}`, 'aria-hidden': 'true' }),
            ...pair(cat?.label_zh, cat?.label_en || p.category || '—')),
        row('popup.kind', ...kindPair(p.kind)),
        row('popup.action', ...actionPair(p.action)),
        row('popup.status', ...statusCell),
        row('popup.targetYear', p.target_year != null ? String(p.target_year) : '—'),
    );
    if (p.length_km != null) {
        table.append(row('popup.length', `${p.length_km} km`, p.geom_quality === 'schematic' ? [' (', ...t('popup.lengthDrawn'), ')'] : null));
    }
    if (p.area_km2 != null) table.append(row('popup.area', `${p.area_km2} km²`));
    table.append(row('popup.layer', ...pair(coll.title_zh, coll.title_en || feature.collection)));
    root.append(table);

    if (p.source_quote) {
        root.append(
            el('figure', { class: 'quote' },
                el('blockquote', { lang: 'zh-Hans' }, p.source_quote),
                el('figcaption', {}, ...t('popup.article'))),
        );
    }

    const quality = el('section', { class: `quality quality-${p.geom_quality || 'unknown'}` },
        el('h3', {}, ...t('popup.position'), ': ', ...pair(q.label_zh, q.label_en || p.geom_quality || 'unknown')),
    );
    if (q.description_zh) quality.append(el('p', { lang: 'zh-Hans' }, q.description_zh));
    if (q.description_en) quality.append(el('p', { lang: 'en', class: 'en' }, q.description_en));
    if (p.uncertainty_m != null) {
        const u = el('p', { class: 'uncertainty' }, el('strong', {}, ...t('popup.uncertainty', { distance: formatDistance(p.uncertainty_m) })));
        const why = el('p', { class: 'uncertainty-why' }, ...t('popup.uncertaintyWhy'));
        if (coll.geometry === 'point') why.append(' (', ...t('popup.uncertaintyCircle'), ')');
        quality.append(u, why);
    }
    if (!p.geom_quality) quality.append(el('p', {}, ...t('popup.noQuality')));
    if (p.geom_source) {
        quality.append(el('details', { class: 'source' }, el('summary', {}, ...t('popup.source')),
            el('p', { lang: 'en' }, p.geom_source)));
    }
    root.append(quality);

    const extra = Object.entries(p).filter(([k, v]) => !SHOWN.has(k) && v != null);
    if (extra.length) {
        const tb = el('table', { class: 'attrs extra' });
        for (const [k, v] of extra) tb.append(el('tr', {}, el('th', { scope: 'row', translate: 'no' }, k), el('td', {}, String(v))));
        root.append(el('details', { class: 'more' }, el('summary', {}, ...t('popup.more', { n: extra.length })), tb));
    }

    const foot = el('p', { class: 'popup-links' });
    if (links.permalink) foot.append(el('a', { href: links.permalink, class: 'permalink' }, ...t('popup.permalink')));
    if (links.item) foot.append(links.permalink ? ' · ' : '', el('a', { href: links.item, type: 'application/geo+json', translate: 'no' }, 'GeoJSON'));
    if (p.id) foot.append(' · ', el('code', { translate: 'no' }, p.id));
    root.append(foot);
    return root;
}

// The side panel: tabs, the project list grouped by category or status, and
// the layer switches (per category and per collection) with swatches drawn by
// the map's own drawing code.

import { el, isNarrow } from './dom.js';
import { t, pair } from './messages.js';

/** ARIA tabs: click or arrow keys switch; the panes are hidden/shown. */
export function initTabs(tablist) {
    const tabs = [...tablist.querySelectorAll('[role=tab]')];
    const select = (tab, focus = true) => {
        for (const t of tabs) {
            const on = t === tab;
            t.setAttribute('aria-selected', String(on));
            t.tabIndex = on ? 0 : -1;
            document.getElementById(t.getAttribute('aria-controls')).hidden = !on;
        }
        if (focus) tab.focus();
    };
    tabs.forEach((tab, i) => {
        tab.addEventListener('click', () => select(tab, false));
        tab.addEventListener('keydown', (e) => {
            let j = null;
            if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
            else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
            else if (e.key === 'Home') j = 0;
            else if (e.key === 'End') j = tabs.length - 1;
            if (j != null) {
                e.preventDefault();
                select(tabs[j]);
            }
        });
    });
    return { select: (id) => select(document.getElementById(id), false) };
}

const order = (keys) => {
    const index = new Map(keys.map((k, i) => [k, i]));
    return (k) => (index.has(k) ? index.get(k) : keys.length);
};

/**
 * features: [{ collection, id, properties }]
 * groupBy: 'category' | 'status'
 */
export function renderProjectList(container, features, style, { groupBy, collectionOrder, onChoose, isVisible }) {
    const catOrder = order(Object.keys(style.categories));
    const statusOrder = order(Object.keys(style.statuses));
    const collOrder = order(collectionOrder);
    const key = groupBy === 'status' ? (f) => f.properties.status || '' : (f) => f.properties.category || '';
    const groupOrder = groupBy === 'status' ? statusOrder : catOrder;
    const within = groupBy === 'status'
        ? (a, b) => catOrder(a.properties.category) - catOrder(b.properties.category)
        : (a, b) => statusOrder(a.properties.status) - statusOrder(b.properties.status);

    const groups = new Map();
    for (const f of features) {
        const k = key(f);
        if (!groups.has(k)) groups.set(k, []);
        groups.get(k).push(f);
    }
    const keys = [...groups.keys()].sort((a, b) => groupOrder(a) - groupOrder(b) || a.localeCompare(b));

    container.replaceChildren();
    for (const k of keys) {
        const items = groups.get(k).sort((a, b) =>
            within(a, b) || collOrder(a.collection) - collOrder(b.collection) ||
            String(a.properties.name_zh || '').localeCompare(String(b.properties.name_zh || ''), 'zh-Hans-CN'));
        const meta = groupBy === 'status' ? style.status(k) : style.categories[k] || {};
        const label = meta.label_zh || meta.label_en ? pair(meta.label_zh, meta.label_en || k) : t('list.other');
        const heading = el('summary', {},
            groupBy === 'category' ? el('span', { class: 'dot', style: `background:${style.categoryColor(k)}`, 'aria-hidden': 'true' }) : null,
            ...label,
            el('span', { class: 'count' }, ` ${items.length}`));
        const list = el('ul', { class: 'projects' });
        for (const f of items) {
            const p = f.properties;
            const st = style.status(p.status);
            const q = style.quality(p.geom_quality);
            const other = groupBy === 'status' ? style.categories[p.category] || { label_en: p.category || '' } : st;
            const button = el('button', {
                type: 'button', class: 'project', 'data-collection': f.collection, 'data-id': String(f.id),
            },
            style.swatch(f.collection, p, { width: 26, height: 18, z: 14 }),
            el('span', { class: 'project-text' },
                el('span', { class: 'name-zh', lang: 'zh-Hans' }, p.name_zh || p.name_en || `${f.collection} ${f.id}`),
                el('span', { class: 'name-en', lang: 'en' }, p.name_en || ''),
                el('span', { class: 'tags' },
                    el('span', { class: 'tag' }, ...pair(other.label_zh, other.label_en || p.status || '')),
                    el('span', { class: `tag quality-${p.geom_quality || 'unknown'}` }, ...pair(q.label_zh, q.label_en || p.geom_quality || 'unknown')),
                    el('span', { class: 'tag tag-hidden' }, ...t('list.hidden')))));
            if (!isVisible(f.collection, p.category)) button.classList.add('hidden-layer');
            button.addEventListener('click', () => onChoose(f));
            list.append(el('li', {}, button));
        }
        container.append(el('details', { class: 'group', open: true }, heading, list));
    }
    container.setAttribute('aria-busy', 'false');
}

/** Checkboxes per category and per collection. */
export function renderSwitches({ categoryBox, collectionBox, style, collections, counts, isCategoryOn, isCollectionOn, onToggle }) {
    categoryBox.replaceChildren();
    for (const [id, cat] of Object.entries(style.categories)) {
        const input = el('input', { type: 'checkbox', 'data-category': id, id: `cat-${id}` });
        input.checked = isCategoryOn(id);
        input.addEventListener('change', () => onToggle('category', id, input.checked));
        categoryBox.append(el('label', { class: 'switch', for: `cat-${id}` }, input,
            el('span', { class: 'dot', style: `background:${cat.color}`, 'aria-hidden': 'true' }),
            el('span', { class: 'switch-text' }, ...pair(cat.label_zh, cat.label_en || id)),
            el('span', { class: 'count' }, counts.category[id] != null ? String(counts.category[id]) : '')));
    }
    collectionBox.replaceChildren();
    for (const id of collections) {
        const c = style.collection(id);
        const cat = c.categories?.[0];
        const input = el('input', { type: 'checkbox', 'data-collection': id, id: `coll-${id}` });
        input.checked = isCollectionOn(id);
        input.addEventListener('change', () => onToggle('collection', id, input.checked));
        collectionBox.append(el('label', { class: 'switch', for: `coll-${id}` }, input,
            style.swatch(id, { category: cat, status: 'under_construction', geom_quality: 'approximate' }, { width: 30, height: 18, z: 14 }),
            el('span', { class: 'switch-text' }, ...pair(c.title_zh, c.title_en || id)),
            el('span', { class: 'count' }, counts.collection[id] != null ? String(counts.collection[id]) : '')));
    }
}

/** The panel's toggle button: open/closed, Escape closes it on a phone. Returns setPanel(open). */
export function initPanelToggle({ button, panel, onResize }) {
    const setPanel = (open) => {
        document.body.classList.toggle('panel-closed', !open);
        button.setAttribute('aria-expanded', String(open));
        setTimeout(onResize, 260);
    };
    setPanel(!isNarrow());
    button.addEventListener('click', () => setPanel(document.body.classList.contains('panel-closed')));
    // on a phone the panel covers half the map: Escape closes it and gives the focus back to its button
    panel.addEventListener('keydown', (e) => {
        if (e.key === 'Escape' && isNarrow()) {
            setPanel(false);
            button.focus();
        }
    });
    return setPanel;
}

/**
 * The panel's contents wired to the app: project list, layer switches,
 * "show all", grouping. app: { style, state, choose(ref, opts), setPanel(open), layersChanged() }
 * Returns { renderList, renderLayerSwitches, syncLayers }.
 */
export function initPanelContents(app) {
    const { style, state } = app;
    const listBox = document.getElementById('project-list');

    function renderList() {
        renderProjectList(listBox, state.features, style, {
            groupBy: state.groupBy,
            collectionOrder: state.collectionOrder,
            isVisible: (c, cat) => state.isVisible(c, cat),
            onChoose: (f) => {
                const invoker = document.activeElement; // before the panel closes and takes the focus with it
                if (isNarrow()) app.setPanel(false);
                app.choose({ collection: f.collection, id: f.id }, { feature: f, invoker }).catch(() => {});
            },
        });
    }

    function renderLayerSwitches() {
        renderSwitches({
            categoryBox: document.getElementById('category-switches'),
            collectionBox: document.getElementById('collection-switches'),
            style, collections: state.collectionOrder, counts: state.counts,
            isCategoryOn: (id) => !state.hidden.category.has(id),
            isCollectionOn: (id) => !state.hidden.collection.has(id),
            onToggle: (kind, id, on) => {
                if (on) state.hidden[kind].delete(id);
                else state.hidden[kind].add(id);
                app.layersChanged();
            },
        });
    }

    /** The switches and the list follow the state's hidden sets. */
    function syncLayers() {
        for (const input of document.querySelectorAll('#category-switches input')) input.checked = !state.hidden.category.has(input.dataset.category);
        for (const input of document.querySelectorAll('#collection-switches input')) input.checked = !state.hidden.collection.has(input.dataset.collection);
        for (const b of listBox.querySelectorAll('button.project')) {
            const f = state.findFeature({ collection: b.dataset.collection, id: b.dataset.id });
            if (f) b.classList.toggle('hidden-layer', !state.isVisible(f.collection, f.properties.category));
        }
    }

    document.getElementById('show-all').addEventListener('click', () => {
        state.hidden.collection.clear();
        state.hidden.category.clear();
        app.layersChanged();
    });
    for (const r of document.querySelectorAll('input[name=group-by]')) {
        r.addEventListener('change', () => {
            if (r.checked) {
                state.groupBy = r.value;
                renderList();
            }
        });
    }
    return { renderList, renderLayerSwitches, syncLayers };
}

// The search box: names in Chinese and English, partial matches, backed by the
// server's /search?q= (Chinese substring as written, Latin case-insensitive).
// A combobox with a listbox of results: arrows move, Enter chooses, Escape closes.

import { el } from './dom.js';
import { t, text, pair } from './messages.js';

export function initSearch({ input, list, status, style, limit = 20, onChoose }) {
    let results = [];
    let active = -1;
    let controller = null;
    let timer = 0;
    let lastQuery = '';

    const setExpanded = (open) => {
        list.hidden = !open;
        input.setAttribute('aria-expanded', String(open));
        if (!open) input.removeAttribute('aria-activedescendant');
    };

    const setActive = (i) => {
        active = i;
        const items = list.querySelectorAll('[role=option]');
        items.forEach((item, j) => item.setAttribute('aria-selected', String(j === i)));
        if (i >= 0 && items[i]) {
            input.setAttribute('aria-activedescendant', items[i].id);
            items[i].scrollIntoView({ block: 'nearest' });
        } else {
            input.removeAttribute('aria-activedescendant');
        }
    };

    const choose = (i) => {
        const f = results[i];
        if (!f) return;
        setExpanded(false);
        input.value = f.properties?.name_zh || f.properties?.name_en || input.value;
        onChoose(f);
    };

    const render = (q) => {
        list.replaceChildren();
        if (results.length === 0) {
            list.append(el('li', { class: 'empty', role: 'presentation' }, ...t('search.none', { q })));
            status.textContent = text('search.none', { q });
        } else {
            results.forEach((f, i) => {
                const p = f.properties || {};
                const coll = style.collection(f.collection);
                const item = el('li', { id: `search-option-${i}`, role: 'option', 'aria-selected': 'false', class: 'result' },
                    el('span', { class: 'dot', style: `background:${style.categoryColor(p.category)}`, 'aria-hidden': 'true' }),
                    el('span', { class: 'result-text' },
                        el('span', { class: 'name-zh', lang: 'zh-Hans' }, p.name_zh || ''),
                        el('span', { class: 'name-en', lang: 'en' }, p.name_en || ''),
                        el('span', { class: 'result-layer' }, ...pair(coll.title_zh, coll.title_en || f.collection))));
                item.addEventListener('mousedown', (e) => e.preventDefault()); // keep focus in the input
                item.addEventListener('click', () => choose(i));
                list.append(item);
            });
            status.textContent = results.length === 1 ? text('search.count1') : text('search.count', { n: results.length });
        }
        setExpanded(true);
        setActive(results.length ? 0 : -1);
    };

    const run = async (q) => {
        controller?.abort();
        controller = new AbortController();
        try {
            const r = await fetch(`/search?q=${encodeURIComponent(q)}&limit=${limit}`, { signal: controller.signal });
            if (!r.ok) throw new Error(`search: HTTP ${r.status}`);
            const body = await r.json();
            if (q !== input.value.trim()) return; // typed on meanwhile
            results = body.features || [];
            render(q);
        } catch (e) {
            if (e.name === 'AbortError') return;
            results = [];
            list.replaceChildren(el('li', { class: 'empty', role: 'presentation' }, ...t('search.failed')));
            setExpanded(true);
            status.textContent = text('search.failed');
        }
    };

    input.addEventListener('input', () => {
        const q = input.value.trim();
        clearTimeout(timer);
        if (!q) {
            controller?.abort();
            results = [];
            lastQuery = '';
            setExpanded(false);
            return;
        }
        timer = setTimeout(() => {
            lastQuery = q;
            run(q);
        }, 150);
    });

    input.addEventListener('keydown', (e) => {
        if (e.key === 'ArrowDown') {
            e.preventDefault();
            if (list.hidden && input.value.trim()) run(input.value.trim());
            else if (results.length) setActive((active + 1) % results.length);
        } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            if (results.length) setActive((active - 1 + results.length) % results.length);
        } else if (e.key === 'Enter') {
            e.preventDefault();
            const q = input.value.trim();
            if (!list.hidden && active >= 0) choose(active);
            else if (q && q !== lastQuery) {
                clearTimeout(timer);
                lastQuery = q;
                run(q);
            }
        } else if (e.key === 'Escape') {
            if (!list.hidden) {
                e.preventDefault();
                setExpanded(false);
            }
        }
    });

    input.addEventListener('blur', () => setTimeout(() => setExpanded(false), 150));
    input.addEventListener('focus', () => {
        if (results.length && input.value.trim()) {
            render(input.value.trim());
        }
    });
}

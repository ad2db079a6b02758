// Small DOM and fetch helpers shared by the modules of the web map.

/** A DOM element with attributes and children (strings become text nodes: no innerHTML with data in it). */
export function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
        if (v == null || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
        if (c == null || c === false) continue;
        node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
}

export async function getJSON(url, options) {
    const r = await fetch(url, options);
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r.json();
}

export const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The phone layout (CSS: max-width 700px). */
export const isNarrow = () => window.matchMedia('(max-width: 700px)').matches;

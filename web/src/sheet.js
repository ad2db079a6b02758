// The bottom sheet of the phone layout: a feature's details (or a group's
// list) slide up from the bottom edge over the lower part of the map, with a
// close button; Escape closes it. The map stays visible above it.

import { el } from './dom.js';
import { text } from './messages.js';

/** beforeOpen(): called before the sheet opens (the phone's legend closes, they share the space). */
export function createSheet(node, { beforeOpen } = {}) {
    const listeners = [];
    const body = el('div', { class: 'sheet-body' });
    const close = el('button', { type: 'button', class: 'sheet-close', 'aria-label': text('popup.close'), title: text('popup.close') },
        el('span', { 'aria-hidden': 'true' }, '×'));
    node.replaceChildren(el('div', { class: 'sheet-handle', 'aria-hidden': 'true' }), close, body);
    node.hidden = true;

    const sheet = {
        get isOpen() {
            return !node.hidden;
        },
        contains: (n) => node.contains(n),
        height: () => node.getBoundingClientRect().height,
        open(content) {
            beforeOpen?.();
            body.replaceChildren(content);
            body.scrollTop = 0;
            node.hidden = false;
            document.body.classList.add('sheet-open');
        },
        /** silent: the sheet gives way to a popup; the selection goes on. */
        close({ silent = false } = {}) {
            if (node.hidden) return;
            node.hidden = true;
            body.replaceChildren();
            document.body.classList.remove('sheet-open');
            if (!silent) for (const f of listeners) f();
        },
        onClose(f) {
            listeners.push(f);
        },
    };
    close.addEventListener('click', () => sheet.close());
    node.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') {
            e.stopPropagation();
            sheet.close();
        }
    });
    return sheet;
}

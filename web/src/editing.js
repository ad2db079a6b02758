// Editing for signed-in editors (OGC API – Features – Part 4), shown only
// when the server declares Part 4 in /conformance (it runs with a tokens
// file):
// - sign-in with an API token (`regiomap token add`), checked with GET
//   /whoami and kept for this browser tab only (sessionStorage: closing the
//   tab signs out; nothing is written to disk);
// - in a feature's details: its last change (GET …/history), and for an
//   editor of its collection an edit form (edit_form.js);
// - saving: PATCH with the ETag the form was opened with (If-Match), so a
//   change made meanwhile by someone else is a conflict the editor sees
//   (412), never overwritten; then the map's tiles are fetched again under
//   the new data generation, without reloading the page.

import { el, getJSON } from './dom.js';
import { t, text } from './messages.js';
import { editForm } from './edit_form.js';

const PART4 = 'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete';
const TOKEN_KEY = 'regiomap.editToken';

export const historyUrl = (ref) => `/collections/${encodeURIComponent(ref.collection)}/items/${encodeURIComponent(ref.id)}/history`;
const itemUrl = (ref) => `/collections/${encodeURIComponent(ref.collection)}/items/${encodeURIComponent(ref.id)}`;

/** Whether the server takes changes (Part 4 declared). */
export async function editingOffered() {
    try {
        const c = await getJSON('/conformance');
        return (c.conformsTo || []).includes(PART4);
    } catch {
        return false;
    }
}

/** The server's error as words: its description, and each failing field of a 422. */
export async function problemOf(response) {
    let body = null;
    try {
        body = await response.json();
    } catch { /* not JSON */ }
    const lines = [];
    if (body?.description) lines.push(body.description);
    for (const e of body?.errors || []) lines.push(`${e.field}: ${e.message}`);
    return { status: response.status, lines, retryAfter: response.headers.get('Retry-After') };
}

/**
 * app: { map, style, data: { refresh() }, state, selection: { cacheItem, openPopup, anchorOf } }
 * button: the sign-in button of the page. Returns { decorate(content, feature) }.
 */
export function initEditing(app, { button, dialog }) {
    let session = null; // { token, name, role, collections, allCollections }
    const status = dialog.querySelector('.signin-status');
    const input = dialog.querySelector('input[name="token"]');
    const form = dialog.querySelector('form');

    function render() {
        button.hidden = false;
        button.replaceChildren(...(session ? t('edit.signedInAs', { name: session.name }) : t('edit.signIn')).filter(Boolean));
        button.setAttribute('aria-haspopup', 'dialog');
        dialog.querySelector('.signout').hidden = !session;
        dialog.querySelector('.signin-fields').hidden = Boolean(session);
        dialog.querySelector('.signin-submit').hidden = Boolean(session);
        status.replaceChildren(...(session ? t('edit.signedInDetail', { name: session.name, role: session.role }) : []).filter(Boolean));
    }

    async function whoami(token) {
        const r = await fetch('/whoami', { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
        if (!r.ok) throw await problemOf(r);
        return { token, ...(await r.json()) };
    }

    async function signIn(token) {
        session = await whoami(token);
        sessionStorage.setItem(TOKEN_KEY, token);
        render();
        app.selectionChanged?.();
    }

    function signOut() {
        session = null;
        sessionStorage.removeItem(TOKEN_KEY);
        render();
        app.selectionChanged?.();
    }

    button.addEventListener('click', () => {
        status.replaceChildren(...(session ? t('edit.signedInDetail', { name: session.name, role: session.role }) : []).filter(Boolean));
        dialog.showModal();
        (session ? dialog.querySelector('.signout') : input).focus();
    });
    dialog.querySelector('.signin-cancel').addEventListener('click', () => dialog.close());
    dialog.querySelector('.signout').addEventListener('click', () => {
        signOut();
        dialog.close();
        button.focus();
    });
    form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const token = input.value.trim();
        if (!token) {
            status.replaceChildren(...t('edit.tokenMissing').filter(Boolean));
            input.focus();
            return;
        }
        status.replaceChildren(...t('edit.checking').filter(Boolean));
        try {
            await signIn(token);
            input.value = '';
            dialog.close();
            button.focus();
        } catch (problem) {
            const key = problem.status === 429 ? 'edit.tooMany' : problem.status === 401 ? 'edit.tokenRefused' : 'edit.signInFailed';
            status.replaceChildren(...t(key, { seconds: problem.retryAfter || '60', status: problem.status || '—' }).filter(Boolean));
            input.select();
        }
    });

    // A token kept from earlier in this tab: checked again (it may have been revoked).
    const kept = sessionStorage.getItem(TOKEN_KEY);
    render();
    if (kept) signIn(kept).catch(() => signOut());

    const mayEdit = (collection) => Boolean(session && (session.allCollections || (session.collections || []).includes(collection)));

    /** The feature as stored now and its ETag: past the browser's cache, which may hold an older version. */
    async function current(ref) {
        const r = await fetch(itemUrl(ref), { headers: { Accept: 'application/geo+json' }, cache: 'no-store' });
        if (!r.ok) throw await problemOf(r);
        const f = await r.json();
        return { feature: { collection: ref.collection, id: f.id ?? ref.id, properties: f.properties || {}, geometry: f.geometry }, etag: r.headers.get('ETag') };
    }

    /** PATCH (JSON Merge Patch) with If-Match; resolves to the stored feature, rejects with the problem. */
    async function save(ref, etag, patch, reason) {
        const headers = {
            Authorization: `Bearer ${session.token}`,
            'Content-Type': 'application/merge-patch+json',
            'If-Match': etag,
        };
        // X-Change-Reason is a header, and fetch sends only Latin-1 in headers: a reason in Chinese goes as an
        // RFC 8187 extended value (UTF-8''…), which the server decodes
        if (reason) headers['X-Change-Reason'] = /^[\x20-\x7e]*$/.test(reason) && !reason.startsWith("UTF-8''") ? reason : `UTF-8''${encodeURIComponent(reason)}`;
        const r = await fetch(itemUrl(ref), { method: 'PATCH', headers, body: JSON.stringify(patch), cache: 'no-store' });
        if (!r.ok) throw await problemOf(r);
        const f = await r.json();
        return { collection: ref.collection, id: f.id ?? ref.id, properties: f.properties || {}, geometry: f.geometry };
    }

    /** "Last changed …" of a feature's details, when it has a history. */
    async function lastChange(content, ref) {
        let doc;
        try {
            doc = await getJSON(historyUrl(ref), { cache: 'no-store' });
        } catch {
            return;
        }
        const last = doc.changes?.[0];
        if (!last || !content.isConnected) return;
        const when = String(last.changedAt || '').replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
        const fields = (last.fields || []).join(', ');
        const line = el('p', { class: 'last-change' },
            ...t('edit.lastChange', { when, who: last.author || '—', fields: fields || last.operation }).filter(Boolean));
        if (last.reason) line.append(' — ', el('q', {}, last.reason));
        content.querySelector('.popup-links')?.before(line);
        content.dispatchEvent(new Event('detailschange'));
    }

    /** Adds the last change and, for an editor of the feature's collection, the edit button to a feature's details. */
    function decorate(content, feature) {
        const ref = { collection: feature.collection, id: feature.id };
        lastChange(content, ref);
        if (!mayEdit(ref.collection)) return;
        const open = el('button', { type: 'button', class: 'edit-open' }, ...t('edit.open').filter(Boolean));
        open.addEventListener('click', async () => {
            open.disabled = true;
            try {
                const { feature: fresh, etag } = await current(ref);
                const formNode = editForm(app, fresh, {
                    etag,
                    save: (etagNow, patch, reason) => save(ref, etagNow, patch, reason),
                    reload: () => current(ref),
                    onSaved: (stored) => app.featureSaved(stored),
                    onCancel: () => {
                        formNode.remove();
                        content.dispatchEvent(new Event('detailschange'));
                        open.hidden = false;
                        open.disabled = false;
                        open.focus();
                    },
                });
                open.hidden = true;
                content.querySelector('.popup-links').before(formNode);
                // the form's fields come with the collection's schema; edit_form.js focuses the first
            } catch (problem) {
                open.disabled = false;
                const note = el('p', { class: 'edit-message', role: 'alert' }, ...t('edit.loadFailed', { status: problem.status ?? '—' }).filter(Boolean));
                open.after(note);
                content.dispatchEvent(new Event('detailschange'));
            }
        });
        content.querySelector('.popup-links').before(el('p', { class: 'edit-actions' }, open));
    }

    return { decorate, mayEdit, get session() { return session; }, label: () => text('edit.signIn') };
}

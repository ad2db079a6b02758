// The edit form in a feature's details (editing.js opens it for a signed-in
// editor): status and its date, position quality, uncertainty and where the
// position came from, a point's position (typed, or by dragging a marker on
// the map), and why. Only the fields the collection's schema has are shown,
// with its allowed values; saving sends just what changed (JSON Merge Patch).
// The server's answers are said in words: a conflict (412) with what the
// other editor changed, a refused value (422) at its field.

import { el, getJSON } from './dom.js';
import { t, text } from './messages.js';

const schemas = new Map();
const schemaOf = (collection) => {
    if (!schemas.has(collection)) {
        schemas.set(collection, getJSON(`/collections/${encodeURIComponent(collection)}/schema`).catch((e) => {
            schemas.delete(collection);
            throw e;
        }));
    }
    return schemas.get(collection);
};

/**
 * A click on a button that removes itself must not reach the map: Leaflet tells a click inside a popup from
 * one on the map by walking up from the target, and a target no longer in the page is "on the map" (it would
 * open the details of whatever lies under the pointer).
 */
const keepFromMap = (e) => e.stopPropagation();

const today = () => new Date().toISOString().slice(0, 10);
let formCount = 0;

/** "2020-06-10T…" → "2020-06-10" for a date input. */
const dateValue = (v) => (v == null ? '' : String(v).slice(0, 10));

/**
 * app: { map, style }; feature: the feature as stored; etag: its ETag.
 * save(etag, patch, reason) → Promise<stored feature>; reload() → Promise<{ feature, etag }>;
 * onSaved(stored); onCancel().
 */
export function editForm(app, feature, { etag, save, reload, onSaved, onCancel }) {
    const { map, style } = app;
    const n = ++formCount;
    const id = (name) => `edit-${n}-${name}`;
    let opened = feature; // the version the form was filled from: what "changed" is measured against
    let currentEtag = etag;
    let marker = null;

    const message = el('div', { class: 'edit-message', role: 'status', 'aria-live': 'polite' });
    const fields = el('div', { class: 'edit-fields' });
    const form = el('form', { class: 'edit-form', novalidate: true, 'aria-labelledby': id('title') },
        el('h3', { id: id('title') }, ...t('edit.formTitle').filter(Boolean)),
        fields, message);
    const controls = new Map(); // property name → input/select

    function field(name, labelKey, control, hint) {
        control.id = id(name);
        control.name = name;
        controls.set(name, control);
        const describedBy = hint ? id(`${name}-hint`) : null;
        if (describedBy) control.setAttribute('aria-describedby', describedBy);
        fields.append(el('p', { class: 'edit-field' },
            el('label', { for: control.id }, ...t(labelKey).filter(Boolean)), ' ', control,
            hint ? el('span', { class: 'hint', id: describedBy }, ...t(hint).filter(Boolean)) : null));
    }

    function select(values, labelOf) {
        return el('select', {}, ...values.map((v) => el('option', { value: v }, labelOf(v))));
    }

    const isPoint = feature.geometry?.type === 'Point';

    function fill(f) {
        const p = f.properties || {};
        for (const [name, control] of controls) {
            if (name === 'lon') control.value = isPoint ? f.geometry.coordinates[0] : '';
            else if (name === 'lat') control.value = isPoint ? f.geometry.coordinates[1] : '';
            else if (name === 'reason') control.value = '';
            else if (control.type === 'date') control.value = dateValue(p[name]);
            else control.value = p[name] ?? '';
            control.removeAttribute('aria-invalid');
        }
        if (marker) marker.setLatLng([f.geometry.coordinates[1], f.geometry.coordinates[0]]);
    }

    schemaOf(feature.collection).then((schema) => {
        const props = schema.properties || {};
        const labelPair = (o, v) => (o ? [o.label_zh, o.label_en].filter(Boolean).join(' ') : v);
        if (props.status?.enum) {
            const status = select(props.status.enum, (v) => labelPair(style.statuses[v], v));
            field('status', 'popup.status', status);
            status.addEventListener('change', () => {
                // a new status is as of today unless the editor says otherwise
                const date = controls.get('status_date');
                if (date && date.value === dateValue(opened.properties.status_date)) date.value = today();
            });
        }
        if (props.status_date) field('status_date', 'edit.statusDate', el('input', { type: 'date' }));
        if (props.geom_quality?.enum) {
            field('geom_quality', 'edit.quality', select(props.geom_quality.enum, (v) => labelPair(style.qualities[v], v)));
        }
        if (props.uncertainty_m) field('uncertainty_m', 'edit.uncertainty', el('input', { type: 'number', min: '0', step: '1', inputmode: 'numeric' }));
        if (props.geom_source) field('geom_source', 'popup.source', el('input', { type: 'text', autocomplete: 'off' }), 'edit.sourceHint');
        if (isPoint) {
            field('lat', 'edit.lat', el('input', { type: 'number', step: 'any', inputmode: 'decimal' }));
            field('lon', 'edit.lon', el('input', { type: 'number', step: 'any', inputmode: 'decimal' }));
            const move = el('button', { type: 'button', class: 'edit-move', 'aria-pressed': 'false' }, ...t('edit.move').filter(Boolean));
            move.addEventListener('click', () => toggleMarker(move));
            fields.append(el('p', { class: 'edit-field' }, move));
            for (const name of ['lat', 'lon']) {
                controls.get(name).addEventListener('change', () => {
                    const ll = positionOfInputs();
                    if (marker && ll) marker.setLatLng(ll);
                });
            }
        }
        field('reason', 'edit.reason', el('input', { type: 'text', autocomplete: 'off', maxlength: '500' }), 'edit.reasonHint');
        fill(opened);
        fields.append(el('p', { class: 'edit-buttons' },
            el('button', { type: 'submit', class: 'edit-save' }, ...t('edit.save').filter(Boolean)), ' ',
            cancelButton()));
        resized();
        reveal(form.querySelector('h3'));
        form.querySelector('select, input')?.focus({ preventScroll: true });
    }).catch(() => {
        say('alert', 'edit.schemaFailed');
        fields.append(el('p', { class: 'edit-buttons' }, cancelButton()));
    });

    function cancelButton() {
        const b = el('button', { type: 'button', class: 'edit-cancel' }, ...t('edit.cancel').filter(Boolean));
        b.addEventListener('click', (e) => {
            keepFromMap(e);
            removeMarker();
            onCancel();
        });
        return b;
    }

    function positionOfInputs() {
        const lat = Number(controls.get('lat')?.value);
        const lon = Number(controls.get('lon')?.value);
        return Number.isFinite(lat) && Number.isFinite(lon) && controls.get('lat').value !== '' ? L.latLng(lat, lon) : null;
    }

    function toggleMarker(button) {
        if (marker) {
            removeMarker();
            button.setAttribute('aria-pressed', 'false');
            return;
        }
        const ll = positionOfInputs() || L.latLng(opened.geometry.coordinates[1], opened.geometry.coordinates[0]);
        marker = L.marker(ll, { draggable: true, autoPan: true, keyboard: true, title: text('edit.dragHint'), alt: text('edit.dragHint') }).addTo(map);
        marker.on('drag dragend', () => {
            const p = marker.getLatLng();
            controls.get('lat').value = p.lat.toFixed(6);
            controls.get('lon').value = p.lng.toFixed(6);
        });
        button.setAttribute('aria-pressed', 'true');
        say('status', 'edit.dragHint');
    }

    function removeMarker() {
        if (marker) marker.remove();
        marker = null;
    }

    function say(role, key, params = {}, extra = []) {
        message.setAttribute('role', role);
        message.replaceChildren(el('p', {}, ...t(key, params).filter(Boolean)), ...extra);
        resized();
        reveal(message);
    }

    /** Tells the details around the form that it changed size (selection.js lays the popup out again). */
    const resized = () => form.dispatchEvent(new Event('detailschange', { bubbles: true }));

    /**
     * Scrolls the details (a popup's or the phone sheet's scrolled box) so that `node` is seen. Not
     * scrollIntoView: that also scrolls the map's own box, which Leaflet keeps unscrolled.
     */
    function reveal(node) {
        const box = node.closest('.leaflet-popup-scrolled, .sheet-body');
        if (!box) return;
        const r = node.getBoundingClientRect();
        const b = box.getBoundingClientRect();
        if (r.bottom > b.bottom) box.scrollTop += r.bottom - b.bottom + 8;
        else if (r.top < b.top) box.scrollTop -= b.top - r.top + 8;
    }

    /** What the editor changed, as a merge patch against the version the form was opened with. */
    function patchOf() {
        const before = opened.properties || {};
        const properties = {};
        for (const [name, control] of controls) {
            if (name === 'lat' || name === 'lon' || name === 'reason') continue;
            let value = control.value;
            if (control.type === 'number') value = value === '' ? null : Number(value);
            else if (value === '') value = null;
            const old = control.type === 'date' ? (before[name] == null ? null : dateValue(before[name])) : (before[name] ?? null);
            if (value !== old) properties[name] = value;
        }
        const patch = {};
        if (Object.keys(properties).length) patch.properties = properties;
        if (isPoint) {
            const ll = positionOfInputs();
            const [lon, lat] = opened.geometry.coordinates;
            if (ll && (Math.abs(ll.lat - lat) > 1e-9 || Math.abs(ll.lng - lon) > 1e-9)) {
                patch.geometry = { type: 'Point', coordinates: [ll.lng, ll.lat] };
            }
        }
        return patch;
    }

    form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const patch = patchOf();
        if (!patch.properties && !patch.geometry) {
            say('status', 'edit.nothing');
            return;
        }
        const saveButton = form.querySelector('.edit-save');
        saveButton.disabled = true;
        form.setAttribute('aria-busy', 'true');
        say('status', 'edit.saving');
        try {
            const stored = await save(currentEtag, patch, controls.get('reason')?.value.trim() || '');
            removeMarker();
            onSaved(stored);
        } catch (problem) {
            await refused(problem);
        } finally {
            saveButton.disabled = false;
            form.removeAttribute('aria-busy');
        }
    });

    async function refused(problem) {
        if (problem.status === 412) {
            // Someone else saved first: say what they changed, offer their version.
            let theirs = null;
            try {
                theirs = await reload();
            } catch { /* said below without details */ }
            const changed = theirs ? Object.keys({ ...opened.properties, ...theirs.feature.properties })
                .filter((k) => JSON.stringify(opened.properties[k] ?? null) !== JSON.stringify(theirs.feature.properties[k] ?? null)) : [];
            if (theirs && JSON.stringify(opened.geometry) !== JSON.stringify(theirs.feature.geometry)) changed.push('geometry');
            const load = el('button', { type: 'button', class: 'edit-load-theirs' }, ...t('edit.loadTheirs').filter(Boolean));
            load.addEventListener('click', (e) => {
                keepFromMap(e);
                if (!theirs) return;
                opened = theirs.feature;
                currentEtag = theirs.etag;
                fill(opened);
                say('status', 'edit.loadedTheirs');
                controls.values().next().value?.focus({ preventScroll: true });
            });
            say('alert', 'edit.conflict', { fields: changed.join(', ') || '—' }, [el('p', {}, load)]);
            return;
        }
        if (problem.status === 422 || problem.status === 400) {
            const list = el('ul', {}, ...(problem.lines || []).map((line) => el('li', {}, line)));
            say('alert', 'edit.invalid', {}, [list]);
            let first = null;
            for (const line of problem.lines || []) {
                const name = /^(?:properties\.)?([\w]+)/.exec(line)?.[1];
                const control = controls.get(name) || (name === 'geometry' ? controls.get('lat') : null);
                if (control) {
                    control.setAttribute('aria-invalid', 'true');
                    first = first || control;
                }
            }
            if (first) {
                reveal(first);
                first.focus({ preventScroll: true });
            }
            return;
        }
        const key = { 401: 'edit.expired', 403: 'edit.forbidden', 429: 'edit.tooMany' }[problem.status] || 'edit.failed';
        say('alert', key, { seconds: problem.retryAfter || '60', status: problem.status ?? '—' }, (problem.lines || []).map((l) => el('p', {}, l)));
    }

    return form;
}

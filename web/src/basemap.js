// The basemap beneath the data: the server's own (offline) basemap, the
// OpenStreetMap raster (online), or the plain background.
//
// Local basemap: a server started with a basemap archive answers
// GET /basemap.json with a TileJSON document (tiles at /basemap/{z}/{x}/{y}.mvt,
// vector_layers, and "scheme" or "x-schema": "protomaps" for the Protomaps
// basemap schema); without one it answers 404. The page asks once at start;
// when the basemap is there it is the default: it needs no internet, so a
// bureau's intranet gets a real map. Protomaps-schema tiles are drawn with
// protomaps-leaflet's own basemap style; any other MVT basemap generically
// (land, water, roads, buildings, boundaries, place names by layer name).
//
// OpenStreetMap: a browser cannot find out whether a remote tile server is
// reachable without requesting something from it, and a failed request is
// logged by the browser itself ("Failed to load resource:
// net::ERR_NAME_NOT_RESOLVED"): no page code can hide that line.
// navigator.onLine is no help either: it stays true on a machine that has a
// network interface but no route out. So the page requests OSM only when it
// has a reason to expect success:
//
//   - the user chose OpenStreetMap in the layer panel (hash `bm=osm`): probe
//     one tile, then show the basemap, or say it is unreachable;
//   - config.json says `"default": "on"` (a deployment whose users are online):
//     the same probe on every load;
//   - `"default": "auto"` (shipped): only when `"reachable": true` (set by a
//     deployment, or by a server that checks its own connection), otherwise the
//     plain background with no request at all.
//
// The plain background is the palette's background colour on the map
// container; every feature is drawn the same on it.

import { getJSON, escapeHtml } from './dom.js';
import { t } from './messages.js';
import { atZoom } from './palette.js';

/** The local basemap's TileJSON, or null when the server has none (404) or it is unusable. */
export async function fetchLocalBasemap(url = '/basemap.json') {
    try {
        const r = await fetch(url);
        if (!r.ok) return null;
        const tj = await r.json();
        if (!Array.isArray(tj.tiles) || !tj.tiles.length) return null;
        return tj;
    } catch {
        return null;
    }
}

const absoluteTiles = (url) => (/^[a-z]+:\/\//i.test(url) ? url : `${location.origin}${url.startsWith('/') ? '' : '/'}${url}`);

/** Which schema a basemap TileJSON says it has: 'protomaps' or 'generic'. */
export function basemapSchema(tj) {
    const hint = String(tj.scheme_name || tj['x-schema'] || tj.schema || tj.scheme || '').toLowerCase();
    return hint.includes('protomaps') ? 'protomaps' : 'generic';
}

// Generic drawing of any MVT basemap: layers recognised by their names, quiet colours
// so that the data on top stays the loudest thing on the map.
const GENERIC = [
    { re: /^(earth|land|landmass|continent)/i, polygon: { fill: '#f1efe9' } },
    { re: /(landcover|landuse|park|wood|forest|green|grass|farm|natural)/i, polygon: { fill: '#e4ead9', opacity: 0.8 } },
    { re: /(water|ocean|sea|lake|river|waterway|reservoir)/i, polygon: { fill: '#c9dce8' }, line: { color: '#aac6da', width: [[6, 0.5], [14, 2]] } },
    { re: /(building)/i, polygon: { fill: '#e2ded6' }, minzoom: 14 },
    { re: /(road|street|transport|highway|railway|rail)/i, line: { color: '#ffffff', casing: '#d5d0c6', width: [[6, 0.5], [10, 1], [14, 3], [18, 10]] } },
    { re: /(boundar|admin)/i, line: { color: '#a09a90', width: [[4, 0.6], [12, 1.2]], dash: [4, 3] } },
];
const GENERIC_LABELS = /(place|label|poi)/i;

const linear = (stops) => (z) => atZoom(stops, z);

/** Paint and label rules for a basemap of unknown schema, from its vector_layers. */
export function genericRules(tj, fontFamily) {
    const paintRules = [];
    const labelRules = [];
    const ids = (tj.vector_layers || []).map((l) => l.id);
    for (const rule of GENERIC) {
        for (const id of ids.filter((x) => rule.re.test(x))) {
            if (rule.polygon) {
                paintRules.push({
                    dataLayer: id, minzoom: rule.minzoom,
                    symbolizer: new protomapsL.PolygonSymbolizer({ fill: rule.polygon.fill, opacity: rule.polygon.opacity ?? 1 }),
                    filter: (z, f) => f.geomType === 3,
                });
            }
            if (rule.line?.casing) {
                paintRules.push({
                    dataLayer: id,
                    symbolizer: new protomapsL.LineSymbolizer({ color: rule.line.casing, width: (z) => linear(rule.line.width)(z) + 1.5 }),
                    filter: (z, f) => f.geomType === 2,
                });
            }
            if (rule.line) {
                paintRules.push({
                    dataLayer: id,
                    symbolizer: new protomapsL.LineSymbolizer({ color: rule.line.color, width: linear(rule.line.width), dash: rule.line.dash }),
                    filter: (z, f) => f.geomType === 2,
                });
            }
        }
    }
    for (const id of ids.filter((x) => GENERIC_LABELS.test(x))) {
        labelRules.push({
            dataLayer: id,
            symbolizer: new protomapsL.CenteredTextSymbolizer({
                labelProps: ['name:zh-Hans', 'name:zh', 'name', 'name:en'],
                font: `12px ${fontFamily}`, fill: '#5b5852', stroke: '#ffffff', width: 2,
            }),
            filter: (z, f) => f.geomType === 1,
        });
    }
    return { paintRules, labelRules };
}

export class Basemap {
    /**
     * config: config.json's basemap (OSM); local: /basemap.json's TileJSON or null.
     * onChange(basemap) after every change of layer or note.
     */
    constructor(map, config, { pane, onChange, local = null, fontFamily = 'sans-serif' } = {}) {
        this.map = map;
        this.cfg = config || {};
        this.local = local;
        this.fontFamily = fontFamily;
        this.onChange = onChange || (() => {});
        this.layers = {};
        this.active = null; // 'local' | 'osm' | null
        this.note = null; // { key, params } of messages.js
        this.probeResult = null; // null = not probed, true/false
        this.pane = pane;
        this.generation = 0;
        window.addEventListener('online', () => {
            if (this.wanted === 'osm' && this.active !== 'osm') this.apply(this.choice);
        });
    }

    get osmAvailable() {
        return Boolean(this.cfg.tiles);
    }

    get name() {
        return this.cfg.name || 'OpenStreetMap';
    }

    /** What the user gets without choosing: the local basemap when there is one, else config.json's rule. */
    get defaultChoice() {
        return this.local ? 'local' : null;
    }

    /** choice: 'local' | 'osm' | 'plain' | null (the default) */
    async apply(choice) {
        this.choice = choice;
        const gen = ++this.generation;
        const effective = choice === 'local' && !this.local ? null : choice ?? this.defaultChoice;
        if (effective === 'local') {
            this.wanted = 'local';
            this.show('local');
            this.setNote(null);
            return;
        }
        const mode = effective === 'osm' ? 'on' : effective === 'plain' ? 'off' : this.cfg.default || 'auto';
        let want = false;
        let probe = false;
        let note = null;
        const name = this.name;
        if (!this.osmAvailable) {
            if (mode !== 'off') note = { key: 'basemap.none' };
        } else if (mode === 'off') {
            note = null;
        } else if (mode === 'on') {
            want = true;
            probe = this.probeResult !== true;
        } else if (this.cfg.reachable === true) {
            want = true;
        } else {
            note = { key: 'basemap.hint', params: { name } };
        }
        this.wanted = want ? 'osm' : null;
        if (want && navigator.onLine === false) {
            want = false;
            note = { key: 'basemap.offline' };
        }
        if (want && probe) {
            this.setNote({ key: 'basemap.checking', params: { name } });
            this.probeResult = await this.probe();
            if (gen !== this.generation) return;
            if (!this.probeResult) {
                want = false;
                note = { key: 'basemap.unreachable', params: { name } };
            }
        }
        if (gen !== this.generation) return;
        this.show(want ? 'osm' : null);
        this.setNote(note);
    }

    async probe() {
        const url = this.cfg.probe || this.cfg.tiles.replace('{z}', '0').replace('{x}', '0').replace('{y}', '0');
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 5000);
        try {
            // no-cors: an opaque answer is enough to know the server answered
            await fetch(url, { mode: 'no-cors', cache: 'no-store', signal: controller.signal });
            return true;
        } catch {
            return false;
        } finally {
            clearTimeout(timer);
        }
    }

    layerOf(which) {
        if (this.layers[which]) return this.layers[which];
        if (which === 'osm') {
            this.layers.osm = L.tileLayer(this.cfg.tiles, {
                maxZoom: this.cfg.maxzoom || 19,
                maxNativeZoom: this.cfg.maxzoom || 19,
                attribution: this.cfg.attribution || '',
                className: 'basemap-tiles',
                pane: this.pane,
            });
        } else {
            const tj = this.local;
            const options = {
                url: absoluteTiles(tj.tiles[0]),
                maxDataZoom: tj.maxzoom ?? 14,
                // an archive answers 404 below its first zoom: ask nothing there (Leaflet zoom z draws data zoom z − 1)
                minZoom: tj.minzoom > 0 ? tj.minzoom + 1 : 0,
                pane: this.pane,
                className: 'basemap-local',
                attribution: tj.attribution || escapeHtml(tj.name || 'basemap'),
            };
            if (basemapSchema(tj) === 'protomaps') Object.assign(options, { flavor: 'light', lang: 'zh-Hans' });
            else Object.assign(options, genericRules(tj, this.fontFamily));
            this.layers.local = protomapsL.leafletLayer(options);
        }
        return this.layers[which];
    }

    /** which: 'local' | 'osm' | null (plain) */
    show(which) {
        for (const [k, layer] of Object.entries(this.layers)) {
            if (k !== which && this.map.hasLayer(layer)) this.map.removeLayer(layer);
        }
        if (which && !this.map.hasLayer(this.layerOf(which))) this.layerOf(which).addTo(this.map);
        const changed = this.active !== which;
        this.active = which;
        this.map.getContainer().classList.toggle('has-basemap', Boolean(which));
        if (changed) this.onChange(this);
    }

    setNote(note) {
        this.note = note;
        this.onChange(this);
    }
}

/** The basemap wired to the Layers tab's radio buttons and the state. Returns { basemap, setBasemap }. */
export function initBasemap(app, local) {
    const { map, config, state, style } = app;
    const note = document.getElementById('basemap-note');
    const radios = [...document.querySelectorAll('input[name=basemap]')];
    document.getElementById('basemap-local-choice').hidden = !local;
    const basemap = new Basemap(map, config.basemap, {
        pane: 'tilePane',
        local,
        fontFamily: style.fontFamily,
        onChange: (b) => {
            note.replaceChildren(...(b.note ? t(b.note.key, b.note.params).filter(Boolean) : []));
            const shown = state.basemapChoice === 'local' && !local ? 'plain' : state.basemapChoice || b.active || 'plain';
            for (const r of radios) r.checked = r.value === shown;
            const name = document.getElementById('basemap-name');
            if (name.dataset.name !== b.name) {
                name.dataset.name = b.name;
                name.replaceChildren(...t('basemap.osm', { name: b.name }).filter(Boolean));
            }
        },
    });
    const setBasemap = (choice) => {
        state.basemapChoice = choice;
        basemap.apply(choice);
    };
    basemap.apply(state.basemapChoice);
    for (const r of radios) {
        r.addEventListener('change', () => {
            if (!r.checked) return;
            setBasemap(r.value);
            app.writeHash();
        });
    }
    return { basemap, setBasemap };
}

// The OpenStreetMap raster basemap, and the plain background without it.
//
// A browser cannot find out whether a remote tile server is reachable without
// requesting something from it, and a failed request is logged by the browser
// itself ("Failed to load resource: net::ERR_NAME_NOT_RESOLVED"): no page code
// can hide that line. navigator.onLine is no help either: it stays true on a
// machine that has a network interface but no route out. So the page requests
// OSM only when it has a reason to expect success:
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

export class Basemap {
    constructor(map, config, { pane, onChange } = {}) {
        this.map = map;
        this.cfg = config || {};
        this.onChange = onChange || (() => {});
        this.layer = null;
        this.active = false;
        this.note = '';
        this.probeResult = null; // null = not probed, true/false
        this.pane = pane;
        this.generation = 0;
        window.addEventListener('online', () => {
            if (this.wanted && !this.active) this.apply(this.choice);
        });
    }

    get available() {
        return Boolean(this.cfg.tiles);
    }

    /** choice: 'osm' | 'plain' | null (use config default) */
    async apply(choice) {
        this.choice = choice;
        const gen = ++this.generation;
        const mode = choice === 'osm' ? 'on' : choice === 'plain' ? 'off' : this.cfg.default || 'auto';
        let want = false;
        let probe = false;
        let note = '';
        if (!this.available) {
            note = 'No basemap is configured (config.json).';
        } else if (mode === 'off') {
            note = '';
        } else if (mode === 'on') {
            want = true;
            probe = this.probeResult !== true;
        } else if (this.cfg.reachable === true) {
            want = true;
        } else {
            note = 'Plain background: choose OpenStreetMap to load the basemap when you are online.';
        }
        this.wanted = want;
        if (want && navigator.onLine === false) {
            want = false;
            note = 'The browser is offline: plain background.';
        }
        if (want && probe) {
            this.setNote('Checking whether OpenStreetMap can be reached…');
            this.probeResult = await this.probe();
            if (gen !== this.generation) return;
            if (!this.probeResult) {
                want = false;
                note = `${this.cfg.name || 'The basemap'} could not be reached: plain background.`;
            }
        }
        if (gen !== this.generation) return;
        this.show(want);
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

    show(on) {
        if (on && !this.layer) {
            this.layer = L.tileLayer(this.cfg.tiles, {
                maxZoom: this.cfg.maxzoom || 19,
                maxNativeZoom: this.cfg.maxzoom || 19,
                attribution: this.cfg.attribution || '',
                className: 'basemap-tiles',
                pane: this.pane,
            });
        }
        if (on && !this.map.hasLayer(this.layer)) this.layer.addTo(this.map);
        if (!on && this.layer && this.map.hasLayer(this.layer)) this.map.removeLayer(this.layer);
        const changed = this.active !== on;
        this.active = on;
        this.map.getContainer().classList.toggle('has-basemap', on);
        if (changed) this.onChange(this);
    }

    setNote(text) {
        this.note = text;
        this.onChange(this);
    }
}

/** The basemap wired to the Layers tab's radio buttons and the state. Returns setBasemap(choice). */
export function initBasemap(app) {
    const { map, config, state } = app;
    const note = document.getElementById('basemap-note');
    const radios = [...document.querySelectorAll('input[name=basemap]')];
    const basemap = new Basemap(map, config.basemap, {
        pane: 'tilePane',
        onChange: (b) => {
            note.textContent = b.note;
            for (const r of radios) r.checked = r.value === (state.basemapChoice || (b.active ? 'osm' : 'plain'));
            document.getElementById('basemap-name').textContent = config.basemap?.name || 'OpenStreetMap';
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

// The permalink: what the map shows, in the URL hash.
//
//   #map=11.25/39.25297/117.16679&layers=boundaries,industry&cats=frame,industry&bm=osm&sel=industry/1
//
//   map     zoom/latitude/longitude
//   layers  the visible collections (absent: all)
//   cats    the visible categories (absent: all)
//   bm      basemap chosen by the user: local (the server's) | osm | plain (absent: the default)
//   sel     the feature whose popup is open: collection/featureId

const SAFE = /[^A-Za-z0-9_.~\-]/g; // everything else is percent-encoded inside a value
const enc = (s) => String(s).replace(SAFE, (c) => encodeURIComponent(c));

export function parseHash(hash) {
    const out = {};
    const text = (hash || '').replace(/^#/, '');
    if (!text) return out;
    for (const part of text.split('&')) {
        const i = part.indexOf('=');
        if (i < 0) continue;
        const key = part.slice(0, i);
        let value;
        try {
            value = decodeURIComponent(part.slice(i + 1));
        } catch {
            continue;
        }
        if (key === 'map') {
            const [z, lat, lng] = value.split('/').map(Number);
            if ([z, lat, lng].every(Number.isFinite) && Math.abs(lat) <= 90 && Math.abs(lng) <= 540 && z >= 0 && z <= 24) {
                out.view = { zoom: z, lat, lng };
            }
        } else if (key === 'layers' || key === 'cats') {
            out[key] = value === '' ? [] : value.split(',').filter(Boolean);
        } else if (key === 'bm') {
            if (value === 'osm' || value === 'plain' || value === 'local') out.basemap = value;
        } else if (key === 'sel') {
            const j = value.lastIndexOf('/');
            if (j > 0 && j < value.length - 1) out.selected = { collection: value.slice(0, j), id: value.slice(j + 1) };
        }
    }
    return out;
}

/** state: { view: {zoom, lat, lng}, layers?: [...], cats?: [...], basemap?: 'local'|'osm'|'plain', selected?: {collection, id} } */
export function formatHash(state) {
    const parts = [];
    if (state.view) {
        const { zoom, lat, lng } = state.view;
        // 5 decimals: ~1 m; enough for any zoom the map offers
        parts.push(`map=${Math.round(zoom * 100) / 100}/${lat.toFixed(5)}/${lng.toFixed(5)}`);
    }
    if (state.layers) parts.push(`layers=${state.layers.map(enc).join(',')}`);
    if (state.cats) parts.push(`cats=${state.cats.map(enc).join(',')}`);
    if (state.basemap) parts.push(`bm=${enc(state.basemap)}`);
    if (state.selected) parts.push(`sel=${enc(state.selected.collection)}/${enc(state.selected.id)}`);
    return parts.length ? `#${parts.join('&')}` : '';
}

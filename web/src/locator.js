// A locator inset: the district's outline (from the data: the fit
// collection's area) with the part of it the map shows now, once the map is
// zoomed in past the district view. It makes no claim beyond the data: no
// neighbours, no city centre, only where this view lies in the district.
// Activating it goes back to the district view.

import { el } from './dom.js';
import { text } from './messages.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 96;
const H = 72;
const PAD = 4;

/** app: { map, state }; home(): shows the district view. Returns update(). */
export function addLocator({ map, state }, home) {
    const Locator = L.Control.extend({
        options: { position: 'bottomleft' },
        onAdd() {
            const button = el('button', { type: 'button', class: 'locator', hidden: true, 'aria-label': text('locator.label'), title: text('locator.label') });
            L.DomEvent.disableClickPropagation(button);
            button.addEventListener('click', home);
            return button;
        },
    });
    const button = new Locator().addTo(map).getContainer();
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', W);
    svg.setAttribute('height', H);
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('aria-hidden', 'true');
    const outline = document.createElementNS(SVG, 'path');
    outline.setAttribute('class', 'locator-area');
    outline.setAttribute('fill-rule', 'evenodd');
    const view = document.createElementNS(SVG, 'rect');
    view.setAttribute('class', 'locator-view');
    svg.append(outline, view);
    button.append(svg);

    let frame = null; // lon/lat → inset pixels, from the district's bounds
    function layout() {
        const area = state.clipArea;
        if (!area) return false;
        const rings = (area.type === 'Polygon' ? [area.coordinates] : area.coordinates).flat();
        const pts = rings.flat();
        const [minX, maxX] = [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))];
        const [minY, maxY] = [Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1]))];
        const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180); // a degree of longitude is shorter
        const scale = Math.min((W - 2 * PAD) / ((maxX - minX) * k), (H - 2 * PAD) / (maxY - minY));
        const ox = (W - (maxX - minX) * k * scale) / 2;
        const oy = (H - (maxY - minY) * scale) / 2;
        frame = { x: (lon) => ox + (lon - minX) * k * scale, y: (lat) => oy + (maxY - lat) * scale, bounds: L.latLngBounds([minY, minX], [maxY, maxX]) };
        outline.setAttribute('d', rings.map((r) => `M${r.map(([x, y]) => `${frame.x(x).toFixed(1)},${frame.y(y).toFixed(1)}`).join('L')}Z`).join(''));
        return true;
    }

    function update() {
        if (!frame && !layout()) return;
        const b = map.getBounds();
        // only when the view no longer shows the whole district
        const show = !b.contains(frame.bounds) && b.intersects(frame.bounds);
        button.hidden = !show;
        if (!show) return;
        const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
        const x0 = clamp(frame.x(b.getWest()), 0, W);
        const x1 = clamp(frame.x(b.getEast()), 0, W);
        const y0 = clamp(frame.y(b.getNorth()), 0, H);
        const y1 = clamp(frame.y(b.getSouth()), 0, H);
        view.setAttribute('x', x0);
        view.setAttribute('y', y0);
        view.setAttribute('width', Math.max(3, x1 - x0));
        view.setAttribute('height', Math.max(3, y1 - y0));
    }
    map.on('moveend', update);
    return update;
}

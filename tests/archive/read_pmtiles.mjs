// Reads a PMTiles archive with the pmtiles npm package (a reader nobody here
// wrote) and compares every tile of the archive's zooms and bounds with what
// the running server sends for the same z/x/y: present in the archive
// exactly when the server answers 200, the decoded bytes equal to the
// server's plain response and the stored bytes equal to its gzip response.
//
//   node read_pmtiles.mjs ARCHIVE.pmtiles http://127.0.0.1:PORT [/tiles]
// Prints one JSON line of counts; exits 1 on the first difference.
import { open } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { Compression, PMTiles } from 'pmtiles';

const [archivePath, base, prefix = '/tiles'] = process.argv.slice(2);

class NodeFileSource {
    constructor(path, handle) {
        this.path = path;
        this.handle = handle;
    }
    getKey() {
        return this.path;
    }
    async getBytes(offset, length) {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await this.handle.read(buffer, 0, length, offset);
        return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + bytesRead) };
    }
}

// The package's own gzip path, but remembering the last compressed buffer:
// getZxy decompresses the tile last, so after it this holds the stored bytes.
let lastCompressed = null;
async function decompress(buffer, compression) {
    if (compression === Compression.None || compression === Compression.Unknown) return buffer;
    if (compression !== Compression.Gzip) throw new Error(`unexpected compression ${compression}`);
    lastCompressed = Buffer.from(buffer);
    const out = gunzipSync(Buffer.from(buffer));
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
}

function fail(message) {
    console.error(`read_pmtiles: ${message}`);
    process.exit(1);
}

const lonToX = (lon, z) => Math.floor(((lon + 180) / 360) * 2 ** z);
const latToY = (lat, z) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
};
const clamp = (v, z) => Math.min(Math.max(v, 0), 2 ** z - 1);

const handle = await open(archivePath, 'r');
const archive = new PMTiles(new NodeFileSource(archivePath, handle), undefined, decompress);
const header = await archive.getHeader();
const metadata = await archive.getMetadata();
if (header.tileType !== 1) fail(`tile type ${header.tileType}, expected MVT (1)`);
if (header.tileCompression !== Compression.Gzip) fail(`tile compression ${header.tileCompression}, expected gzip`);
if (!header.clustered) fail('archive is not clustered');
if (!Array.isArray(metadata.vector_layers) || metadata.vector_layers.length === 0) fail('metadata has no vector_layers');

const counts = { checked: 0, tiles: 0, empty: 0, bytes: 0, layers: metadata.vector_layers.map((l) => l.id) };
for (let z = header.minZoom; z <= header.maxZoom; z++) {
    const x0 = clamp(lonToX(header.minLon, z), z);
    const x1 = clamp(lonToX(header.maxLon, z), z);
    const y0 = clamp(latToY(header.maxLat, z), z);
    const y1 = clamp(latToY(header.minLat, z), z);
    for (let x = x0; x <= x1; x++) {
        for (let y = y0; y <= y1; y++) {
            const where = `${z}/${x}/${y}`;
            lastCompressed = null;
            const found = await archive.getZxy(z, x, y);
            const plain = await fetch(`${base}${prefix}/${where}.mvt`, { headers: { 'Accept-Encoding': 'identity' } });
            const served = Buffer.from(await plain.arrayBuffer());
            counts.checked++;
            if (plain.status === 204) {
                if (found) fail(`${where}: the archive has a tile, the server says it is empty`);
                counts.empty++;
                continue;
            }
            if (plain.status !== 200) fail(`${where}: server answered ${plain.status}`);
            if (!found) fail(`${where}: the server has a tile of ${served.length} bytes, the archive none`);
            const decoded = Buffer.from(found.data);
            if (!decoded.equals(served)) fail(`${where}: decoded ${decoded.length} bytes differ from the server's ${served.length}`);
            // Node's fetch would inflate a gzip body: ask with a raw HTTP request instead.
            const zipped = await new Promise((resolve, reject) => {
                import('node:http').then(({ get }) =>
                    get(`${base}${prefix}/${where}.mvt`, { headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
                        const chunks = [];
                        response.on('data', (c) => chunks.push(c));
                        response.on('end', () => resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }));
                    }).on('error', reject),
                );
            });
            if (zipped.encoding !== 'gzip') fail(`${where}: the server did not send gzip`);
            if (!lastCompressed || !lastCompressed.equals(zipped.body)) fail(`${where}: stored gzip bytes differ from the server's gzip response`);
            counts.tiles++;
            counts.bytes += decoded.length;
        }
    }
}
await handle.close();
console.log(JSON.stringify({ ...counts, header: { minZoom: header.minZoom, maxZoom: header.maxZoom, tileContents: header.numTileContents, addressed: header.numAddressedTiles } }));

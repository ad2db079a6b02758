// Decodes MVT files with @mapbox/vector-tile and prints one JSON document:
//   node decode.mjs a.mvt b.mvt …  →  {"a.mvt": {"layer": {"extent", "features": [...]}}, …}
// Each feature: id, type (1 point, 2 line, 3 polygon), properties, and
// geometry as the raw rings/lines in tile coordinates (loadGeometry), so
// that the test can check winding and positions itself. A file that does
// not decode is reported as {"error": "..."}.
import { readFileSync } from "node:fs";
import { VectorTile } from "@mapbox/vector-tile";
import Protobuf from "pbf";

const out = {};
for (const file of process.argv.slice(2)) {
  try {
    const tile = new VectorTile(new Protobuf(readFileSync(file)));
    const layers = {};
    for (const [name, layer] of Object.entries(tile.layers)) {
      const features = [];
      for (let i = 0; i < layer.length; i++) {
        const f = layer.feature(i);
        features.push({
          id: f.id,
          type: f.type,
          properties: f.properties,
          geometry: f.loadGeometry().map((part) => part.map((p) => [p.x, p.y])),
        });
      }
      layers[name] = { version: layer.version, extent: layer.extent, features };
    }
    out[file] = layers;
  } catch (error) {
    out[file] = { error: String(error) };
  }
}
process.stdout.write(JSON.stringify(out));

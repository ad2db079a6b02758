"""OGC API – Tiles 1.0 over real HTTP on the shipped Beichen data, checked
against the standards' own artefacts (tests/fixtures/tms): the tile matrix
set must reproduce the registered WebMercatorQuad, the tileset documents
must validate against the 2D Tile Matrix Set 2.0 JSON Schemas, and each
requirement of the Tiles conformance classes the server declares is
checked here (links and relation types, limits, 404 outside them, 204 for
an empty tile, OpenAPI operationIds). Tiles read through the new URLs are
byte for byte those of /tiles/{z}/{x}/{y}.mvt and are decoded by
@mapbox/vector-tile, a decoder nobody here wrote."""
import json
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
from pathlib import Path

from jsonschema import Draft201909Validator, RefResolver

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, shipped_gpkg  # noqa: E402

TMS = Path(__file__).resolve().parents[1] / "fixtures" / "tms"
DECODER = Path(__file__).resolve().parents[1] / "tiles" / "decode.mjs"
TILES = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"
REL = "http://www.opengis.net/def/rel/ogc/1.0/"
MVT = "application/vnd.mapbox-vector-tile"


def validator(schema_file):
    schema = json.loads((TMS / "schema" / schema_file).read_text())
    resolver = RefResolver(base_uri=(TMS / "schema").as_uri() + "/", referrer=schema)
    return Draft201909Validator(schema, resolver=resolver)


class OgcTilesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RunningServer(shipped_gpkg()).__enter__()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, f"server exit code {code}\n{cls.server.log()}"

    def get(self, path, expect=200):
        status, head, body = self.server.request(path)
        self.assertEqual(status, expect, f"{path}: {body[:300]!r}")
        return head, body

    def get_json(self, path, expect=200):
        head, body = self.get(path, expect)
        return head, json.loads(body)

    def relative(self, href):
        parts = urllib.parse.urlsplit(href)
        self.assertEqual(parts.netloc, f"127.0.0.1:{self.server.port}")
        return parts.path + ("?" + parts.query if parts.query else "")

    def links(self, document, rel):
        return [link for link in document["links"] if link["rel"] == rel]

    def collections(self):
        _, doc = self.get_json("/collections")
        return [c["id"] for c in doc["collections"]]

    def test_tile_matrix_set_is_the_registered_webmercatorquad(self):
        _, listing = self.get_json("/tileMatrixSets")
        (entry,) = listing["tileMatrixSets"]
        self.assertEqual(entry["id"], "WebMercatorQuad")
        self.assertEqual(entry["uri"], "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad")
        (link,) = self.links(entry, REL + "tiling-scheme")
        _, tms = self.get_json(self.relative(link["href"]))
        validator("tileMatrixSet.json").validate(tms)
        registered = json.loads((TMS / "WebMercatorQuad.json").read_text())
        for key in ("id", "uri", "crs", "orderedAxes", "wellKnownScaleSet"):
            self.assertEqual(tms[key], registered[key], key)
        self.assertEqual(len(tms["tileMatrices"]), len(registered["tileMatrices"]))
        for ours, theirs in zip(tms["tileMatrices"], registered["tileMatrices"]):
            for key in ("id", "tileWidth", "tileHeight", "matrixWidth", "matrixHeight"):
                self.assertEqual(ours[key], theirs[key], key)
            for key in ("scaleDenominator", "cellSize"):
                self.assertAlmostEqual(ours[key] / theirs[key], 1, delta=1e-12, msg=key)
            for a, b in zip(ours["pointOfOrigin"], theirs["pointOfOrigin"]):
                self.assertAlmostEqual(a, b, delta=1e-6)
        self.get_json("/tileMatrixSets/WorldCRS84Quad", expect=404)

    def test_landing_page_collections_and_conformance_link_the_tilesets(self):
        _, landing = self.get_json("/")
        (tiles,) = self.links(landing, REL + "tilesets-vector")
        self.assertEqual(self.relative(tiles["href"]), "/tiles")
        (schemes,) = self.links(landing, REL + "tiling-schemes")
        self.assertEqual(self.relative(schemes["href"]), "/tileMatrixSets")
        for collection in self.collections():
            _, doc = self.get_json(f"/collections/{collection}")
            (link,) = self.links(doc, REL + "tilesets-vector")
            self.assertEqual(self.relative(link["href"]), f"/collections/{collection}/tiles")
        _, conformance = self.get_json("/conformance")
        declared = {c for c in conformance["conformsTo"] if c.startswith(TILES)}
        self.assertEqual(declared, {TILES + c for c in ("core", "tileset", "tilesets-list", "dataset-tilesets",
                                                        "geodata-tilesets", "mvt", "oas30")})

    def tilesets_of(self, tiles_path):
        _, listing = self.get_json(tiles_path)
        (entry,) = listing["tilesets"]
        # /req/tilesets-list/tileset-links
        self.assertEqual(entry["dataType"], "vector")
        self.assertEqual(entry["crs"], "http://www.opengis.net/def/crs/EPSG/0/3857")
        self.assertEqual(entry["tileMatrixSetURI"], "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad")
        self.assertTrue(self.links(entry, REL + "tiling-scheme"))
        (self_link,) = self.links(entry, "self")
        _, tileset = self.get_json(self.relative(self_link["href"]))
        validator("tileSet.json").validate(tileset)
        return tileset

    def check_tileset(self, tiles_path, tile_path_of_xyz):
        tileset = self.tilesets_of(tiles_path)
        (item,) = self.links(tileset, "item")
        self.assertTrue(item["templated"])
        self.assertEqual(item["type"], MVT)
        template = self.relative(item["href"])
        self.assertTrue(template.endswith("/{tileMatrix}/{tileRow}/{tileCol}"), template)
        self.assertTrue(self.links(tileset, REL + "tiling-scheme"))
        limits = {int(l["tileMatrix"]): l for l in tileset["tileMatrixSetLimits"]}
        self.assertEqual(sorted(limits), list(range(23)))
        compared, decoded_files = 0, []
        with tempfile.TemporaryDirectory() as tmp:
            for z in (4, 9, 12, 14):
                limit = limits[z]
                rows = range(limit["minTileRow"], limit["maxTileRow"] + 1)
                cols = range(limit["minTileCol"], limit["maxTileCol"] + 1)
                for row in list(rows)[:4]:
                    for col in list(cols)[:4]:
                        url = template.replace("{tileMatrix}", str(z)).replace("{tileRow}", str(row)).replace(
                            "{tileCol}", str(col))
                        status, head, body = self.server.request(url)
                        old_status, old_head, old_body = self.server.request(tile_path_of_xyz(z, col, row))
                        self.assertEqual((status, body), (old_status, old_body), url)
                        self.assertIn(status, (200, 204), url)
                        if status == 200:
                            self.assertEqual(head["content-type"], MVT)
                            self.assertEqual(head["etag"], old_head["etag"])
                            path = Path(tmp) / f"{z}-{row}-{col}.mvt"
                            path.write_bytes(body)
                            decoded_files.append(str(path))
                        compared += 1
                # /req/core/tc-error: outside the limits is a 404 with a JSON error.
                outside_row = limit["maxTileRow"] + 1
                if outside_row < 2 ** z:
                    url = template.replace("{tileMatrix}", str(z)).replace("{tileRow}", str(outside_row)).replace(
                        "{tileCol}", str(limit["minTileCol"]))
                    status, _, body = self.server.request(url)
                    self.assertEqual(status, 404, url)
                    self.assertIn("outside the tileset's limits", json.loads(body)["description"])
            self.assertTrue(decoded_files, tiles_path)
            result = subprocess.run(["node", str(DECODER)] + decoded_files, capture_output=True, text=True,
                                    timeout=120, check=True)
            decoded = json.loads(result.stdout)
            layer_ids = {layer["id"] for layer in tileset["layers"]}
            features = 0
            for file, layers in decoded.items():
                self.assertNotIn("error", layers, file)
                self.assertLessEqual(set(layers), layer_ids, file)
                for layer in layers.values():
                    self.assertEqual(layer["extent"], 4096)
                    features += len(layer["features"])
            self.assertGreater(features, 0, tiles_path)
        self.assertGreaterEqual(compared, 4)
        return tileset

    def test_dataset_tileset(self):
        tileset = self.check_tileset("/tiles", lambda z, x, y: f"/tiles/{z}/{x}/{y}.mvt")
        self.assertEqual({layer["id"] for layer in tileset["layers"]}, set(self.collections()))

    def test_collection_tilesets(self):
        for collection in self.collections():
            with self.subTest(collection):
                tileset = self.check_tileset(f"/collections/{collection}/tiles",
                                             lambda z, x, y, c=collection: f"/tiles/{c}/{z}/{x}/{y}.mvt")
                (layer,) = tileset["layers"]
                self.assertEqual(layer["id"], collection)

    def test_errors(self):
        _, doc = self.get_json("/tiles/WebMercatorQuad/23/0/0", expect=404)
        self.assertIn("zoom levels are 0 to 22", doc["description"])
        _, doc = self.get_json("/tiles/WebMercatorQuad/5/x/0", expect=400)
        self.assertIn("invalid parameter 'tileRow'", doc["description"])
        _, doc = self.get_json("/tiles/WebMercatorQuad/2/0/9", expect=404)
        self.assertIn("outside the pyramid", doc["description"])
        self.get_json("/tiles/WorldCRS84Quad/0/0/0", expect=404)
        self.get_json("/collections/nowhere/tiles", expect=404)
        self.get_json("/tiles?f=mvt", expect=400)

    def test_openapi_operation_ids(self):
        _, api = self.get_json("/api")
        paths = api["paths"]
        expected = {
            "/tiles": ".dataset.vector.getTileSetsList",
            "/tiles/{tileMatrixSetId}": ".dataset.vector.getTileSet",
            "/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}": ".dataset.vector.getTile",
            "/collections/{collectionId}/tiles": ".collection.vector.getTileSetsList",
            "/collections/{collectionId}/tiles/{tileMatrixSetId}": ".collection.vector.getTileSet",
            "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}":
                ".collection.vector.getTile",
        }
        for path, suffix in expected.items():
            self.assertTrue(paths[path]["get"]["operationId"].endswith(suffix), path)
        for name in ("tileMatrix", "tileRow", "tileCol", "tileMatrixSetId"):
            self.assertIn(name, api["components"]["parameters"])
        self.assertIn("/tileMatrixSets/{tileMatrixSetId}", paths)


if __name__ == "__main__":
    unittest.main()

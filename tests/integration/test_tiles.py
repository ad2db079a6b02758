"""Every tile of the shipped data set, z0–z14, fetched over HTTP from the
real server and decoded by two independent decoders — GDAL's MVT driver and
@mapbox/vector-tile (npm) — then checked against the OGC API's GeoJSON of
the same features:
- each layer holds exactly the features that intersect the buffered tile,
  less those smaller than a pixel (the server's documented rule);
- decoded vertices lie within one tile unit of the source projected into
  tile space;
- polygons are valid, exterior rings clockwise (y down), holes after them;
- attribute values equal the GeoJSON API's;
- HTTP: content type, gzip exactly when asked, 204 for empty tiles, ETag/304."""
import gzip
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from osgeo import gdal, ogr, osr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, shipped_gpkg  # noqa: E402

ogr.UseExceptions()
gdal.UseExceptions()
DECODER = Path(__file__).resolve().parents[1] / "tiles" / "decode.mjs"
HALF_WORLD = 20037508.342789244
EXTENT, BUFFER, MIN_SIZE = 4096, 64, 16  # the server's defaults (TileOptions)
MAX_ZOOM = 14


def tile_range(west, south, east, north, z):
    n = 2 ** z

    def x_of(lon):
        return min(n - 1, max(0, int((lon + 180) / 360 * n)))

    def y_of(lat):
        lat = max(-85.05112878, min(85.05112878, lat))
        r = math.radians(lat)
        return min(n - 1, max(0, int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)))

    return range(x_of(west), x_of(east) + 1), range(y_of(north), y_of(south) + 1)


def tile_origin(z, x, y):
    size = 2 * HALF_WORLD / 2 ** z
    return -HALF_WORLD + x * size, HALF_WORLD - y * size, size


def ring_area2(ring):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1]))


def read_varint(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def layer_names(data):
    """Names of the Tile.layers messages, read from the raw protobuf."""
    names, pos = [], 0
    while pos < len(data):
        key, pos = read_varint(data, pos)
        length, pos = read_varint(data, pos)
        if key >> 3 == 3:
            layer, lpos = data[pos:pos + length], 0
            while lpos < len(layer):
                lkey, lpos = read_varint(layer, lpos)
                if lkey & 7 == 2:
                    llen, lpos = read_varint(layer, lpos)
                    if lkey >> 3 == 1:
                        names.append(layer[lpos:lpos + llen].decode())
                    lpos += llen
                elif lkey & 7 == 0:
                    _, lpos = read_varint(layer, lpos)
                else:
                    raise AssertionError(f"unexpected wire type in layer: {lkey}")
        pos += length
    return names


class TilePyramidTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RunningServer(shipped_gpkg()).__enter__()
        cls.tmp = tempfile.TemporaryDirectory()
        _, _, body = cls.server.request("/collections")
        cls.collections = [c["id"] for c in json.loads(body)["collections"]]
        wgs84 = osr.SpatialReference()
        wgs84.ImportFromEPSG(4326)
        wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        mercator = osr.SpatialReference()
        mercator.ImportFromEPSG(3857)
        to_mercator = osr.CoordinateTransformation(wgs84, mercator)
        cls.features = {}  # collection → {id: (properties, geometry in EPSG:3857, bbox lon/lat)}
        for collection in cls.collections:
            _, _, body = cls.server.request(f"/collections/{collection}/items?limit=10000")
            rows = {}
            for f in json.loads(body)["features"]:
                if f["geometry"] is None:
                    continue
                geometry = ogr.CreateGeometryFromJson(json.dumps(f["geometry"]))
                west, east, south, north = geometry.GetEnvelope()
                geometry.Transform(to_mercator)
                rows[f["id"]] = (f["properties"], geometry, (west, south, east, north))
            cls.features[collection] = rows
        cls.tiles = sorted({(z, x, y)
                            for rows in cls.features.values() for _, _, bbox in rows.values()
                            for z in range(MAX_ZOOM + 1)
                            for x in tile_range(*bbox, z)[0] for y in tile_range(*bbox, z)[1]})
        cls.fetched = {}  # (z, x, y) → path of the decoded-to-file tile, or None for 204
        for z, x, y in cls.tiles:
            status, head, body = cls.server.request(f"/tiles/{z}/{x}/{y}.mvt", headers={"Accept-Encoding": "gzip"})
            assert status in (200, 204), (z, x, y, status, body[:200])
            if status == 204:
                assert body == b"" and "content-encoding" not in head, (z, x, y)
                cls.fetched[(z, x, y)] = None
                continue
            assert head["content-type"] == "application/vnd.mapbox-vector-tile", head
            assert head["content-encoding"] == "gzip", head
            path = os.path.join(cls.tmp.name, f"{z}-{x}-{y}.mvt")
            with open(path, "wb") as out:
                out.write(gzip.decompress(body))
            cls.fetched[(z, x, y)] = path
        paths = [p for p in cls.fetched.values() if p]
        cls.decoded = {}
        for start in range(0, len(paths), 200):
            result = subprocess.run(["node", str(DECODER)] + paths[start:start + 200], capture_output=True,
                                    text=True, check=True, timeout=300)
            cls.decoded.update(json.loads(result.stdout))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()
        code = cls.server.stop()
        assert code == 0, f"server exit code {code}"

    def grid_geometry(self, geometry, z, x, y):
        """The EPSG:3857 geometry mapped affinely into the tile's grid (y down)."""
        ox, oy, size = tile_origin(z, x, y)
        scale = EXTENT / size
        grid = geometry.Clone()
        for part in range(max(1, grid.GetGeometryCount())):
            pass
        wkt = ogr.CreateGeometryFromWkt(grid.ExportToWkt())

        def walk(g):
            if g.GetGeometryCount() > 0 and g.GetGeometryType() not in (ogr.wkbLineString, ogr.wkbLinearRing):
                for i in range(g.GetGeometryCount()):
                    walk(g.GetGeometryRef(i))
                return
            for i in range(g.GetPointCount()):
                px, py = g.GetX(i), g.GetY(i)
                g.SetPoint_2D(i, (px - ox) * scale, (oy - py) * scale)

        walk(wkt)
        return wkt

    def expected_ids(self, collection, z, x, y):
        box = ogr.CreateGeometryFromWkt(
            f"POLYGON(({-BUFFER} {-BUFFER},{EXTENT + BUFFER} {-BUFFER},{EXTENT + BUFFER} {EXTENT + BUFFER},"
            f"{-BUFFER} {EXTENT + BUFFER},{-BUFFER} {-BUFFER}))")
        expected, degenerate_ok = set(), set()
        for fid, (_, geometry, _) in self.features[collection].items():
            grid = self.grid_geometry(geometry, z, x, y)
            if not grid.Intersects(box):
                continue
            dim = grid.GetDimension()
            if dim == 1:
                minx, maxx, miny, maxy = grid.Intersection(box).GetEnvelope()
                if maxx - minx < MIN_SIZE and maxy - miny < MIN_SIZE:
                    continue
            elif dim == 2:
                parts = [grid] if grid.GetGeometryType() == ogr.wkbPolygon else \
                    [grid.GetGeometryRef(i) for i in range(grid.GetGeometryCount())]
                big = [p for p in parts if p.Intersects(box) and (
                    lambda e: e[1] - e[0] >= MIN_SIZE or e[3] - e[2] >= MIN_SIZE)(p.GetGeometryRef(0).GetEnvelope())]
                if not big:
                    continue
                if sum(p.Intersection(box).GetArea() for p in big) < 4:
                    degenerate_ok.add(fid)  # may collapse on the integer grid
            expected.add(fid)
        return expected, degenerate_ok

    def test_pyramid_is_complete_and_nonempty(self):
        self.assertGreater(len(self.tiles), 100)
        with_data = [t for t, p in self.fetched.items() if p]
        self.assertGreater(len(with_data), 50)
        self.assertIsNotNone(self.fetched[(0, 0, 0)])

    def test_layers_are_unique_and_named_by_collection(self):
        for tile, path in self.fetched.items():
            if not path:
                continue
            with open(path, "rb") as f:
                names = layer_names(f.read())
            self.assertEqual(len(names), len(set(names)), tile)
            self.assertTrue(set(names) <= set(self.collections), (tile, names))

    def test_each_layer_holds_exactly_the_features_of_its_tile(self):
        checked = 0
        for (z, x, y), path in self.fetched.items():
            layers = self.decoded[path] if path else {}
            self.assertNotIn("error", layers, (z, x, y))
            for collection in self.collections:
                expected, degenerate_ok = self.expected_ids(collection, z, x, y)
                got = {f["id"] for f in layers.get(collection, {}).get("features", [])}
                self.assertTrue(got <= expected, ((z, x, y), collection, got - expected))
                self.assertTrue(expected - got <= degenerate_ok, ((z, x, y), collection, expected - got))
                checked += len(got)
        self.assertGreater(checked, 500)

    def test_positions_within_one_tile_unit(self):
        for (z, x, y), path in self.fetched.items():
            if not path:
                continue
            for collection, layer in self.decoded[path].items():
                self.assertEqual(layer["extent"], EXTENT)
                self.assertEqual(layer["version"], 2)
                for feature in layer["features"]:
                    source = self.grid_geometry(self.features[collection][feature["id"]][1], z, x, y)
                    for part in feature["geometry"]:
                        for px, py in part:
                            point = ogr.CreateGeometryFromWkt(f"POINT({px} {py})")
                            self.assertLessEqual(source.Distance(point), 1.0, ((z, x, y), collection, feature["id"]))

    def test_polygons_are_valid_with_mvt_winding(self):
        polygons = 0
        for (z, x, y), path in self.fetched.items():
            if not path:
                continue
            for collection, layer in self.decoded[path].items():
                for feature in layer["features"]:
                    if feature["type"] != 3:
                        continue
                    polygons += 1
                    rings = feature["geometry"]
                    self.assertGreater(ring_area2(rings[0][:-1]), 0, "first ring must be exterior")
                    multipolygon, current = ogr.Geometry(ogr.wkbMultiPolygon), None
                    for ring in rings:
                        self.assertEqual(ring[0], ring[-1])  # loadGeometry closes rings
                        distinct = {tuple(p) for p in ring}
                        self.assertGreaterEqual(len(distinct), 3)
                        for a, b in zip(ring, ring[1:]):
                            self.assertNotEqual(a, b, "zero-length move")
                        area = ring_area2(ring[:-1])
                        self.assertNotEqual(area, 0)
                        linear = ogr.Geometry(ogr.wkbLinearRing)
                        for px, py in ring:
                            linear.AddPoint_2D(px, py)
                        if area > 0:
                            current = ogr.Geometry(ogr.wkbPolygon)
                            multipolygon.AddGeometry(current)
                            current = multipolygon.GetGeometryRef(multipolygon.GetGeometryCount() - 1)
                        current.AddGeometry(linear)
                    self.assertTrue(multipolygon.IsValid(), ((z, x, y), collection, feature["id"]))
        self.assertGreater(polygons, 20)

    def test_attributes_equal_the_geojson_api(self):
        for path in filter(None, self.fetched.values()):
            for collection, layer in self.decoded[path].items():
                for feature in layer["features"]:
                    api = {k: v for k, v in self.features[collection][feature["id"]][0].items() if v is not None}
                    got = feature["properties"]
                    self.assertEqual(set(got), set(api), collection)
                    for key, value in api.items():
                        if isinstance(value, float):
                            self.assertAlmostEqual(got[key], value, places=9)
                        else:
                            self.assertEqual(got[key], value, (collection, key))

    def test_gdal_decodes_the_same_features(self):
        for (z, x, y), path in self.fetched.items():
            if not path or z > 12:
                continue
            dataset = gdal.OpenEx(f"MVT:{path}", gdal.OF_VECTOR, open_options=[f"X={x}", f"Y={y}", f"Z={z}"])
            gdal_counts = {dataset.GetLayer(i).GetName(): dataset.GetLayer(i).GetFeatureCount()
                           for i in range(dataset.GetLayerCount())}
            node_counts = {name: len(layer["features"]) for name, layer in self.decoded[path].items()}
            self.assertEqual(gdal_counts, node_counts, (z, x, y))

    def test_http_contract(self):
        z, x, y = next(t for t, p in self.fetched.items() if p)
        status, head, body = self.server.request(f"/tiles/{z}/{x}/{y}.mvt")
        self.assertEqual(status, 200)
        self.assertNotIn("content-encoding", head)  # no gzip unless asked
        with open(self.fetched[(z, x, y)], "rb") as f:
            self.assertEqual(body, f.read())
        self.assertEqual(head["access-control-allow-origin"], "*")
        self.assertIn("max-age", head["cache-control"])
        status, _, _ = self.server.request(f"/tiles/{z}/{x}/{y}.mvt", headers={"If-None-Match": head["etag"]})
        self.assertEqual(status, 304)
        status, head, body = self.server.request("/tiles/14/0/0.mvt", headers={"Accept-Encoding": "gzip"})
        self.assertEqual((status, body), (204, b""))
        self.assertNotIn("content-encoding", head)
        for bad, code in [("/tiles/x/0/0.mvt", 400), ("/tiles/0/0/-1.mvt", 400), ("/tiles/23/0/0.mvt", 404),
                          ("/tiles/3/8/0.mvt", 404), ("/tiles/3/0/8.mvt", 404), ("/tiles/99999999999/0/0.mvt", 400),
                          ("/tiles/nope/0/0/0.mvt", 404), ("/tiles/0/0/0.png", 404)]:
            status, head, body = self.server.request(bad)
            self.assertEqual(status, code, bad)
            self.assertEqual(head["content-type"], "application/json", bad)
            self.assertTrue(json.loads(body)["description"], bad)
        status, _, body = self.server.request("/tiles/23/0/0.mvt")
        self.assertIn("0 to 22", json.loads(body)["description"])

    def test_single_collection_tiles_and_overzoom(self):
        status, _, body = self.server.request("/tiles/industry/0/0/0.mvt")
        self.assertEqual(status, 200)
        self.assertEqual(layer_names(body), ["industry"])
        # Zoom 22, over the first industry feature: answered, not refused.
        props, geometry, (west, south, _, _) = next(iter(self.features["industry"].values()))
        xs, ys = tile_range(west, south, west, south, 22)
        status, _, body = self.server.request(f"/tiles/industry/22/{xs[0]}/{ys[0]}.mvt")
        self.assertEqual(status, 200)

    def test_tilejson(self):
        status, head, body = self.server.request("/tiles.json", headers={"Host": "maps.example.org"})
        self.assertEqual(status, 200)
        doc = json.loads(body)
        self.assertEqual(doc["tilejson"], "3.0.0")
        # The data version rides on the URL (test_tile_versions.py): a generation and this run's id.
        self.assertRegex(doc["tiles"][0], r"^http://maps\.example\.org/tiles/\{z\}/\{x\}/\{y\}\.mvt\?v=1-[0-9a-f]{8}$")
        self.assertEqual(len(doc["tiles"]), 1)
        self.assertEqual([l["id"] for l in doc["vector_layers"]], self.collections)
        self.assertEqual(doc["maxzoom"], MAX_ZOOM)
        self.assertIn("OpenStreetMap", doc["attribution"])
        west, south, east, north = doc["bounds"]
        lon, lat, zoom = doc["center"]
        self.assertTrue(116.9 < lon < 117.5 and 39.1 < lat < 39.4, doc["center"])  # Beichen, not Tibet
        self.assertTrue(8 <= zoom <= 11)
        _, _, body = self.server.request("/tiles/industry.json", headers={"X-Forwarded-Proto": "https",
                                                                          "X-Forwarded-Host": "gis.example.org"})
        single = json.loads(body)
        self.assertEqual(single["tiles"], [f"https://gis.example.org/tiles/industry/{{z}}/{{x}}/{{y}}.mvt?v={doc['tiles'][0].split('?v=')[1]}"])
        self.assertEqual(len(single["vector_layers"]), 1)
        self.assertEqual(single["vector_layers"][0]["fields"]["target_year"], "Number")


if __name__ == "__main__":
    unittest.main()

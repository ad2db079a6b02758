"""Strict checks of what the server answers, shared by the bad-data and
hostile-data suites: JSON as RFC 8259 says (UTF-8, no NaN/Infinity, no
duplicate keys, no lone surrogates), GeoJSON geometry as RFC 7946 says
(positions of finite lon/lat, lines of ≥ 2 positions, closed rings of ≥ 4,
no empty members, exterior rings counter-clockwise), TileJSON bounds and
centre that MapLibre accepts, and MVT tiles decoded by an independent
decoder (@mapbox/vector-tile, tests/tiles/decode.mjs).

Each check raises AssertionError naming where the problem is."""
import json
import math
import subprocess
import tempfile
from pathlib import Path

DECODER = Path(__file__).resolve().parents[1] / "tiles" / "decode.mjs"
MAX_MERCATOR_LATITUDE = 85.0511287798066


def fail(where, what):
    raise AssertionError(f"{where}: {what}")


def strict_json(body, where="body"):
    """Parses a response body as strict JSON; returns the document."""
    try:
        text = body.decode("utf-8")  # strict: invalid UTF-8 raises
    except UnicodeDecodeError as error:
        fail(where, f"not UTF-8: {error}")

    def no_constant(name):
        fail(where, f"non-standard JSON constant {name}")

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        if len(keys) != len(set(keys)):
            fail(where, f"duplicate keys in an object: {sorted(k for k in keys if keys.count(k) > 1)[:5]}")
        return dict(pairs)

    try:
        document = json.loads(text, parse_constant=no_constant, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as error:
        fail(where, f"not JSON: {error}")
    check_text(document, where)
    return document


def check_text(value, where):
    """Every string (keys too) is Unicode that UTF-8 can carry (no lone surrogates)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                fail(where, f"a string with a lone surrogate: {item[:40]!r}")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, float) and not math.isfinite(item):
            fail(where, f"a non-finite number {item}")


def check_position(position, where):
    if not isinstance(position, list) or len(position) < 2:
        fail(where, f"a position must be [lon, lat]: {position!r}"[:200])
    for number in position:
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
            fail(where, f"a coordinate that is no finite number: {position!r}"[:200])
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        fail(where, f"a position outside lon -180..180, lat -90..90: {position!r}")


def signed_area2(ring):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:]))


def check_line(line, where):
    if not isinstance(line, list) or len(line) < 2:
        fail(where, f"a line of {len(line) if isinstance(line, list) else line!r} positions (RFC 7946: ≥ 2)")
    for position in line:
        check_position(position, where)


def check_polygon(rings, where):
    if not isinstance(rings, list) or not rings:
        fail(where, "a polygon without rings")
    for index, ring in enumerate(rings):
        if not isinstance(ring, list) or len(ring) < 4:
            fail(where, f"ring {index} has {len(ring) if isinstance(ring, list) else ring!r} positions (RFC 7946: ≥ 4)")
        for position in ring:
            check_position(position, where)
        if ring[0] != ring[-1]:
            fail(where, f"ring {index} is not closed")
        area = signed_area2(ring)
        if index == 0 and area < 0:
            fail(where, "exterior ring clockwise (RFC 7946: counter-clockwise)")
        if index > 0 and area > 0:
            fail(where, f"hole {index} counter-clockwise (RFC 7946: clockwise)")


def check_geometry(geometry, where):
    """An RFC 7946 geometry, or null."""
    if geometry is None:
        return
    if not isinstance(geometry, dict) or "type" not in geometry:
        fail(where, f"not a geometry object: {str(geometry)[:100]}")
    kind = geometry["type"]
    if kind == "GeometryCollection":
        members = geometry.get("geometries")
        if not isinstance(members, list) or not members:
            fail(where, "a GeometryCollection without geometries")
        for member in members:
            check_geometry(member, where)
        return
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        check_position(coordinates, where)
    elif kind == "LineString":
        check_line(coordinates, where)
    elif kind == "Polygon":
        check_polygon(coordinates, where)
    elif kind in ("MultiPoint", "MultiLineString", "MultiPolygon"):
        if not isinstance(coordinates, list) or not coordinates:
            fail(where, f"a {kind} without members")
        for member in coordinates:
            {"MultiPoint": check_position, "MultiLineString": check_line, "MultiPolygon": check_polygon}[kind](
                member, where)
    else:
        fail(where, f"unknown geometry type {kind!r}")
    if "bbox" in geometry:
        check_bbox(geometry["bbox"], where)


def check_bbox(bbox, where):
    if not isinstance(bbox, list) or len(bbox) not in (4, 6):
        fail(where, f"bbox {bbox!r}")
    for number in bbox:
        if not isinstance(number, (int, float)) or not math.isfinite(number):
            fail(where, f"bbox {bbox!r}")


def check_feature(feature, where):
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        fail(where, "not a Feature")
    if "id" in feature and not isinstance(feature["id"], (int, str)):
        fail(where, f"id {feature['id']!r}")
    properties = feature.get("properties")
    if properties is not None and not isinstance(properties, dict):
        fail(where, "properties neither an object nor null")
    if "geometry" not in feature:
        fail(where, "no geometry member")
    check_geometry(feature["geometry"], f"{where} feature {feature.get('id')}")
    if "bbox" in feature:
        check_bbox(feature["bbox"], where)


def check_feature_collection(document, where):
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        fail(where, "not a FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list):
        fail(where, "features is not an array")
    for feature in features:
        check_feature(feature, where)
    if "numberReturned" in document and document["numberReturned"] != len(features):
        fail(where, f"numberReturned {document['numberReturned']} but {len(features)} features")
    return features


def check_tilejson(document, where):
    """TileJSON 3.0.0 whose bounds and centre MapLibre accepts."""
    if document.get("tilejson") != "3.0.0" or not document.get("tiles"):
        fail(where, "not TileJSON 3.0.0 with tiles")
    if "bounds" in document:
        west, south, east, north = document["bounds"]
        if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
            fail(where, f"bounds {document['bounds']}")
    if "center" in document:
        lon, lat, zoom = document["center"]
        if not (-180 <= lon <= 180 and -MAX_MERCATOR_LATITUDE <= lat <= MAX_MERCATOR_LATITUDE):
            fail(where, f"center {document['center']} (MapLibre: 'Invalid LngLat')")
        if not (document.get("minzoom", 0) <= zoom <= document.get("maxzoom", 22)):
            fail(where, f"center zoom {zoom}")
        if "bounds" in document:
            west, south, east, north = document["bounds"]
            if not (west <= lon <= east and south <= lat <= north):
                fail(where, f"center {document['center']} outside bounds {document['bounds']}")


def decode_tiles(tiles):
    """{name: bytes} → {name: decoded layers} with @mapbox/vector-tile; raises
    when a tile does not decode."""
    decoded = {}
    with tempfile.TemporaryDirectory() as scratch:
        names = list(tiles)
        paths = []
        for index, name in enumerate(names):
            path = Path(scratch) / f"{index}.mvt"
            path.write_bytes(tiles[name])
            paths.append(str(path))
        for start in range(0, len(paths), 200):
            batch = paths[start:start + 200]
            result = subprocess.run(["node", str(DECODER)] + batch, capture_output=True, text=True, timeout=300,
                                    check=False)
            if result.returncode != 0:
                fail("decoder", result.stderr[-2000:])
            out = json.loads(result.stdout)
            for path in batch:
                name = names[int(Path(path).stem)]
                if "error" in out[path]:
                    fail(f"tile {name}", f"does not decode: {out[path]['error']}")
                decoded[name] = out[path]
    return decoded


def check_tile(layers, where, buffer=64):
    """A decoded tile: geometry within the buffered tile, no empty parts,
    rings of ≥ 3 distinct points with area, ids unique per layer."""
    for name, layer in layers.items():
        extent = layer["extent"]
        if layer["version"] != 2 or extent <= 0:
            fail(where, f"layer {name}: version {layer['version']}, extent {extent}")
        ids = [feature["id"] for feature in layer["features"] if feature.get("id") is not None]
        if len(ids) != len(set(ids)):
            fail(where, f"layer {name}: two features under one id")
        for feature in layer["features"]:
            here = f"{where} layer {name} feature {feature.get('id')}"
            if feature["type"] not in (1, 2, 3) or not feature["geometry"]:
                fail(here, f"type {feature['type']} with {len(feature['geometry'])} parts")
            for part in feature["geometry"]:
                if not part:
                    fail(here, "an empty part")
                for x, y in part:
                    if not (-buffer <= x <= extent + buffer and -buffer <= y <= extent + buffer):
                        fail(here, f"point {x},{y} outside the buffered tile")
                if feature["type"] == 2 and len(part) < 2:
                    fail(here, "a line of one point")
                if feature["type"] == 3:
                    if len(part) < 4 or signed_area2(part) == 0:  # decode.mjs repeats the first point
                        fail(here, f"a ring of {len(part)} points or without area")

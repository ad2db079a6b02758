#!/usr/bin/python3
"""Writes hostile but plausible data sources for the hostile-data suite:

    tests/hostile/generate.py OUT_DIR   → OUT_DIR/hostile.gpkg, hostile.geojson, odd_names.geojson

What real-world files hold and a map server must survive (issue 12):
geometry — bow-ties, spikes, self-touching rings, 10^5–10^6 vertices,
thousands of holes, empty members (the crash pattern: an empty polygon last,
then a feature with a shorter ring), empty rings and lines, NaN/Inf,
sentinels (-9999, 3.4e38), the antimeridian, the poles, curves, TINs,
polyhedral surfaces, triangles, collections, Z and M, all in mixed layers;
attributes — 1 MB strings, invalid UTF-8, int64 extremes, NaN/Inf reals,
odd dates, BLOBs, odd field and layer names; odd fids (-1, 0, negative,
INT64_MAX, duplicates in GeoJSON); layers in an undefined CRS, in metres
without a CRS, in UTM with outliers, without geometry, without features.

The data is synthetic and made up; nothing in it is a real place. Written
with Debian's GDAL bindings (/usr/bin/python3, osgeo), at test time into
the build tree: nothing big is committed.
"""
import json
import math
import os
import random
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
gdal.PushErrorHandler("CPLQuietErrorHandler")  # GDAL's warnings about what we write on purpose

INT64_MAX = 2**63 - 1
INT64_MIN = -2**63
NAN = float("nan")
INF = float("inf")


def srs(epsg):
    ref = osr.SpatialReference()
    ref.ImportFromEPSG(epsg)
    ref.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return ref


def circle(cx, cy, r, n, noise=0.0, rng=None):
    points = []
    for i in range(n):
        a = 2 * math.pi * i / n
        k = 1 + (rng.uniform(-noise, noise) if rng else 0)
        points.append((cx + r * k * math.cos(a), cy + r * k * math.sin(a)))
    points.append(points[0])
    return points


def ring_wkt(points):
    return "(" + ",".join(f"{x!r} {y!r}" for x, y in points) + ")"


def from_wkt(text):
    return ogr.CreateGeometryFromWkt(text)


def line_with(points):
    line = ogr.Geometry(ogr.wkbLineString)
    for x, y in points:
        line.AddPoint_2D(x, y)
    return line


def polygon_with(*rings):
    polygon = ogr.Geometry(ogr.wkbPolygon)
    for points in rings:
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in points:
            ring.AddPoint_2D(x, y)
        polygon.AddGeometryDirectly(ring)
    return polygon


def geometry_zoo(rng):
    """(label, geometry or None) pairs: every shape a loader may meet."""
    big_ring = ring_wkt(circle(117.2, 39.2, 0.3, 100))
    zoo = [
        # The crash of issue 12: an empty polygon last, then a shorter ring.
        ("empty member last", from_wkt(f"MULTIPOLYGON(({big_ring}),EMPTY)")),
        ("shorter ring after", from_wkt("POLYGON((117 39,117.1 39,117.1 39.1,117 39))")),
        ("empty member first", from_wkt(f"MULTIPOLYGON(EMPTY,({big_ring}))")),
        ("only empty members", from_wkt("MULTIPOLYGON(EMPTY,EMPTY)")),
        ("empty hole", from_wkt("POLYGON((117 39,118 39,118 40,117 40,117 39),EMPTY)")),
        ("empty line member", from_wkt("MULTILINESTRING((117 39,117.5 39.5),EMPTY)")),
        ("one-position line member", from_wkt("MULTILINESTRING((117 39),(117 39,117.5 39.2))")),
        ("empty point member", from_wkt("MULTIPOINT((117 39),EMPTY)")),
        ("point empty", from_wkt("POINT EMPTY")),
        ("line empty", from_wkt("LINESTRING EMPTY")),
        ("polygon empty", from_wkt("POLYGON EMPTY")),
        ("no geometry", None),
        # Invalid polygons.
        ("bow-tie", from_wkt("POLYGON((117 39,117.2 39.2,117.2 39,117 39.2,117 39))")),
        ("spike", from_wkt("POLYGON((117 39,117.2 39,117.2 39.2,117.1 39.2,117.1 39.6,117.1 39.2,117 39.2,117 39))")),
        ("self-touching ring", from_wkt("POLYGON((117 39,117.2 39,117.1 39.1,117.2 39.2,117 39.2,117.1 39.1,117 39))")),
        ("zero area", from_wkt("POLYGON((117 39,117.1 39,117.2 39,117 39))")),
        ("two-point ring", from_wkt("POLYGON((117 39,117.1 39,117 39))")),
        ("unclosed ring", polygon_with([(117, 39), (117.1, 39), (117.1, 39.1)])),
        ("hole outside shell", from_wkt("POLYGON((117 39,117.1 39,117.1 39.1,117 39.1,117 39),"
                                        "(118 40,118.1 40,118.1 40.1,118 40))")),
        ("overlapping parts", from_wkt("MULTIPOLYGON(((117 39,117.2 39,117.2 39.2,117 39.2,117 39)),"
                                       "((117.1 39.1,117.3 39.1,117.3 39.3,117.1 39.3,117.1 39.1)))")),
        ("repeated vertices", from_wkt("LINESTRING(117 39,117 39,117 39,117.1 39.1,117.1 39.1)")),
        ("collapsed line", from_wkt("LINESTRING(117 39,117 39)")),
        # Numbers that are no coordinates.
        ("NaN vertex", line_with([(117, 39), (NAN, 39.1), (117.2, 39.2)])),
        ("infinite vertex", line_with([(117, 39), (INF, -INF)])),
        ("NaN point", from_wkt("POINT(1 1)")),  # replaced below: WKT has no NaN
        ("sentinel -9999", from_wkt("POINT(-9999 -9999)")),
        ("float max", from_wkt("LINESTRING(117 39,3.4e38 3.4e38)")),
        ("latitude 91", from_wkt("POINT(117 91)")),
        # Edges of the world.
        ("antimeridian crossing", from_wkt("POLYGON((170 -10,-170 -10,-170 10,170 10,170 -10))")),
        ("antimeridian line", from_wkt("LINESTRING(179.9 0,-179.9 0.1)")),
        ("on the antimeridian", from_wkt("MULTIPOINT((180 0),(-180 0))")),
        ("north pole cap", from_wkt("POLYGON((-180 80,180 80,180 90,-180 90,-180 80))")),
        ("south pole point", from_wkt("POINT(0 -90)")),
        ("beyond mercator", from_wkt("LINESTRING(0 85.5,10 89.9)")),
        ("whole world", from_wkt("POLYGON((-180 -90,180 -90,180 90,-180 90,-180 -90))")),
        # Curves, surfaces, collections, Z and M.
        ("circular string", from_wkt("CIRCULARSTRING(117 39,117.1 39.1,117.2 39)")),
        ("curve polygon", from_wkt("CURVEPOLYGON(CIRCULARSTRING(117 39,117.1 39.1,117.2 39,117.1 38.9,117 39))")),
        ("compound curve", from_wkt("COMPOUNDCURVE((117 39,117.1 39),CIRCULARSTRING(117.1 39,117.15 39.05,117.2 39))")),
        ("multi surface", from_wkt("MULTISURFACE(CURVEPOLYGON(CIRCULARSTRING(117 39,117.1 39.1,117.2 39,117.1 38.9,117 39)),"
                                   "((118 39,118.1 39,118.1 39.1,118 39)))")),
        ("TIN", from_wkt("TIN Z(((117 39 0,117.1 39 1,117 39.1 2,117 39 0)),((117.1 39 1,117.1 39.1 3,117 39.1 2,117.1 39 1)))")),
        ("polyhedral surface", from_wkt("POLYHEDRALSURFACE(((117 39,117.1 39,117.1 39.1,117 39)))")),
        ("triangle", from_wkt("TRIANGLE((117 39,117.1 39,117 39.1,117 39))")),
        ("collection of polygons", from_wkt("GEOMETRYCOLLECTION(POLYGON((117 39,117.1 39,117.1 39.1,117 39)),"
                                            "MULTIPOLYGON(((118 39,118.1 39,118.1 39.1,118 39))))")),
        ("mixed collection", from_wkt("GEOMETRYCOLLECTION(POINT(117 39),LINESTRING(117 39,118 40))")),
        ("nested collection", from_wkt("GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(POINT(117 39)),POINT EMPTY)")),
        ("empty collection", from_wkt("GEOMETRYCOLLECTION EMPTY")),
        ("Z and M", from_wkt("LINESTRING ZM(117 39 10 1,117.1 39.1 20 2)")),
        ("point Z", from_wkt("POINT Z(117 39 1e300)")),
    ]
    # WKT cannot say NaN; WKB (what GeoPackage stores) can.
    zoo = [(label, line_with([(NAN, NAN)]) if label == "NaN point" else geometry) for label, geometry in zoo]
    return zoo


def big_geometries(rng):
    holes = [circle(117.0 + 0.02 * (i % 50), 39.0 + 0.02 * (i // 50), 0.006, 8) for i in range(2000)]
    shell = [(116.98, 38.98), (118.0, 38.98), (118.0, 39.8), (116.98, 39.8), (116.98, 38.98)]
    # A line of 5·10^5 vertices wandering over the district.
    line = ogr.Geometry(ogr.wkbLineString)
    x, y = 117.2, 39.2
    for _ in range(500_000):
        x = min(max(x + rng.uniform(-1e-4, 1e-4), 116.9), 117.5)
        y = min(max(y + rng.uniform(-1e-4, 1e-4), 39.0), 39.5)
        line.AddPoint_2D(x, y)
    return [
        ("10^5-vertex polygon", from_wkt(f"POLYGON({ring_wkt(circle(117.3, 39.3, 0.2, 100_000, 0.002, rng))})")),
        ("2000 holes", polygon_with(shell, *[list(reversed(h)) for h in holes])),
        ("5·10^5-vertex line", line),
    ]


def write_layer(dataset, name, ref, geometry_type, rows, fields=(), fid=True):
    layer = dataset.CreateLayer(name, ref, geometry_type, options=["SPATIAL_INDEX=YES"])
    for field_name, field_type in fields:
        layer.CreateField(ogr.FieldDefn(field_name, field_type))
    for row in rows:
        feature = ogr.Feature(layer.GetLayerDefn())
        for key, value in row.items():
            if key == "geometry":
                if value is not None:
                    feature.SetGeometry(value)
            elif key == "fid":
                feature.SetFID(value)
            elif value is not None:
                feature.SetField(key, value)
        layer.CreateFeature(feature)
    return layer


def write_gpkg(path, rng):
    if os.path.exists(path):
        os.remove(path)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    lonlat = srs(4326)

    zoo = geometry_zoo(rng)
    write_layer(dataset, "geometry_zoo", lonlat, ogr.wkbUnknown,
                [{"name": label, "geometry": g} for label, g in zoo], [("name", ogr.OFTString)])
    write_layer(dataset, "big", lonlat, ogr.wkbUnknown,
                [{"name": label, "geometry": g} for label, g in big_geometries(rng)], [("name", ogr.OFTString)])

    # Attributes: odd names, odd values, odd fids.
    fields = [("name", ogr.OFTString), ("名前 name_zh", ogr.OFTString), ("with space", ogr.OFTString),
              ("quote\"and'apostrophe", ogr.OFTString), ("big", ogr.OFTInteger64), ("real", ogr.OFTReal),
              ("day", ogr.OFTDate), ("at", ogr.OFTDateTime), ("blob", ogr.OFTBinary), ("flag", ogr.OFTInteger),
              ("properties", ogr.OFTString), ("id", ogr.OFTInteger64), ("list", ogr.OFTString)]
    megabyte = "長" * (1 << 18) + "x" * (1 << 18)  # about 1 MB of UTF-8
    rows = [
        {"fid": 1, "name": "long", "名前 name_zh": megabyte, "big": INT64_MAX, "real": 1e308},
        {"fid": 2, "name": "extremes", "big": INT64_MIN, "real": -0.0, "flag": -2147483648},
        {"fid": 3, "name": "not a number", "real": NAN},
        {"fid": 4, "name": "infinite", "real": INF},
        {"fid": 5, "name": "minus infinite", "real": -INF},
        {"fid": 6, "name": "control \x01\x1f chars \u2028 and \ufeff BOM", "with space": "tab\there\nnewline"},
        {"fid": 7, "name": "emoji 🗺️ and RTL עברית", "quote\"and'apostrophe": "\"quoted\" 'text' \\ back"},
        {"fid": 0, "name": "fid zero"},
        {"fid": INT64_MAX, "name": "largest fid"},
        {"fid": -5, "name": "negative fid"},
        {"fid": 8, "name": "row to become -1"},
        {"fid": 9, "name": "json-looking", "properties": "{\"a\": [1, 2]}", "id": 2},
    ]
    for i, row in enumerate(rows):
        row["geometry"] = from_wkt(f"POINT({117 + 0.01 * i} {39 + 0.01 * i})")
    layer = write_layer(dataset, "attributes", lonlat, ogr.wkbPoint, rows, fields)
    # Blobs and text GDAL's API will not write: raw SQL.
    table = layer.GetName()
    dataset.ExecuteSQL(f"UPDATE \"{table}\" SET blob = X'00FF10EE' WHERE fid = 1")
    dataset.ExecuteSQL(f"UPDATE \"{table}\" SET name = CAST(X'C328A0A1E282' AS TEXT) WHERE fid = 2")
    dataset.ExecuteSQL(f"UPDATE \"{table}\" SET \"with space\" = CAST(X'EDA080F4908080' AS TEXT) WHERE fid = 3")
    dataset.ExecuteSQL(f"UPDATE \"{table}\" SET fid = -1 WHERE fid = 8")
    for fid, day, at in [(1, "2020-02-30", "2020-02-30T10:00:00Z"), (2, "-001-01-01", "-001-01-01T00:00:00Z"),
                         (3, "0000-01-01", "9999-12-31T23:00:00-01:00"), (4, "2020-13-45", "2020-01-01T25:61:70Z"),
                         (5, "not a date", "yesterday"), (6, "2020-06-01", "2020-06-01T08:00:00.123+08:00"),
                         (7, "9999-12-31", "0001-01-01T00:00:00Z")]:
        dataset.ExecuteSQL(f"UPDATE \"{table}\" SET day = '{day}', at = '{at}' WHERE fid = {fid}")

    # Layer names GeoPackage allows that are no URL segment as they are,
    # and a title that is no text (the odd names proper are in odd_names.geojson).
    for name in ["名字", "dotted.name", "odd-name"]:
        write_layer(dataset, name, lonlat, ogr.wkbPoint, [{"geometry": from_wkt("POINT(117.1 39.1)")}])
    dataset.ExecuteSQL("UPDATE gpkg_contents SET identifier = CAST(X'FF00FE' AS TEXT), "
                       "description = 'a \"description\" with <html> & ☃' WHERE table_name = 'odd-name'")

    # Coordinates and CRSs: undefined CRSs with metres (skipped) and degrees
    # (served), no CRS with metres, UTM with outliers PROJ cannot transform.
    write_layer(dataset, "undefined_metres", None, ogr.wkbPoint,
                [{"geometry": from_wkt("POINT(511226.5 4342935.9)")}, {"geometry": from_wkt("POINT(511300 4343000)")}])
    write_layer(dataset, "undefined_degrees", None, ogr.wkbPoint, [{"geometry": from_wkt("POINT(117.2 39.1)")}])
    for table in ["undefined_metres", "undefined_degrees"]:
        dataset.ExecuteSQL(f"UPDATE gpkg_geometry_columns SET srs_id = -1 WHERE table_name = '{table}'")
        dataset.ExecuteSQL(f"UPDATE gpkg_contents SET srs_id = -1 WHERE table_name = '{table}'")
    write_layer(dataset, "utm_outliers", srs(32650), ogr.wkbPoint,
                [{"geometry": from_wkt("POINT(511226.5 4342935.9)")}, {"geometry": from_wkt("POINT(1e12 1e12)")},
                 {"geometry": from_wkt("POINT(-1e30 0)")}])
    write_layer(dataset, "mercator_world", srs(3857), ogr.wkbPolygon,
                [{"geometry": from_wkt("POLYGON((-20037508.342789244 -20037508.342789244,20037508.342789244 "
                                       "-20037508.342789244,20037508.342789244 20037508.342789244,"
                                       "-20037508.342789244 20037508.342789244,"
                                       "-20037508.342789244 -20037508.342789244))")}])
    write_layer(dataset, "table_without_geometry", None, ogr.wkbNone,
                [{"name": "a row"}, {"name": None}], [("name", ogr.OFTString)])
    write_layer(dataset, "empty_layer", lonlat, ogr.wkbMultiPolygon, [])
    # Mixed kinds in one layer, declared as polygons.
    write_layer(dataset, "mixed", lonlat, ogr.wkbUnknown,
                [{"name": label, "geometry": g} for label, g in zoo[12:22] + zoo[36:]], [("name", ogr.OFTString)])
    dataset = None


def write_geojson(path):
    """GeoJSON as hand-written files come: duplicate and odd ids, empty
    coordinate arrays, nulls, numbers out of range, nested properties."""
    features = [
        {"type": "Feature", "id": 5, "properties": {"name": "first five"},
         "geometry": {"type": "Point", "coordinates": [117.0, 39.0]}},
        {"type": "Feature", "id": 5, "properties": {"name": "second five"},
         "geometry": {"type": "Point", "coordinates": [117.1, 39.0]}},
        {"type": "Feature", "id": 6, "properties": {"name": "empty parts"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[[[117, 39], [117.1, 39], [117.1, 39.1], [117, 39]]], []]}},
        {"type": "Feature", "id": 7, "properties": {"name": "empty ring"},
         "geometry": {"type": "Polygon", "coordinates": [[[117, 39], [117.1, 39], [117.1, 39.1], [117, 39]], []]}},
        {"type": "Feature", "id": 8, "properties": {"name": "empty line"},
         "geometry": {"type": "LineString", "coordinates": []}},
        {"type": "Feature", "id": 9, "properties": {"name": "null geometry"}, "geometry": None},
        {"type": "Feature", "id": 10, "properties": None,
         "geometry": {"type": "Point", "coordinates": [-9999, -9999]}},
        {"type": "Feature", "id": 11, "properties": {"name": "nested", "obj": {"a": [1, {"b": None}]}, "arr": [1, "x"]},
         "geometry": {"type": "GeometryCollection", "geometries": [
             {"type": "Point", "coordinates": [117.2, 39.2]},
             {"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [117.3, 39.3]}]}]}},
        {"type": "Feature", "id": 12, "properties": {"name": "huge numbers", "n": 1e308, "m": -1e308},
         "geometry": {"type": "Point", "coordinates": [1e308, 1e308]}},
        {"type": "Feature", "id": 13, "properties": {"name": "three dimensions"},
         "geometry": {"type": "LineString", "coordinates": [[117, 39, 5], [117.1, 39.1, 6, 7]]}},
        {"type": "Feature", "id": -1, "properties": {"name": "minus one"},
         "geometry": {"type": "Point", "coordinates": [117.4, 39.4]}},
        {"type": "Feature", "properties": {"name": "no id"},
         "geometry": {"type": "Point", "coordinates": [117.5, 39.5]}},
        {"type": "Feature", "id": 9223372036854775807, "properties": {"name": "largest id"},
         "geometry": {"type": "Point", "coordinates": [117.6, 39.6]}},
        {"type": "Feature", "id": 14, "properties": {"name": "antimeridian"},
         "geometry": {"type": "LineString", "coordinates": [[179.5, 10], [-179.5, 10]]}},
    ]
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)


def write_odd_names(path, name):
    """A GeoJSON layer is named by its "name" member: any text at all."""
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"type": "FeatureCollection", "name": name, "features": [
            {"type": "Feature", "properties": {"name": name},
             "geometry": {"type": "Point", "coordinates": [117.1, 39.1]}}]}, out, ensure_ascii=False)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(12)
    write_gpkg(os.path.join(out_dir, "hostile.gpkg"), rng)
    write_geojson(os.path.join(out_dir, "hostile.geojson"))
    write_odd_names(os.path.join(out_dir, "odd_names.geojson"), "odd name/with ☃ & ?#% ..")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Data checks of the shipped Beichen GeoPackage (issue 3, section 4; issue 19, section 4).

    /usr/bin/python3 tests/data/check_beichen.py [GPKG] [NAMED_PLACES.md]

GPKG defaults to <repo>/geodata/beichen.gpkg; the upstream files and their
licences are read from <repo>/geodata/upstream/MANIFEST.json. NAMED_PLACES.md defaults to
<repo>/../shared/seed/NAMED_PLACES.md, and the article is read from
beichen-2020-interview.txt beside it. Prints one line per check ('ok ...' or
'FAIL ...'), then 'N passed, M failed'; exits 1 if any check failed.

Needs Debian's python3-gdal and python3-pyproj (hence /usr/bin/python3) and
ogrinfo (gdal-bin) on PATH.
"""
import datetime
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from osgeo import gdal, ogr, osr
from pyproj import Geod

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_GPKG = REPO / "geodata" / "beichen.gpkg"
DEFAULT_NAMED = REPO.parent / "shared" / "seed" / "NAMED_PLACES.md"
ARTICLE_NAME = "beichen-2020-interview.txt"

# The schema (see geodata/README.md).
COMMON = ["id", "name_zh", "name_en", "category", "kind", "action", "status", "status_date",
          "target_year", "source_quote", "geom_quality", "geom_source", "uncertainty_m"]
REQUIRED = [f for f in COMMON if f != "uncertainty_m"]
TYPES = {"status_date": ogr.OFTDate, "target_year": ogr.OFTInteger, "uncertainty_m": ogr.OFTReal,
         "length_km": ogr.OFTReal, "area_km2": ogr.OFTReal}
ALLOWED = {
    "category": {"frame", "transport", "industry", "urban", "rural", "ecology", "livelihood"},
    "status": {"planned", "construction_start", "under_construction", "completion_due",
               "completed", "ongoing"},
    "geom_quality": {"surveyed", "approximate", "schematic"},
    "kind": {"district", "core_area", "town", "rail", "metro", "road", "station",
             "station_district", "interchange", "grade_separation", "project",
             "research_institute", "industrial_park", "data_centre", "development_area",
             "land_parcel", "redevelopment", "rural_project", "village", "county", "water",
             "care_centre", "housing", "market", "school", "park"},
}
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# District-level counts of the 2020 interview, carried by the district feature.
DISTRICT_COUNTS = {
    "roads_main_secondary": 6, "major_projects_under_construction_min": 40,
    "projects_completion_due_min": 20, "beautiful_communities": 4,
    "premium_beautiful_communities": 1, "demonstration_villages": 9,
    "retained_villages_water_upgrade": 27, "units_water_source_switch": 3000,
    "community_micro_nursing_homes": 3, "elderly_canteens_per_town_min": 1,
    "livelihood_projects": 20, "markets_new": 2, "markets_regulated": 13,
    "new_schools": 7, "new_kindergartens": 6, "new_kindergarten_places": 1710,
}
CORE_AREA_KM2, CORE_TOLERANCE = 5.9, 0.05
CORE_MUST_CONTAIN = "绿地全球贸易港"
PARTNERS = {"正宁", "华池", "丁青", "兴隆"}
UPSTREAM = REPO / "geodata" / "upstream"
# Licences that let anyone redistribute the data (with attribution / share-alike
# where they say so). Anything else does not belong in geodata/upstream/.
OPEN_LICENCES = {"ODbL-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "PDDL-1.0", "MIT", "WTFPL",
                 "public-domain"}
# Sources whose terms grant no right to redistribute: no geometry may come from them.
NOT_OPEN_SOURCES = re.compile(r"DataV|GeoAtlas|AMap|Amap|amap|高德|autonavi", re.I)
# What a geom_source says when the position is not taken from a source.
FROM_MEMORY = re.compile(r"memory|recalled|unverified estimate|general geographic knowledge|"
                         r"from a source in this repository", re.I)
# A citation: a listed upstream file, a web page, or a gazetteer record.
CITATION = re.compile(r"geodata/upstream/\S+|[a-z0-9-]+(\.[a-z0-9-]+)+/\S|GeoNames \d+|OpenStreetMap relation \d+")
# The status rule (geodata/README.md): the verb of the article's clause that
# names the feature decides; the first matching line wins.
STATUS_RULE = [
    ("planned", re.compile(r"筹建|规划建设|挂牌出让|供地|新建|组建")),
    ("completion_due", re.compile(r"竣工|建成|完成|通车")),
    ("construction_start", re.compile(r"启动|开工")),
    ("under_construction", re.compile(r"加快|加速|推进|推动|配合|加大")),
    ("ongoing", re.compile(r"保护|脱贫|继续实施")),
]
CLAUSE_SPLIT = re.compile(r"[,，;；。!！?？]")
METRIC_EPSG = 4527  # CGCS2000 / 3-degree Gauss-Kruger zone 39 (CM 117 E)
GEOD = Geod(ellps="WGS84")


class Results:
    def __init__(self):
        self.passed = self.failed = 0

    def report(self, name, problems, ok_detail=""):
        if problems:
            self.failed += 1
            shown = "; ".join(problems[:8])
            more = f" (+{len(problems) - 8} more)" if len(problems) > 8 else ""
            print(f"FAIL {name}: {shown}{more}")
        else:
            self.passed += 1
            print(f"ok {name}" + (f": {ok_detail}" if ok_detail else ""))


def named_places(md_path):
    """name_zh of every table row; '正宁、华池、丁青、兴隆' is four names."""
    names = []
    for line in md_path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cell = line.strip("|").split("|")[0].strip()
        if not cell or cell == "name_zh" or set(cell) <= set("-: "):
            continue
        names.extend(n.strip() for n in cell.split("、") if n.strip())
    return names


def load(gpkg):
    ds = ogr.Open(str(gpkg))
    layers = []
    for i in range(ds.GetLayerCount()):
        lyr = ds.GetLayerByIndex(i)
        defn = lyr.GetLayerDefn()
        fields = [defn.GetFieldDefn(k) for k in range(defn.GetFieldCount())]
        feats = []
        for f in lyr:
            props = {fd.GetName(): (None if f.IsFieldNull(fd.GetName()) else f.GetField(fd.GetName()))
                     for fd in fields}
            g = f.GetGeometryRef()
            feats.append({"fid": f.GetFID(), "props": props, "geom": g.Clone() if g else None,
                          "layer": lyr.GetName()})
        layers.append({"name": lyr.GetName(), "gtype": lyr.GetGeomType(), "fields": fields,
                       "features": feats, "description": lyr.GetMetadataItem("DESCRIPTION") or ""})
    return ds, layers


def has_geom(f):
    return f["geom"] is not None and not f["geom"].IsEmpty()


def label(f):
    return f"{f['layer']}/{f['props'].get('id') or f['fid']}"


def rings_of(geom):
    """Yield (ring_points, is_exterior) for Polygon/MultiPolygon geometries."""
    t = ogr.GT_Flatten(geom.GetGeometryType())
    polys = [geom] if t == ogr.wkbPolygon else \
        [geom.GetGeometryRef(i) for i in range(geom.GetGeometryCount())] if t == ogr.wkbMultiPolygon else []
    for p in polys:
        for k in range(p.GetGeometryCount()):
            yield p.GetGeometryRef(k).GetPoints(), k == 0


def signed_area(pts):
    return sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in zip(pts, pts[1:])) / 2.0


def geodesic_area_km2(geom):
    total = 0.0
    for pts, exterior in rings_of(geom):
        a, _ = GEOD.polygon_area_perimeter([p[0] for p in pts], [p[1] for p in pts])
        total += abs(a) if exterior else -abs(a)
    return total / 1e6


def geodesic_length_km(geom):
    t = ogr.GT_Flatten(geom.GetGeometryType())
    lines = [geom] if t == ogr.wkbLineString else [geom.GetGeometryRef(i) for i in range(geom.GetGeometryCount())]
    return sum(GEOD.line_length([p[0] for p in l.GetPoints()], [p[1] for p in l.GetPoints()])
               for l in lines) / 1000.0


def common_run(a, b):
    """Length of the longest common substring of a and b."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def statuses_for(name, quote):
    """Statuses the status rule allows for a feature named `name` in `quote`:
    one per clause that mentions the feature (a shared run of at least three
    characters, or the whole name if shorter)."""
    core = re.sub(r"\s*\(.*?\)", "", name).replace('"', "")
    need = min(3, len(core))
    allowed = set()
    for clause in CLAUSE_SPLIT.split(quote):
        if common_run(core, clause) < need:
            continue
        for status, verbs in STATUS_RULE:
            if verbs.search(clause):
                allowed.add(status)
                break
    return allowed or {"ongoing"}


def article_date(article):
    """The article's publication date (its header line '… 2020-01-18 15:24:00')."""
    m = re.search(r"\b(\d{4}-\d{2}-\d{2})\b", article)
    return datetime.date.fromisoformat(m.group(1)) if m else None


def load_manifest(upstream):
    path = upstream / "MANIFEST.json"
    return json.loads(path.read_text(encoding="utf-8"))["files"]


def main(argv, r):
    gpkg = Path(argv[1]) if len(argv) > 1 else DEFAULT_GPKG
    named_md = Path(argv[2]) if len(argv) > 2 else DEFAULT_NAMED
    article_path = named_md.parent / ARTICLE_NAME

    # 1. ogrinfo opens the GeoPackage and lists the layers.
    if not gpkg.exists():
        r.report("open", [f"{gpkg} does not exist (run scripts/build-geodata)"])
        return
    try:
        ds, layers = load(gpkg)
    except RuntimeError as e:
        r.report("open", [f"OGR cannot open {gpkg}: {e}"])
        return
    names = [l["name"] for l in layers]
    problems = []
    if not shutil.which("ogrinfo"):
        problems.append("ogrinfo not on PATH (apt-get install gdal-bin)")
    else:
        out = subprocess.run(["ogrinfo", "-so", str(gpkg)], capture_output=True, text=True)
        listed = re.findall(r"^\d+: (\S+) \(", out.stdout, re.M)
        if out.returncode != 0:
            problems.append(f"ogrinfo exit {out.returncode}: {out.stderr.strip()[:200]}")
        elif listed != names:
            problems.append(f"ogrinfo lists {listed}, OGR sees {names}")
    for must in ("boundaries", "core_areas", "partner_counties"):
        if must not in names:
            problems.append(f"layer {must} missing")
    r.report("ogrinfo -so opens the GeoPackage", problems, f"{len(names)} layers: {', '.join(names)}")

    feats = [f for l in layers for f in l["features"]]

    # 2. Layer descriptions and spatial indexes.
    problems = []
    for l in layers:
        if not l["description"].strip():
            problems.append(f"{l['name']}: no DESCRIPTION")
        geom_col = ds.GetLayerByName(l["name"]).GetGeometryColumn()
        res = ds.ExecuteSQL(f"SELECT HasSpatialIndex('{l['name']}', '{geom_col}')")
        has = res.GetNextFeature().GetField(0) if res else 0
        ds.ReleaseResultSet(res)
        if not has:
            problems.append(f"{l['name']}: no spatial index")
    r.report("layer descriptions and spatial indexes", problems)

    # 3. One geometry type per layer.
    problems = []
    for l in layers:
        lt = ogr.GT_Flatten(l["gtype"])
        if lt in (ogr.wkbUnknown, ogr.wkbGeometryCollection):
            problems.append(f"{l['name']}: layer geometry type {ogr.GeometryTypeToName(l['gtype'])}")
        for f in l["features"]:
            if has_geom(f) and ogr.GT_Flatten(f["geom"].GetGeometryType()) != lt:
                problems.append(f"{label(f)} is {f['geom'].GetGeometryName()} in a "
                                f"{ogr.GeometryTypeToName(l['gtype'])} layer")
    r.report("one geometry type per layer", problems)

    # 4. Geometries valid (GEOS) and non-empty.
    problems = []
    for f in feats:
        g = f["geom"]
        if g is None or g.IsEmpty():
            problems.append(f"{label(f)}: empty geometry")
        elif not g.IsValid():
            problems.append(f"{label(f)}: invalid geometry")
    r.report("geometries valid and non-empty", problems, f"{len(feats)} features")

    # 5. Every row of NAMED_PLACES.md present (match on name_zh).
    problems = []
    if not named_md.exists():
        problems.append(f"{named_md} not found")
    else:
        have = {f["props"].get("name_zh") for f in feats}
        wanted = named_places(named_md)
        if not wanted:
            problems.append(f"no rows parsed from {named_md}")
        problems += [f"missing {n}" for n in wanted if n not in have]
    r.report("every row of NAMED_PLACES.md is a feature", problems,
             f"{len(wanted)} names" if named_md.exists() else "")

    # 6. ids unique across the data set, stable slugs.
    problems, seen = [], {}
    for f in feats:
        i = f["props"].get("id")
        if not i or not ID_RE.match(str(i)):
            problems.append(f"{label(f)}: id {i!r} is not a lowercase slug")
        elif i in seen:
            problems.append(f"id {i} in {seen[i]} and {f['layer']}")
        else:
            seen[i] = f["layer"]
    r.report("ids unique across all layers", problems)

    # 7. Schema: required fields present with their types, same order everywhere.
    problems = []
    for l in layers:
        fnames = [fd.GetName() for fd in l["fields"]]
        common = [n for n in fnames if n in COMMON]
        if common != COMMON:
            problems.append(f"{l['name']}: common fields {common} differ from {COMMON}")
        for fd in l["fields"]:
            want = TYPES.get(fd.GetName())
            if want is not None and fd.GetType() != want:
                problems.append(f"{l['name']}.{fd.GetName()} is {fd.GetTypeName()}")
        gt = ogr.GT_Flatten(l["gtype"])
        if gt in (ogr.wkbLineString, ogr.wkbMultiLineString) and "length_km" not in fnames:
            problems.append(f"{l['name']}: no length_km")
        if gt in (ogr.wkbPolygon, ogr.wkbMultiPolygon) and "area_km2" not in fnames:
            problems.append(f"{l['name']}: no area_km2")
    r.report("schema: fields, order and types", problems)

    # 8. Required attributes non-empty and from the allowed sets.
    problems = []
    for f in feats:
        p = f["props"]
        for k in REQUIRED:
            if p.get(k) in (None, "") or (isinstance(p.get(k), str) and not p[k].strip()):
                problems.append(f"{label(f)}: {k} empty")
        for k, allowed in ALLOWED.items():
            if p.get(k) not in allowed:
                problems.append(f"{label(f)}: {k}={p.get(k)!r} not allowed")
        ty = p.get("target_year")
        if not isinstance(ty, int) or not 2000 <= ty <= 2100:
            problems.append(f"{label(f)}: target_year {ty!r}")
        u = p.get("uncertainty_m")
        if p.get("geom_quality") == "approximate" and (u is None or u <= 0):
            problems.append(f"{label(f)}: approximate without a positive uncertainty_m")
        if u is not None and u < 0:
            problems.append(f"{label(f)}: negative uncertainty_m")
    r.report("attributes non-empty and from allowed sets", problems)

    # 9. Everything except the partner counties inside the district (allowing uncertainty_m).
    problems = []
    districts = [f for f in feats if f["props"].get("kind") == "district"]
    if len(districts) != 1:
        problems.append(f"{len(districts)} features of kind 'district', expected 1")
    else:
        wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326)
        wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        met = osr.SpatialReference(); met.ImportFromEPSG(METRIC_EPSG)
        met.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        ct = osr.CoordinateTransformation(wgs, met)
        dist_m = districts[0]["geom"].Clone(); dist_m.Transform(ct)
        for f in feats:
            if f is districts[0] or f["props"].get("kind") == "county" or not has_geom(f):
                continue
            g = f["geom"].Clone(); g.Transform(ct)
            tol = max(float(f["props"].get("uncertainty_m") or 0.0), 1.0)
            if not dist_m.Buffer(tol, 8).Contains(g):
                problems.append(f"{label(f)}: outside the district by more than {tol:.0f} m "
                                f"(distance {dist_m.Distance(g):.0f} m)")
    r.report("inside the district boundary (allowing uncertainty_m)", problems)

    # 10. Polygons follow the right-hand rule (RFC 7946).
    problems, n = [], 0
    for f in feats:
        if not has_geom(f):
            continue
        for pts, exterior in rings_of(f["geom"]):
            n += 1
            a = signed_area(pts)
            if exterior and a <= 0:
                problems.append(f"{label(f)}: exterior ring clockwise")
            if not exterior and a >= 0:
                problems.append(f"{label(f)}: hole counter-clockwise")
    r.report("polygon rings counter-clockwise exterior, clockwise holes", problems, f"{n} rings")

    # 11. length_km / area_km2 present and right (metric values vs geodesic, 0.5 %).
    problems = []
    for f in feats:
        g, p = f["geom"], f["props"]
        if not has_geom(f):
            continue
        t = ogr.GT_Flatten(g.GetGeometryType())
        if t in (ogr.wkbLineString, ogr.wkbMultiLineString):
            key, true = "length_km", geodesic_length_km(g)
        elif t in (ogr.wkbPolygon, ogr.wkbMultiPolygon):
            key, true = "area_km2", geodesic_area_km2(g)
        else:
            continue
        v = p.get(key)
        if v is None or v <= 0:
            problems.append(f"{label(f)}: {key} missing")
        elif abs(v - true) > max(0.005 * true, 0.002):
            problems.append(f"{label(f)}: {key}={v} but geodesic {true:.3f}")
    r.report("length_km and area_km2 agree with geodesic measures", problems)

    # 12. The 5.9 km² core area: geodesic area within 5 %, contains the trade port.
    problems = []
    cores = [f for f in feats if f["props"].get("kind") == "core_area"]
    ports = [f for f in feats if f["props"].get("name_zh") == CORE_MUST_CONTAIN]
    detail = ""
    if len(cores) != 1:
        problems.append(f"{len(cores)} features of kind 'core_area', expected 1")
    else:
        core = cores[0]
        a = geodesic_area_km2(core["geom"]) if has_geom(core) else 0.0
        detail = f"{a:.3f} km² geodesic"
        if abs(a - CORE_AREA_KM2) > CORE_TOLERANCE * CORE_AREA_KM2:
            problems.append(f"area {a:.3f} km² not within 5 % of {CORE_AREA_KM2}")
        if core["props"].get("geom_quality") not in ("schematic", "approximate"):
            problems.append("core area must be marked schematic or approximate")
        if not ports:
            problems.append(f"no feature named {CORE_MUST_CONTAIN}")
        elif not has_geom(core) or not all(has_geom(p) and core["geom"].Contains(p["geom"]) for p in ports):
            problems.append(f"{CORE_MUST_CONTAIN} is not inside the core area")
    r.report("core area 5.9 km² ± 5 % and contains " + CORE_MUST_CONTAIN, problems, detail)

    # 13. source_quote is the article's own text.
    problems = []
    if not article_path.exists():
        problems.append(f"{article_path} not found")
    else:
        article = article_path.read_text(encoding="utf-8")
        for f in feats:
            q = f["props"].get("source_quote") or ""
            if q and q not in article:
                problems.append(f"{label(f)}: source_quote not verbatim in the article")
    r.report("source_quote verbatim from the article", problems)

    # 14. District-level counts on the district feature.
    problems = []
    if len(districts) == 1:
        p = districts[0]["props"]
        fdefs = {fd.GetName(): fd for l in layers if l["name"] == districts[0]["layer"] for fd in l["fields"]}
        for k, v in DISTRICT_COUNTS.items():
            if k not in fdefs or fdefs[k].GetType() != ogr.OFTInteger:
                problems.append(f"{k}: no Integer field")
            elif p.get(k) != v:
                problems.append(f"{k}={p.get(k)!r}, the article says {v}")
    else:
        problems.append("no single district feature")
    r.report("district-level counts as integer attributes", problems)

    # 15. The partner counties: four points, outside the district.
    problems = []
    counties = [f for f in feats if f["props"].get("kind") == "county"]
    got = {f["props"].get("name_zh") for f in counties}
    if got != PARTNERS:
        problems.append(f"counties {sorted(got)}, expected {sorted(PARTNERS)}")
    layers_of = {f["layer"] for f in counties}
    if len(layers_of) != 1 or any(f["layer"] != next(iter(layers_of)) for f in counties):
        problems.append(f"counties spread over layers {sorted(layers_of)}")
    elif any(f["layer"] == next(iter(layers_of)) and f["props"].get("kind") != "county" for f in feats):
        problems.append("the partner-county layer holds other features")
    for f in counties:
        if not has_geom(f):
            problems.append(f"{label(f)}: no geometry")
        elif ogr.GT_Flatten(f["geom"].GetGeometryType()) != ogr.wkbPoint:
            problems.append(f"{label(f)} is not a point")
        elif len(districts) == 1 and districts[0]["geom"].Contains(f["geom"]):
            problems.append(f"{label(f)} lies inside Beichen")
    r.report("partner counties as points in their own layer", problems)

    # 16. Every upstream file listed with an open licence (issue 19).
    problems = []
    upstream = UPSTREAM
    try:
        manifest = load_manifest(upstream)
    except (OSError, ValueError, KeyError) as e:
        manifest = {}
        problems.append(f"{upstream / 'MANIFEST.json'} unreadable: {e}")
    present = sorted(p.name for p in upstream.iterdir() if p.is_file() and p.name != "MANIFEST.json") \
        if upstream.is_dir() else []
    problems += [f"upstream/{n} is not listed in MANIFEST.json" for n in present if n not in manifest]
    problems += [f"MANIFEST.json lists upstream/{n}, which is not there" for n in manifest if n not in present]
    for n, entry in manifest.items():
        lic = entry.get("licence")
        lics = lic if isinstance(lic, list) else [lic]
        if not lic or any(x not in OPEN_LICENCES for x in lics):
            problems.append(f"upstream/{n}: licence {lic!r} is not an open licence")
        for k in ("origin", "licence_quote", "attribution"):
            if not str(entry.get(k) or "").strip():
                problems.append(f"upstream/{n}: no {k}")
    r.report("upstream files listed, each under an open licence", problems,
             f"{len(present)} files: " + ", ".join(f"{n} ({manifest[n].get('licence')})" for n in present if n in manifest))

    # 17. Nothing in the GeoPackage comes from a source that may not be redistributed.
    problems = []
    attribution = ds.GetMetadataItem("ATTRIBUTION") or ""
    if not attribution.strip():
        problems.append("no dataset ATTRIBUTION metadata")
    if NOT_OPEN_SOURCES.search(attribution):
        problems.append(f"ATTRIBUTION names a non-open source: {attribution}")
    for l in layers:
        if NOT_OPEN_SOURCES.search(l["description"]):
            problems.append(f"{l['name']}: layer description names a non-open source")
    for f in feats:
        src = f["props"].get("geom_source") or ""
        if NOT_OPEN_SOURCES.search(src):
            problems.append(f"{label(f)}: geom_source names a non-open source")
        for cited in re.findall(r"geodata/upstream/([A-Za-z0-9_.-]*[A-Za-z0-9_])", src):
            entry = manifest.get(cited)
            if entry is None:
                problems.append(f"{label(f)}: cites upstream/{cited}, which MANIFEST.json does not list")
                continue
            for word in ("OpenStreetMap", "GeoNames"):
                if word in entry.get("attribution", "") and word not in attribution:
                    problems.append(f"{label(f)}: uses upstream/{cited} but ATTRIBUTION does not credit {word}")
    r.report("nothing from a non-open source; every used source credited", problems)

    # 18. approximate only where a cited source places the feature; otherwise schematic.
    problems, n_approx = [], 0
    for f in feats:
        q, src = f["props"].get("geom_quality"), (f["props"].get("geom_source") or "").strip()
        if q == "approximate":
            n_approx += 1
            if src.upper().startswith("SCHEMATIC"):
                problems.append(f"{label(f)}: approximate but geom_source says SCHEMATIC")
            if FROM_MEMORY.search(src):
                problems.append(f"{label(f)}: approximate on a position from memory "
                                f"('{FROM_MEMORY.search(src).group(0)}'): make it schematic or cite a source")
            if not CITATION.search(src):
                problems.append(f"{label(f)}: approximate without a citation in geom_source")
        elif q == "schematic" and not src.startswith("SCHEMATIC:"):
            problems.append(f"{label(f)}: schematic, but geom_source does not start 'SCHEMATIC:'")
    r.report("approximate only with a cited source, schematic otherwise", problems,
             f"{n_approx} approximate, {len(feats) - n_approx} schematic or surveyed")

    # 19-20. Dated statuses, and statuses that follow the rule.
    problems_rule, problems_date = [], []
    said = article_date(article_path.read_text(encoding="utf-8")) if article_path.exists() else None
    if said is None:
        problems_date.append(f"no publication date found in {article_path}")
    today = datetime.date.today()
    for l in layers:
        dates = [fd.GetName() for fd in l["fields"] if fd.GetType() in (ogr.OFTDate, ogr.OFTDateTime)]
        if not dates or dates[0] != "status_date":
            problems_date.append(f"{l['name']}: status_date is not the first date field ({dates})")
    for f in feats:
        p = f["props"]
        raw = p.get("status_date")
        try:
            d = datetime.date.fromisoformat(str(raw).replace("/", "-")) if raw else None
        except ValueError:
            d = None
        if d is None:
            problems_date.append(f"{label(f)}: status_date missing or not a date ({raw!r})")
        elif said and not said <= d <= today:
            problems_date.append(f"{label(f)}: status_date {d} before the interview ({said}) or in the future")
        # A status dated the interview's day (or undated) is the article's: it
        # must follow the rule. A later status rests on a later record.
        if d is None or d == said:
            allowed = statuses_for(p.get("name_zh") or "", p.get("source_quote") or "")
            if p.get("status") not in allowed:
                problems_rule.append(f"{label(f)}: status {p.get('status')}, the article's words say "
                                     f"{' or '.join(sorted(allowed))}")
    r.report("statuses follow the rule (the verb of the quoted clause)", problems_rule)
    r.report("status_date present, a date, the first date field", problems_date,
             f"the interview's date {said}" if said else "")


def run(argv):
    if len(argv) > 3 or any(a in ("-h", "--help") for a in argv[1:]):
        print(__doc__.strip())
        return 2
    r = Results()
    try:
        main(argv, r)
    except Exception as e:  # a check that crashes is a failed check, not a traceback
        r.report("checks ran to the end", [f"{type(e).__name__}: {e}"])
    print(f"{r.passed} passed, {r.failed} failed")
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(run(sys.argv))

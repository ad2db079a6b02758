#!/usr/bin/python3
"""Generates the QGIS styles of regiomap from styles/palette.json.

    /usr/bin/python3 styles/build-qml.py            write styles/qgis/*.qml and beichen.qgs
    /usr/bin/python3 styles/build-qml.py --check    exit 1 if a committed .qml differs
    /usr/bin/python3 styles/build-qml.py --out DIR  write into DIR instead

Needs Debian's python3-qgis (QGIS 3.22); runs headless (QT_QPA_PLATFORM=offscreen
is set here). Writes

* styles/qgis/<collection>.qml: one rule-based renderer per collection for
  its OGC API - Features layer: a rule per category, under it one per status
  (how much of the symbol is filled) and, for lines and areas, one per
  geom_quality (dashed = approximate, dotted = schematic); points get a halo
  rule per geom_quality. Labels: name_zh, plus name_en below at larger scales.
* styles/qgis/beichen.qgs: a project with every collection as an OAPIF layer
  of http://localhost:8080 styled with those .qml, and the server's vector
  tiles as an (unchecked) XYZ vector tile layer styled from beichen-qgis.json.

The .qml files are deterministic (rule keys are numbered, not random UUIDs).
"""

import argparse
import json
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt writes XML attributes in QHash order, which is randomised per process
# unless the seed is fixed: fix it so the same palette gives the same bytes.
os.environ["QT_HASH_SEED"] = "0"

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = "http://localhost:8080"
REFERENCE_ZOOM = 12  # QGIS sizes are fixed: take the palette's zoom-dependent sizes at this zoom
FIELDS = [
    ("id", "string"), ("name_zh", "string"), ("name_en", "string"), ("category", "string"),
    ("kind", "string"), ("action", "string"), ("status", "string"), ("target_year", "integer"),
    ("source_quote", "string"), ("geom_quality", "string"), ("geom_source", "string"),
    ("uncertainty_m", "double"),
]
GEOMETRY = {"point": "Point", "line": "LineString", "polygon": "Polygon"}


def zoom_to_scale(z):
    """Scale denominator of a Web Mercator zoom level as QGIS's vector tiles use it."""
    return 559082264.0287178 / (2 ** z)


def at_zoom(stops, z):
    if z <= stops[0][0]:
        return stops[0][1]
    for (z0, v0), (z1, v1) in zip(stops, stops[1:]):
        if z <= z1:
            return v0 + (v1 - v0) * (z - z0) / (z1 - z0)
    return stops[-1][1]


def hex_rgb(color):
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def over_base(color, opacity, base):
    """The colour seen when `color` at `opacity` lies over `base`."""
    c, b = hex_rgb(color), hex_rgb(base)
    return "#%02x%02x%02x" % tuple(round(b[i] + (c[i] - b[i]) * opacity) for i in range(3))


def make_symbol(cls, layers):
    """cls(list) does not keep the symbol layers alive in QGIS 3.22's bindings
    (they are deleted with their Python wrappers): append them one by one."""
    sym = cls()
    while sym.symbolLayerCount():
        sym.deleteSymbolLayer(0)
    for sl in layers:
        sym.appendSymbolLayer(sl)
    return sym


def quote(s):
    return "'" + s.replace("'", "''") + "'"


class Builder:
    def __init__(self, palette):
        from qgis.core import QgsUnitTypes

        self.p = palette
        self.px = QgsUnitTypes.RenderPixels

    # ------------------------------------------------------------ symbols

    def qcolor(self, color, alpha=1.0):
        from qgis.PyQt.QtGui import QColor

        c = QColor(color)
        c.setAlphaF(alpha)
        return c

    def line_layer(self, color, width, alpha=1.0, dash_px=None):
        from qgis.PyQt.QtCore import Qt
        from qgis.core import QgsSimpleLineSymbolLayer

        sl = QgsSimpleLineSymbolLayer(self.qcolor(color, alpha), width)
        sl.setWidthUnit(self.px)
        sl.setPenJoinStyle(Qt.RoundJoin)
        sl.setPenCapStyle(Qt.FlatCap)
        if dash_px:
            sl.setUseCustomDashPattern(True)
            sl.setCustomDashVector([float(v) for v in dash_px])
            sl.setCustomDashPatternUnit(self.px)
        return sl

    def point_symbol(self, c, cat_color, status, outline=None):
        from qgis.PyQt.QtCore import Qt
        from qgis.core import QgsMarkerSymbol, QgsSimpleMarkerSymbolLayer, QgsSimpleMarkerSymbolLayerBase

        r = at_zoom(c.get("radius") or self.p["point"]["default_radius"], REFERENCE_ZOOM)
        # the category's outline colour where its fill lacks contrast with the background (palette notes.outline)
        stroke = {"dark": self.p["text"]["color"], "base": self.p["base"]}.get(status["stroke"], outline or cat_color)
        sl = QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase.Circle, 2 * r)
        sl.setSizeUnit(self.px)
        sl.setColor(self.qcolor(over_base(cat_color, status["fill_opacity"], self.p["base"])))
        sl.setStrokeColor(self.qcolor(stroke))
        sl.setStrokeWidth(self.p["point"]["stroke_width"])
        sl.setStrokeWidthUnit(self.px)
        sl.setStrokeStyle(Qt.SolidLine)
        return make_symbol(QgsMarkerSymbol, [sl])

    def glow_symbol(self, c, cat_color, glow):
        from qgis.PyQt.QtCore import Qt
        from qgis.core import QgsMarkerSymbol, QgsSimpleMarkerSymbolLayer, QgsSimpleMarkerSymbolLayerBase

        r = at_zoom(c.get("radius") or self.p["point"]["default_radius"], REFERENCE_ZOOM)
        sl = QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase.Circle, 2 * (r + glow["extra_px"]))
        sl.setSizeUnit(self.px)
        sl.setColor(self.qcolor(cat_color, glow["opacity"]))
        sl.setStrokeStyle(Qt.NoPen)
        return make_symbol(QgsMarkerSymbol, [sl])

    def line_symbol(self, c, cat_color, status, quality):
        from qgis.core import QgsLineSymbol

        w = at_zoom(c["width"], REFERENCE_ZOOM)
        layers = []
        if quality["glow"]:
            g = quality["glow"]
            layers.append(self.line_layer(cat_color, w + 2 * g["line_extra_px"], g["opacity"]))
        layers.append(self.line_layer(cat_color, w, 1.0, quality["dash_px"]))
        if status["fill_opacity"] < 1:
            layers.append(self.line_layer(self.p["base"], w / 2, 1 - status["fill_opacity"], quality["dash_px"]))
        return make_symbol(QgsLineSymbol, layers)

    def polygon_symbol(self, c, cat_color, status, quality):
        from qgis.PyQt.QtCore import Qt
        from qgis.core import QgsFillSymbol, QgsSimpleFillSymbolLayer

        fill = QgsSimpleFillSymbolLayer(self.qcolor(cat_color, status["fill_opacity"] * c["fill_opacity"]))
        fill.setStrokeStyle(Qt.NoPen)
        if status["fill_opacity"] == 0:
            fill.setBrushStyle(Qt.NoBrush)
        outline = self.line_layer(cat_color, at_zoom(c["outline_width"], REFERENCE_ZOOM), 1.0, quality["dash_px"])
        return make_symbol(QgsFillSymbol, [fill, outline])

    # ------------------------------------------------------------ renderer

    def renderer(self, cid):
        from qgis.core import QgsRuleBasedRenderer

        p, c = self.p, self.p["collections"][cid]
        Rule = QgsRuleBasedRenderer.Rule
        root = Rule(None)
        for ck in c["categories"]:
            cat = p["categories"][ck]
            crule = Rule(None, 0, 0, '"category" = %s' % quote(ck), "%s %s" % (cat["label_zh"], cat["label_en"]))
            color = cat["color"]
            if c["geometry"] == "point":
                for qk, q in p["geom_quality"].items():
                    if q["glow"]:
                        crule.appendChild(Rule(self.glow_symbol(c, color, q["glow"]), 0, 0, '"geom_quality" = %s' % quote(qk),
                                               "%s %s (halo)" % (q["label_zh"], q["label_en"])))
                for sk, s in p["status"].items():
                    crule.appendChild(Rule(self.point_symbol(c, color, s, cat.get("outline")), 0, 0, '"status" = %s' % quote(sk),
                                           "%s %s" % (s["label_zh"], s["label_en"])))
            else:
                make = self.line_symbol if c["geometry"] == "line" else self.polygon_symbol
                for sk, s in p["status"].items():
                    srule = Rule(None, 0, 0, '"status" = %s' % quote(sk), "%s %s" % (s["label_zh"], s["label_en"]))
                    for qk, q in p["geom_quality"].items():
                        srule.appendChild(Rule(make(c, color, s, q), 0, 0, '"geom_quality" = %s' % quote(qk),
                                               "%s %s" % (q["label_zh"], q["label_en"])))
                    crule.appendChild(srule)
            root.appendChild(crule)
        # Any other category: grey, drawn as schematic.
        other = {"fill_opacity": 1, "stroke": "category"}
        schematic = p["geom_quality"]["schematic"]
        if c["geometry"] == "point":
            sym = self.point_symbol(c, p["unknown_color"], other)
        elif c["geometry"] == "line":
            sym = self.line_symbol(c, p["unknown_color"], other, schematic)
        else:
            sym = self.polygon_symbol(c, p["unknown_color"], other, schematic)
        # An explicit filter rather than ELSE: QGIS 3.22 reports ELSE rules as matching
        # (symbolsForFeature) even where a sibling rule's children draw the feature.
        known = ", ".join(quote(k) for k in c["categories"])
        root.appendChild(Rule(sym, 0, 0, '"category" IS NULL OR "category" NOT IN (%s)' % known, "其他 Other"))
        return QgsRuleBasedRenderer(root)

    # ------------------------------------------------------------ labels

    def labeling(self, cid):
        from qgis.PyQt.QtGui import QColor, QFont
        from qgis.core import (QgsPalLayerSettings, QgsTextBufferSettings, QgsTextFormat,
                               QgsVectorLayerSimpleLabeling)

        p, c = self.p, self.p["collections"][cid]
        lab = c["label"]
        s = QgsPalLayerSettings()
        s.isExpression = True
        along = c["geometry"] == "line" or lab.get("placement") == "line"
        sep = "'  '" if along else "'\n'"
        zh = 'coalesce("name_zh", \'\')'
        both = "%s || %s || coalesce(\"name_en\", '')" % (zh, sep)
        if lab.get("bilingual_minzoom") is None:
            s.fieldName = zh
        elif lab["bilingual_minzoom"] <= lab["minzoom"]:
            s.fieldName = both
        else:
            s.fieldName = "CASE WHEN @map_scale <= %d THEN %s ELSE %s END" % (
                round(zoom_to_scale(lab["bilingual_minzoom"])), both, zh)
        fmt = QgsTextFormat()
        font = QFont(p["font"]["family"])
        fmt.setFont(font)
        fmt.setNamedStyle(p["font"]["style"])
        fmt.setSize(at_zoom(lab["size"], max(REFERENCE_ZOOM, lab["minzoom"])))
        fmt.setSizeUnit(self.px)
        fmt.setColor(QColor(p["text"]["color"]))
        buf = QgsTextBufferSettings()
        buf.setEnabled(True)
        buf.setSize(p["text"]["halo_width"])
        buf.setSizeUnit(self.px)
        buf.setColor(QColor(p["text"]["halo_color"]))
        fmt.setBuffer(buf)
        s.setFormat(fmt)
        if c["geometry"] == "point":
            s.placement = QgsPalLayerSettings.OrderedPositionsAroundPoint
            s.dist = 2
            s.distUnits = self.px
        elif c["geometry"] == "line":
            s.placement = QgsPalLayerSettings.Curved
        elif along:
            s.placement = QgsPalLayerSettings.PerimeterCurved
        else:
            s.placement = QgsPalLayerSettings.OverPoint
        s.autoWrapLength = p["text"]["max_width_em"] * 2
        s.scaleVisibility = True
        s.maximumScale = 0  # no limit when zooming in
        s.minimumScale = zoom_to_scale(lab["minzoom"])
        if lab.get("maxzoom") is not None:
            s.maximumScale = zoom_to_scale(lab["maxzoom"])
        return QgsVectorLayerSimpleLabeling(s)

    # ------------------------------------------------------------ layers

    def memory_layer(self, cid):
        from qgis.core import QgsVectorLayer

        c = self.p["collections"][cid]
        uri = "%s?crs=EPSG:4326&%s" % (GEOMETRY[c["geometry"]], "&".join("field=%s:%s" % f for f in FIELDS))
        layer = QgsVectorLayer(uri, cid, "memory")
        assert layer.isValid(), cid
        return layer

    def styled_layer(self, cid):
        layer = self.memory_layer(cid)
        layer.setRenderer(self.renderer(cid))
        layer.setLabeling(self.labeling(cid))
        layer.setLabelsEnabled(True)
        return layer


def normalise_qml(text):
    """Rule keys are random UUIDs: number them so the output is reproducible."""
    n = [0]

    def key(_m):
        n[0] += 1
        return 'key="rule-%d"' % n[0]

    return re.sub(r'key="\{[0-9a-f-]+\}"', key, text)


def write_qml(builder, cid, path):
    from qgis.core import QgsMapLayer

    layer = builder.styled_layer(cid)
    categories = QgsMapLayer.Symbology | QgsMapLayer.Labeling
    tmp = path + ".tmp.qml"
    msg, ok = layer.saveNamedStyle(tmp, categories)
    if not ok:
        raise RuntimeError("saving %s failed: %s" % (cid, msg))
    with open(tmp, encoding="utf-8") as f:
        text = normalise_qml(f.read())
    os.remove(tmp)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def build_project(builder, qml_dir, path):
    """The project: OAPIF layers of localhost:8080 with the .qml styles, plus the vector tiles."""
    from qgis.core import (QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsMapBoxGlStyleConversionContext,
                           QgsMapBoxGlStyleConverter, QgsProject, QgsRectangle, QgsReferencedRectangle,
                           QgsVectorTileLayer)

    p = builder.p
    project = QgsProject()
    project.setTitle("Beichen 2020 (regiomap, %s)" % SERVER)
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    project.setCrs(crs)
    project.setBackgroundColor(builder.qcolor(p["background"]))
    root = project.layerTreeRoot()

    tiles_uri = ("type=xyz&url=%s/tiles/{z}/{x}/{y}.mvt&zmin=0&zmax=14&styleUrl=%s/styles/beichen-qgis.json"
                 % (SERVER, SERVER))
    tiles = QgsVectorTileLayer(tiles_uri, "Beichen vector tiles (%s/tiles)" % SERVER)
    conv = QgsMapBoxGlStyleConverter()
    with open(os.path.join(HERE, "beichen-qgis.json"), encoding="utf-8") as f:
        conv.convert(json.load(f), QgsMapBoxGlStyleConversionContext())
    if conv.warnings():
        raise RuntimeError("beichen-qgis.json: QGIS style converter warnings: %s" % conv.warnings())
    tiles.setRenderer(conv.renderer().clone())
    tiles.setLabeling(conv.labeling().clone())
    project.addMapLayer(tiles, False)

    group = root.addGroup("OGC API – Features (%s)" % SERVER)
    ids = {}  # generated layer id -> stable id
    sources = {}  # stable id -> (provider, data source)
    # The layer tree lists the top layer first: the palette's draw order reversed.
    for cid in reversed(list(p["collections"])):
        c = p["collections"][cid]
        layer = builder.memory_layer(cid)
        msg, ok = layer.loadNamedStyle(os.path.join(qml_dir, cid + ".qml"))
        if not ok:
            raise RuntimeError("%s.qml: %s" % (cid, msg))
        layer.setName("%s %s (%s)" % (c["title_zh"], c["title_en"], cid))
        project.addMapLayer(layer, False)
        group.addLayer(layer)
        ids[layer.id()] = "%s_oapif" % cid
        sources["%s_oapif" % cid] = ("OAPIF", "url='%s' typename='%s'" % (SERVER, cid))
    tiles_node = root.addLayer(tiles)
    tiles_node.setItemVisibilityChecked(False)
    ids[tiles.id()] = "beichen_vector_tiles"

    tr = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), crs, project)
    district = tr.transformBoundingBox(QgsRectangle(116.93, 39.14, 117.41, 39.36))
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(district, crs))

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = os.path.join(tmp, "beichen.qgs")
        if not project.write(tmp_path):
            raise RuntimeError("writing the project failed: %s" % project.error())
        tree = ET.parse(tmp_path)

    # Point the memory layers at the server, give every layer a stable id and
    # drop what changes on every run (save time/user, creation date, order of
    # per-layer settings kept in hash order).
    def fix(value):
        for old, new in ids.items():
            value = value.replace(old, new)
        return re.sub(r"Annotations_[0-9a-f_]{36}", "Annotations_layer", value)

    xml_root = tree.getroot()
    for key in ("saveDateTime", "saveUser", "saveUserFull"):
        xml_root.attrib.pop(key, None)
    for el in xml_root.iter():
        for k, v in list(el.attrib.items()):
            el.set(k, fix(v))
        if el.text:
            el.text = fix(el.text)
        if el.tag == "creation":
            el.text = ""
        if el.get("id") in sources and "providerKey" in el.attrib:
            el.set("providerKey", sources[el.get("id")][0])
            el.set("source", sources[el.get("id")][1])
    for ml in xml_root.iter("maplayer"):
        lid = ml.findtext("id")
        if lid not in sources:
            continue
        ml.find("datasource").text = sources[lid][1]
        ml.find("provider").text = sources[lid][0]
        # memory layers carry their field definitions; OAPIF layers get them from the server
        for child in list(ml):
            if child.tag in ("fieldConfiguration", "aliases", "defaults", "constraints",
                             "constraintExpressions", "expressionfields", "attributetableconfig"):
                ml.remove(child)
    for el in xml_root.iter("individual-layer-settings"):  # snapping settings, in hash order
        el[:] = sorted(el, key=lambda child: child.get("id"))
    ET.indent(tree, space="  ") if hasattr(ET, "indent") else None
    tree.write(path, encoding="utf-8", xml_declaration=False)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + text + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(HERE, "qgis"), help="output directory (default styles/qgis)")
    ap.add_argument("--check", action="store_true", help="compare the .qml files with DIR instead of writing")
    ap.add_argument("--palette", default=os.path.join(HERE, "palette.json"))
    args = ap.parse_args(argv)

    with open(args.palette, encoding="utf-8") as f:
        palette = json.load(f)

    from qgis.testing import start_app

    start_app()
    builder = Builder(palette)
    if args.check:
        stale = 0
        with tempfile.TemporaryDirectory() as tmp:
            for cid in palette["collections"]:
                fresh = os.path.join(tmp, cid + ".qml")
                write_qml(builder, cid, fresh)
                committed = os.path.join(args.out, cid + ".qml")
                with open(fresh, encoding="utf-8") as f:
                    new = f.read()
                old = open(committed, encoding="utf-8").read() if os.path.exists(committed) else None
                if new != old:
                    print("%s differs from what build-qml.py generates" % committed, file=sys.stderr)
                    stale += 1
        return 1 if stale else 0
    os.makedirs(args.out, exist_ok=True)
    for cid in palette["collections"]:
        write_qml(builder, cid, os.path.join(args.out, cid + ".qml"))
        print("wrote %s" % os.path.join(args.out, cid + ".qml"))
    build_project(builder, args.out, os.path.join(args.out, "beichen.qgs"))
    print("wrote %s" % os.path.join(args.out, "beichen.qgs"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""GDAL's own OGC API – Features client (the OAPIF driver) against the
real server: ogrinfo lists every collection with the right feature count,
and ogr2ogr copies collections back out with identical attributes and
geometries. Run on the fixture and on the shipped Beichen GeoPackage."""
import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from osgeo import ogr, osr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, fixture_gpkg, shipped_gpkg  # noqa: E402

ogr.UseExceptions()
osr.UseExceptions()


def source_layers(path):
    """{layer name: [(fid, {field: value}, geometry as CRS84 OGR geometry)]} read with OGR directly."""
    crs84 = osr.SpatialReference()
    crs84.SetWellKnownGeogCS("WGS84")
    crs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    out = {}
    dataset = ogr.Open(path)
    for layer in dataset:
        srs = layer.GetSpatialRef()
        transform = None
        if srs is not None:
            srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            if not srs.IsSame(crs84):
                transform = osr.CoordinateTransformation(srs, crs84)
        rows = []
        for feature in layer:
            geometry = feature.GetGeometryRef()
            geometry = geometry.Clone() if geometry is not None else None
            if geometry is not None and transform is not None:
                geometry.Transform(transform)
            rows.append((feature.GetFID(), feature.items(), geometry))
        out[layer.GetName()] = rows
    return out


class GdalOapifTest(unittest.TestCase):
    def check_dataset(self, data):
        expected = source_layers(data)
        with RunningServer(data) as server:
            url = f"OAPIF:http://127.0.0.1:{server.port}"
            listing = subprocess.run(["ogrinfo", "-ro", "-so", "-al", url], capture_output=True, text=True,
                                     timeout=300, check=True).stdout
            counts = dict(re.findall(r"Layer name: (\S+).*?Feature Count: (\d+)", listing, re.S))
            self.assertEqual({name: int(n) for name, n in counts.items()},
                             {name: len(rows) for name, rows in expected.items()})
            with tempfile.TemporaryDirectory() as tmp:
                for name, rows in expected.items():
                    copy = os.path.join(tmp, f"{name}.gpkg")
                    subprocess.run(["ogr2ogr", "-f", "GPKG", copy, url, name, "-oo", "PAGE_SIZE=7"],
                                   check=True, capture_output=True, timeout=300)
                    self.compare(name, rows, copy)
            self.assertEqual(server.stop(), 0)

    def compare(self, name, rows, copy):
        dataset = ogr.Open(copy)  # keep the dataset alive while its layer is used
        copied = list(dataset.GetLayer(0))
        self.assertEqual(len(copied), len(rows), name)
        by_id = {feature.GetFID(): feature for feature in copied}
        for fid, attributes, geometry in rows:
            feature = by_id.get(fid)
            self.assertIsNotNone(feature, f"{name} feature {fid} missing")
            got = feature.items()
            for field, value in attributes.items():
                self.assertIn(field, got, f"{name}.{field}")
                if isinstance(value, float):
                    self.assertAlmostEqual(got[field], value, places=9, msg=f"{name} {fid} {field}")
                elif value is not None and feature.GetFieldDefnRef(field).GetType() in (ogr.OFTDate, ogr.OFTDateTime):
                    self.assertEqual(str(got[field]).replace("/", "-")[:10], str(value).replace("/", "-")[:10])
                else:
                    self.assertEqual(got[field], value, f"{name} {fid} {field}")
            served = feature.GetGeometryRef()
            if geometry is None or geometry.IsEmpty():
                self.assertTrue(served is None or served.IsEmpty(), f"{name} {fid}")
                continue
            if not geometry.IsValid():  # the server repairs invalid input: compare areas instead
                self.assertAlmostEqual(served.GetArea(), geometry.MakeValid().GetArea(), places=12)
                continue
            if geometry.GetDimension() < 2:  # points and lines come back vertex for vertex
                self.assertTrue(served.Equals(geometry), f"{name} {fid}: {served.ExportToWkt()[:200]}")
                continue
            # Polygons: ring starts and orientation may differ after the
            # right-hand-rule normalisation; the shape must not.
            self.assertLess(served.SymDifference(geometry).GetArea(), 1e-14, f"{name} {fid}")
            self.assertAlmostEqual(served.GetArea(), geometry.GetArea(), places=14)

    def test_fixture(self):
        self.check_dataset(fixture_gpkg())

    def test_shipped_beichen_data(self):
        self.check_dataset(shipped_gpkg())


if __name__ == "__main__":
    unittest.main()

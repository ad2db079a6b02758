"""`regiomap export`: archives read back by readers nobody here wrote, and
bad input refused cleanly.

- PMTiles: the `pmtiles` npm package (tests/archive/read_pmtiles.mjs) reads
  every tile of the archive's zooms and bounds byte-equal to what the real
  server sends (decoded and as stored gzip), and finds exactly the tiles the
  server answers 200 for.
- MBTiles: GDAL's MBTiles driver opens it (layers from the `json` metadata,
  features at a zoom); Python's sqlite3 sees TMS rows and the server's gzip
  bytes.
- Bad input: zooms outside 0–22 or inverted, a full disk, an unwritable
  directory, an interrupt: exit status ≠ 0, a clear message, no file left.
"""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, binary, shipped_gpkg  # noqa: E402

READER = Path(__file__).resolve().parents[1] / "archive" / "read_pmtiles.mjs"
# The district and its surroundings (the partner counties far away are left out).
BEICHEN_BBOX = "116.90,39.10,117.45,39.40"


def export(*args, **kwargs):
    return subprocess.run([binary(), "export", "--data", shipped_gpkg(), *args],
                          capture_output=True, text=True, timeout=kwargs.pop("timeout", 300), **kwargs)


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="regiomap-export-")
        cls.server = RunningServer(shipped_gpkg()).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def out(self, name):
        return os.path.join(self.dir, name)

    def test_pmtiles_read_back_by_the_npm_reader_equal_to_the_server(self):
        path = self.out("beichen.pmtiles")
        done = export("--maxzoom", "14", "--bbox", BEICHEN_BBOX, path)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("tiles/s", done.stderr)
        read = subprocess.run(["node", str(READER), path, f"http://127.0.0.1:{self.server.port}"],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(read.returncode, 0, read.stderr + read.stdout)
        counts = json.loads(read.stdout)
        self.assertGreater(counts["tiles"], 100, counts)
        self.assertGreater(counts["empty"], 0, counts)  # the reader saw absent tiles too
        self.assertEqual(counts["header"]["maxZoom"], 14)
        self.assertIn("transport_lines", counts["layers"])
        self.assertEqual(sorted(os.listdir(self.dir)).count("beichen.pmtiles"), 1)

    def test_one_collection_read_back_against_the_collection_route(self):
        path = self.out("lines.pmtiles")
        done = export("--maxzoom", "12", "--collections", "transport_lines", "--bbox", BEICHEN_BBOX, path)
        self.assertEqual(done.returncode, 0, done.stderr)
        read = subprocess.run(["node", str(READER), path, f"http://127.0.0.1:{self.server.port}", "/tiles/transport_lines"],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(read.returncode, 0, read.stderr + read.stdout)
        self.assertEqual(json.loads(read.stdout)["layers"], ["transport_lines"])

    def test_mbtiles_opened_by_gdal_with_tms_rows_and_the_servers_bytes(self):
        from osgeo import gdal, ogr
        gdal.UseExceptions()
        path = self.out("beichen.mbtiles")
        done = export("--minzoom", "2", "--maxzoom", "13", "--bbox", BEICHEN_BBOX, path)
        self.assertEqual(done.returncode, 0, done.stderr)
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR, open_options=["ZOOM_LEVEL=13"])
        self.assertEqual(dataset.GetDriver().ShortName, "MBTiles")
        names = [dataset.GetLayer(i).GetName() for i in range(dataset.GetLayerCount())]
        self.assertIn("transport_lines", names)
        self.assertIn("boundaries", names)
        self.assertGreater(dataset.GetLayerByName("transport_lines").GetFeatureCount(), 0)
        listing = subprocess.run(["ogrinfo", "-ro", "-so", path], capture_output=True, text=True, timeout=60)
        self.assertEqual(listing.returncode, 0, listing.stderr)
        self.assertIn("transport_lines", listing.stdout)
        with sqlite3.connect(path) as db:
            metadata = dict(db.execute("SELECT name, value FROM metadata"))
            self.assertEqual(metadata["format"], "pbf")
            self.assertEqual((metadata["minzoom"], metadata["maxzoom"]), ("2", "13"))
            layers = [layer["id"] for layer in json.loads(metadata["json"])["vector_layers"]]
            self.assertIn("transport_lines", layers)
            rows = db.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles "
                              "WHERE zoom_level IN (9, 13) ORDER BY zoom_level, tile_column, tile_row").fetchall()
            self.assertGreater(len(rows), 5)
            for z, x, tms_row, data in rows:
                y = (1 << z) - 1 - tms_row
                status, headers, body = self.server.request(f"/tiles/{z}/{x}/{y}.mvt",
                                                            headers={"Accept-Encoding": "gzip"})
                self.assertEqual(status, 200, f"{z}/{x}/{y}")
                self.assertEqual(headers.get("content-encoding"), "gzip")
                self.assertEqual(bytes(data), body, f"{z}/{x}/{y}")
            distinct = db.execute("SELECT count(*) FROM images").fetchone()[0]
            addressed = db.execute("SELECT count(*) FROM map").fetchone()[0]
            self.assertLessEqual(distinct, addressed)

    def test_zooms_outside_0_22_or_inverted_are_refused(self):
        for args, expected in ((["--maxzoom", "23"], "0 to 22"), (["--minzoom", "-1"], "0 to 22"),
                               (["--minzoom", "9", "--maxzoom", "3"], "above --maxzoom"),
                               (["--bbox", "117,39,116,40"], "minLon < maxLon"), (["--format", "png"], "pmtiles")):
            done = export(*args, self.out("never.pmtiles"))
            self.assertEqual(done.returncode, 2, args)
            self.assertIn(expected, done.stderr, args)
        self.assertFalse(os.path.exists(self.out("never.pmtiles")))

    def test_unknown_collection_is_named(self):
        done = export("--collections", "transport_lines,nowhere", self.out("x.pmtiles"))
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("'nowhere'", done.stderr)
        self.assertIn("transport_lines", done.stderr)

    def test_unwritable_directory(self):
        locked = self.out("locked")
        os.mkdir(locked, 0o555)
        as_other_user = []
        if os.geteuid() == 0:  # root writes anywhere: try as nobody
            as_other_user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
            os.chmod(self.dir, 0o755)
        done = subprocess.run(as_other_user + [binary(), "export", "--data", shipped_gpkg(), "--maxzoom", "8",
                                               os.path.join(locked, "out.pmtiles")],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 1, done.stderr)
        self.assertIn("Permission denied", done.stderr)
        self.assertIn(locked, done.stderr)
        self.assertEqual(os.listdir(locked), [])

    def test_full_disk(self):
        for fmt in ("pmtiles", "mbtiles"):
            with self.subTest(fmt):
                done, listing = self.export_into_small_disk(fmt)
                self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
                self.assertRegex(done.stderr, r"(No space left on device|File too large|disk is full)")
                self.assertEqual(listing, [], "a partial file was left behind")

    def export_into_small_disk(self, fmt):
        """A 48 KiB tmpfs in a private mount namespace (root), else a file-size limit."""
        if os.geteuid() == 0 and shutil.which("unshare"):
            mount = self.out(f"small-{fmt}")
            os.mkdir(mount)
            script = ('mount -t tmpfs -o size=48k tmpfs "$1" || exit 99; '
                      '"$2" export --data "$3" --maxzoom 14 "$1/out.$4"; rc=$?; '
                      'echo "::$(ls -A "$1" | tr "\\n" " ")"; exit $rc')
            done = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", mount, binary(), shipped_gpkg(), fmt],
                                  capture_output=True, text=True, timeout=300)
            if done.returncode != 99:
                listing = done.stdout.rsplit("::", 1)[-1].split()
                return done, listing
        import resource

        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (48 * 1024, 48 * 1024))

        target = self.out(f"limited-{fmt}")
        os.mkdir(target)
        done = subprocess.run([binary(), "export", "--data", shipped_gpkg(), "--maxzoom", "14",
                               os.path.join(target, f"out.{fmt}")],
                              capture_output=True, text=True, timeout=300, preexec_fn=limit)
        return done, os.listdir(target)

    def test_interrupt_leaves_nothing(self):
        for sig in (signal.SIGINT, signal.SIGTERM):
            with self.subTest(sig.name):
                target = self.out(f"interrupted-{sig.name}")
                os.mkdir(target)
                process = subprocess.Popen([binary(), "export", "--data", shipped_gpkg(), "--maxzoom", "20",
                                            "--threads", "1", os.path.join(target, "out.pmtiles")],
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                # Wait until it is cutting tiles (its first progress line or its temporary file).
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and not os.listdir(target):
                    time.sleep(0.05)
                self.assertTrue(os.listdir(target), "the export never started writing")
                time.sleep(0.3)
                process.send_signal(sig)
                _, stderr = process.communicate(timeout=60)
                self.assertEqual(process.returncode, 130, stderr)
                self.assertIn("interrupted", stderr)
                self.assertEqual(os.listdir(target), [])


if __name__ == "__main__":
    unittest.main()

"""OGC API – Features over real HTTP: the regiomap binary on the fixture
GeoPackage (tests/fixtures), every endpoint, paging to the end, filters,
every error case, and the HTTP behaviour clients rely on."""
import gzip
import http.client
import json
import time
import sys
import unittest
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, fixture_gpkg  # noqa: E402

OAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0"


class OgcApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RunningServer(fixture_gpkg()).__enter__()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, f"server exit code {code}\n{cls.server.log()}"

    def get_json(self, path, expect=200, headers=None):
        status, head, body = self.server.request(path, headers=headers)
        self.assertEqual(status, expect, f"{path}: {body[:300]!r}")
        return head, json.loads(body)

    def links(self, document, rel):
        return [link for link in document["links"] if link["rel"] == rel]

    def relative(self, href):
        parts = urllib.parse.urlsplit(href)
        self.assertEqual(parts.netloc, f"127.0.0.1:{self.server.port}")
        return parts.path + ("?" + parts.query if parts.query else "")

    # --- landing, conformance, api, collections ---------------------------------

    def test_landing_page(self):
        head, doc = self.get_json("/")
        self.assertEqual(head["content-type"], "application/json")
        for rel, media in [("self", "application/json"), ("service-desc", OAPI_TYPE),
                           ("conformance", "application/json"), ("data", "application/json")]:
            (link,) = self.links(doc, rel)
            self.assertEqual(link["type"], media)
            self.assertTrue(link["href"].startswith("http://127.0.0.1:"))
            status, _, _ = self.server.request(self.relative(link["href"]))
            self.assertEqual(status, 200, rel)

    def test_conformance(self):
        _, doc = self.get_json("/conformance")
        cql2 = "http://www.opengis.net/spec/cql2/1.0/conf/"
        features = "http://www.opengis.net/spec/ogcapi-features-"
        # Each class is tested by its own suite: CRS in test_crs.py, filtering
        # and queryables in test_cql2_conformance.py and test_query_options.py.
        self.assertEqual(set(doc["conformsTo"]), {
            features + "1/1.0/conf/core", features + "1/1.0/conf/oas30", features + "1/1.0/conf/geojson",
            features + "2/1.0/conf/crs",
            features + "3/1.0/conf/queryables", features + "3/1.0/conf/queryables-query-parameters",
            features + "3/1.0/conf/filter", features + "3/1.0/conf/features-filter",
            cql2 + "cql2-text", cql2 + "cql2-json", cql2 + "basic-cql2", cql2 + "advanced-comparison-operators",
            cql2 + "case-insensitive-comparison", cql2 + "accent-insensitive-comparison",
            cql2 + "basic-spatial-functions", cql2 + "basic-spatial-functions-plus", cql2 + "spatial-functions",
            cql2 + "temporal-functions", cql2 + "property-property", cql2 + "arithmetic",
            features + "5/1.0/conf/schemas"} | {
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/" + c  # tested in test_ogc_tiles.py
            for c in ("core", "tileset", "tilesets-list", "dataset-tilesets", "geodata-tilesets", "mvt", "oas30")})

    def test_api_document_describes_every_path(self):
        head, api = self.get_json("/api")
        self.assertEqual(head["content-type"], OAPI_TYPE)
        for path in ["/", "/conformance", "/api", "/collections", "/collections/{collectionId}",
                     "/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}",
                     "/collections/roads/items", "/collections/parcels/items", "/collections/sites/items"]:
            self.assertIn("get", api["paths"][path], path)
        self.assertEqual(api["servers"][0]["url"], f"http://127.0.0.1:{self.server.port}")
        self.assertEqual(sorted(api["components"]["parameters"]["collectionId"]["schema"]["enum"]),
                         ["parcels", "roads", "sites"])

    def test_collections(self):
        _, doc = self.get_json("/collections")
        self.assertEqual([c["id"] for c in doc["collections"]], ["roads", "parcels", "sites"])
        for entry in doc["collections"]:
            _, single = self.get_json(f"/collections/{entry['id']}")
            self.assertEqual(single, entry)
            self.assertEqual(entry["itemType"], "feature")
            west, south, east, north = entry["extent"]["spatial"]["bbox"][0]
            self.assertTrue(-180 <= west <= east <= 180 and -90 <= south <= north <= 90)
            (items,) = [l for l in self.links(entry, "items") if l["type"] == "application/geo+json"]
            status, head, _ = self.server.request(self.relative(items["href"]))
            self.assertEqual((status, head["content-type"]), (200, "application/geo+json"))
        roads = doc["collections"][0]
        self.assertEqual(roads["extent"]["temporal"]["interval"][0][0], "2010-01-10T00:00:00Z")

    # --- items ------------------------------------------------------------------

    def test_paging_to_the_end_follows_next_links(self):
        path = "/collections/roads/items?limit=7"
        seen, pages = [], 0
        while path:
            _, page = self.get_json(path)
            self.assertEqual(page["type"], "FeatureCollection")
            self.assertEqual(page["numberMatched"], 25)
            self.assertEqual(page["numberReturned"], len(page["features"]))
            self.assertRegex(page["timeStamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            seen += [f["id"] for f in page["features"]]
            nxt = self.links(page, "next")
            path = self.relative(nxt[0]["href"]) if nxt else None
            pages += 1
        self.assertEqual(pages, 4)
        self.assertEqual(seen, list(range(1, 26)))

    def test_prev_link(self):
        _, page = self.get_json("/collections/roads/items?limit=5&offset=12")
        (prev,) = self.links(page, "prev")
        self.assertIn("offset=7", prev["href"])
        self.assertEqual([f["id"] for f in page["features"]], [13, 14, 15, 16, 17])

    def test_limit_is_clamped(self):
        _, page = self.get_json("/collections/roads/items?limit=20000")
        self.assertEqual(page["numberReturned"], 25)
        self.assertIn("limit=10000", self.links(page, "self")[0]["href"])

    def test_default_limit_is_ten(self):
        _, page = self.get_json("/collections/roads/items")
        self.assertEqual(page["numberReturned"], 10)

    def test_bbox(self):
        _, page = self.get_json("/collections/roads/items?bbox=117.095,39.19,117.125,39.22&limit=100")
        self.assertEqual([f["id"] for f in page["features"]], [10, 11, 12, 13])
        _, six = self.get_json("/collections/roads/items?bbox=117.095,39.19,0,117.125,39.22,10&limit=100")
        self.assertEqual(six["numberMatched"], 4)

    def test_bbox_across_the_antimeridian(self):
        _, page = self.get_json("/collections/sites/items?bbox=177,65,-177,70")
        self.assertEqual(sorted(f["properties"]["name"] for f in page["features"]), ["site 7", "site 8"])

    def test_bbox_inside_a_hole_finds_nothing(self):
        _, page = self.get_json("/collections/parcels/items?bbox=117.113,39.213,117.117,39.217")
        self.assertEqual(page["numberMatched"], 0)

    def test_datetime(self):
        _, instant = self.get_json("/collections/roads/items?datetime=2010-01-10&limit=100")
        self.assertEqual([f["properties"]["opened"] for f in instant["features"]], ["2010-01-10"])
        _, interval = self.get_json("/collections/roads/items?datetime=2019-01-01/..&limit=100")
        self.assertTrue(all(f["properties"]["opened"] >= "2019" for f in interval["features"]))
        self.assertGreater(interval["numberMatched"], 0)
        _, duration = self.get_json("/collections/roads/items?datetime=2010-01-10/P2D&limit=100")
        self.assertEqual(duration["numberMatched"], instant["numberMatched"])
        _, before = self.get_json("/collections/roads/items?datetime=../2009-12-31T23:59:59Z")
        self.assertEqual(before["numberMatched"], 0)

    def test_property_filters(self):
        _, page = self.get_json("/collections/roads/items?status=completed&limit=100")
        self.assertEqual(page["numberMatched"], 8)
        self.assertTrue(all(f["properties"]["status"] == "completed" for f in page["features"]))
        _, both = self.get_json("/collections/roads/items?status=completed&lanes=6&limit=100")
        self.assertTrue(all(f["properties"]["lanes"] == 6 for f in both["features"]))
        _, toll = self.get_json("/collections/roads/items?toll=true&limit=100")
        self.assertEqual(toll["numberMatched"], 7)
        (nxt,) = self.links(self.get_json("/collections/roads/items?status=completed&limit=2")[1], "next")
        self.assertIn("status=completed", nxt["href"])

    def test_feature(self):
        head, feature = self.get_json("/collections/roads/items/3")
        self.assertEqual(head["content-type"], "application/geo+json")
        self.assertEqual(feature["id"], 3)
        self.assertEqual(feature["geometry"]["type"], "LineString")
        self.assertEqual(feature["properties"]["toll"], False)
        self.assertEqual(feature["properties"]["inspected"], "2020-06-03T02:30:00Z")
        for rel in ("self", "collection"):
            self.assertEqual(len(self.links(feature, rel)), 1, rel)
        alternates = sorted(link["type"] for link in self.links(feature, "alternate"))
        self.assertEqual(alternates, ["application/json", "text/html"])
        head, same = self.get_json("/collections/roads/items/3?f=json")
        self.assertEqual(head["content-type"], "application/json")
        self.assertEqual(same["properties"], feature["properties"])

    def test_polygons_follow_the_right_hand_rule(self):
        _, page = self.get_json("/collections/parcels/items")

        def area(ring):
            return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:]))

        for feature in page["features"]:
            geometry = feature["geometry"]
            if geometry is None:
                continue
            polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            for rings in polygons:
                self.assertGreater(area(rings[0]), 0, feature["id"])
                for hole in rings[1:]:
                    self.assertLess(area(hole), 0, feature["id"])
                for ring in rings:
                    self.assertEqual(ring[0], ring[-1])

    def test_null_geometry_is_served_as_null(self):
        _, feature = self.get_json("/collections/parcels/items/4")
        self.assertIsNone(feature["geometry"])

    # --- search -----------------------------------------------------------------

    def test_search_by_name_in_chinese_and_english(self):
        _, found = self.get_json("/search?q=" + urllib.parse.quote("测试路 2"))
        names = [f["properties"]["name"] for f in found["features"]]
        self.assertEqual(names[0], "测试路 2 / Test Road 2")
        self.assertEqual(found["numberMatched"], 7)  # 2, 20–25
        _, english = self.get_json("/search?q=test%20road%2025")
        self.assertEqual([f["id"] for f in english["features"]], [25])
        self.assertEqual(english["features"][0]["collection"], "roads")
        self.assertEqual(len(english["features"][0]["bbox"]), 4)
        self.assertTrue(english["features"][0]["links"][0]["href"].endswith("/collections/roads/items/25"))
        _, limited = self.get_json("/search?q=site&limit=3")
        self.assertEqual((limited["numberMatched"], limited["numberReturned"]), (12, 3))
        _, none = self.get_json("/search?q=nowhere")
        self.assertEqual(none["features"], [])
        for bad in ["/search", "/search?q=", "/search?q=x&colour=red", "/search?q=" + "x" * 300]:
            status, _, _ = self.server.request(bad)
            self.assertEqual(status, 400, bad)

    # --- errors -----------------------------------------------------------------

    def test_errors(self):
        cases = {
            "/nothing-here": 404,
            "/collections/nope": 404,
            "/collections/nope/items": 404,
            "/collections/roads/items/999999": 404,
            "/collections/roads/items/not-a-number": 404,
            "/collections/roads/items?limit=0": 400,
            "/collections/roads/items?limit=-1": 400,
            "/collections/roads/items?limit=unlimited": 400,
            "/collections/roads/items?bbox=1,2,3": 400,
            "/collections/roads/items?bbox=0,0,1,91": 400,
            "/collections/roads/items?bbox=NaN,0,1,1": 400,
            "/collections/roads/items?bbox=1e400,0,1,1": 400,
            "/collections/roads/items?datetime=2020-02-30": 400,
            "/collections/roads/items?datetime=tomorrow": 400,
            "/collections/roads/items?unknownQueryParameter12345=1": 400,
            "/collections/roads/items?lanes=four": 400,
            "/collections/roads/items?limit=5&limit=6": 400,
            "/collections?f=xml": 400,
            "/collections/roads/items?name=%ZZ": 400,
        }
        for path, expected in cases.items():
            status, head, body = self.server.request(path)
            self.assertEqual(status, expected, path)
            self.assertEqual(head["content-type"], "application/json", path)
            error = json.loads(body)
            self.assertIsInstance(error["code"], str, path)
            self.assertGreater(len(error["description"]), 10, path)
        status, _, _ = self.server.request("/health")
        self.assertEqual(status, 200)

    # --- HTTP ---------------------------------------------------------------------

    def test_head_matches_get(self):
        _, get_head, get_body = self.server.request("/collections/roads")
        status, head, body = self.server.request("/collections/roads", method="HEAD")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"")
        self.assertEqual(int(head["content-length"]), len(get_body))
        self.assertEqual(head["etag"], get_head["etag"])

    def test_gzip_and_etag(self):
        status, head, body = self.server.request("/collections", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        self.assertEqual(head["content-encoding"], "gzip")
        plain = json.loads(gzip.decompress(body))
        self.assertEqual(len(plain["collections"]), 3)
        _, plain_head, _ = self.server.request("/collections")
        self.assertNotIn("content-encoding", plain_head)
        status, head304, body304 = self.server.request("/collections", headers={"If-None-Match": plain_head["etag"]})
        self.assertEqual((status, body304), (304, b""))
        self.assertEqual(head304["etag"], plain_head["etag"])

    def test_cors_and_preflight(self):
        status, head, _ = self.server.request("/collections", method="OPTIONS", headers={
            "Origin": "http://example.org", "Access-Control-Request-Method": "GET"})
        self.assertEqual(status, 204)
        self.assertEqual(head["access-control-allow-origin"], "*")
        self.assertIn("GET", head["access-control-allow-methods"])
        _, head, _ = self.server.request("/collections/roads/items", headers={"Origin": "http://example.org"})
        self.assertEqual(head["access-control-allow-origin"], "*")

    def test_method_not_allowed(self):
        status, head, body = self.server.request("/collections", method="DELETE")
        self.assertEqual(status, 405)
        self.assertEqual(head["allow"], "GET, HEAD, OPTIONS")
        self.assertEqual(json.loads(body)["code"], "MethodNotAllowed")

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            for _ in range(20):
                status, _, _ = self.server.request("/collections/roads/items?limit=1", connection=conn)
                self.assertEqual(status, 200)
        finally:
            conn.close()

    def test_access_log_has_one_line_per_request(self):
        self.server.request("/collections/sites?f=json&marker=accesslog")
        # Written off the request path, at least once a second.
        deadline = time.monotonic() + 3
        while True:
            log = self.server.log()
            lines = [l for l in log.splitlines() if "marker=accesslog" in l]
            if lines or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(len(lines), 1, log[-2000:])
        self.assertRegex(lines[0], r'access remote=127\.0\.0\.1 method=GET target="[^"]+" status=400 bytes=\d+ ms=\d')

    def test_load_is_logged(self):
        log = self.server.log()
        self.assertIn("collection parcels feature 3: invalid geometry, repaired", log)
        self.assertRegex(log, r"loaded 3 collections, 42 features from .* in \d+ ms")


if __name__ == "__main__":
    unittest.main()

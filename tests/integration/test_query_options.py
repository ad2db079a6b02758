"""sortby, properties, skipGeometry and the queryables over real HTTP on
the fixture GeoPackage: orders against Python's own sort of the same
features, paging through `next` links that neither repeats nor skips a
feature, the property subsets, and errors that name the allowed fields."""
import json
import sys
import unittest
import urllib.parse
from pathlib import Path

from jsonschema import Draft202012Validator

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, fixture_gpkg  # noqa: E402


class QueryOptionsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = RunningServer(fixture_gpkg()).__enter__()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, f"server exit code {code}\n{cls.server.log()}"

    def get(self, path, expect=200, **params):
        query = urllib.parse.urlencode(params)
        status, head, body = self.server.request(path + ("?" + query if query else ""))
        self.assertEqual(status, expect, body[:300])
        return head, json.loads(body)

    def all_features(self, collection, **params):
        _, doc = self.get(f"/collections/{collection}/items", limit="10000", **params)
        return doc["features"]

    def walk_pages(self, collection, limit, **params):
        """Every feature reached by following `next` links from the first page."""
        _, doc = self.get(f"/collections/{collection}/items", limit=str(limit), **params)
        features = list(doc["features"])
        while True:
            nxt = [link for link in doc["links"] if link["rel"] == "next"]
            if not nxt:
                return features, doc
            parts = urllib.parse.urlsplit(nxt[0]["href"])
            status, _, body = self.server.request(parts.path + "?" + parts.query)
            self.assertEqual(status, 200)
            doc = json.loads(body)
            features.extend(doc["features"])

    def test_sortby_orders_like_python_and_pages_are_stable(self):
        features = self.all_features("sites")
        self.assertGreater(len(features), 5)

        def key(f):
            # descending kind, ascending visits (nulls last), then collection order
            return f["properties"]["kind"], f["properties"]["visits"]
        kinds = sorted({f["properties"]["kind"] for f in features}, reverse=True)
        expected = []
        for kind in kinds:
            same = [f for f in features if f["properties"]["kind"] == kind]
            with_value = sorted((f for f in same if f["properties"]["visits"] is not None),
                                key=lambda f: f["properties"]["visits"])
            expected += with_value + [f for f in same if f["properties"]["visits"] is None]
        for limit in (1, 2, 3, 10000):
            paged, last = self.walk_pages("sites", limit, sortby="-kind,+visits")
            self.assertEqual([f["id"] for f in paged], [f["id"] for f in expected], limit)
        # A '+' that a client did not percent-encode arrives as a space and still means ascending.
        status, _, body = self.server.request("/collections/sites/items?limit=100&sortby=+visits")
        self.assertEqual(status, 200)
        visits = [f["properties"]["visits"] for f in json.loads(body)["features"]]
        values = [v for v in visits if v is not None]
        self.assertEqual(values, sorted(values))
        # Ties keep the collection's order, on every page size.
        in_order = [f["id"] for f in features]
        by_kind = sorted(in_order, key=lambda fid: next(f["properties"]["kind"] for f in features if f["id"] == fid))
        for limit in (1, 5):
            paged, _ = self.walk_pages("sites", limit, sortby="kind")
            self.assertEqual([f["id"] for f in paged], by_kind)
        _, by_id = self.get("/collections/roads/items", limit="100", sortby="-id")
        ids = [f["id"] for f in by_id["features"]]
        self.assertEqual(ids, sorted(ids, reverse=True))

    def test_sortby_with_a_filter_and_bbox(self):
        features = self.all_features("sites", filter="visits >= 10", sortby="-visits")
        visits = [f["properties"]["visits"] for f in features]
        self.assertTrue(visits)
        self.assertEqual(visits, sorted(visits, reverse=True))
        self.assertTrue(all(v >= 10 for v in visits))

    def test_properties_and_skip_geometry(self):
        everything = self.all_features("sites")
        some = self.all_features("sites", properties="visits,name")
        self.assertEqual([f["id"] for f in some], [f["id"] for f in everything])
        for full, cut in zip(everything, some):
            self.assertEqual(list(cut["properties"]), ["visits", "name"])
            self.assertEqual(cut["properties"]["name"], full["properties"]["name"])
            self.assertEqual(cut["geometry"], full["geometry"])
        bare = self.all_features("sites", properties="", skipGeometry="true")
        for feature in bare:
            self.assertEqual(feature["properties"], {})
            self.assertIsNone(feature["geometry"])
            self.assertEqual(feature["type"], "Feature")
        _, one = self.get("/collections/sites/items/1", properties="name", skipGeometry="true")
        self.assertEqual(list(one["properties"]), ["name"])
        self.assertIsNone(one["geometry"])
        # The options survive paging.
        paged, _ = self.walk_pages("sites", 2, properties="name", skipGeometry="true")
        self.assertEqual(len(paged), len(everything))
        self.assertTrue(all(list(f["properties"]) == ["name"] and f["geometry"] is None for f in paged))

    def test_errors_name_the_allowed_fields(self):
        _, doc = self.get("/collections/sites/items", expect=400, sortby="colour")
        self.assertIn("sort by one of: id, name, kind, visits", doc["description"])
        _, doc = self.get("/collections/sites/items", expect=400, properties="name,colour")
        self.assertIn("'colour' is not a property of this collection; choose from: name, kind, visits",
                      doc["description"])
        _, doc = self.get("/collections/sites/items", expect=400, skipGeometry="1")
        self.assertIn("'1' is not 'true' or 'false'", doc["description"])

    def test_queryables(self):
        head, doc = self.get("/collections/sites/queryables")
        self.assertEqual(head["content-type"], "application/schema+json")
        Draft202012Validator.check_schema(doc)
        self.assertEqual(doc["$schema"], "https://json-schema.org/draft/2020-12/schema")
        self.assertEqual(doc["$id"], f"http://127.0.0.1:{self.server.port}/collections/sites/queryables")
        self.assertEqual(doc["type"], "object")
        self.assertFalse(doc["additionalProperties"])
        geometry = doc["properties"].pop("geom")
        self.assertEqual(geometry["format"], "geometry-point")
        self.assertNotIn("type", geometry)
        self.assertEqual({name: p["type"] for name, p in doc["properties"].items()},
                         {"name": "string", "kind": "string", "visits": "integer"})
        # Every non-null value of every feature has its queryable's type.
        python_type = {"string": str, "integer": int, "number": (int, float), "boolean": bool}
        for feature in self.all_features("sites"):
            for name, value in feature["properties"].items():
                if value is not None:
                    self.assertIsInstance(value, python_type[doc["properties"][name]["type"]], name)
        # The collection links to them with the OGC relation type.
        _, collection = self.get("/collections/sites")
        (link,) = [link for link in collection["links"]
                   if link["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/queryables"]
        self.assertEqual(link["type"], "application/schema+json")
        self.assertTrue(link["href"].endswith("/collections/sites/queryables"))
        self.get("/collections/nowhere/queryables", expect=404)
        self.get("/collections/sites/queryables", expect=400, filter="x")

    def test_openapi_documents_every_new_parameter(self):
        _, api = self.get("/api")
        parameters = api["components"]["parameters"]
        for name in ("crs", "bbox-crs", "filter", "filter-lang", "filter-crs", "sortby", "properties",
                     "skipGeometry"):
            self.assertIn(name, parameters)
            self.assertIn({"$ref": f"#/components/parameters/{name}"},
                          api["paths"]["/collections/{collectionId}/items"]["get"]["parameters"])
            self.assertIn({"$ref": f"#/components/parameters/{name}"},
                          api["paths"]["/collections/sites/items"]["get"]["parameters"])
        self.assertEqual(parameters["filter-lang"]["schema"]["enum"], ["cql2-text", "cql2-json"])
        self.assertIn("get", api["paths"]["/collections/{collectionId}/queryables"])


if __name__ == "__main__":
    unittest.main()

// The request handler end to end through the router, against an in-memory
// store: every endpoint, the error mapping, ETag/304, gzip and CORS.
#include <gtest/gtest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "http/compression.hpp"
#include "regiomap_testing/store_builder.hpp"

namespace regiomap::app {

using namespace api;
using namespace http;
namespace {

using nlohmann::json;

std::shared_ptr<const FeatureStore> small_store() {
    testing::StoreBuilder builder;
    builder.collection("sites", {{"name", FieldType::string}, {"kind", FieldType::string}}, "Sites", "Test sites");
    for (int i = 0; i < 25; ++i) {
        builder.add(testing::feature(
            i + 1, testing::point(117.0 + i * 0.01, 39.2),
            {Value{"site " + std::to_string(i + 1)}, Value{std::string(i % 2 ? "market" : "school")}}));
    }
    return builder.store();
}

class AppTest : public ::testing::Test {
protected:
    AppTest()
        : files_(""), tile_cache_(1 << 20), log_(log_text_), context_{config_,     holder_,  files_,  files_,
                                                                      tile_cache_, metrics_, nullptr, log_} {
        holder_.set(small_store());
    }

    Response get(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {},
                 const std::string& method = "GET") {
        Request request{method, target, std::move(headers)};
        request.headers.emplace_back("host", "maps.example:8080");
        return app_.handle(request);
    }
    static json body(const Response& r) { return json::parse(r.body); }

    AppConfig config_;
    StoreHolder holder_;
    StaticFiles files_;
    TileCache tile_cache_;
    Metrics metrics_;
    std::ostringstream log_text_;
    Logger log_;
    AppContext context_;
    App app_{context_};
};

bool has_link(const json& links, const std::string& rel, const std::string& type) {
    for (const auto& l : links) {
        if (l["rel"] == rel && l["type"] == type && l["href"].get<std::string>().starts_with("http://")) {
            return true;
        }
    }
    return false;
}

TEST_F(AppTest, LandingPageLinksWhatClientsNeed) {
    Response r = get("/");
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(r.content_type, "application/json");
    json links = body(r)["links"];
    EXPECT_TRUE(has_link(links, "self", "application/json"));
    EXPECT_TRUE(has_link(links, "service-desc", "application/vnd.oai.openapi+json;version=3.0"));
    EXPECT_TRUE(has_link(links, "conformance", "application/json"));
    EXPECT_TRUE(has_link(links, "data", "application/json"));
    EXPECT_EQ(links[0]["href"], "http://maps.example:8080/");
}

TEST_F(AppTest, ForwardedHeadersAndPublicUrlShapeLinks) {
    Response r = get("/", {{"x-forwarded-proto", "https"}, {"x-forwarded-host", "gis.example.org"}});
    EXPECT_EQ(body(r)["links"][0]["href"], "https://gis.example.org/");
    Response injected = get("/", {{"x-forwarded-host", "evil.example/<script>"}});
    EXPECT_EQ(body(injected)["links"][0]["href"], "http://maps.example:8080/");
    config_.service.public_url = "https://example.org/maps/";
    EXPECT_EQ(body(get("/conformance?f=json")).size(), 1u);
    EXPECT_EQ(body(get("/"))["links"][1]["href"], "https://example.org/maps/api");
}

TEST_F(AppTest, Conformance) {
    json classes = body(get("/conformance"))["conformsTo"];
    EXPECT_NE(std::find(classes.begin(), classes.end(), "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"),
              classes.end());
    // Features Part 1 (3), Part 2 (1), Part 3 (4), Part 5 schemas (1), CQL2 (12) and Tiles (7); each is
    // tested by its own suite; no Part 4 without a tokens file.
    EXPECT_EQ(classes.size(), 28u);
}

TEST_F(AppTest, OpenApiDeclaresLimitAndBboxAsClientsReadThem) {
    Response r = get("/api");
    EXPECT_EQ(r.content_type, "application/vnd.oai.openapi+json;version=3.0");
    json api = body(r);
    EXPECT_EQ(api["openapi"], "3.0.3");
    json limit = api["components"]["parameters"]["limit"];
    EXPECT_EQ(limit["schema"]["type"], "integer");
    EXPECT_EQ(limit["schema"]["minimum"], 1);
    EXPECT_EQ(limit["schema"]["maximum"], 10000);
    EXPECT_EQ(limit["schema"]["default"], 10);
    EXPECT_EQ(limit["style"], "form");
    json bbox = api["components"]["parameters"]["bbox"]["schema"];
    EXPECT_EQ(bbox["type"], "array");
    EXPECT_EQ(bbox["minItems"], 4);
    EXPECT_EQ(bbox["maxItems"], 6);
    EXPECT_EQ(bbox["items"]["type"], "number");
    EXPECT_TRUE(api["paths"].contains("/collections/{collectionId}/items/{featureId}"));
    EXPECT_EQ(api["components"]["parameters"]["collectionId"]["schema"]["enum"], json::array({"sites"}));
    // Per-collection path with its property filters, for GDAL.
    json params = api["paths"]["/collections/sites/items"]["get"]["parameters"];
    EXPECT_TRUE(std::any_of(params.begin(), params.end(), [](const json& p) { return p.value("name", "") == "kind"; }));
    // Every $ref resolves.
    std::function<void(const json&)> check = [&](const json& node) {
        if (node.is_object()) {
            if (node.contains("$ref")) {
                std::string ref = node["$ref"];
                json::json_pointer pointer(ref.substr(1));
                EXPECT_TRUE(api.contains(pointer)) << ref;
            }
            for (const auto& [key, value] : node.items())
                check(value);
        } else if (node.is_array()) {
            for (const auto& value : node)
                check(value);
        }
    };
    check(api);
}

TEST_F(AppTest, CollectionsAndCollectionAgree) {
    json list = body(get("/collections"));
    ASSERT_EQ(list["collections"].size(), 1u);
    json one = body(get("/collections/sites"));
    EXPECT_EQ(list["collections"][0], one);
    EXPECT_EQ(one["itemType"], "feature");
    EXPECT_TRUE(has_link(one["links"], "items", "application/geo+json"));
    EXPECT_EQ(one["extent"]["spatial"]["bbox"][0][0], 117.0);
}

TEST_F(AppTest, ItemsPageToTheEnd) {
    std::string next = "/collections/sites/items?limit=10";
    std::vector<std::int64_t> seen;
    int pages = 0;
    while (!next.empty() && pages < 10) {
        Response r = get(next);
        ASSERT_EQ(r.status, 200u) << next;
        EXPECT_EQ(r.content_type, "application/geo+json");
        json page = body(r);
        EXPECT_EQ(page["numberMatched"], 25);
        EXPECT_EQ(page["numberReturned"], page["features"].size());
        for (const auto& f : page["features"])
            seen.push_back(f["id"]);
        next.clear();
        for (const auto& l : page["links"]) {
            if (l["rel"] == "next") {
                std::string href = l["href"];
                next = href.substr(std::string("http://maps.example:8080").size());
            }
        }
        ++pages;
    }
    EXPECT_EQ(pages, 3);
    ASSERT_EQ(seen.size(), 25u);
    for (std::size_t i = 0; i < seen.size(); ++i)
        EXPECT_EQ(seen[i], static_cast<std::int64_t>(i + 1));
}

TEST_F(AppTest, NextLinkKeepsTheQuery) {
    json page = body(get("/collections/sites/items?kind=market&bbox=116,39,118,40&limit=5"));
    EXPECT_EQ(page["numberMatched"], 12);
    std::string next;
    for (const auto& l : page["links"])
        if (l["rel"] == "next")
            next = l["href"];
    EXPECT_EQ(next,
              "http://maps.example:8080/collections/sites/items?kind=market&bbox=116%2C39%2C118%2C40&limit=5&offset=5");
}

TEST_F(AppTest, FeatureHasSelfAlternateAndCollectionLinks) {
    Response r = get("/collections/sites/items/3");
    ASSERT_EQ(r.status, 200u);
    json feature = body(r);
    EXPECT_EQ(feature["id"], 3);
    EXPECT_EQ(feature["properties"]["name"], "site 3");
    EXPECT_TRUE(has_link(feature["links"], "self", "application/geo+json"));
    EXPECT_TRUE(has_link(feature["links"], "alternate", "application/json"));
    EXPECT_TRUE(has_link(feature["links"], "collection", "application/json"));
    EXPECT_EQ(get("/collections/sites/items/3?f=json").content_type, "application/json");
}

TEST_F(AppTest, ErrorsAreJsonWithStatus) {
    struct Case {
        const char* target;
        unsigned status;
    };
    for (Case c :
         {Case{"/nope", 404}, Case{"/collections/nope", 404}, Case{"/collections/nope/items", 404},
          Case{"/collections/sites/items/999", 404}, Case{"/collections/sites/items/abc", 404},
          Case{"/collections/sites/items?limit=0", 400}, Case{"/collections/sites/items?limit=-1", 400},
          Case{"/collections/sites/items?limit=unlimited", 400}, Case{"/collections/sites/items?bbox=1,2,3", 400},
          Case{"/collections/sites/items?bbox=0,0,1,91", 400}, Case{"/collections/sites/items?bbox=nan,0,1,1", 400},
          Case{"/collections/sites/items?datetime=2020-13-45", 400},
          Case{"/collections/sites/items?unknownQueryParameter=1", 400}, Case{"/collections?f=xml", 400},
          Case{"/%zz", 400}}) {
        Response r = get(c.target);
        EXPECT_EQ(r.status, c.status) << c.target;
        EXPECT_EQ(r.content_type, "application/json") << c.target;
        json error = body(r);
        EXPECT_TRUE(error["code"].is_string()) << c.target;
        EXPECT_FALSE(error["description"].get<std::string>().empty()) << c.target;
    }
}

TEST_F(AppTest, UnsupportedMethodIs405WithAllow) {
    Response r = get("/collections", {}, "POST");
    EXPECT_EQ(r.status, 405u);
    EXPECT_EQ(r.header("Allow"), "GET, HEAD, OPTIONS");
}

TEST_F(AppTest, TileStyleAndFileRoutesIgnoreUnknownParameters) {
    // Clients and CDNs add cache busters and API keys to tile URLs; only the
    // OGC routes answer 400 for parameters they do not know.
    for (const char* target :
         {"/tiles/0/0/0.mvt?v=1", "/tiles/sites/0/0/0.mvt?key=abc&v=2", "/tiles.json?v=3", "/tiles/sites.json?v=4"}) {
        EXPECT_EQ(get(target).status, 200u) << target;
    }
    EXPECT_EQ(get("/tiles/0/0/0.mvt?v=1").etag, get("/tiles/0/0/0.mvt").etag);
    EXPECT_EQ(get("/collections?v=1").status, 400u);
    EXPECT_EQ(get("/tiles.json?f=xml").status, 400u);  // a known parameter is still checked
}

TEST_F(AppTest, DatetimeOnACollectionWithoutADateFieldFiltersNothing) {
    EXPECT_EQ(body(get("/collections/sites/items?datetime=2020-01-01&limit=100"))["numberMatched"], 25);
    EXPECT_EQ(get("/collections/sites/items?datetime=2020-13-45").status, 400u);  // still checked
}

TEST_F(AppTest, TilesAreGzippedWhenAskedForAndNotTooSmall) {
    const Response plain = get("/tiles/0/0/0.mvt");
    ASSERT_EQ(plain.status, 200u);
    const std::string raw = plain.shared_body ? *plain.shared_body : plain.body;
    ASSERT_GT(raw.size(), config_.gzip_min_bytes);
    EXPECT_TRUE(plain.header("Content-Encoding").empty());

    const Response zipped = get("/tiles/0/0/0.mvt", {{"accept-encoding", "gzip"}});
    EXPECT_EQ(zipped.header("Content-Encoding"), "gzip");
    ASSERT_TRUE(zipped.shared_body);
    EXPECT_EQ(gzip_decompress(*zipped.shared_body), raw);
    EXPECT_NE(zipped.header("ETag"), plain.header("ETag"));  // another representation, another tag

    // Under --gzip-min-bytes a tile goes as it is, as every other body does.
    config_.gzip_min_bytes = raw.size() + 1;
    const Response small = get("/tiles/sites/0/0/0.mvt", {{"accept-encoding", "gzip"}});
    EXPECT_TRUE(small.header("Content-Encoding").empty());
    EXPECT_EQ(small.header("ETag"), get("/tiles/sites/0/0/0.mvt").header("ETag"));
}

TEST_F(AppTest, TypedPathParametersAreCheckedByTheRouter) {
    EXPECT_EQ(get("/tiles/23/0/0.mvt").status, 404u);  // beyond the pyramid
    EXPECT_EQ(get("/tiles/1/2/0.mvt").status, 404u);   // outside zoom 1
    EXPECT_EQ(get("/tiles/a/0/0.mvt").status, 400u);
    EXPECT_EQ(get("/tiles/sites/1/0/x.mvt").status, 400u);
    EXPECT_EQ(get("/tiles/nope/0/0/0.mvt").status, 404u);
    EXPECT_EQ(get("/tiles/0/0/0.png").status, 404u);  // no route: a missing file
}

TEST_F(AppTest, AKnownPathWithAnotherMethodIs405NotAMissingFile) {
    Response r = get("/admin/reload");  // POST only: GET must not fall through to the web files
    EXPECT_EQ(r.status, 405u);
    EXPECT_EQ(r.header("Allow"), "POST, OPTIONS");
    Response preflight = get("/tiles/0/0/0.mvt", {{"origin", "http://other"}}, "OPTIONS");
    EXPECT_EQ(preflight.header("Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
}

TEST_F(AppTest, OpenApiPathsComeFromTheRouteTable) {
    json paths = body(get("/api"))["paths"];
    for (const auto& route : app_.routes().routes()) {
        if (route.openapi) {
            EXPECT_TRUE(paths.contains(route.path)) << route.path;
        }
    }
    EXPECT_TRUE(paths.contains("/tiles/{z}/{x}/{y}.mvt"));
    EXPECT_FALSE(paths.contains("/{path...}"));
}

TEST_F(AppTest, PreflightAndCors) {
    Response r =
        get("/collections", {{"origin", "http://other"}, {"access-control-request-headers", "x-a"}}, "OPTIONS");
    EXPECT_EQ(r.status, 204u);
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "*");
    EXPECT_EQ(r.header("Access-Control-Allow-Headers"), "x-a");
    EXPECT_EQ(get("/nope").header("Access-Control-Allow-Origin"), "*");
}

TEST_F(AppTest, EtagAndNotModified) {
    Response first = get("/collections");
    std::string etag(first.header("ETag"));
    ASSERT_FALSE(etag.empty());
    EXPECT_EQ(etag.front(), '"');
    Response again = get("/collections", {{"if-none-match", "\"other\", " + etag}});
    EXPECT_EQ(again.status, 304u);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(get("/collections", {{"if-none-match", "\"other\""}}).status, 200u);
}

TEST_F(AppTest, GzipOnlyWhenAccepted) {
    Response plain = get("/collections");
    EXPECT_TRUE(plain.header("Content-Encoding").empty());
    Response zipped = get("/collections", {{"accept-encoding", "gzip, deflate"}});
    EXPECT_EQ(zipped.header("Content-Encoding"), "gzip");
    EXPECT_NE(zipped.header("ETag"), plain.header("ETag"));
    // /collections is also an HTML page (Accept: text/html): it varies with both.
    EXPECT_EQ(zipped.header("Vary"), "Accept, Accept-Encoding");
    EXPECT_EQ(gzip_decompress(zipped.body), plain.body);
}

TEST_F(AppTest, MetricsCountRequestsByRouteAndStatus) {
    get("/collections");
    get("/collections");
    get("/collections/nope");
    Response r = get("/metrics");
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(r.body.find("regiomap_http_requests_total{route=\"collections\",status=\"200\"} 2"), std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("regiomap_http_requests_total{route=\"collection\",status=\"404\"} 1"), std::string::npos);
    EXPECT_NE(r.body.find("regiomap_features{collection=\"sites\"} 25"), std::string::npos);
    EXPECT_NE(r.body.find("regiomap_http_request_duration_seconds_count 3"), std::string::npos);
}

TEST_F(AppTest, ReloadOverHttpIsOffWithoutAToken) {
    Response r = get("/admin/reload", {}, "POST");
    EXPECT_EQ(r.status, 403u);
    EXPECT_EQ(get("/admin/reload").status, 405u);
}

TEST_F(AppTest, HealthAndLoading) {
    EXPECT_EQ(get("/health").status, 200u);
    holder_.set(nullptr);
    EXPECT_EQ(get("/health").status, 503u);
    EXPECT_EQ(get("/collections").status, 503u);
}

}  // namespace
}  // namespace regiomap::app

#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/routes.hpp"
#include "app/reloader.hpp"
#include "app/sign_in_limiter.hpp"
#include "app/store_holder.hpp"
#include "app/tokens.hpp"
#include "core/edit/source_writer.hpp"
#include "core/loader.hpp"
#include "core/log.hpp"
#include "core/tiles/tile_cache.hpp"

namespace regiomap::app {

struct EditOptions {
    std::string tokens_file;  // who may write (see tokens.hpp); editing is on when set
    // PUT/PATCH/DELETE without If-Match: 428 unless this is set (for
    // clients that send none, such as OWSLib's update and delete).
    bool allow_without_if_match = false;
};

// OGC API – Features – Part 4 on the source of record: POST, PUT, PATCH
// (JSON Merge Patch) and DELETE of features, and each feature's history.
// A write is authorised by a bearer token (401/403; a client with more
// than 10 failed sign-ins in a minute gets 429), checked against the
// feature's strong ETag (If-Match: 412 stale, 428 missing), validated
// against the collection's schema (400/422 naming each field), committed
// with its history row in one transaction, then published (the feature's
// row read again and its collection rebuilt; tiles dropped only where it
// was and is), and only then acknowledged. Writes are serialised: the feature an
// If-Match is checked against is the one the write replaces.
class EditService {
public:
    EditService(const std::string& source, EditOptions options, StoreHolder& store, Reloader& reloader,
                TileCache& cache, Logger& log);
    ~EditService();
    EditService(const EditService&) = delete;
    EditService& operator=(const EditService&) = delete;

    http::Response create(const api::ApiContext& context, const api::RouteArgs& args);
    http::Response replace(const api::ApiContext& context, const api::RouteArgs& args);
    http::Response update(const api::ApiContext& context, const api::RouteArgs& args);
    http::Response remove(const api::ApiContext& context, const api::RouteArgs& args);
    http::Response history(const api::ApiContext& context, const api::RouteArgs& args);
    // GET /whoami: the name, role and collections of the bearer token (401
    // without a valid one): a web page's sign-in checks a token with it.
    http::Response whoami(const api::ApiContext& context, const api::RouteArgs& args);
    // GET /changes?since=…&after=…&limit=…: every change, oldest first.
    http::Response changes(const api::ApiContext& context, const api::RouteArgs& args);

private:
    enum class Write { create, replace, update, remove };
    // Serves a committed change of one feature: its row read again from the
    // source, its collection rebuilt with it and published, tiles dropped
    // only where the old or new geometry is (O(collection), not O(source)).
    // False when that failed; the caller then reloads everything.
    bool publish(const CollectionMeta& meta, std::int64_t feature_id);
    // A valid token's identity, or the answer to give instead (429 while
    // the client is locked out). Throws Error(unauthorized) for a missing
    // or invalid token, counting it as a failed sign-in.
    struct SignIn {
        std::optional<Identity> identity;
        std::optional<http::Response> refusal;
    };
    SignIn sign_in(const http::Request& request);
    http::Response write(Write kind, const api::ApiContext& context, const api::RouteArgs& args);

    const EditOptions options_;
    StoreHolder& store_;
    Reloader& reloader_;
    TileCache& cache_;
    Logger& log_;
    std::unique_ptr<SourceReader> reader_;  // reads changed rows again; used under the reloader's lock
    TokenVerifier tokens_;
    SignInLimiter sign_ins_;  // failed sign-ins per client: 429 past 10 a minute
    std::mutex write_mutex_;  // one write at a time; guards writer_
    std::unique_ptr<edit::SourceWriter> writer_;
};

// The write routes and the history route, with their OpenAPI operations.
void add_edit_routes(api::RouteTable& table, EditService& service);

}  // namespace regiomap::app

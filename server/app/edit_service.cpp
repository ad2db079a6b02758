#include "app/edit_service.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>

#include "api/ogc_handlers.hpp"
#include "api/ogc_params.hpp"
#include "api/openapi.hpp"
#include "core/edit/feature_input.hpp"
#include "core/edit/feature_version.hpp"
#include "core/error.hpp"
#include "core/utf8.hpp"
#include "http/error_response.hpp"
#include "http/url.hpp"

namespace regiomap::app {

using http::Request;
using http::Response;
namespace media_type = http::media_type;

namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

constexpr std::size_t kMaxReasonBytes = 500;
constexpr std::size_t kHistoryLimit = 1000;
constexpr std::string_view kRealm = "Bearer realm=\"regiomap\"";

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// The media type of a Content-Type header, without parameters, in lower case.
std::string media_type_of(std::string_view header) {
    std::string type = lower(header.substr(0, header.find(';')));
    type.erase(0, type.find_first_not_of(" \t"));
    type.erase(type.find_last_not_of(" \t") + 1);
    return type;
}

void require_media_type(const Request& request, std::initializer_list<std::string_view> accepted) {
    const std::string type = media_type_of(request.header("content-type"));
    if (std::find(accepted.begin(), accepted.end(), type) != accepted.end()) {
        return;
    }
    std::string list;
    for (std::string_view name : accepted) {
        list += (list.empty() ? "" : ", ") + std::string(name);
    }
    throw Error(ErrorKind::unsupported_media_type, (type.empty() ? std::string("the body has no Content-Type")
                                                                 : "Content-Type '" + type + "' is not taken") +
                                                       "; send " + list);
}

// The bearer token of a request, or "" when it has none. Never logged,
// never quoted in an error.
std::string_view bearer_token(const Request& request) {
    std::string_view header = request.header("authorization");
    if (header.size() < 7 || lower(header.substr(0, 7)) != "bearer ") {
        return {};
    }
    header.remove_prefix(7);
    while (!header.empty() && header.front() == ' ') {
        header.remove_prefix(1);
    }
    return header;
}

std::int64_t parse_feature_id(const std::string& text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return -1;
    }
    return id;
}

// Where a geometry of this data set may plausibly lie: what its
// collections cover, with a margin of half their span (at least half a
// degree), so that a new project beside the district is taken and a
// swapped latitude/longitude is not.
Box plausible_extent(const FeatureStore& store) {
    Box box;
    for (const auto& collection : store.collections()) {
        if (!collection->extent().empty()) {
            box.extend(collection->extent());
        }
    }
    if (box.empty()) {
        return box;
    }
    const double margin_x = std::max(0.5, (box.max_x - box.min_x) / 2);
    const double margin_y = std::max(0.5, (box.max_y - box.min_y) / 2);
    return {std::max(-180.0, box.min_x - margin_x), std::max(-90.0, box.min_y - margin_y),
            std::min(180.0, box.max_x + margin_x), std::min(90.0, box.max_y + margin_y)};
}

// The names of what differs between two GeoJSON features: "geometry" and
// the properties whose values differ.
std::vector<std::string> changed_fields(const json& before, const json& after) {
    std::vector<std::string> fields;
    const json null;
    auto member = [&](const json& feature, const std::string& name) -> const json& {
        return feature.is_object() && feature.contains(name) ? feature[name] : null;
    };
    if (member(before, "geometry") != member(after, "geometry")) {
        fields.push_back("geometry");
    }
    const json& old_properties = member(before, "properties");
    const json& new_properties = member(after, "properties");
    std::vector<std::string> names;
    for (const json* properties : {&old_properties, &new_properties}) {
        if (properties->is_object()) {
            for (const auto& [name, _] : properties->items()) {
                if (std::find(names.begin(), names.end(), name) == names.end()) {
                    names.push_back(name);
                }
            }
        }
    }
    for (const std::string& name : names) {
        if (member(old_properties, name) != member(new_properties, name)) {
            fields.push_back(name);
        }
    }
    return fields;
}

TimeMs now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The X-Change-Reason header as text. Browsers can send only Latin-1 in a
// header, so a reason in Chinese comes as an RFC 8187 extended value,
// UTF-8''<percent-encoded>; anything else is taken as it is.
std::string change_reason(std::string_view header) {
    constexpr std::string_view kExtended = "UTF-8''";
    const bool extended =
        header.size() >= kExtended.size() && std::equal(kExtended.begin(), kExtended.end(), header.begin(),
                                                        [](char a, char b) { return a == std::toupper(b); });
    if (!extended) {
        return std::string(header);
    }
    std::optional<std::string> decoded = http::percent_decode(header.substr(kExtended.size()), false);
    if (!decoded) {
        throw Error::bad_parameter("X-Change-Reason", "UTF-8'' must be followed by percent-encoded UTF-8");
    }
    return std::move(*decoded);
}

ordered_json change_json(const edit::ChangeRecord& record) {
    return {{"changeId", record.change_id},
            {"collection", record.collection},
            {"featureId", record.feature_id},
            {"operation", edit::change_kind_name(record.kind)},
            {"author", record.author},
            {"changedAt", format_datetime(record.at)},
            {"reason", record.reason.empty() ? ordered_json() : ordered_json(record.reason)},
            {"fields", record.fields},
            {"before", record.before},
            {"after", record.after}};
}

Response feature_response(unsigned status, const CollectionMeta& meta, const Feature& feature) {
    Response response = api::json_response(edit::feature_json(meta, feature), media_type::geojson);
    response.status = status;
    response.etag = edit::feature_etag(feature);
    // finish_response tags only 200 responses; a 201 carries it too.
    response.set_header("ETag", response.etag);
    response.set_header("Cache-Control", "no-store");
    return response;
}

}  // namespace

EditService::EditService(const std::string& source, EditOptions options, StoreHolder& store, Reloader& reloader,
                         TileCache& cache, Logger& log)
    : options_(std::move(options)),
      store_(store),
      reloader_(reloader),
      cache_(cache),
      log_(log),
      tokens_(options_.tokens_file),
      writer_(edit::open_source_writer(source, log)) {}

EditService::~EditService() = default;

EditService::SignIn EditService::sign_in(const Request& request) {
    if (const auto wait = sign_ins_.blocked(request.client)) {
        Response response = http::error_response(
            429, "too many failed sign-ins from this address; try again in " + std::to_string(wait->count()) + " s");
        response.set_header("Retry-After", std::to_string(wait->count()));
        response.set_header("Cache-Control", "no-store");
        return {std::nullopt, std::move(response)};
    }
    const std::string_view token = bearer_token(request);
    if (token.empty()) {
        sign_ins_.failed(request.client);
        throw Error(ErrorKind::unauthorized,
                    "changing features needs 'Authorization: Bearer <token>' (regiomap token add)");
    }
    std::optional<Identity> identity = tokens_.verify(token);
    if (!identity) {
        sign_ins_.failed(request.client);
        throw Error(ErrorKind::unauthorized, "the bearer token is not valid (unknown, revoked or mistyped)");
    }
    return {std::move(identity), std::nullopt};
}

Response EditService::whoami(const api::ApiContext& context, const api::RouteArgs&) {
    SignIn signed_in = sign_in(context.request);
    if (signed_in.refusal) {
        return std::move(*signed_in.refusal);
    }
    const Identity& identity = *signed_in.identity;
    // The token's name and rights, never the token: what a sign-in form
    // shows ("signed in as …") and which collections it offers to edit.
    ordered_json document{{"name", identity.name},
                          {"role", role_name(identity.role)},
                          {"collections", identity.collections},
                          {"allCollections", identity.role == Role::admin || identity.collections.empty()}};
    Response response = api::json_response(document, media_type::json);
    response.set_header("Cache-Control", "no-store");
    return response;
}

Response EditService::write(Write kind, const api::ApiContext& context, const api::RouteArgs& args) {
    const Request& request = context.request;
    // Who: a valid token first, so that nothing about the data is said to
    // a client that may not write.
    const SignIn signed_in = sign_in(request);
    if (signed_in.refusal) {
        return *signed_in.refusal;
    }
    const std::optional<Identity>& identity = signed_in.identity;
    if (!identity->may_edit(args.collection_id)) {
        throw Error(ErrorKind::forbidden,
                    "the token '" + identity->name + "' may not edit collection '" + args.collection_id + "'");
    }
    if (kind == Write::update) {
        require_media_type(request, {"application/merge-patch+json", "application/json"});
    } else if (kind != Write::remove) {
        require_media_type(request, {"application/geo+json", "application/json"});
    }
    std::string reason = change_reason(request.header("x-change-reason"));
    if (reason.size() > kMaxReasonBytes || !valid_utf8(reason)) {
        throw Error::bad_parameter("X-Change-Reason", "at most " + std::to_string(kMaxReasonBytes) + " bytes of UTF-8");
    }
    // Parsed before the lock: a bad body costs no other writer anything.
    const edit::InputLimits limits;
    const json body = kind == Write::remove ? json() : edit::parse_json_body(request.body, limits.max_depth);

    std::lock_guard lock(write_mutex_);
    // The data as it is now, not as it was when the request came in: the
    // write before this one has been published by the time we get here.
    const auto served = store_.get();
    if (!served) {
        throw Error(ErrorKind::unavailable, "the data is still loading; try again shortly");
    }
    const Collection* collection = served->store->find(args.collection_id);
    if (!collection) {
        throw Error::not_found("collection '" + args.collection_id + "' does not exist; see /collections");
    }
    const CollectionMeta& meta = collection->meta();
    const Feature* current = nullptr;
    std::int64_t feature_id = 0;
    if (kind != Write::create) {
        feature_id = parse_feature_id(args.feature_id);
        current = feature_id >= 0 ? collection->find(feature_id) : nullptr;
        if (!current) {
            throw Error::not_found("feature '" + args.feature_id + "' does not exist in collection '" +
                                   args.collection_id + "'");
        }
        const std::string etag = edit::feature_etag(*current);
        const std::string_view condition = request.header("if-match");
        if (condition.empty()) {
            if (!options_.allow_without_if_match) {
                throw Error(ErrorKind::precondition_required,
                            "changing a feature needs If-Match with its ETag (GET the feature for it), so that "
                            "another editor's change is not overwritten unseen");
            }
        } else if (!edit::if_match(condition, etag)) {
            throw Error(ErrorKind::precondition_failed,
                        "the feature changed since that ETag; its current ETag is " + etag +
                            ": GET it again, apply the change and send it with the new ETag");
        }
    }

    edit::InputRules rules;
    rules.limits = limits;
    rules.plausible_extent = plausible_extent(*served->store);
    rules.crs.uri = std::string(request.header("content-crs"));
    std::optional<edit::FeatureInput> input;
    if (kind == Write::update) {
        edit::check_merge_patch(body, meta, feature_id);
        json merged = edit::feature_json(meta, *current, true);
        merged.merge_patch(body);
        merged.erase("links");
        input = edit::read_feature_input(merged, meta, rules);
    } else if (kind != Write::remove) {
        input = edit::read_feature_input(body, meta, rules);
        if (kind == Write::create && input->body_id) {
            throw Error(ErrorKind::unprocessable, "the server assigns the id of a new feature; leave \"id\" out",
                        {{"id", "is assigned by the server; leave it out"}});
        }
        if (kind == Write::replace && input->body_id && *input->body_id != std::to_string(feature_id)) {
            throw Error(ErrorKind::unprocessable,
                        "the body's id " + *input->body_id + " is not the feature the URL names (" +
                            std::to_string(feature_id) + ")",
                        {{"id", "is " + *input->body_id + " but the URL names feature " + std::to_string(feature_id)}});
        }
    }

    edit::WriteRequest change;
    change.meta = &meta;
    change.kind = kind == Write::create    ? edit::ChangeKind::create
                  : kind == Write::replace ? edit::ChangeKind::replace
                  : kind == Write::update  ? edit::ChangeKind::update
                                           : edit::ChangeKind::remove;
    change.feature_id = feature_id;
    if (input) {
        input->feature.id = feature_id;
        change.feature = &input->feature;
        change.geometry = input->source_geometry.get();
    }
    change.record.collection = meta.id;
    change.record.kind = change.kind;
    change.record.author = identity->name;
    change.record.at = now_ms();
    change.record.reason = reason;
    change.record.before = current ? edit::feature_json(meta, *current) : json();
    change.record.after = input ? edit::feature_json(meta, input->feature) : json();
    for (json* side : {&change.record.before, &change.record.after}) {
        if (side->is_object()) {
            side->erase("links");
        }
    }
    change.record.fields = changed_fields(change.record.before, change.record.after);
    if (kind != Write::create && kind != Write::remove && change.record.fields.empty()) {
        // Nothing differs: nothing to write, and the ETag stays.
        return feature_response(200, meta, *current);
    }

    const edit::CommitResult committed = writer_->commit(change);  // returns after COMMIT
    log_.info("edit: " + std::string(edit::change_kind_name(change.kind)) + " " + meta.id + "/" +
              std::to_string(committed.feature_id) + " by " + identity->name + " (change " +
              std::to_string(committed.change_id) + ")");
    // Published before the answer: whoever reads after the answer sees it.
    if (!publish(meta, committed.feature_id) && !reloader_.reload()) {
        log_.error("edit: change " + std::to_string(committed.change_id) +
                   " is committed but the data could not be loaded again; it shows after the next reload");
    }
    const auto now_served = store_.get();
    const Collection* now_collection = now_served ? now_served->store->find(meta.id) : nullptr;
    if (kind == Write::remove) {
        Response response;
        response.status = 204;
        response.set_header("Cache-Control", "no-store");
        return response;
    }
    const Feature* written = now_collection ? now_collection->find(committed.feature_id) : nullptr;
    input->feature.id = committed.feature_id;
    Response response = feature_response(kind == Write::create ? 201 : 200, meta, written ? *written : input->feature);
    if (kind == Write::create) {
        response.set_header("Location", context.base() + "/collections/" + api::percent_encode(meta.id) + "/items/" +
                                            std::to_string(committed.feature_id));
    }
    return response;
}

bool EditService::publish(const CollectionMeta& meta, std::int64_t feature_id) {
    // Under the reloader's lock: no full reload or live update publishes in
    // between reading the served store and publishing the next one.
    return reloader_.exclusive([&] {
        try {
            const auto served = store_.get();
            const Collection* current = served ? served->store->find(meta.id) : nullptr;
            if (!current) {
                return false;
            }
            if (!reader_) {
                reader_ = std::make_unique<SourceReader>(reloader_.source(), reloader_.options(), log_);
            }
            // The row as the source holds it now (defaults, triggers), not as it was sent.
            std::vector<Feature> rows = reader_->read_features(current->meta(), {feature_id});
            std::vector<Box> changed;
            if (const Feature* before = current->find(feature_id)) {
                changed.push_back(before->geometry.bounds());
            }
            std::vector<std::int64_t> removed;
            if (rows.empty()) {
                removed.push_back(feature_id);
            } else {
                changed.push_back(rows.front().geometry.bounds());
            }
            auto next = served->store->with_collection(current->with_changes(std::move(rows), removed));
            store_.publish(std::move(next), [&](std::uint64_t generation) {
                cache_.invalidate(generation, {meta.id, "*"}, changed);
            });
            return true;
        } catch (const std::exception& error) {
            // E.g. the layer's columns changed under us: a full reload instead.
            reader_.reset();
            log_.warning("edit: publishing " + meta.id + "/" + std::to_string(feature_id) + " by itself failed (" +
                         std::string(error.what()) + "); loading the data again");
            return false;
        }
    });
}

Response EditService::create(const api::ApiContext& context, const api::RouteArgs& args) {
    return write(Write::create, context, args);
}
Response EditService::replace(const api::ApiContext& context, const api::RouteArgs& args) {
    return write(Write::replace, context, args);
}
Response EditService::update(const api::ApiContext& context, const api::RouteArgs& args) {
    return write(Write::update, context, args);
}
Response EditService::remove(const api::ApiContext& context, const api::RouteArgs& args) {
    return write(Write::remove, context, args);
}

Response EditService::history(const api::ApiContext& context, const api::RouteArgs& args) {
    const Collection* collection = context.data().find(args.collection_id);
    if (!collection) {
        throw Error::not_found("collection '" + args.collection_id + "' does not exist; see /collections");
    }
    const std::int64_t feature_id = parse_feature_id(args.feature_id);
    std::vector<edit::ChangeRecord> records;
    if (feature_id >= 0) {
        std::lock_guard lock(write_mutex_);
        records = writer_->history(args.collection_id, feature_id, kHistoryLimit);
    }
    if (records.empty() && (feature_id < 0 || !collection->find(feature_id))) {
        throw Error::not_found("feature '" + args.feature_id + "' does not exist in collection '" + args.collection_id +
                               "' and has no history");
    }
    ordered_json changes = ordered_json::array();
    for (const edit::ChangeRecord& record : records) {
        changes.push_back(change_json(record));
    }
    Response response = api::json_response(
        {{"collection", args.collection_id}, {"featureId", feature_id}, {"changes", std::move(changes)}},
        media_type::json);
    response.set_header("Cache-Control", "no-store");
    return response;
}

Response EditService::changes(const api::ApiContext& context, const api::RouteArgs&) {
    const auto& query = context.query();
    api::reject_unknown_params(query, {"since", "after", "limit", "f"});
    std::optional<TimeMs> since;
    if (const std::string* text = api::single_param(query, "since")) {
        const auto parsed = parse_rfc3339(*text);
        if (!parsed) {
            throw Error::bad_parameter("since", "'" + *text + "' is not an RFC 3339 date or date-time");
        }
        since = parsed->span.begin;
    }
    auto number = [&](std::string_view name, std::int64_t fallback, std::int64_t low, std::int64_t high) {
        const std::string* text = api::single_param(query, name);
        if (!text) {
            return fallback;
        }
        std::int64_t value = 0;
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
        if (ec != std::errc{} || end != text->data() + text->size() || value < low || value > high) {
            throw Error::bad_parameter(
                std::string(name), "give a whole number from " + std::to_string(low) + " to " + std::to_string(high));
        }
        return value;
    };
    const std::int64_t after = number("after", 0, 0, INT64_MAX);
    const auto limit = static_cast<std::size_t>(number("limit", 100, 1, static_cast<std::int64_t>(kHistoryLimit)));
    std::vector<edit::ChangeRecord> records;
    {
        std::lock_guard lock(write_mutex_);
        records = writer_->changes(after, since, limit);
    }
    ordered_json list = ordered_json::array();
    for (const edit::ChangeRecord& record : records) {
        list.push_back(change_json(record));
    }
    ordered_json document{{"changes", std::move(list)}};
    if (records.size() == limit) {
        // The next page: after the last change given (and the same since).
        std::string next = context.base() + "/changes?after=" + std::to_string(records.back().change_id) +
                           "&limit=" + std::to_string(limit);
        if (const std::string* text = api::single_param(query, "since")) {
            next += "&since=" + api::percent_encode(*text);
        }
        document["links"] = ordered_json::array({{{"href", next}, {"rel", "next"}, {"type", "application/json"}}});
    }
    Response response = api::json_response(document, media_type::json);
    response.set_header("Cache-Control", "no-store");
    return response;
}

namespace {

// A handler whose 401 carries WWW-Authenticate (RFC 6750).
api::RouteHandler with_challenge(Response (EditService::*method)(const api::ApiContext&, const api::RouteArgs&),
                                 EditService& service) {
    return [method, &service](const api::ApiContext& context, const api::RouteArgs& args) {
        try {
            return (service.*method)(context, args);
        } catch (const Error& error) {
            if (error.kind() != ErrorKind::unauthorized) {
                throw;
            }
            Response response = http::error_response(error);
            const bool presented = !bearer_token(context.request).empty();
            response.set_header("WWW-Authenticate",
                                std::string(kRealm) + (presented ? ", error=\"invalid_token\"" : ""));
            response.set_header("Cache-Control", "no-store");
            return response;
        }
    };
}

ordered_json write_operation(std::string_view summary, std::string_view id, std::string_view success_code,
                             std::string_view success, std::string_view body_type, bool conditional) {
    using api::openapi::ref;
    ordered_json parameters = ordered_json::array({ref("parameters", "collectionId")});
    if (id != "createFeature") {
        parameters.push_back(ref("parameters", "featureId"));
    }
    if (conditional) {
        parameters.push_back({{"name", "If-Match"},
                              {"in", "header"},
                              {"required", false},
                              {"description",
                               "The feature's ETag (from GET); required unless the server allows "
                               "writes without it (428 otherwise); a stale one gets 412."},
                              {"schema", {{"type", "string"}}}});
    }
    parameters.push_back({{"name", "X-Change-Reason"},
                          {"in", "header"},
                          {"required", false},
                          {"description", "Why, for the feature's history (at most 500 bytes)."},
                          {"schema", {{"type", "string"}}}});
    auto error = [](std::string_view description) { return ordered_json{{"description", description}}; };
    ordered_json responses{{std::string(success_code), {{"description", success}}},
                           {"400", error("Malformed body (JSON, nesting, UTF-8) or header.")},
                           {"401", error("No or an invalid bearer token (WWW-Authenticate says so).")},
                           {"403", error("The token may not edit this collection.")},
                           {"429", error("Too many failed sign-ins from this address; Retry-After says when.")},
                           {"404", error("No such collection or feature.")},
                           {"413", error("The body is too large.")},
                           {"415", error("The body's Content-Type is not taken.")},
                           {"422", error("The feature is not valid for the collection's schema; 'errors' names "
                                         "each failing field.")}};
    if (conditional) {
        responses["412"] = error("If-Match names another version of the feature: nothing was written.");
        responses["428"] = error("If-Match is required.");
    }
    ordered_json operation{{"summary", summary},
                           {"operationId", id},
                           {"tags", {"Transactions"}},
                           {"security", ordered_json::array({{{"bearerToken", ordered_json::array()}}})},
                           {"parameters", std::move(parameters)},
                           {"responses", std::move(responses)}};
    if (!body_type.empty()) {
        operation["requestBody"] = {
            {"required", true},
            {"content", {{std::string(body_type), {{"schema", {{"type", "object"}}}}}}},
            {"description", "See /collections/{collectionId}/schema for what a feature may hold."}};
    }
    return operation;
}

}  // namespace

void add_edit_routes(api::RouteTable& table, EditService& service) {
    table.add(
        {"create_item", "POST", "/collections/{collectionId}/items", with_challenge(&EditService::create, service), [] {
             return write_operation("Add a feature", "createFeature", "201",
                                    "Created: Location names the new feature, ETag its version.", media_type::geojson,
                                    false);
         }});
    table.add({"replace_item", "PUT", "/collections/{collectionId}/items/{featureId}",
               with_challenge(&EditService::replace, service), [] {
                   return write_operation("Replace a feature", "replaceFeature", "200",
                                          "Replaced: the feature as stored, ETag its new version.", media_type::geojson,
                                          true);
               }});
    table.add({"update_item", "PATCH", "/collections/{collectionId}/items/{featureId}",
               with_challenge(&EditService::update, service), [] {
                   return write_operation("Change part of a feature (JSON Merge Patch, RFC 7396)", "updateFeature",
                                          "200", "Updated: the feature as stored, ETag its new version.",
                                          "application/merge-patch+json", true);
               }});
    table.add({"delete_item", "DELETE", "/collections/{collectionId}/items/{featureId}",
               with_challenge(&EditService::remove, service),
               [] { return write_operation("Delete a feature", "deleteFeature", "204", "Deleted.", "", true); }});
    table.add({"whoami", "GET", "/whoami", with_challenge(&EditService::whoami, service), [] {
                   return api::openapi::operation(
                       "Who a bearer token signs in as", "getSignedInIdentity", "Transactions",
                       {{"description",
                         "The token's name, role and the collections it may edit (allCollections: every "
                         "one). 401 without a valid token; 429 after too many failed sign-ins."},
                        {"content", {{std::string(media_type::json), {{"schema", {{"type", "object"}}}}}}}},
                       ordered_json::array());
               }});
    table.add({"changes", "GET", "/changes",
               [&service](const api::ApiContext& context, const api::RouteArgs& args) {
                   return service.changes(context, args);
               },
               [] {
                   ordered_json parameters = ordered_json::array();
                   for (auto [name, description] :
                        {std::pair{"since", "Changes at or after this RFC 3339 date or date-time."},
                         std::pair{"after", "Changes after this changeId (the next page)."},
                         std::pair{"limit", "At most this many changes (1-1000, default 100)."}}) {
                       parameters.push_back({{"name", name},
                                             {"in", "query"},
                                             {"required", false},
                                             {"description", description},
                                             {"schema", {{"type", "string"}}}});
                   }
                   return api::openapi::operation(
                       "Changes made through the API", "getChanges", "Data",
                       {{"description", "Every change, oldest first, with a next link while there are more."},
                        {"content", {{std::string(media_type::json), {{"schema", {{"type", "object"}}}}}}}},
                       std::move(parameters));
               }});
    table.add({"item_history", "GET", "/collections/{collectionId}/items/{featureId}/history",
               [&service](const api::ApiContext& context, const api::RouteArgs& args) {
                   return service.history(context, args);
               },
               [] {
                   return api::openapi::operation(
                       "Changes of a feature", "getFeatureHistory", "Data",
                       {{"description",
                         "Every change made through the API, newest first: who, when, which "
                         "fields, the feature before and after, and why."},
                        {"content", {{std::string(media_type::json), {{"schema", {{"type", "object"}}}}}}}},
                       ordered_json::array({api::openapi::ref("parameters", "collectionId"),
                                            api::openapi::ref("parameters", "featureId")}),
                       true);
               }});
}

}  // namespace regiomap::app

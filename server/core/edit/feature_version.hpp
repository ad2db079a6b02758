#pragma once

#include <string>
#include <string_view>

#include "core/feature_store.hpp"

namespace regiomap::edit {

// A feature's strong entity tag, "\"<16 hex digits>\"": a hash of its id,
// geometry and property values (not of a representation), the same in
// every process and after a restart, so that a client's If-Match holds
// until the feature itself changes.
std::string feature_etag(const Feature& feature);

// Whether an If-Match header names the feature's current tag: "*", or one
// of a comma-separated list (a "-json" or "-gzip" representation suffix
// is the same feature version). Weak tags (W/"…") never match, as RFC 9110 says for If-Match.
bool if_match(std::string_view header, std::string_view etag);

}  // namespace regiomap::edit

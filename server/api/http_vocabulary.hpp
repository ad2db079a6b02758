#pragma once

// The transport's types that every API handler speaks, named in the api
// namespace so handlers read as plain functions of a request.
#include "http/error_response.hpp"
#include "http/request.hpp"
#include "http/url.hpp"

namespace regiomap::api {

using http::error_response;
using http::format_query;
using http::ParsedTarget;
using http::percent_encode;
using http::QueryParams;
using http::Request;
using http::Response;
namespace media_type = http::media_type;

}  // namespace regiomap::api

#pragma once

#include <string_view>

#include "core/error.hpp"
#include "http/request.hpp"

namespace regiomap::http {

// The one place where errors become HTTP: status from the kind, and an
// OGC-style body {"code": "...", "description": "..."}.
unsigned status_of(ErrorKind kind);
Response error_response(unsigned status, std::string_view description);
Response error_response(const Error& error);

}  // namespace regiomap::http

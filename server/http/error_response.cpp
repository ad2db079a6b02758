#include "http/error_response.hpp"

#include <nlohmann/json.hpp>

namespace regiomap::http {

namespace {

std::string_view code_of(unsigned status) {
    switch (status) {
        case 400:
            return "InvalidParameterValue";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "NotFound";
        case 405:
            return "MethodNotAllowed";
        case 406:
            return "NotAcceptable";
        case 408:
            return "RequestTimeout";
        case 409:
            return "Conflict";
        case 412:
            return "PreconditionFailed";
        case 415:
            return "UnsupportedMediaType";
        case 422:
            return "InvalidFeature";
        case 428:
            return "PreconditionRequired";
        case 429:
            return "TooManyRequests";
        case 413:
            return "PayloadTooLarge";
        case 431:
            return "RequestHeaderFieldsTooLarge";
        case 503:
            return "ServiceUnavailable";
        default:
            return status >= 500 ? "InternalServerError" : "BadRequest";
    }
}

}  // namespace

unsigned status_of(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::bad_request:
            return 400;
        case ErrorKind::not_found:
            return 404;
        case ErrorKind::unauthorized:
            return 401;
        case ErrorKind::forbidden:
            return 403;
        case ErrorKind::method_not_allowed:
            return 405;
        case ErrorKind::not_acceptable:
            return 406;
        case ErrorKind::conflict:
            return 409;
        case ErrorKind::precondition_failed:
            return 412;
        case ErrorKind::precondition_required:
            return 428;
        case ErrorKind::payload_too_large:
            return 413;
        case ErrorKind::unsupported_media_type:
            return 415;
        case ErrorKind::unprocessable:
            return 422;
        case ErrorKind::too_many_requests:
            return 429;
        case ErrorKind::unavailable:
            return 503;
        case ErrorKind::data_source:
        case ErrorKind::internal:
            return 500;
    }
    return 500;
}

Response error_response(unsigned status, std::string_view description) {
    nlohmann::ordered_json body{{"code", code_of(status)}, {"description", description}};
    Response response;
    response.status = status;
    response.content_type = "application/json";
    response.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    response.set_header("Cache-Control", "no-store");
    return response;
}

Response error_response(const Error& error) {
    Response response = error_response(status_of(error.kind()), error.what());
    if (!error.problems().empty()) {
        // Every failing field, so that a client (the web map) can say each.
        nlohmann::ordered_json body{{"code", code_of(response.status)}, {"description", error.what()}};
        nlohmann::ordered_json problems = nlohmann::ordered_json::array();
        for (const Error::Problem& problem : error.problems()) {
            problems.push_back({{"field", problem.field}, {"message", problem.message}});
        }
        body["errors"] = std::move(problems);
        response.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    }
    return response;
}

}  // namespace regiomap::http

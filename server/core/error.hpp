#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace regiomap {

// What went wrong, in terms a client can act on. The HTTP layer maps each
// kind to a status code in exactly one place (http/error_response.cpp).
enum class ErrorKind {
    bad_request,             // a parameter or request the client can fix
    not_found,               // unknown path, collection or feature
    unauthorized,            // credentials missing or wrong
    forbidden,               // not allowed here at all
    method_not_allowed,      // the path exists, the method does not
    not_acceptable,          // no representation the client accepts
    conflict,                // the request contradicts the data (a duplicate create)
    precondition_failed,     // If-Match names another version of the feature
    precondition_required,   // a change without If-Match where one is required
    payload_too_large,       // a body beyond the limits
    unsupported_media_type,  // a body in a format the route does not take
    unprocessable,           // well-formed, but not a valid feature of the collection
    too_many_requests,       // too many failed sign-ins from this client
    unavailable,             // not ready yet (data still loading)
    data_source,             // the data could not be opened or read
    internal,                // a bug: logged, answered 500
};

// The one error type of the domain. The message names the offending value
// (parameter, collection, feature id) so that it can go into a response
// body or a log line as it is.
class Error : public std::runtime_error {
public:
    // What is wrong with one member of a request body: the member's name
    // ("properties.status", "geometry") and why.
    struct Problem {
        std::string field;
        std::string message;
    };

    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Error(ErrorKind kind, const std::string& message, std::vector<Problem> problems)
        : std::runtime_error(message), kind_(kind), problems_(std::move(problems)) {}

    ErrorKind kind() const noexcept { return kind_; }
    // One entry per failing field of a request body; empty for other errors.
    const std::vector<Problem>& problems() const noexcept { return problems_; }

    static Error bad_parameter(const std::string& name, const std::string& why) {
        return {ErrorKind::bad_request, "invalid parameter '" + name + "': " + why};
    }
    static Error not_found(const std::string& what) { return {ErrorKind::not_found, what}; }
    static Error data_source(const std::string& what) { return {ErrorKind::data_source, what}; }

private:
    ErrorKind kind_;
    std::vector<Problem> problems_;
};

}  // namespace regiomap

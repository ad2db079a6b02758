#pragma once

#include <stdexcept>
#include <string>

namespace regiomap {

// What went wrong, in terms a client can act on. The HTTP layer maps each
// kind to a status code in exactly one place (http/error_response.cpp).
enum class ErrorKind {
    bad_request,         // a parameter or request the client can fix
    not_found,           // unknown path, collection or feature
    unauthorized,        // credentials missing or wrong
    forbidden,           // not allowed here at all
    method_not_allowed,  // the path exists, the method does not
    not_acceptable,      // no representation the client accepts
    unavailable,         // not ready yet (data still loading)
    data_source,         // the data could not be opened or read
    internal,            // a bug: logged, answered 500
};

// The one error type of the domain. The message names the offending value
// (parameter, collection, feature id) so that it can go into a response
// body or a log line as it is.
class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}

    ErrorKind kind() const noexcept { return kind_; }

    static Error bad_parameter(const std::string& name, const std::string& why) {
        return {ErrorKind::bad_request, "invalid parameter '" + name + "': " + why};
    }
    static Error not_found(const std::string& what) { return {ErrorKind::not_found, what}; }
    static Error data_source(const std::string& what) { return {ErrorKind::data_source, what}; }

private:
    ErrorKind kind_;
};

}  // namespace regiomap

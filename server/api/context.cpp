#include "api/context.hpp"

#include "api/links.hpp"
#include "core/error.hpp"

namespace regiomap::api {

const FeatureStore& ApiContext::data() const {
    if (!store) {
        throw Error(ErrorKind::unavailable, "the data is still loading; try again in a moment");
    }
    return *store;
}

std::string ApiContext::base() const {
    return base_url(request, config.service.public_url, config.service.fallback_host);
}

}  // namespace regiomap::api

#pragma once

#include "api/context.hpp"
#include "api/ogc_params.hpp"

namespace regiomap::api {

// The representation of an OGC API – Features resource a request wants:
// `f` when it is given (json, geojson where features are answered, html);
// otherwise HTML when the Accept header names text/html before any JSON
// type (a browser), otherwise JSON (GeoJSON for features). GDAL, QGIS and
// scripts ask for JSON or send */*, so they keep getting JSON.
Format negotiate_format(const ApiContext& context, bool features);

}  // namespace regiomap::api

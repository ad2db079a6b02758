#include "core/edit/feature_schema.hpp"

#include "core/edit/feature_input.hpp"

namespace regiomap::edit {

namespace {

using json = nlohmann::ordered_json;

json field_schema(const FieldDef& field) {
    json schema{{"title", field.name}};
    schema.update(field_type_schema(field.type));
    if (field.type == FieldType::real) {
        schema["format"] = "double";
    }
    if (!field.allowed.empty()) {
        schema["enum"] = field.allowed;
    }
    if (field.minimum) {
        schema["minimum"] = *field.minimum;
    }
    if (field.maximum) {
        schema["maximum"] = *field.maximum;
    }
    if (is_derived_field(field.name)) {
        schema["readOnly"] = true;
        schema["description"] = "computed by the server from the geometry";
    } else if (is_provenance_field(field.name)) {
        schema["description"] = "provenance of the geometry: required on every write";
    }
    if (field.unique) {
        schema["x-regiomap-unique"] = true;
    }
    return schema;
}

}  // namespace

nlohmann::ordered_json field_type_schema(FieldType type) {
    switch (type) {
        case FieldType::integer:
            return {{"type", "integer"}};
        case FieldType::real:
            return {{"type", "number"}};
        case FieldType::boolean:
            return {{"type", "boolean"}};
        case FieldType::date:
            return {{"type", "string"}, {"format", "date"}};
        case FieldType::datetime:
            return {{"type", "string"}, {"format", "date-time"}};
        case FieldType::string:
            break;
    }
    return {{"type", "string"}};
}

std::string geometry_format(std::optional<GeometryType> type) {
    if (!type) {
        return "geometry-any";
    }
    switch (*type) {
        case GeometryType::point:
            return "geometry-point";
        case GeometryType::line_string:
            return "geometry-linestring";
        case GeometryType::polygon:
            return "geometry-polygon";
        case GeometryType::multi_point:
            return "geometry-multipoint";
        case GeometryType::multi_line_string:
            return "geometry-multilinestring";
        case GeometryType::multi_polygon:
            return "geometry-multipolygon";
    }
    return "geometry-any";
}

nlohmann::ordered_json collection_schema(const CollectionMeta& meta, const std::string& self_url) {
    json properties = json::object();
    json required = json::array();
    properties["id"] = {{"title", "feature id"}, {"type", "integer"}, {"readOnly", true}, {"x-ogc-role", "id"}};
    json geometry{{"title", "geometry"}, {"x-ogc-role", "primary-geometry"}};
    geometry["format"] = geometry_format(meta.geometry_type);
    properties["geometry"] = std::move(geometry);
    required.push_back("geometry");
    for (const FieldDef& field : meta.fields) {
        properties[field.name] = field_schema(field);
        if (!is_derived_field(field.name) && (field.required || is_provenance_field(field.name))) {
            required.push_back(field.name);
        }
    }
    return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"$id", self_url},
            {"title", meta.title},
            {"description", meta.description},
            {"type", "object"},
            {"required", std::move(required)},
            {"additionalProperties", false},
            {"properties", std::move(properties)}};
}

}  // namespace regiomap::edit

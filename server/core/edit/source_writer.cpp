#include "core/edit/source_writer.hpp"

#include "core/edit/ogr_writer.hpp"
#include "core/error.hpp"
#include "core/postgis/pg_source.hpp"
#include "core/secrets.hpp"

namespace regiomap::edit {

std::string_view change_kind_name(ChangeKind kind) {
    switch (kind) {
        case ChangeKind::create:
            return "create";
        case ChangeKind::replace:
            return "replace";
        case ChangeKind::update:
            return "update";
        case ChangeKind::remove:
            return "delete";
    }
    return "update";
}

std::optional<ChangeKind> change_kind_from_name(std::string_view name) {
    for (ChangeKind kind : {ChangeKind::create, ChangeKind::replace, ChangeKind::update, ChangeKind::remove}) {
        if (change_kind_name(kind) == name) {
            return kind;
        }
    }
    return std::nullopt;
}

std::unique_ptr<SourceWriter> open_source_writer(const std::string& source, Logger& log) {
    if (pg::is_pg_source(source)) {
        return open_postgis_writer(source, log);
    }
    const std::string lower = [&] {
        std::string text = source;
        for (char& c : text) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return text;
    }();
    if (!lower.ends_with(".gpkg")) {
        throw Error::data_source("editing needs a GeoPackage (or PostGIS) as the source of record; " +
                                 SecretRedactor(source).display_name() + " is neither");
    }
    return open_gpkg_writer(source, log);
}

}  // namespace regiomap::edit

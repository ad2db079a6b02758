#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/postgis/pg_source.hpp"

namespace regiomap::pg {
namespace {

constexpr const char* kSecret = "s3cr3t-Pw";

TEST(PgSource, RecognisesGdalsPrefix) {
    EXPECT_TRUE(is_pg_source("PG:dbname=gis"));
    EXPECT_TRUE(is_pg_source("PG:"));
    EXPECT_TRUE(is_pg_source("postgresql://u@h/db"));
    EXPECT_FALSE(is_pg_source("geodata/beichen.gpkg"));
    EXPECT_FALSE(is_pg_source("/data/PG:odd.gpkg"));
}

TEST(PgSource, KeepsLibpqKeysAndDropsGdals) {
    PgSource source = parse_pg_source(
        "PG:dbname=gis host=db port=5433 schemas=public,edit tables='a,b' user=editor password=s3cr3t-Pw");
    EXPECT_EQ(source.conninfo, "dbname=gis host=db port=5433 user=editor password=s3cr3t-Pw");
    EXPECT_EQ(source.description, "PostgreSQL database gis on db:5433 as editor");
}

TEST(PgSource, DescriptionNeverHoldsThePassword) {
    for (const char* text : {"PG:dbname=gis password=s3cr3t-Pw", "PG:password = 's3cr3t-Pw' host=db",
                             "PG:postgresql://editor:s3cr3t-Pw@db:5432/gis", "PG:service=beichen password=s3cr3t-Pw",
                             "postgresql://editor:s3cr3t-Pw@db/gis?sslmode=require"}) {
        PgSource source = parse_pg_source(text);
        EXPECT_EQ(source.description.find(kSecret), std::string::npos) << text;
        EXPECT_EQ(display_source(text).find(kSecret), std::string::npos) << text;
        EXPECT_NE(source.description.find("PostgreSQL database"), std::string::npos) << source.description;
    }
    EXPECT_EQ(parse_pg_source("PG:postgresql://editor:s3cr3t-Pw@db:5432/gis").description,
              "PostgreSQL database gis on db:5432 as editor");
    EXPECT_EQ(parse_pg_source("PG:service=beichen").description, "PostgreSQL database (service beichen)");
    EXPECT_EQ(parse_pg_source("PG:").description,
              "PostgreSQL database given by the libpq environment (PGHOST, PGDATABASE, …)");
}

TEST(PgSource, MalformedStringIsAnErrorThatDoesNotQuoteIt) {
    for (const char* text : {"PG:dbname=gis password='s3cr3t-Pw", "PG:nonsense=1 password=s3cr3t-Pw"}) {
        try {
            parse_pg_source(text);
            ADD_FAILURE() << text;
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::data_source);
            EXPECT_EQ(std::string(error.what()).find(kSecret), std::string::npos) << error.what();
        }
        EXPECT_EQ(display_source(text).find(kSecret), std::string::npos);
    }
}

TEST(PgSource, FilesAreShownAsTheyAre) {
    EXPECT_EQ(display_source("geodata/beichen.gpkg"), "geodata/beichen.gpkg");
}

}  // namespace
}  // namespace regiomap::pg

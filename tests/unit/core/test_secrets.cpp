#include <gtest/gtest.h>

#include <cstdlib>

#include "core/secrets.hpp"

namespace regiomap {
namespace {

TEST(SecretRedactor, MasksPasswordsOfKeywordValueConnectionStrings) {
    SecretRedactor r("PG:dbname=gis host=db user=u password=s3cret-value port=5432");
    EXPECT_EQ(r.display_name(), "PG:dbname=gis host=db user=u password=*** port=5432");
    // Wherever the secret turns up again, e.g. echoed by a driver.
    EXPECT_EQ(r.redact("connection to db failed for s3cret-value"), "connection to db failed for ***");
}

TEST(SecretRedactor, MasksQuotedSpacedAndOddlyCasedKeys) {
    SecretRedactor quoted("PG:dbname=gis PASSWORD = 'two words \\' quote'");
    EXPECT_EQ(quoted.display_name(), "PG:dbname=gis PASSWORD = ***");
    EXPECT_EQ(quoted.redact("was two words ' quote"), "was ***");
    EXPECT_EQ(SecretRedactor("MYSQL:db,user=u,password=abc123,port=3306").display_name(),
              "MYSQL:db,user=u,password=***,port=3306");
    EXPECT_EQ(SecretRedactor("ODBC:u/x@dsn;PWD=hunter22;").display_name(), "ODBC:u/x@dsn;PWD=***;");
    EXPECT_EQ(SecretRedactor("PG:sslpassword=keypass dbname=x").display_name(), "PG:sslpassword=*** dbname=x");
}

TEST(SecretRedactor, MasksUriPasswords) {
    SecretRedactor r("PG:postgresql://editor:p%40ss@db.example:5432/gis?sslmode=require");
    EXPECT_EQ(r.display_name(), "PG:postgresql://editor:***@db.example:5432/gis?sslmode=require");
    EXPECT_EQ(r.redact("postgresql://editor:p%40ss@db.example"), "postgresql://editor:***@db.example");
    EXPECT_EQ(SecretRedactor("PG:postgresql://db/gis?user=u&password=pw1234").display_name(),
              "PG:postgresql://db/gis?user=u&password=***");
}

TEST(SecretRedactor, LeavesStringsWithoutSecretsAlone) {
    for (const char* source : {"geodata/beichen.gpkg", "PG:service=regiomap", "PG:dbname=gis host=/var/run/postgresql",
                               "https://example.org/data.geojson", "postgresql://db.example/gis"}) {
        EXPECT_EQ(SecretRedactor(source).display_name(), source);
    }
}

TEST(SecretRedactor, MasksThePgPasswordEnvironmentValue) {
    ::setenv("PGPASSWORD", "from-the-environment", 1);
    SecretRedactor r("PG:dbname=gis user=u");
    ::unsetenv("PGPASSWORD");
    EXPECT_EQ(r.redact("FATAL: from-the-environment is wrong"), "FATAL: *** is wrong");
}

}  // namespace
}  // namespace regiomap

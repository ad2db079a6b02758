// Validates the OpenAPI document at a URL against the OpenAPI 3.0 schema and
// resolves every $ref (@apidevtools/swagger-parser). Exit 0 when valid.
//   node validate.mjs http://127.0.0.1:PORT/api
import SwaggerParser from "@apidevtools/swagger-parser";

const url = process.argv[2];
const response = await fetch(url, { headers: { Accept: "application/vnd.oai.openapi+json;version=3.0" } });
if (!response.ok) {
  console.error(`GET ${url}: HTTP ${response.status}`);
  process.exit(1);
}
const document = await response.json();
try {
  const api = await SwaggerParser.validate(document);
  console.log(`valid OpenAPI ${api.openapi}: ${Object.keys(api.paths).length} paths`);
} catch (error) {
  console.error(`invalid OpenAPI document: ${error.message}`);
  process.exit(1);
}

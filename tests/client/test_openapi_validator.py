"""An independent OpenAPI 3.0 validator (@apidevtools/swagger-parser, npm)
checks the server's /api document: the OGC test suite and QGIS are driven
by it, so it must be valid and every $ref must resolve."""
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import RunningServer, fixture_gpkg, shipped_gpkg  # noqa: E402

VALIDATOR = Path(__file__).resolve().parents[1] / "openapi" / "validate.mjs"


class OpenApiValidatorTest(unittest.TestCase):
    def validate(self, data):
        with RunningServer(data) as server:
            result = subprocess.run(["node", str(VALIDATOR), server.url("/api")], capture_output=True, text=True,
                                    timeout=120)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertIn("valid OpenAPI 3.0.3", result.stdout)

    def test_fixture(self):
        self.validate(fixture_gpkg())

    def test_shipped_beichen_data(self):
        self.validate(shipped_gpkg())


if __name__ == "__main__":
    unittest.main()

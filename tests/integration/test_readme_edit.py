"""The editing example in README.md runs as written (bash and curl) against
the real server on a copy of the shipped GeoPackage, and does what it says."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support.regiomap_server import REPO, RunningServer, binary, shipped_gpkg  # noqa: E402

MARKER = "<!-- tests/integration/test_readme_edit.py runs this block -->"


def readme_example():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(re.escape(MARKER) + r"\s*```sh\n(.*?)```", text, re.S)
    if not match:
        raise AssertionError("README.md has no editing example after " + MARKER)
    return match.group(1)


class ReadmeEditExampleTest(unittest.TestCase):
    def test_the_curl_example_changes_the_feature(self):
        script = readme_example()
        with tempfile.TemporaryDirectory() as tmp:
            gpkg = os.path.join(tmp, "beichen.gpkg")
            shutil.copy(shipped_gpkg(), gpkg)
            tokens_file = os.path.join(tmp, "tokens.json")
            token = subprocess.run([binary(), "token", "add", "readme", "--role", "editor", "--tokens-file",
                                    tokens_file], capture_output=True, text=True, check=True).stdout.strip()
            with RunningServer(gpkg, "--tokens-file", tokens_file) as server:
                result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True,
                                        timeout=120, env=dict(os.environ, BASE=server.url(""), TOKEN=token))
                self.assertEqual(result.returncode, 0, result.stderr)
                _, _, body = server.request("/collections/industry/items/1")
                self.assertEqual(json.loads(body)["properties"]["status"], "construction_start")
                # The history the example prints names the change.
                # curl prints the PATCH answer and the history back to back.
                documents, text, decoder = [], result.stdout.strip(), json.JSONDecoder()
                while text:
                    document, end = decoder.raw_decode(text)
                    documents.append(document)
                    text = text[end:].lstrip()
                self.assertEqual(documents[0]["properties"]["status"], "construction_start")
                history = documents[-1]
                self.assertEqual(history["changes"][0]["reason"], "ground broken")
                self.assertEqual(history["changes"][0]["author"], "readme")


if __name__ == "__main__":
    unittest.main()

#pragma once

#include <string_view>
#include <vector>

namespace regiomap::app {

// `regiomap export …` (the arguments after "export"): loads the data as
// the server would, cuts every tile of the pyramid with the server's tiler
// on all cores, gzips each with the server's gzip, and writes a PMTiles or
// MBTiles archive. Returns the process exit code: 0 done, 1 error (the
// message on stderr), 2 bad options, 130 interrupted (SIGINT/SIGTERM);
// only 0 leaves a file.
int run_export(const std::vector<std::string_view>& args);

}  // namespace regiomap::app

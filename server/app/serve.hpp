#pragma once

#include "app/cli.hpp"
#include "core/log.hpp"

namespace regiomap::app {

// Runs the server as configured until SIGINT/SIGTERM: listens first, loads
// the data in the background (/health answers 503 until it is in), serves
// SIGHUP and POST /admin/reload reloads off the I/O threads, and stops
// gracefully. Returns the process exit code: 0 after a clean stop, 1 when
// the data never loaded or the server could not start.
int serve(ServerConfig config, Logger& log);

}  // namespace regiomap::app

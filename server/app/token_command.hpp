#pragma once

#include <ostream>
#include <string_view>
#include <vector>

namespace regiomap::app {

// `regiomap token add|revoke|list …` (the arguments after "token"):
//
//   token add NAME --role editor|admin [--collections a,b] --tokens-file FILE
//   token revoke NAME [NAME…] --tokens-file FILE
//   token list --tokens-file FILE
//
// `add` prints the new token once on `out` (it is stored only as a salted
// hash); messages go to `err`. The file is locked while it is changed, so
// that two commands at once do not lose an entry. Returns the exit status.
int run_token_command(const std::vector<std::string_view>& args, std::ostream& out, std::ostream& err);

}  // namespace regiomap::app

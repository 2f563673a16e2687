#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace warden {

// `warden policy validate|test|lint FILE...`: checks policy files (or directories of them)
// without starting a server.
//   validate  load and compile; print every error (file, line, policy id); exit 2 on any
//   test      run the files' `tests:` vectors; print pass/fail per vector; exit 1 on a failure
//   lint      report policies the prefilter cannot constrain, regexes it uses only
//             approximately or not at all, and each policy's cost on generated sample traffic
//             or, with `traffic`, on the exchanges of a JSON Lines file (Akto records or the
//             labeled-corpus variant)
// A load error makes every action exit 2.
struct PolicyCommandOptions {
  std::string action;               // "validate", "test" or "lint"
  std::vector<std::string> files;   // policy files or directories
  std::size_t sample_count = 3000;  // lint: exchanges of sample traffic to profile on
  std::string traffic;              // lint: a JSON Lines file to profile on instead
};
int RunPolicyCommand(const PolicyCommandOptions& options);

}  // namespace warden

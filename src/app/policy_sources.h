#pragma once

#include <string>
#include <vector>

#include "common/embedded.h"
#include "common/status.h"
#include "detect/policy/policy.h"

namespace warden {

// The built-in policy library (policies/*.yaml), compiled into the binary.
std::vector<EmbeddedFile> BuiltinPolicyFiles();

// Where policies come from: the built-in library and user directories.
struct PolicySources {
  bool builtin = true;
  std::vector<std::string> dirs;  // user directories, loaded after the built-ins
};

// Loads the configured policies. A user policy whose id equals a built-in id replaces the
// built-in (so users can tune the library); duplicate ids among user files are errors naming
// both files. Errors name file, line and policy id.
Result<std::vector<Policy>> LoadConfiguredPolicies(const PolicySources& sources);

}  // namespace warden

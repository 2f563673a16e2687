#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "detect/policy/policy.h"

namespace warden {

// Reading Akto-format threat policies (YAML) into checked, bound Policy values.
//
// Every error is InvalidArgument (or NotFound / IoError / AlreadyExists for the file-level
// functions) with a message that names the file, the 1-based line, the policy id when known and
// the path of the offending key, e.g.
//   "policies/xss.yaml:14: policy XSS: filter.or[0].query_param.regx: unknown operator 'regx' …"
// Nothing here throws: yaml-cpp exceptions are caught and turned into such errors. All functions
// are thread-safe (they share no state).

// Largest policy file LoadPolicyFile reads.
inline constexpr std::size_t kMaxPolicyFileBytes = 4 << 20;

// Parses every policy in `yaml_text`: one policy per YAML document (documents are separated by
// `---`; empty documents are skipped). `source_name` stands for the file in errors and in
// Policy::source. Operators are compiled and selectors resolved, so a returned policy is ready
// for CompilePolicies. Returns the policies in document order; ids are not checked for
// uniqueness here.
Result<std::vector<Policy>> ParsePolicies(std::string_view yaml_text, std::string_view source_name);

// Reads and parses one file; a file without any policy is an error.
Result<std::vector<Policy>> LoadPolicyFile(const std::filesystem::path& path);

// Loads every *.yaml / *.yml file under each directory (recursively, in name order; directories
// in the order given — typically the built-in `policies/` and then a user directory). A missing
// directory is NotFound; two policies with one id are AlreadyExists naming both places.
Result<std::vector<Policy>> LoadPolicies(const std::vector<std::filesystem::path>& dirs);

// AlreadyExists naming both sources when two policies share an id.
Status CheckUniqueIds(const std::vector<Policy>& policies);

}  // namespace warden

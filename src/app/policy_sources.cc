#include "app/policy_sources.h"

#include <algorithm>
#include <filesystem>

#include "common/log.h"
#include "detect/policy/loader.h"

namespace warden {

Result<std::vector<Policy>> LoadConfiguredPolicies(const PolicySources& sources) {
  std::vector<Policy> all;
  if (sources.builtin) {
    for (const auto& f : BuiltinPolicyFiles()) {
      auto parsed = ParsePolicies(f.contents, "builtin:" + f.name);
      if (!parsed.ok()) return parsed.status();
      for (auto& p : *parsed) all.push_back(std::move(p));
    }
  }
  if (!sources.dirs.empty()) {
    std::vector<std::filesystem::path> dirs(sources.dirs.begin(), sources.dirs.end());
    auto user = LoadPolicies(dirs);
    if (!user.ok()) return user.status();
    for (auto& p : *user) {
      auto it = std::find_if(all.begin(), all.end(), [&](const Policy& b) { return b.id == p.id; });
      if (it != all.end()) {
        spdlog::info("policy {} from {} replaces the built-in one", p.id, p.source.ToString());
        *it = std::move(p);
      } else {
        all.push_back(std::move(p));
      }
    }
  }
  WARDEN_RETURN_IF_ERROR(CheckUniqueIds(all));
  return all;
}

}  // namespace warden

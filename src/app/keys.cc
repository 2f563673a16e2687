#include <cstdio>

#include "api/keyring.h"
#include "app/cli_support.h"
#include "app/commands.h"

namespace warden {

int RunKeysCreate(const KeysCreateOptions& options) {
  auto role = ParseRole(options.role);
  if (!role) {
    std::fprintf(stderr, "error: --role: expected admin, analyst, viewer or sensor, got '%s'\n",
                 options.role.c_str());
    return 2;
  }
  auto store = OpenDataDirStore(options.data_dir);
  if (!store.ok()) {
    std::fprintf(stderr, "error: %s\n", store.status().ToString().c_str());
    return 1;
  }
  KeyRing keys(store->get(), &SystemClock::Instance());
  std::string name = options.name.empty() ? options.role : options.name;
  auto created = keys.Create(name, *role);
  if (!created.ok()) {
    std::fprintf(stderr, "error: %s\n", created.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "created %s key '%s' (id %s); the key is shown once:\n",
               std::string(RoleName(*role)).c_str(), name.c_str(), created->key.id.c_str());
  std::printf("%s\n", created->secret.c_str());
  return 0;
}

}  // namespace warden

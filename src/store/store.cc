#include "store/store.h"

#include "common/strings.h"

namespace warden {

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kViewer:
      return "viewer";
    case Role::kSensor:
      return "sensor";
    case Role::kAnalyst:
      return "analyst";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view s) {
  for (Role r : {Role::kViewer, Role::kSensor, Role::kAnalyst, Role::kAdmin}) {
    if (EqualsIgnoreCase(s, RoleName(r))) return r;
  }
  return std::nullopt;
}

}  // namespace warden

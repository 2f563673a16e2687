#include "common/log.h"

namespace warden {

void SetLogLevel(const char* level) {
  auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && std::string_view(level) != "off") return;
  spdlog::set_level(lvl);
}

}  // namespace warden

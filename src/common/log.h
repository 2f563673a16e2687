#pragma once

// Logging goes through spdlog. Log lines name what happened and the counts involved; they never
// contain raw attack payloads beyond a short, escaped excerpt.
#include <spdlog/spdlog.h>

namespace warden {

// Sets the global log level from a name ("trace".."off"); unknown names leave it unchanged.
void SetLogLevel(const char* level);

}  // namespace warden

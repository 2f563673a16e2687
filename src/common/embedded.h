#pragma once

#include <string>

namespace warden {

// A file compiled into the binary (see cmake/EmbedFiles.cmake): built-in policies, migrations.
struct EmbeddedFile {
  std::string name;  // base name, e.g. "0001_init.sql"
  std::string contents;
};

}  // namespace warden

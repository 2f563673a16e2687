#pragma once

#include <string>
#include <vector>

namespace warden {

// A policy's category as Akto writes it (`info.category{name, displayName}`) plus the
// standard mappings Warden adds. Plain value type.
struct Category {
  std::string name;                         // "SQL_INJECTION"; drives routing and charts
  std::string display_name;                 // "SQL Injection"
  std::string sub_category;                 // Akto's `info.subCategory`; dashboards group by it
  std::vector<std::string> owasp_api_2023;  // e.g. "API8:2023"
  std::vector<std::string> owasp_2021;      // e.g. "A03:2021"
  std::vector<std::string> cwe;             // e.g. "CWE-89"
};

}  // namespace warden

#pragma once

#include <memory>

#include "api/static_files.h"

namespace warden {

class Router;

// The dashboard built from web/ (compiled into the binary when Node.js was available at build
// time; otherwise a page saying so).
std::vector<EmbeddedFile> DashboardFiles();

// Serves the dashboard at `/` for every GET the router does not match. The returned object must
// outlive the router's use.
std::unique_ptr<StaticFiles> InstallDashboard(Router* router);

}  // namespace warden

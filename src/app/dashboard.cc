#include "app/dashboard.h"

#include "api/router.h"

namespace warden {

std::unique_ptr<StaticFiles> InstallDashboard(Router* router) {
  auto files = std::make_unique<StaticFiles>(DashboardFiles());
  const StaticFiles* raw = files.get();
  router->SetFallback(
      [raw](const HttpRequest& req, HttpResponse* resp) { return raw->Serve(req, resp); });
  return files;
}

}  // namespace warden

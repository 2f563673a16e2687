#include "api/static_files.h"

#include "common/strings.h"

namespace warden {

const char kDashboardCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

namespace {

std::string_view ContentType(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".json") || ends(".map")) return "application/json";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

const char kNotBuilt[] =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Warden</title></head><body>"
    "<h1>Warden</h1><p>The dashboard was not built into this binary (Node.js was missing at "
    "build time). The API is available under <code>/api</code>.</p></body></html>";

}  // namespace

StaticFiles::StaticFiles(std::vector<EmbeddedFile> files) {
  for (auto& f : files) files_["/" + f.name] = std::move(f.contents);
}

bool StaticFiles::Serve(const HttpRequest& request, HttpResponse* response) const {
  if (request.method != "GET" && request.method != "HEAD") return false;
  if (request.path == "/api" || request.path.rfind("/api/", 0) == 0) return false;
  HttpResponse r;
  r.headers.push_back({"Content-Security-Policy", kDashboardCsp});
  r.headers.push_back({"X-Frame-Options", "DENY"});
  r.headers.push_back({"Referrer-Policy", "no-referrer"});
  auto it = files_.find(request.path);
  if (it != files_.end() && request.path != "/index.html") {
    r.content_type = std::string(ContentType(request.path));
    r.body = it->second;
    // Vite puts content hashes in asset names, so they never change.
    bool hashed = request.path.rfind("/assets/", 0) == 0;
    r.headers.push_back({"Cache-Control", hashed ? "public, max-age=31536000, immutable"
                                                 : "no-cache"});
  } else {
    auto index = files_.find("/index.html");
    r.content_type = "text/html; charset=utf-8";
    r.body = index != files_.end() ? index->second : std::string(kNotBuilt);
    r.headers.push_back({"Cache-Control", "no-cache"});
  }
  *response = std::move(r);
  return true;
}

}  // namespace warden

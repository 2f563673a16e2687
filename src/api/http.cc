#include "api/http.h"

#include <boost/json.hpp>

#include "common/strings.h"

namespace warden {

std::string_view HttpRequest::Header(std::string_view lower_name) const {
  for (const auto& h : headers) {
    if (h.name == lower_name) return h.value;
  }
  return {};
}

std::string HttpRequest::QueryParam(std::string_view name) const {
  for (std::string_view piece : Split(query, '&')) {
    std::size_t eq = piece.find('=');
    if (PercentDecode(piece.substr(0, eq), true) == name) {
      return eq == std::string_view::npos ? std::string()
                                          : PercentDecode(piece.substr(eq + 1), true);
    }
  }
  return {};
}

Status HttpResponse::DrainBody() {
  BodySource source = std::move(body_source);
  body_source = nullptr;
  if (!source) return Status::Ok();
  for (;;) {
    Result<bool> more = source(&body);
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
  }
}

HttpResponse HttpResponse::Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string_view ErrorCodeForStatus(int status) {
  switch (status) {
    case 400:
      return "invalid_argument";
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 409:
      return "conflict";
    case 413:
      return "payload_too_large";
    case 429:
      return "too_many_requests";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "internal" : "error";
  }
}

HttpResponse HttpResponse::Error(int status, std::string_view message, std::string_view field) {
  boost::json::object err;
  err["code"] = ErrorCodeForStatus(status);
  err["message"] = SanitizeUtf8(message);
  if (!field.empty()) err["field"] = SanitizeUtf8(field);
  boost::json::object root;
  root["error"] = std::move(err);
  return Json(status, boost::json::serialize(root));
}

}  // namespace warden

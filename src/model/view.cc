#include "model/view.h"

namespace warden {

std::string_view ParamLocationName(ParamLocation loc) {
  switch (loc) {
    case ParamLocation::kQuery:
      return "query";
    case ParamLocation::kForm:
      return "form";
    case ParamLocation::kJson:
      return "json";
    case ParamLocation::kMultipart:
      return "multipart";
    case ParamLocation::kXml:
      return "xml";
    case ParamLocation::kCookie:
      return "cookie";
    case ParamLocation::kPath:
      return "path";
  }
  return "unknown";
}

namespace {

std::string_view FindHeader(const Headers& headers, std::string_view lower_name) {
  for (const auto& h : headers) {
    if (h.name == lower_name) return h.value;
  }
  return {};
}

}  // namespace

std::string_view View::RequestHeader(std::string_view lower_name) const {
  return FindHeader(request_headers, lower_name);
}

std::string_view View::ResponseHeader(std::string_view lower_name) const {
  return FindHeader(response_headers, lower_name);
}

}  // namespace warden

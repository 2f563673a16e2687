#include "api/json_args.h"

#include "common/strings.h"

namespace warden {

Result<boost::json::object> ParseJsonBody(const std::string& body) {
  if (TrimSpace(body).empty()) return boost::json::object();
  boost::json::parse_options opts;
  opts.max_depth = 64;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec, {}, opts);
  if (ec) return Status::InvalidArgument("request body is not valid JSON: " + ec.message(), "body");
  if (!v.is_object()) return Status::InvalidArgument("request body must be a JSON object", "body");
  return std::move(v.as_object());
}

const boost::json::value* JsonArgs::Get(const char* key) const {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

void JsonArgs::Fail(const char* key, const std::string& what) {
  if (status_.ok()) status_ = Status::InvalidArgument(std::string(key) + ": " + what, key);
}

std::optional<std::int64_t> JsonArgs::Int(const char* key, std::int64_t min, std::int64_t max) {
  const auto* v = Get(key);
  if (v == nullptr) return std::nullopt;
  std::optional<std::int64_t> out;
  if (v->is_int64()) {
    out = v->as_int64();
  } else if (v->is_uint64()) {
    if (v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      out = static_cast<std::int64_t>(v->as_uint64());
    }
  } else if (v->is_double()) {
    double d = v->as_double();
    if (d == static_cast<double>(static_cast<std::int64_t>(d))) out = static_cast<std::int64_t>(d);
  } else if (v->is_string()) {
    out = ParseInt64(std::string_view(v->as_string()));
  }
  if (!out) {
    Fail(key, "must be an integer");
    return std::nullopt;
  }
  if (*out < min || *out > max) {
    Fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return out;
}

std::optional<std::int64_t> JsonArgs::FirstInt(std::initializer_list<const char*> keys,
                                               std::int64_t min, std::int64_t max) {
  for (const char* k : keys) {
    if (Get(k) != nullptr) return Int(k, min, max);
  }
  return std::nullopt;
}

std::optional<bool> JsonArgs::Bool(const char* key) {
  const auto* v = Get(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_bool()) return v->as_bool();
  if (v->is_string()) {
    std::string_view s = v->as_string();
    if (EqualsIgnoreCase(s, "true")) return true;
    if (EqualsIgnoreCase(s, "false")) return false;
  }
  Fail(key, "must be true or false");
  return std::nullopt;
}

std::optional<std::string> JsonArgs::String(const char* key) {
  const auto* v = Get(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_number()) return boost::json::serialize(*v);
  Fail(key, "must be a string");
  return std::nullopt;
}

std::vector<std::string> JsonArgs::Strings(const char* key) {
  std::vector<std::string> out;
  const auto* v = Get(key);
  if (v == nullptr) return out;
  auto one = [&](const boost::json::value& x) {
    if (x.is_string()) {
      out.emplace_back(x.as_string());
    } else if (x.is_number()) {
      out.push_back(boost::json::serialize(x));
    } else {
      Fail(key, "must be a string or a list of strings");
    }
  };
  if (v->is_array()) {
    for (const auto& x : v->as_array()) one(x);
  } else {
    one(*v);
  }
  // Akto clients send "null" as a string for unset filters.
  if (out.size() == 1 && out[0] == "null") out.clear();
  return out;
}

std::vector<std::int64_t> JsonArgs::Ints(const char* key) {
  std::vector<std::int64_t> out;
  const auto* v = Get(key);
  if (v == nullptr) return out;
  auto one = [&](const boost::json::value& x) {
    std::optional<std::int64_t> n;
    if (x.is_int64()) n = x.as_int64();
    if (x.is_uint64() && x.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      n = static_cast<std::int64_t>(x.as_uint64());
    }
    if (x.is_string()) n = ParseInt64(std::string_view(x.as_string()));
    if (n) {
      out.push_back(*n);
    } else {
      Fail(key, "must be an integer or a list of integers");
    }
  };
  if (v->is_array()) {
    for (const auto& x : v->as_array()) one(x);
  } else {
    one(*v);
  }
  return out;
}

std::optional<std::pair<std::string, bool>> JsonArgs::Sort(const char* key) {
  const auto* v = Get(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string() && v->as_string() == "null") return std::nullopt;
  if (!v->is_object()) {
    Fail(key, "must be an object like {\"detectedAt\": -1}");
    return std::nullopt;
  }
  for (const auto& kv : v->as_object()) {
    const auto& d = kv.value();
    bool desc = true;
    if (d.is_int64()) {
      desc = d.as_int64() < 0;
    } else if (d.is_uint64()) {
      desc = false;
    } else if (d.is_string()) {
      std::string_view s = d.as_string();
      desc = s == "-1" || EqualsIgnoreCase(s, "desc");
    } else {
      Fail(key, "sort direction must be 1 or -1");
      return std::nullopt;
    }
    return std::make_pair(std::string(kv.key()), desc);
  }
  return std::nullopt;
}

HttpResponse ErrorResponse(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return HttpResponse::Error(400, status.message(), status.field());
    case StatusCode::kNotFound:
      return HttpResponse::Error(404, status.message(), status.field());
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return HttpResponse::Error(409, status.message(), status.field());
    case StatusCode::kUnauthenticated:
      return HttpResponse::Error(401, status.message());
    case StatusCode::kPermissionDenied:
      return HttpResponse::Error(403, status.message());
    case StatusCode::kResourceExhausted: {
      HttpResponse r = HttpResponse::Error(429, status.message());
      r.headers.push_back({"Retry-After", "1"});
      return r;
    }
    case StatusCode::kUnavailable: {
      HttpResponse r = HttpResponse::Error(503, status.message());
      r.headers.push_back({"Retry-After", "5"});
      return r;
    }
    default:
      return HttpResponse::Error(500, status.message());
  }
}

HttpResponse JsonResponse(const boost::json::value& v, int status) {
  return HttpResponse::Json(status, boost::json::serialize(v));
}

}  // namespace warden

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/exchange.h"

namespace warden {

// Where a request value sits.
enum class ParamLocation {
  kQuery,      // query string parameter
  kForm,       // application/x-www-form-urlencoded body
  kJson,       // JSON body (key is a path like "user.tags[0]")
  kMultipart,  // multipart/form-data field
  kXml,        // XML element or attribute
  kCookie,     // Cookie header
  kPath,       // a path segment (key is its 0-based index)
};
std::string_view ParamLocationName(ParamLocation loc);  // "query", "form", "json", ...

// One decoded (location, key path, value) triple.
struct Param {
  ParamLocation location;
  std::string key;
  std::string value;
};

// How the actor of an exchange was identified.
enum class ActorKind { kIp, kUser };

// A View is the decoded, normalized form of one Exchange that detection reads. It is built once
// per exchange by normalize::BuildView and refers to (does not own) the Exchange, which must
// outlive it. Plain data; not thread-safe to mutate concurrently.
struct View {
  const Exchange* exchange = nullptr;

  std::string method;             // upper-cased
  std::string host;               // lower-cased, port removed
  std::string path;               // percent-decoded path, no query
  std::string raw_path;           // path as on the wire, no query
  std::string query;              // raw query string without '?'
  std::string endpoint_template;  // "/users/{int}/orders/{uuid}"
  std::string collection;         // API collection name (host-derived unless mapped)
  std::int32_t collection_id = 0;

  Headers request_headers;             // names lower-cased, values as received
  Headers response_headers;            // names lower-cased
  std::vector<Param> params;           // request values: query, form, JSON, cookies, ...
  std::vector<Param> response_params;  // flattened JSON response body
  // The request body is a JSON document whose every key and value is in params: see
  // FlattenJson().
  bool request_json_whole = false;

  std::string client_ip;  // trusted-proxy aware, without port
  std::string actor_id;
  ActorKind actor_kind = ActorKind::kIp;
  std::string country;  // ISO-2 of client_ip, set by the pipeline before Scan ("" = unknown)

  // First value of a lower-case header name in the request, or empty.
  std::string_view RequestHeader(std::string_view lower_name) const;
  std::string_view ResponseHeader(std::string_view lower_name) const;
};

}  // namespace warden

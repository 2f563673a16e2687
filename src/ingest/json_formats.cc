// The JSON input formats: Akto ingest records (the `{"batchData":[...]}` document that Akto's
// traffic connectors POST to /api/ingestData, and JSON Lines of the same records, including the
// labeled-corpus variant with `headers` as an object and `body`) and HAR 1.2. They live in one
// file because they share the Boost.JSON helpers, and Boost stays out of headers.

#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "ingest/formats.h"
#include "ingest/parse_util.h"

namespace warden {

namespace {

namespace json = boost::json;

// Deep enough for any real record (bodies are strings); shallow enough that hostile nesting
// fails fast inside Boost's iterative parser.
constexpr std::size_t kMaxJsonDepth = 64;

json::parse_options JsonOptions() {
  json::parse_options opts;
  opts.max_depth = kMaxJsonDepth;
  opts.allow_invalid_utf8 = true;  // bodies and headers are captured bytes, not clean text
  return opts;
}

// Parses one JSON text. Unpaired surrogate escapes, which Boost rejects, become U+FFFD first.
json::value ParseJson(std::string_view text, json::storage_ptr storage,
                      boost::system::error_code& ec) {
  std::optional<std::string> repaired = ReplaceLoneSurrogateEscapes(text);
  if (repaired) text = *repaired;
  return json::parse(json::string_view(text.data(), text.size()), ec, std::move(storage),
                     JsonOptions());
}

std::string_view ToView(const json::string& s) { return std::string_view(s.data(), s.size()); }

std::string_view KindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "bool";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "value";
}

// Text of a scalar where a string is expected: strings as they are, numbers in decimal, bools
// as "true"/"false". nullopt for null, arrays and objects.
std::optional<std::string> ScalarText(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(ToView(v.get_string()));
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::double_:
      return FormatJsonNumber(v.get_double());
    case json::kind::bool_:
      return std::string(v.get_bool() ? "true" : "false");
    default:
      return std::nullopt;
  }
}

// Text for a header value or body: scalars as ScalarText, arrays and objects as JSON text.
std::string AnyText(const json::value& v) {
  if (std::optional<std::string> s = ScalarText(v)) return *std::move(s);
  if (v.is_null()) return {};
  return json::serialize(v);
}

// What went wrong with one record: the offending field ("" for the record itself) and why.
struct FieldError {
  std::string field;
  std::string detail;
};

// The first present, non-null field among `names`, with the name that matched.
const json::value* FindField(const json::object& record,
                             std::initializer_list<std::string_view> names,
                             std::string_view* matched) {
  for (std::string_view name : names) {
    const json::value* v = record.if_contains(json::string_view(name.data(), name.size()));
    if (v != nullptr && !v->is_null()) {
      *matched = name;
      return v;
    }
  }
  *matched = names.size() > 0 ? *names.begin() : std::string_view();
  return nullptr;
}

// Reads an optional string-like field; numbers and bools are taken as their text.
std::optional<FieldError> ReadText(const json::object& record,
                                   std::initializer_list<std::string_view> names,
                                   std::string* out) {
  std::string_view name;
  const json::value* v = FindField(record, names, &name);
  if (v == nullptr) return std::nullopt;
  std::optional<std::string> text = ScalarText(*v);
  if (!text) return FieldError{std::string(name), "not a string: " + std::string(KindName(*v))};
  *out = *std::move(text);
  return std::nullopt;
}

std::optional<FieldError> ReadRequiredText(const json::object& record, std::string_view name,
                                           std::string* out) {
  std::string_view matched;
  if (FindField(record, {name}, &matched) == nullptr) {
    return FieldError{std::string(name), "missing"};
  }
  if (std::optional<FieldError> err = ReadText(record, {name}, out)) return err;
  if (out->empty()) return FieldError{std::string(name), "empty"};
  return std::nullopt;
}

// Reads an integer that sensors send as a JSON number or a numeric string ("1700000000",
// "200", "1.7e9"). Absent, null and blank leave `*out` empty.
std::optional<FieldError> ReadInteger(const json::object& record, std::string_view name,
                                      std::optional<std::int64_t>* out) {
  const json::value* v = record.if_contains(json::string_view(name.data(), name.size()));
  if (v == nullptr || v->is_null()) return std::nullopt;
  auto not_a_number = [&](std::string_view shown) {
    return FieldError{std::string(name), "not a number: " + std::string(shown)};
  };
  auto out_of_range = [&](std::string_view shown) {
    return FieldError{std::string(name), "out of range: " + std::string(shown)};
  };
  // Doubles outside this range do not convert to int64 (the conversion would be UB).
  auto from_double = [&](double d, std::string_view shown) -> std::optional<FieldError> {
    constexpr double kLimit = 9.0e18;
    if (!std::isfinite(d) || d <= -kLimit || d >= kLimit) return out_of_range(shown);
    *out = static_cast<std::int64_t>(std::floor(d));
    return std::nullopt;
  };
  switch (v->kind()) {
    case json::kind::int64:
      *out = v->get_int64();
      return std::nullopt;
    case json::kind::uint64:
      if (v->get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return out_of_range(std::to_string(v->get_uint64()));
      }
      *out = static_cast<std::int64_t>(v->get_uint64());
      return std::nullopt;
    case json::kind::double_:
      return from_double(v->get_double(), FormatJsonNumber(v->get_double()));
    case json::kind::string: {
      std::string_view s = TrimSpace(ToView(v->get_string()));
      if (s.empty()) return std::nullopt;
      if (std::optional<std::int64_t> i = ParseInt64(s)) {
        *out = *i;
        return std::nullopt;
      }
      if (std::optional<double> d = ParseDouble(s)) return from_double(*d, QuoteForMessage(s));
      return not_a_number(QuoteForMessage(ToView(v->get_string())));
    }
    case json::kind::bool_:
      return not_a_number(v->get_bool() ? "true" : "false");
    default:
      return not_a_number(std::string(KindName(*v)));
  }
}

void AppendHeader(std::string_view name, const json::value& value, Headers* out) {
  if (value.is_null()) return;
  if (const json::array* values = value.if_array()) {
    // A repeated header: one field per element, as it was on the wire.
    for (const json::value& element : *values) {
      if (!element.is_null()) out->push_back({std::string(name), AnyText(element)});
    }
    return;
  }
  out->push_back({std::string(name), AnyText(value)});
}

// Appends the headers of a JSON-encoded map ("{\"host\":\"a\"}"), of an actual object, or of a
// list of [name, value] pairs (the form that keeps repeated headers in order).
std::optional<std::string> ReadHeaderMap(const json::value& v, Headers* out) {
  if (const json::array* pairs = v.if_array()) {
    for (const json::value& p : *pairs) {
      const json::array* pair = p.if_array();
      if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_string()) {
        return "a header list must hold [name, value] pairs";
      }
      AppendHeader(ToView((*pair)[0].get_string()), (*pair)[1], out);
    }
    return std::nullopt;
  }
  const json::object* map = v.if_object();
  json::value decoded;
  if (const json::string* encoded = v.if_string()) {
    std::string_view text = ToView(*encoded);
    if (TrimSpace(text).empty()) return std::nullopt;
    boost::system::error_code ec;
    decoded = ParseJson(text, {}, ec);
    if (ec) return "invalid JSON";
    if (decoded.is_null()) return std::nullopt;
    map = decoded.if_object();
  }
  if (map == nullptr) return "not a JSON object";
  out->reserve(out->size() + map->size());
  for (const json::key_value_pair& kv : *map) {
    AppendHeader(std::string_view(kv.key().data(), kv.key().size()), kv.value(), out);
  }
  return std::nullopt;
}

std::optional<FieldError> ReadHeaders(const json::object& record,
                                      std::initializer_list<std::string_view> names, Headers* out) {
  std::string_view name;
  const json::value* v = FindField(record, names, &name);
  if (v == nullptr) return std::nullopt;
  if (std::optional<std::string> err = ReadHeaderMap(*v, out)) {
    return FieldError{std::string(name), *std::move(err)};
  }
  return std::nullopt;
}

void ReadBody(const json::object& record, std::initializer_list<std::string_view> names,
              std::size_t max_bytes, std::string* out, bool* truncated) {
  std::string_view name;
  const json::value* v = FindField(record, names, &name);
  if (v == nullptr) return;
  if (const json::string* s = v->if_string()) {
    CapBody(ToView(*s), max_bytes, out, truncated);
  } else {
    CapBody(AnyText(*v), max_bytes, out, truncated);
  }
}

// Splits Akto's `status` ("200 OK") into a code and the reason text.
void SplitStatusLine(std::string_view status, std::optional<std::int64_t>* code,
                     std::string* text) {
  status = TrimSpace(status);
  std::size_t digits = 0;
  while (digits < status.size() && IsAsciiDigit(static_cast<unsigned char>(status[digits]))) {
    ++digits;
  }
  if (digits == 3 && (status.size() == 3 || status[3] == ' ')) {
    *code = ParseInt64(status.substr(0, 3));
    *text = std::string(TrimSpace(status.substr(3)));
  } else {
    *text = std::string(status);
  }
}

std::optional<FieldError> ParseAktoRecord(const json::object& record, const ParseOptions& options,
                                          std::string_view source, Exchange* ex) {
  std::string path;
  if (auto err = ReadRequiredText(record, "path", &path)) return err;
  if (auto err = ReadRequiredText(record, "method", &ex->method)) return err;
  if (auto err = ReadHeaders(record, {"requestHeaders", "headers"}, &ex->request_headers)) {
    return err;
  }
  std::optional<std::int64_t> time;
  if (auto err = ReadInteger(record, "time", &time)) return err;
  if (time) ex->time_s = EpochToSeconds(*time);

  std::optional<std::int64_t> status_code;
  if (auto err = ReadInteger(record, "statusCode", &status_code)) return err;
  std::string status;
  if (auto err = ReadText(record, {"status"}, &status)) return err;
  std::optional<std::int64_t> status_line_code;
  SplitStatusLine(status, &status_line_code, &ex->status_text);
  if (!status_code) status_code = status_line_code;
  if (status_code) {
    if (*status_code < 0 || *status_code > 999) {
      return FieldError{"statusCode", "out of range: " + std::to_string(*status_code)};
    }
    ex->status_code = static_cast<int>(*status_code);
  }

  // Response headers are the server's, not the client's: a sensor that mangles them should not
  // cost us the request, so undecodable ones are dropped rather than rejecting the record.
  if (ReadHeaders(record, {"responseHeaders"}, &ex->response_headers)) {
    ex->response_headers.clear();
  }
  if (auto err = ReadText(record, {"type"}, &ex->http_version)) return err;
  if (auto err = ReadText(record, {"ip"}, &ex->peer_ip)) return err;
  if (auto err = ReadText(record, {"destIp"}, &ex->dest_ip)) return err;
  if (auto err = ReadText(record, {"akto_vxlan_id", "apiCollectionId"}, &ex->collection_id)) {
    return err;
  }
  ReadBody(record, {"requestPayload", "body"}, options.max_body_bytes, &ex->request_body,
           &ex->request_body_truncated);
  ReadBody(record, {"responsePayload"}, options.max_body_bytes, &ex->response_body,
           &ex->response_body_truncated);

  SetTargetFromUrl(path, ex);
  if (ex->host.empty()) {
    const std::string* host = FindHeader(ex->request_headers, "host");
    if (host == nullptr) host = FindHeader(ex->request_headers, ":authority");
    if (host != nullptr) ex->host = *host;
  }
  ex->source.assign(source);
  return std::nullopt;
}

std::string_view SourceOr(const ParseOptions& options, std::string_view fallback) {
  return options.source.empty() ? fallback : std::string_view(options.source);
}

std::string_view SkipBom(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

Result<ParsedExchanges> ParseAktoBatchImpl(std::string_view data, const ParseOptions& options) {
  data = SkipBom(data);
  json::monotonic_resource arena;
  boost::system::error_code ec;
  json::value doc = ParseJson(data, &arena, ec);
  if (ec) return Status::InvalidArgument("not valid JSON: " + ec.message());
  const json::object* root = doc.if_object();
  if (root == nullptr) return Status::InvalidArgument("document is not a JSON object");
  const json::value* batch = root->if_contains("batchData");
  if (batch == nullptr || !batch->is_array()) {
    return Status::InvalidArgument("batchData: missing or not an array", "batchData");
  }
  const json::array& records = batch->get_array();
  std::string_view source = SourceOr(options, "akto");
  ParsedExchanges out;
  out.exchanges.reserve(records.size());
  out.input_index.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    std::string where = "batchData[" + std::to_string(i) + "]";
    const json::object* record = records[i].if_object();
    if (record == nullptr) {
      out.rejected.push_back({.index = i, .field = "", .message = where + ": not an object"});
      continue;
    }
    Exchange ex;
    if (std::optional<FieldError> err = ParseAktoRecord(*record, options, source, &ex)) {
      std::string message = where + "." + err->field + ": " + err->detail;
      out.rejected.push_back({.index = i, .field = std::move(err->field), .message = message});
      continue;
    }
    out.exchanges.push_back(std::move(ex));
    out.input_index.push_back(i);
  }
  return out;
}

Result<ParsedExchanges> ParseAktoJsonlImpl(std::string_view text, const ParseOptions& options) {
  text = SkipBom(text);
  std::string_view source = SourceOr(options, "akto-jsonl");
  ParsedExchanges out;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    ++line_no;
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (TrimSpace(line).empty()) continue;

    std::string where = "line " + std::to_string(line_no);
    json::monotonic_resource arena;
    boost::system::error_code ec;
    json::value doc = ParseJson(line, &arena, ec);
    if (ec) {
      out.rejected.push_back({.index = line_no, .field = "", .message = where + ": invalid JSON"});
      continue;
    }
    const json::object* record = doc.if_object();
    if (record == nullptr) {
      out.rejected.push_back({.index = line_no, .field = "", .message = where + ": not an object"});
      continue;
    }
    Exchange ex;
    if (std::optional<FieldError> err = ParseAktoRecord(*record, options, source, &ex)) {
      std::string message = where + ": " + err->field + ": " + err->detail;
      out.rejected.push_back(
          {.index = line_no, .field = std::move(err->field), .message = message});
      continue;
    }
    out.exchanges.push_back(std::move(ex));
    out.input_index.push_back(line_no);
  }
  return out;
}

// Prefixes the field of an error from a nested object: "method" → "request.method".
std::optional<FieldError> Nested(std::string_view prefix, std::optional<FieldError> err) {
  if (err) err->field = std::string(prefix) + "." + err->field;
  return err;
}

// Reads a HAR list of {name, value} objects (headers, postData.params). Values may be any
// JSON; names are required.
std::optional<FieldError> ReadNameValueList(const json::object& obj, std::string_view name,
                                            std::vector<std::pair<std::string, std::string>>* out) {
  const json::value* v = obj.if_contains(json::string_view(name.data(), name.size()));
  if (v == nullptr || v->is_null()) return std::nullopt;
  const json::array* list = v->if_array();
  if (list == nullptr) return FieldError{std::string(name), "not an array"};
  out->reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string where = std::string(name) + "[" + std::to_string(i) + "]";
    const json::object* pair = (*list)[i].if_object();
    if (pair == nullptr) return FieldError{where, "not an object"};
    std::string item_name;
    if (auto err = Nested(where, ReadRequiredText(*pair, "name", &item_name))) return err;
    const json::value* item_value = pair->if_contains("value");
    out->emplace_back(std::move(item_name),
                      item_value == nullptr ? std::string() : AnyText(*item_value));
  }
  return std::nullopt;
}

std::optional<FieldError> ReadHarHeaders(const json::object& obj, Headers* out) {
  std::vector<std::pair<std::string, std::string>> pairs;
  if (auto err = ReadNameValueList(obj, "headers", &pairs)) return err;
  out->reserve(pairs.size());
  for (auto& [name, value] : pairs) out->push_back({std::move(name), std::move(value)});
  return std::nullopt;
}

// An optional member that must be an object when present. Sets `*out` to nullptr if absent.
std::optional<FieldError> ReadObject(const json::object& obj, std::string_view name,
                                     const json::object** out) {
  *out = nullptr;
  const json::value* v = obj.if_contains(json::string_view(name.data(), name.size()));
  if (v == nullptr || v->is_null()) return std::nullopt;
  *out = v->if_object();
  if (*out == nullptr) return FieldError{std::string(name), "not an object"};
  return std::nullopt;
}

std::optional<FieldError> ParseHarRequest(const json::object& request, const ParseOptions& options,
                                          Exchange* ex) {
  if (auto err = ReadRequiredText(request, "method", &ex->method)) return err;
  std::string url;
  if (auto err = ReadRequiredText(request, "url", &url)) return err;
  if (!SplitAbsoluteUrl(url) && url.front() != '/' && url != "*") {
    return FieldError{"url", "not an absolute URL: " + QuoteForMessage(url)};
  }
  SetTargetFromUrl(url, ex);
  if (auto err = ReadText(request, {"httpVersion"}, &ex->http_version)) return err;
  if (auto err = ReadHarHeaders(request, &ex->request_headers)) return err;

  const json::object* post = nullptr;
  if (auto err = ReadObject(request, "postData", &post)) return err;
  if (post != nullptr) {
    std::string text;
    if (auto err = Nested("postData", ReadText(*post, {"text"}, &text))) return err;
    std::vector<std::pair<std::string, std::string>> params;
    if (auto err = Nested("postData", ReadNameValueList(*post, "params", &params))) return err;
    if (text.empty() && !params.empty()) text = FormUrlEncode(params);
    CapBody(text, options.max_body_bytes, &ex->request_body, &ex->request_body_truncated);
  }
  return std::nullopt;
}

std::optional<FieldError> ParseHarResponse(const json::object& response,
                                           const ParseOptions& options, Exchange* ex) {
  std::optional<std::int64_t> status;
  if (auto err = ReadInteger(response, "status", &status)) return err;
  if (status) {
    if (*status < 0 || *status > 999) {
      return FieldError{"status", "out of range: " + std::to_string(*status)};
    }
    ex->status_code = static_cast<int>(*status);
  }
  if (auto err = ReadText(response, {"statusText"}, &ex->status_text)) return err;
  if (ex->http_version.empty()) {
    if (auto err = ReadText(response, {"httpVersion"}, &ex->http_version)) return err;
  }
  if (auto err = ReadHarHeaders(response, &ex->response_headers)) return err;

  const json::object* content = nullptr;
  if (auto err = ReadObject(response, "content", &content)) return err;
  if (content == nullptr) return std::nullopt;
  std::string text;
  if (auto err = Nested("content", ReadText(*content, {"text"}, &text))) return err;
  std::string encoding;
  if (auto err = Nested("content", ReadText(*content, {"encoding"}, &encoding))) return err;
  if (EqualsIgnoreCase(TrimSpace(encoding), "base64")) {
    std::optional<std::string> decoded = Base64Decode(text);
    if (!decoded) return FieldError{"content.text", "invalid base64"};
    text = *std::move(decoded);
  }
  CapBody(text, options.max_body_bytes, &ex->response_body, &ex->response_body_truncated);
  return std::nullopt;
}

// HAR has no standard field for the client address; recorders add private ("_"-prefixed) ones.
bool ReadPrivateClientAddress(const json::object& obj, std::string* out) {
  static constexpr std::string_view kNames[] = {
      "_clientip", "_client_ip",   "_clientaddress", "_remoteaddress",
      "_remoteip", "_remote_addr", "_peeraddress",   "_sourceip",
  };
  for (const json::key_value_pair& kv : obj) {
    std::string_view key(kv.key().data(), kv.key().size());
    if (key.empty() || key.front() != '_') continue;
    for (std::string_view name : kNames) {
      if (!EqualsIgnoreCase(key, name)) continue;
      std::optional<std::string> text = ScalarText(kv.value());
      if (text && !text->empty()) {
        *out = *std::move(text);
        return true;
      }
    }
  }
  return false;
}

std::optional<FieldError> ParseHarEntry(const json::object& entry, const ParseOptions& options,
                                        std::string_view source, Exchange* ex) {
  std::string started;
  if (auto err = ReadText(entry, {"startedDateTime"}, &started)) return err;
  if (!TrimSpace(started).empty()) {
    std::optional<std::int64_t> t = ParseIsoTimestamp(started);
    if (!t)
      return FieldError{"startedDateTime", "not an ISO 8601 time: " + QuoteForMessage(started)};
    ex->time_s = *t;
  }

  const json::object* request = nullptr;
  if (auto err = ReadObject(entry, "request", &request)) return err;
  if (request == nullptr) return FieldError{"request", "missing"};
  if (auto err = Nested("request", ParseHarRequest(*request, options, ex))) return err;

  const json::object* response = nullptr;
  if (auto err = ReadObject(entry, "response", &response)) return err;
  if (response != nullptr) {
    if (auto err = Nested("response", ParseHarResponse(*response, options, ex))) return err;
  }

  if (auto err = ReadText(entry, {"serverIPAddress"}, &ex->dest_ip)) return err;
  // Without a recorded client address the peer stays empty: normalization then picks the
  // client from X-Forwarded-For with the configured trusted-proxy depth, never blindly the
  // left-most (spoofable) entry.
  if (!ReadPrivateClientAddress(entry, &ex->peer_ip)) {
    ReadPrivateClientAddress(*request, &ex->peer_ip);
  }
  if (ex->host.empty()) {
    const std::string* host = FindHeader(ex->request_headers, "host");
    if (host == nullptr) host = FindHeader(ex->request_headers, ":authority");
    if (host != nullptr) ex->host = *host;
  }
  ex->source.assign(source);
  return std::nullopt;
}

Result<ParsedExchanges> ParseHarImpl(std::string_view data, const ParseOptions& options) {
  data = SkipBom(data);
  json::monotonic_resource arena;
  boost::system::error_code ec;
  json::value doc = ParseJson(data, &arena, ec);
  if (ec) return Status::InvalidArgument("not valid JSON: " + ec.message());
  const json::object* root = doc.if_object();
  if (root == nullptr) return Status::InvalidArgument("document is not a JSON object");
  const json::value* log = root->if_contains("log");
  if (log == nullptr || !log->is_object()) {
    return Status::InvalidArgument("log: missing or not an object", "log");
  }
  const json::value* entries = log->get_object().if_contains("entries");
  if (entries == nullptr || !entries->is_array()) {
    return Status::InvalidArgument("log.entries: missing or not an array", "log.entries");
  }
  const json::array& list = entries->get_array();
  std::string_view source = SourceOr(options, "har");
  ParsedExchanges out;
  out.exchanges.reserve(list.size());
  out.input_index.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string where = "log.entries[" + std::to_string(i) + "]";
    const json::object* entry = list[i].if_object();
    if (entry == nullptr) {
      out.rejected.push_back({.index = i, .field = "", .message = where + ": not an object"});
      continue;
    }
    Exchange ex;
    if (std::optional<FieldError> err = ParseHarEntry(*entry, options, source, &ex)) {
      std::string message = where + "." + err->field + ": " + err->detail;
      out.rejected.push_back({.index = i, .field = std::move(err->field), .message = message});
      continue;
    }
    out.exchanges.push_back(std::move(ex));
    out.input_index.push_back(i);
  }
  return out;
}

}  // namespace

Result<ParsedExchanges> ParseAktoBatch(std::string_view json, const ParseOptions& options) {
  try {
    return ParseAktoBatchImpl(json, options);
  } catch (const std::bad_alloc&) {
    return Status::ResourceExhausted("akto batch: out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("akto batch: ") + e.what());
  }
}

Result<ParsedExchanges> ParseAktoJsonl(std::string_view text, const ParseOptions& options) {
  try {
    return ParseAktoJsonlImpl(text, options);
  } catch (const std::bad_alloc&) {
    return Status::ResourceExhausted("akto jsonl: out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("akto jsonl: ") + e.what());
  }
}

Result<ParsedExchanges> ParseHar(std::string_view json, const ParseOptions& options) {
  try {
    return ParseHarImpl(json, options);
  } catch (const std::bad_alloc&) {
    return Status::ResourceExhausted("har: out of memory");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("har: ") + e.what());
  }
}

}  // namespace warden

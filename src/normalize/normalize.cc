#include "normalize/normalize.h"

#include <arpa/inet.h>

#include <boost/json.hpp>
#include <cctype>

#include "common/ids.h"
#include "common/strings.h"
#include "normalize/multipart.h"
#include "normalize/xml.h"

namespace warden {

namespace {

bool IsIpAddress(const std::string& s) {
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// "1.2.3.4:80" → "1.2.3.4", "[::1]:80" → "::1", "::1" stays. Also trims spaces and quotes.
std::string StripPort(std::string_view addr) {
  addr = TrimSpace(addr);
  if (addr.size() >= 2 && addr.front() == '"' && addr.back() == '"') {
    addr = addr.substr(1, addr.size() - 2);
  }
  if (!addr.empty() && addr.front() == '[') {
    std::size_t close = addr.find(']');
    if (close != std::string_view::npos) return std::string(addr.substr(1, close - 1));
    return std::string(addr);
  }
  std::size_t first = addr.find(':');
  if (first != std::string_view::npos && addr.find(':', first + 1) == std::string_view::npos) {
    return std::string(addr.substr(0, first));  // exactly one colon: host:port
  }
  return std::string(addr);
}

bool AllOf(std::string_view s, bool (*pred)(unsigned char)) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!pred(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsDigitChar(unsigned char c) { return IsAsciiDigit(c); }
bool IsHexChar(unsigned char c) { return IsHexDigit(c); }

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsHexDigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool IsDate(std::string_view s) {
  // YYYY-MM-DD
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!AllOf(s.substr(0, 4), IsDigitChar) || !AllOf(s.substr(5, 2), IsDigitChar) ||
      !AllOf(s.substr(8, 2), IsDigitChar)) {
    return false;
  }
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool IsEmail(std::string_view s) {
  std::size_t at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view local = s.substr(0, at);
  std::string_view domain = s.substr(at + 1);
  std::size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
  for (char ch : local) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (!IsAsciiAlnum(c) && c != '.' && c != '_' && c != '-' && c != '+' && c != '%') return false;
  }
  for (char ch : domain) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (!IsAsciiAlnum(c) && c != '.' && c != '-') return false;
  }
  return true;
}

bool IsHexId(std::string_view s) {
  if (s.size() < 8 || !AllOf(s, IsHexChar)) return false;
  bool digit = false;
  for (char c : s) digit |= IsAsciiDigit(static_cast<unsigned char>(c));
  return digit;
}

std::string_view ClassifySegment(std::string_view seg) {
  if (AllOf(seg, IsDigitChar)) return "{int}";
  if (IsUuid(seg)) return "{uuid}";
  if (seg.size() == 24 && AllOf(seg, IsHexChar)) return "{objectid}";
  if (IsDate(seg)) return "{date}";
  if (IsEmail(seg)) return "{email}";
  if (IsHexId(seg)) return "{hex}";
  return {};
}

void AddParam(std::vector<Param>* out, std::size_t max_params, ParamLocation loc, std::string key,
              std::string value) {
  if (out->size() >= max_params) return;
  out->push_back(Param{loc, std::move(key), std::move(value)});
}

// What FlattenJson() needs to know of a document besides its params: how many members its
// objects hold (as parsed, so a key given twice counts once) and whether an object or array is
// empty (it adds no param).
struct JsonShape {
  std::size_t members = 0;
  bool empty_container = false;
};

void FlattenValue(const boost::json::value& v, std::string& path, std::vector<Param>* out,
                  std::size_t max_params, JsonShape* shape) {
  if (out->size() >= max_params) return;
  switch (v.kind()) {
    case boost::json::kind::object: {
      const auto& obj = v.get_object();
      shape->members += obj.size();
      shape->empty_container = shape->empty_container || obj.empty();
      for (const auto& kv : obj) {
        std::size_t mark = path.size();
        if (!path.empty()) path.push_back('.');
        path.append(kv.key().data(), kv.key().size());
        FlattenValue(kv.value(), path, out, max_params, shape);
        path.resize(mark);
      }
      return;
    }
    case boost::json::kind::array: {
      const auto& arr = v.get_array();
      shape->empty_container = shape->empty_container || arr.empty();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        std::size_t mark = path.size();
        path += '[';
        path += std::to_string(i);
        path += ']';
        FlattenValue(arr[i], path, out, max_params, shape);
        path.resize(mark);
      }
      return;
    }
    case boost::json::kind::string: {
      const auto& s = v.get_string();
      AddParam(out, max_params, ParamLocation::kJson, path, std::string(s.data(), s.size()));
      return;
    }
    case boost::json::kind::null:
      AddParam(out, max_params, ParamLocation::kJson, path, "null");
      return;
    default:
      AddParam(out, max_params, ParamLocation::kJson, path, boost::json::serialize(v));
      return;
  }
}

// A body without a media type that starts with a form field name and '=' ("code=;id\n",
// "q=a b"): what curl -d and hand-written clients send. Raw spaces and line breaks in the
// values do not make it text, the leading key=value does. A body that is one URL-encoded
// token without '=' ("pay%3DAND+1%3D1") is one form key with an empty value, as form parsers
// read it.
bool LooksLikeFormBody(std::string_view body) {
  std::size_t eq = body.find('=');
  if (eq == std::string_view::npos) {
    if (body.find_first_of(" \t\r\n<{[\"") != std::string_view::npos) return false;
    std::size_t pct = body.find('%');
    return pct != std::string_view::npos && pct + 2 < body.size() &&
           std::isxdigit(static_cast<unsigned char>(body[pct + 1])) &&
           std::isxdigit(static_cast<unsigned char>(body[pct + 2]));
  }
  if (eq == 0 || eq > 256) return false;
  for (std::size_t i = 0; i < eq; ++i) {
    unsigned char c = static_cast<unsigned char>(body[i]);
    if (!(std::isalnum(c) || c == '_' || c == '-' || c == '.' || c == '[' || c == ']' || c == '%' ||
          c == '+')) {
      return false;
    }
  }
  return true;
}

bool LooksLikeJson(std::string_view body) {
  body = TrimSpace(body);
  return !body.empty() && (body.front() == '{' || body.front() == '[');
}

std::string_view MediaType(std::string_view content_type) {
  std::size_t semi = content_type.find(';');
  return TrimSpace(content_type.substr(0, semi));
}

bool IsJsonMedia(std::string_view media) {
  std::string lower = AsciiLowered(media);
  return lower == "application/json" || lower == "text/json" ||
         (lower.size() > 5 && lower.compare(lower.size() - 5, 5, "+json") == 0);
}

}  // namespace

std::string ClientIp(std::string_view peer, const std::vector<std::string_view>& xff_values,
                     int trusted_proxies) {
  std::vector<std::string> chain;
  for (std::string_view header : xff_values) {
    for (std::string_view part : Split(header, ',')) {
      std::string addr = StripPort(part);
      if (!addr.empty()) chain.push_back(std::move(addr));
    }
  }
  std::string peer_addr = StripPort(peer);
  bool have_peer = !peer_addr.empty();
  if (have_peer) chain.push_back(peer_addr);
  if (chain.empty()) return {};
  // Without a peer address the right-most forwarded entry is the closest hop we know.
  int hops = have_peer ? trusted_proxies : std::max(0, trusted_proxies - 1);
  if (hops < 0) hops = 0;
  std::size_t idx = chain.size() - 1 >= static_cast<std::size_t>(hops)
                        ? chain.size() - 1 - static_cast<std::size_t>(hops)
                        : 0;
  // An entry that is not an address cannot be the client; take the next trusted one to its right.
  for (std::size_t i = idx; i < chain.size(); ++i) {
    if (IsIpAddress(chain[i])) return chain[i];
  }
  return have_peer ? peer_addr : std::string();
}

std::string EndpointTemplate(std::string_view raw_path) {
  std::string out;
  out.reserve(raw_path.size());
  std::vector<std::string_view> segments = Split(raw_path, '/');
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    // Decode each segment on its own so an encoded '/' stays inside its segment.
    std::string seg = PercentDecode(segments[i], false);
    std::string_view cls = ClassifySegment(seg);
    if (cls.empty()) {
      out += seg;
    } else {
      out += cls;
    }
  }
  if (out.empty() || out.front() != '/') out.insert(out.begin(), '/');
  return out;
}

std::string CollectionFor(std::string_view host, const std::vector<CollectionRule>& rules) {
  std::string h = AsciiLowered(StripPort(host));
  for (const auto& rule : rules) {
    std::string_view pat = rule.host_pattern;
    if (pat.size() > 1 && pat[0] == '*' && pat[1] == '.') {
      std::string_view suffix = pat.substr(1);  // ".example.com"
      if (h.size() > suffix.size() &&
          EqualsIgnoreCase(std::string_view(h).substr(h.size() - suffix.size()), suffix)) {
        return rule.collection;
      }
    } else if (EqualsIgnoreCase(h, pat)) {
      return rule.collection;
    }
  }
  return h;
}

std::int32_t CollectionId(std::string_view collection) {
  // Stable across nodes and restarts; positive and never 0 (0 means "unknown" in Akto).
  std::int32_t id = static_cast<std::int32_t>(Fnv1a64(collection) & 0x7FFFFFFF);
  return id == 0 ? 1 : id;
}

void ParseUrlEncoded(std::string_view text, ParamLocation location, std::vector<Param>* out,
                     std::size_t max_params) {
  for (std::string_view piece : Split(text, '&')) {
    if (piece.empty()) continue;
    if (out->size() >= max_params) return;
    std::size_t eq = piece.find('=');
    std::string_view key = piece.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    out->push_back(Param{location, PercentDecode(key, true), PercentDecode(value, true)});
  }
}

namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The keys of a valid JSON text: its strings followed by ':'.
std::size_t CountJsonKeys(std::string_view text) {
  std::size_t keys = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '"') continue;
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\') ++i;
    }
    std::size_t j = i + 1;
    while (j < text.size() && IsJsonSpace(text[j])) ++j;
    if (j < text.size() && text[j] == ':') ++keys;
  }
  return keys;
}

}  // namespace

bool FlattenJson(std::string_view text, std::vector<Param>* out, std::size_t max_params,
                 int max_depth, bool* whole) {
  if (whole != nullptr) *whole = false;
  boost::json::parse_options opts;
  opts.max_depth = static_cast<std::size_t>(std::max(1, max_depth));
  opts.allow_invalid_utf8 = true;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec, {}, opts);
  if (ec) return false;
  std::string path;
  JsonShape shape;
  FlattenValue(v, path, out, max_params, &shape);
  // A walk cut short by the limit leaves the limit reached.
  if (whole != nullptr && out->size() < max_params) {
    *whole = !shape.empty_container && shape.members == CountJsonKeys(text);
  }
  return true;
}

void ParseCookies(std::string_view header, std::vector<Param>* out, std::size_t max_params) {
  for (std::string_view piece : Split(header, ';')) {
    piece = TrimSpace(piece);
    if (piece.empty()) continue;
    if (out->size() >= max_params) return;
    std::size_t eq = piece.find('=');
    std::string_view key = TrimSpace(piece.substr(0, eq));
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : TrimSpace(piece.substr(eq + 1));
    out->push_back(Param{ParamLocation::kCookie, std::string(key), PercentDecode(value, false)});
  }
}

View BuildView(const Exchange& exchange, const NormalizeOptions& options) {
  View view;
  view.exchange = &exchange;
  view.method = AsciiUppered(TrimSpace(exchange.method));

  std::string_view target = exchange.target;
  std::string_view host = exchange.host;
  // Absolute-form targets ("http://host/path") carry the host themselves.
  std::size_t scheme_end = target.find("://");
  if (scheme_end != std::string_view::npos && scheme_end < 8 && target.front() != '/') {
    std::string_view rest = target.substr(scheme_end + 3);
    std::size_t slash = rest.find_first_of("/?");
    if (host.empty()) host = rest.substr(0, slash);
    target = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
  }
  std::size_t hash = target.find('#');
  if (hash != std::string_view::npos) target = target.substr(0, hash);
  std::size_t qmark = target.find('?');
  view.raw_path = std::string(target.substr(0, qmark));
  if (qmark != std::string_view::npos) view.query = std::string(target.substr(qmark + 1));
  if (view.raw_path.empty()) view.raw_path = "/";
  view.path = PercentDecode(view.raw_path, false);

  for (const auto& h : exchange.request_headers) {
    view.request_headers.push_back(HeaderField{AsciiLowered(h.name), h.value});
  }
  for (const auto& h : exchange.response_headers) {
    view.response_headers.push_back(HeaderField{AsciiLowered(h.name), h.value});
  }
  if (host.empty()) host = view.RequestHeader("host");
  view.host = AsciiLowered(StripPort(host));

  view.endpoint_template = EndpointTemplate(view.raw_path);
  {
    std::vector<std::string_view> segs = Split(view.raw_path, '/');
    for (std::size_t i = 1; i < segs.size(); ++i) {
      if (segs[i].empty()) continue;
      AddParam(&view.params, options.max_params, ParamLocation::kPath, std::to_string(i - 1),
               PercentDecode(segs[i], false));
    }
  }

  ParseUrlEncoded(view.query, ParamLocation::kQuery, &view.params, options.max_params);
  for (const auto& h : view.request_headers) {
    if (h.name == "cookie") ParseCookies(h.value, &view.params, options.max_params);
  }

  const std::string& body = exchange.request_body;
  if (!body.empty()) {
    std::string_view media = MediaType(view.RequestHeader("content-type"));
    if (IsJsonMedia(media) || (media.empty() && LooksLikeJson(body))) {
      FlattenJson(body, &view.params, options.max_params, options.max_json_depth,
                  &view.request_json_whole);
    } else if (EqualsIgnoreCase(media, "application/x-www-form-urlencoded") ||
               (media.empty() && LooksLikeFormBody(body))) {
      ParseUrlEncoded(body, ParamLocation::kForm, &view.params, options.max_params);
    } else if (StartsWithIgnoreCase(media, "multipart/form-data")) {
      ParseMultipart(body, MultipartBoundary(view.RequestHeader("content-type")), &view.params,
                     options.max_params);
    } else if (IsXmlMediaType(media) || (media.empty() && LooksLikeXml(body))) {
      FlattenXml(body, &view.params, options.max_params, options.max_json_depth);
    } else if (LooksLikeJson(body)) {
      // Mislabelled JSON (text/plain and friends) is still JSON to the server behind.
      FlattenJson(body, &view.params, options.max_params, options.max_json_depth,
                  &view.request_json_whole);
    } else if (LooksLikeXml(body)) {
      FlattenXml(body, &view.params, options.max_params, options.max_json_depth);
    }
  }

  const std::string& resp = exchange.response_body;
  if (!resp.empty()) {
    std::string_view media = MediaType(view.ResponseHeader("content-type"));
    if (IsJsonMedia(media) || (media.empty() && LooksLikeJson(resp))) {
      FlattenJson(resp, &view.response_params, options.max_params, options.max_json_depth);
    }
  }

  std::vector<std::string_view> xff;
  for (const auto& h : view.request_headers) {
    if (h.name == "x-forwarded-for") xff.push_back(h.value);
  }
  view.client_ip = ClientIp(exchange.peer_ip, xff, options.trusted_proxies);

  view.collection = CollectionFor(view.host, options.collections);
  auto sensor_id = ParseInt64(exchange.collection_id);
  if (sensor_id && *sensor_id > 0 && *sensor_id <= 0x7FFFFFFF) {
    view.collection_id = static_cast<std::int32_t>(*sensor_id);
  } else {
    view.collection_id = CollectionId(view.collection);
  }

  view.actor_kind = ActorKind::kIp;
  view.actor_id = view.client_ip.empty() ? "unknown" : view.client_ip;
  ApplyActorIdentity(options.actor_identity, &view);
  return view;
}

namespace {

std::string HeadersJson(const Headers& headers) {
  boost::json::object obj;
  for (const auto& h : headers) {
    std::string name = SanitizeUtf8(h.name);
    std::string value = SanitizeUtf8(h.value);
    auto it = obj.find(name);
    if (it != obj.end()) {
      std::string joined(it->value().as_string().c_str());
      joined += ", ";
      joined += value;
      it->value() = joined;
    } else {
      obj[name] = value;
    }
  }
  return boost::json::serialize(obj);
}

boost::json::array HeaderList(const Headers& headers) {
  boost::json::array out;
  for (const auto& h : headers) {
    out.push_back(boost::json::array{boost::json::string(SanitizeUtf8(h.name)),
                                     boost::json::string(SanitizeUtf8(h.value))});
  }
  return out;
}

}  // namespace

std::string SampleJson(const Exchange& e) {
  boost::json::object o;
  o["method"] = SanitizeUtf8(e.method);
  o["path"] = SanitizeUtf8(e.target);
  o["type"] = SanitizeUtf8(e.http_version.empty() ? "HTTP/1.1" : e.http_version);
  o["requestHeaders"] = HeadersJson(e.request_headers);
  o["requestPayload"] = SanitizeUtf8(e.request_body);
  o["responseHeaders"] = HeadersJson(e.response_headers);
  o["responsePayload"] = SanitizeUtf8(e.response_body);
  o["ip"] = SanitizeUtf8(e.peer_ip);
  o["destIp"] = SanitizeUtf8(e.dest_ip);
  o["time"] = std::to_string(e.time_s);
  o["statusCode"] = std::to_string(e.status_code);
  o["status"] = SanitizeUtf8(e.status_text);
  o["akto_vxlan_id"] = SanitizeUtf8(e.collection_id.empty() ? "0" : e.collection_id);
  o["source"] = SanitizeUtf8(e.source);
  if (e.request_body_truncated) o["requestPayloadTruncated"] = "true";
  if (e.response_body_truncated) o["responsePayloadTruncated"] = "true";
  // Beyond Akto's record: headers in wire order with repeats, and the exact bytes of anything
  // that is not valid UTF-8, so an event's request can be replayed byte for byte.
  o["requestHeaderList"] = HeaderList(e.request_headers);
  o["responseHeaderList"] = HeaderList(e.response_headers);
  if (!IsValidUtf8(e.target)) o["pathBase64"] = Base64Encode(e.target);
  if (!IsValidUtf8(e.request_body)) o["requestPayloadBase64"] = Base64Encode(e.request_body);
  if (!IsValidUtf8(e.response_body)) o["responsePayloadBase64"] = Base64Encode(e.response_body);
  return boost::json::serialize(o);
}

}  // namespace warden

#include "normalize/multipart.h"

#include "common/strings.h"

namespace warden {

namespace {

constexpr std::size_t kMaxBoundary = 200;
constexpr std::size_t kMaxPartHeaders = 32;

// Splits "a; b=\"x;y\"; c" at ';' outside double quotes.
std::vector<std::string_view> SplitParams(std::string_view s) {
  std::vector<std::string_view> out;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted && c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ';' && !quoted) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

// Unquotes a parameter value: "a\"b" → a"b; a token is returned as is.
std::string Unquote(std::string_view v) {
  v = TrimSpace(v);
  if (v.size() < 2 || v.front() != '"') return std::string(v);
  std::string out;
  std::size_t end = v.back() == '"' ? v.size() - 1 : v.size();
  for (std::size_t i = 1; i < end; ++i) {
    if (v[i] == '\\' && i + 1 < end) ++i;
    out.push_back(v[i]);
  }
  return out;
}

struct Disposition {
  std::string name;
  std::string filename;
  bool has_filename = false;
};

Disposition ParseDisposition(std::string_view value) {
  Disposition d;
  std::vector<std::string_view> parts = SplitParams(value);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::string_view p = TrimSpace(parts[i]);
    std::size_t eq = p.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key = AsciiLowered(TrimSpace(p.substr(0, eq)));
    std::string_view raw = p.substr(eq + 1);
    if (key == "name") {
      d.name = Unquote(raw);
    } else if (key == "filename") {
      d.filename = Unquote(raw);
      d.has_filename = true;
    } else if (key == "filename*") {
      // RFC 5987: charset'lang'percent-encoded
      std::string v = Unquote(raw);
      std::size_t tick = v.find('\'');
      std::size_t tick2 = tick == std::string::npos ? std::string::npos : v.find('\'', tick + 1);
      d.filename = PercentDecode(tick2 == std::string::npos ? v : v.substr(tick2 + 1), false);
      d.has_filename = true;
    }
  }
  return d;
}

// The end of the line starting at `pos` (index of '\n' or size) and the start of the next.
std::size_t LineEnd(std::string_view s, std::size_t pos, std::size_t* next) {
  std::size_t nl = s.find('\n', pos);
  if (nl == std::string_view::npos) {
    *next = s.size();
    return s.size();
  }
  *next = nl + 1;
  return nl > pos && s[nl - 1] == '\r' ? nl - 1 : nl;
}

}  // namespace

std::string MultipartBoundary(std::string_view content_type) {
  std::vector<std::string_view> parts = SplitParams(content_type);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::string_view p = TrimSpace(parts[i]);
    std::size_t eq = p.find('=');
    if (eq == std::string_view::npos) continue;
    if (!EqualsIgnoreCase(TrimSpace(p.substr(0, eq)), "boundary")) continue;
    std::string b = Unquote(p.substr(eq + 1));
    if (b.empty() || b.size() > kMaxBoundary) return {};
    return b;
  }
  return {};
}

bool ParseMultipart(std::string_view body, std::string_view boundary, std::vector<Param>* out,
                    std::size_t max_params) {
  if (boundary.empty() || boundary.size() > kMaxBoundary) return false;
  const std::string delim = "--" + std::string(boundary);
  const std::string inner = "\n" + delim;  // a delimiter after the first starts a line
  std::size_t pos = 0;
  if (body.compare(0, delim.size(), delim) != 0) {
    std::size_t at = body.find(inner);
    if (at == std::string_view::npos) return false;
    pos = at + 1;
  }
  bool found = false;
  while (pos < body.size()) {
    // At a delimiter.
    pos += delim.size();
    if (body.compare(pos, 2, "--") == 0) break;  // close delimiter
    std::size_t next = 0;
    LineEnd(body, pos, &next);  // transport padding up to the line end
    pos = next;
    Disposition disp;
    bool has_disposition = false;
    for (std::size_t n = 0; pos < body.size(); ++n) {
      std::size_t end = LineEnd(body, pos, &next);
      std::string_view line = body.substr(pos, end - pos);
      pos = next;
      if (line.empty()) break;
      if (n >= kMaxPartHeaders) continue;
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      if (EqualsIgnoreCase(TrimSpace(line.substr(0, colon)), "content-disposition")) {
        disp = ParseDisposition(line.substr(colon + 1));
        has_disposition = true;
      }
    }
    std::size_t close = body.find(inner, pos);
    std::size_t content_end = close == std::string_view::npos ? body.size() : close;
    if (content_end > pos && close != std::string_view::npos && body[content_end - 1] == '\r') {
      --content_end;
    }
    std::string_view content =
        body.substr(pos, content_end > pos ? content_end - pos : 0);
    if (has_disposition) {
      found = true;
      if (out->size() >= max_params) return true;
      out->push_back(Param{ParamLocation::kMultipart, disp.name, std::string(content)});
      if (disp.has_filename) {
        if (out->size() >= max_params) return true;
        out->push_back(Param{ParamLocation::kMultipart, disp.name + ".filename", disp.filename});
      }
    }
    if (close == std::string_view::npos) break;
    pos = close + 1;
  }
  return found;
}

}  // namespace warden

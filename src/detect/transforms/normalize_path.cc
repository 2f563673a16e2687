#include <vector>

#include "common/strings.h"
#include "detect/transforms/transform.h"

namespace warden {

namespace {

// Whether `path` is already normal: no backslash, and no empty, "." or ".." segment but the
// empty ones before a leading '/' and after a trailing one. Most paths are; they are read once,
// without a copy.
bool IsNormalPath(std::string_view path) {
  if (path == "/") return true;
  const std::size_t begin = path.front() == '/' ? 1 : 0;
  const std::size_t end = path.size() > 1 && path.back() == '/' ? path.size() - 1 : path.size();
  if (begin >= end || path.find('\\') != std::string_view::npos) return false;
  std::string_view rest = path.substr(begin, end - begin);
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (slash == std::string_view::npos) return true;
    rest = rest.substr(slash + 1);
  }
}

}  // namespace

// "/a/./b/../../c//d\\e" → "/c/d/e". A '..' that would climb above an absolute root is dropped;
// in a relative path it is kept ("../../etc/passwd" stays), so the traversal stays visible.
// In a request target ("/path?query") only the path is normalized: a traversal inside a query
// value must not rewrite the path ("/files?name=../../etc/passwd" is not "/etc/passwd").
bool NormalizePathTransform(std::string_view in, std::string* out) {
  if (in.empty()) return false;
  std::string_view query;
  if (in.front() == '/') {
    std::size_t q = FindEither(in, '?', '#');
    if (q != std::string_view::npos) {
      query = in.substr(q);
      in = in.substr(0, q);
    }
  }
  if (IsNormalPath(in)) return false;
  std::string path(in);
  for (char& c : path) {
    if (c == '\\') c = '/';
  }
  const bool absolute = path.front() == '/';
  const bool trailing = path.size() > 1 && path.back() == '/';
  std::vector<std::string_view> kept;
  std::string_view rest = path;
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!kept.empty() && kept.back() != "..") {
        kept.pop_back();
      } else if (!absolute) {
        kept.push_back(seg);
      }
      continue;
    }
    kept.push_back(seg);
  }
  std::string result;
  result.reserve(path.size());
  if (absolute) result.push_back('/');
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) result.push_back('/');
    result.append(kept[i]);
  }
  if (trailing && !kept.empty()) result.push_back('/');
  if (result.empty()) result = ".";
  if (result == in) return false;
  result.append(query);
  *out = std::move(result);
  return true;
}

}  // namespace warden

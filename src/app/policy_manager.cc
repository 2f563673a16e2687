#include "app/policy_manager.h"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/log.h"
#include "common/strings.h"
#include "detect/policy/loader.h"
#include "normalize/normalize.h"

namespace warden {

namespace fs = std::filesystem;

namespace {

constexpr char kStateFile[] = "policy-state.json";

Result<std::string> ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Status::IoError("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteAtomically(const fs::path& p, const std::string& text) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  fs::path tmp = p;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot write " + tmp.string());
    out << text;
    if (!out) return Status::IoError("cannot write " + tmp.string());
  }
  fs::rename(tmp, p, ec);
  if (ec) return Status::IoError("cannot rename " + tmp.string() + ": " + ec.message());
  return Status::Ok();
}

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!IsAsciiAlnum(u) && c != '_' && c != '-' && c != '.') return false;
  }
  return id.front() != '.';
}

// Adds the records of every policy in a YAML file.
Status AddFile(const std::string& text, const std::string& source, bool builtin,
               std::vector<PolicyRecord>* out) {
  auto parsed = ParsePolicies(text, source);
  if (!parsed.ok()) return parsed.status();
  for (auto& p : *parsed) {
    PolicyRecord r;
    r.policy = std::move(p);
    r.yaml = text;
    r.builtin = builtin;
    r.source = source;
    out->push_back(std::move(r));
  }
  return Status::Ok();
}

// Later records with an id replace earlier ones (user files override built-ins).
std::vector<PolicyRecord> Overlay(std::vector<PolicyRecord> in) {
  std::vector<PolicyRecord> out;
  for (auto& r : in) {
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const PolicyRecord& o) { return o.policy.id == r.policy.id; });
    if (it != out.end()) {
      *it = std::move(r);
    } else {
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace

PolicyManager::PolicyManager(PolicyManagerOptions options, ApplyFn apply)
    : options_(std::move(options)), apply_(std::move(apply)) {}

std::string PolicyManager::UserFile(const std::string& id) const {
  return (fs::path(options_.user_dir) / (id + ".yaml")).string();
}

Result<std::vector<PolicyRecord>> PolicyManager::LoadLocked() {
  std::vector<PolicyRecord> all;
  if (options_.builtin) {
    for (const auto& f : BuiltinPolicyFiles()) {
      WARDEN_RETURN_IF_ERROR(AddFile(f.contents, "builtin:" + f.name, true, &all));
    }
  }
  std::vector<PolicyRecord> extra;
  for (const auto& dir : options_.extra_dirs) {
    auto loaded = LoadPolicies({fs::path(dir)});
    if (!loaded.ok()) return loaded.status();
    for (auto& p : *loaded) {
      PolicyRecord r;
      auto text = ReadText(p.source.file);
      r.yaml = text.ok() ? *text : std::string();
      r.source = p.source.file;
      r.policy = std::move(p);
      extra.push_back(std::move(r));
    }
  }
  WARDEN_RETURN_IF_ERROR(CheckUniqueIds([&] {
    std::vector<Policy> ps;
    for (const auto& r : extra) ps.push_back(r.policy);
    return ps;
  }()));
  for (auto& r : extra) all.push_back(std::move(r));

  disabled_.clear();
  if (!options_.user_dir.empty() && fs::is_directory(options_.user_dir)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(options_.user_dir)) {
      if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto text = ReadText(f);
      if (!text.ok()) return text.status();
      WARDEN_RETURN_IF_ERROR(AddFile(*text, "user:" + f.filename().string(), false, &all));
    }
    auto state = ReadText(fs::path(options_.user_dir) / kStateFile);
    if (state.ok()) {
      boost::system::error_code ec;
      auto v = boost::json::parse(*state, ec);
      if (!ec && v.is_object()) {
        if (const auto* d = v.as_object().if_contains("disabled"); d && d->is_array()) {
          for (const auto& x : d->as_array()) {
            if (x.is_string()) disabled_.insert(std::string(x.as_string()));
          }
        }
      }
    }
  }
  auto records = Overlay(std::move(all));
  for (auto& r : records) r.enabled = disabled_.count(r.policy.id) == 0;
  return records;
}

Status PolicyManager::ApplyLocked(const std::vector<PolicyRecord>& records) {
  std::vector<Policy> enabled;
  for (const auto& r : records) {
    if (r.enabled) enabled.push_back(r.policy);
  }
  auto compiled = CompilePolicies(std::move(enabled));
  if (!compiled.ok()) return compiled.status();
  current_ = *compiled;
  if (apply_) apply_(current_);
  return Status::Ok();
}

Status PolicyManager::SaveStateLocked() const {
  if (options_.user_dir.empty()) return Status::FailedPrecondition("no writable policy directory");
  boost::json::array d;
  for (const auto& id : disabled_) d.push_back(boost::json::string(id));
  boost::json::object o;
  o["disabled"] = std::move(d);
  return WriteAtomically(fs::path(options_.user_dir) / kStateFile, boost::json::serialize(o));
}

Result<std::size_t> PolicyManager::Reload() {
  std::lock_guard<std::mutex> lock(mu_);
  auto records = LoadLocked();
  if (!records.ok()) return records.status();
  WARDEN_RETURN_IF_ERROR(ApplyLocked(*records));
  records_ = std::move(records).value();
  return current_->policies().size();
}

std::vector<PolicyRecord> PolicyManager::List() {
  std::lock_guard<std::mutex> lock(mu_);
  return records_;
}

Result<PolicyRecord> PolicyManager::Get(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& r : records_) {
    if (r.policy.id == id) return r;
  }
  return Status::NotFound("no policy with id '" + id + "'");
}

Result<PolicyRecord> PolicyManager::Put(const std::string& id, const std::string& yaml,
                                        const std::string& by) {
  std::lock_guard<std::mutex> lock(mu_);
  if (options_.user_dir.empty()) {
    return Status::FailedPrecondition("this server has no writable policy directory");
  }
  auto parsed = ParsePolicies(yaml, "policy");
  if (!parsed.ok()) return parsed.status();
  if (parsed->size() != 1) {
    return Status::InvalidArgument("yaml: expected exactly one policy document, got " +
                                       std::to_string(parsed->size()),
                                   "yaml");
  }
  const std::string& new_id = (*parsed)[0].id;
  if (!ValidId(new_id)) {
    return Status::InvalidArgument("id: use letters, digits, '_', '-' and '.' (at most 128)", "id");
  }
  bool exists = std::any_of(records_.begin(), records_.end(),
                            [&](const PolicyRecord& r) { return r.policy.id == new_id; });
  if (id.empty() && exists) {
    return Status::AlreadyExists("a policy with id '" + new_id + "' exists; use PUT to replace");
  }
  if (!id.empty() && id != new_id) {
    return Status::InvalidArgument("id: the YAML says '" + new_id + "' but the URL says '" + id +
                                       "'",
                                   "id");
  }
  // Write, reload, and roll back the file if the whole set does not compile.
  fs::path file = UserFile(new_id);
  auto previous = ReadText(file);
  WARDEN_RETURN_IF_ERROR(WriteAtomically(file, yaml));
  auto records = LoadLocked();
  Status st = records.ok() ? ApplyLocked(*records) : records.status();
  if (!st.ok()) {
    if (previous.ok()) {
      WriteAtomically(file, *previous);
    } else {
      std::error_code ec;
      fs::remove(file, ec);
    }
    auto restored = LoadLocked();
    if (restored.ok()) records_ = std::move(restored).value();
    return st;
  }
  records_ = std::move(records).value();
  spdlog::info("policy {} {} by {}", new_id, exists ? "replaced" : "created", by);
  for (const auto& r : records_) {
    if (r.policy.id == new_id) return r;
  }
  return Status::Internal("policy vanished after saving");
}

Status PolicyManager::Delete(const std::string& id, const std::string& by) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find_if(records_.begin(), records_.end(),
                         [&](const PolicyRecord& r) { return r.policy.id == id; });
  if (it == records_.end()) return Status::NotFound("no policy with id '" + id + "'");
  if (it->source.rfind("user:", 0) != 0) {
    return Status::FailedPrecondition("policy '" + id +
                                      "' is not a user policy; disable it instead");
  }
  std::error_code ec;
  fs::remove(UserFile(id), ec);
  if (ec) return Status::IoError("cannot delete " + UserFile(id) + ": " + ec.message());
  auto records = LoadLocked();
  if (!records.ok()) return records.status();
  WARDEN_RETURN_IF_ERROR(ApplyLocked(*records));
  records_ = std::move(records).value();
  spdlog::info("policy {} deleted by {}", id, by);
  return Status::Ok();
}

Status PolicyManager::SetEnabled(const std::string& id, bool enabled, const std::string& by) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find_if(records_.begin(), records_.end(),
                         [&](const PolicyRecord& r) { return r.policy.id == id; });
  if (it == records_.end()) return Status::NotFound("no policy with id '" + id + "'");
  if (it->enabled == enabled) return Status::Ok();
  it->enabled = enabled;
  Status st = ApplyLocked(records_);
  if (!st.ok()) {
    it->enabled = !enabled;
    return st;
  }
  if (enabled) {
    disabled_.erase(id);
  } else {
    disabled_.insert(id);
  }
  WARDEN_RETURN_IF_ERROR(SaveStateLocked());
  spdlog::info("policy {} {} by {}", id, enabled ? "enabled" : "disabled", by);
  return Status::Ok();
}

Result<std::vector<Finding>> PolicyManager::Test(const std::string& yaml, const std::string& id,
                                                 const Exchange& exchange) {
  std::shared_ptr<const CompiledPolicySet> set;
  if (!yaml.empty()) {
    auto parsed = ParsePolicies(yaml, "policy");
    if (!parsed.ok()) return parsed.status();
    auto compiled = CompilePolicies(std::move(parsed).value());
    if (!compiled.ok()) return compiled.status();
    set = *compiled;
  } else if (!id.empty()) {
    auto r = Get(id);
    if (!r.ok()) return r.status();
    auto compiled = CompilePolicies({r->policy});
    if (!compiled.ok()) return compiled.status();
    set = *compiled;
  } else {
    set = current();
    if (!set) return Status::FailedPrecondition("no policies loaded");
  }
  View view = BuildView(exchange, NormalizeOptions{});
  ScanScratch scratch;
  std::vector<Finding> findings;
  set->Scan(view, scratch, &findings);
  return findings;
}

std::shared_ptr<const CompiledPolicySet> PolicyManager::current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

}  // namespace warden

#include "behave/windows.h"

#include <algorithm>
#include <boost/json.hpp>
#include <functional>
#include <unordered_set>

namespace warden {

namespace json = boost::json;

namespace {

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

WindowTable::WindowTable(Options options) : options_(options) {
  if (options_.shards == 0) options_.shards = 1;
  if (options_.max_samples < 0) options_.max_samples = 0;
  for (std::size_t i = 0; i < options_.shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

std::string WindowTable::Key(std::string_view actor, std::string_view policy,
                             std::string_view rule) {
  std::string k(actor);
  k += '\0';
  k += policy;
  k += '\0';
  k += rule;
  return k;
}

WindowTable::Shard& WindowTable::ShardFor(std::string_view actor) {
  return *shards_[std::hash<std::string_view>{}(actor) % shards_.size()];
}

std::string WindowTable::Serialize(const Window& w) {
  json::object o;
  o["w"] = w.window_minutes;
  o["d"] = w.distinct;
  o["c"] = w.cooldown_until;
  o["u"] = w.updated_at;
  json::array samples;
  for (const auto& s : w.samples) samples.emplace_back(s);
  o["s"] = std::move(samples);
  json::array bins;
  for (const Bin& b : w.bins) {
    json::array values;
    for (const auto& v : b.values) values.emplace_back(v);
    bins.push_back(json::array{b.minute, b.count, std::move(values)});
  }
  o["b"] = std::move(bins);
  return json::serialize(o);
}

WindowSnapshot WindowTable::Snapshot(std::string_view actor, std::string_view policy,
                                     std::string_view rule, const Window& w) const {
  return WindowSnapshot{.actor = std::string(actor),
                        .policy_id = std::string(policy),
                        .rule = std::string(rule),
                        .state = Serialize(w),
                        .version = w.version,
                        .updated_at = w.updated_at};
}

WindowResult WindowTable::Observe(const WindowHit& hit) {
  WindowResult out;
  if (hit.rule == nullptr) return out;
  const WindowRule& rule = *hit.rule;
  const std::int64_t span = std::max(1, rule.window_minutes);
  const std::int64_t minute = FloorDiv(hit.at, 60);
  const std::size_t threshold = static_cast<std::size_t>(std::max(1, rule.Threshold()));

  Shard& shard = ShardFor(hit.actor);
  std::lock_guard<std::mutex> lock(shard.mu);
  Window& w = shard.windows[Key(hit.actor, hit.policy_id, rule.name)];
  w.window_minutes = static_cast<int>(span);
  w.distinct = rule.distinct.has_value();

  std::int64_t newest = w.bins.empty() ? minute : std::max(minute, w.bins.back().minute);
  std::int64_t start = newest - span + 1;
  while (!w.bins.empty() && w.bins.front().minute < start) w.bins.pop_front();

  bool counted = hit.counts && minute >= start && (!w.distinct || !hit.distinct_value.empty());
  if (counted) {
    auto it = std::lower_bound(w.bins.begin(), w.bins.end(), minute,
                               [](const Bin& b, std::int64_t m) { return b.minute < m; });
    if (it == w.bins.end() || it->minute != minute) it = w.bins.insert(it, Bin{.minute = minute});
    ++it->count;
    if (w.distinct && it->values.size() < threshold &&
        std::find(it->values.begin(), it->values.end(), hit.distinct_value) == it->values.end()) {
      it->values.emplace_back(hit.distinct_value);
    }
  }
  if (!hit.sample_ref.empty() && options_.max_samples > 0) {
    w.samples.emplace_front(hit.sample_ref);
    while (w.samples.size() > static_cast<std::size_t>(options_.max_samples)) {
      w.samples.pop_back();
    }
  }

  if (w.distinct) {
    std::unordered_set<std::string_view> seen;
    for (const Bin& b : w.bins) {
      for (const auto& v : b.values) seen.insert(v);
    }
    out.observed = static_cast<std::int64_t>(seen.size());
  } else {
    for (const Bin& b : w.bins) out.observed += b.count;
  }

  w.updated_at = std::max(w.updated_at, hit.at);
  ++w.version;
  if (out.observed >= static_cast<std::int64_t>(threshold) && hit.may_breach &&
      hit.at >= w.cooldown_until) {
    out.breached = true;
    out.sample_refs.assign(w.samples.begin(), w.samples.end());
    w.bins.clear();
    w.samples.clear();
    w.cooldown_until = hit.at + static_cast<std::int64_t>(rule.EffectiveCooldownMinutes()) * 60;
  }
  out.snapshot = Snapshot(hit.actor, hit.policy_id, rule.name, w);
  return out;
}

Status WindowTable::Restore(const WindowSnapshot& snapshot) {
  auto bad = [&](const char* what) {
    return Status::InvalidArgument("window " + snapshot.actor + "/" + snapshot.policy_id + "/" +
                                   snapshot.rule + ": " + what);
  };
  boost::system::error_code ec;
  json::value v = json::parse(snapshot.state, ec);
  if (ec || !v.is_object()) return bad("state is not a JSON object");
  const json::object& o = v.as_object();
  Window w;
  try {
    w.window_minutes = static_cast<int>(o.at("w").to_number<std::int64_t>());
    w.distinct = o.at("d").as_bool();
    w.cooldown_until = o.at("c").to_number<std::int64_t>();
    w.updated_at = o.at("u").to_number<std::int64_t>();
    for (const auto& s : o.at("s").as_array()) w.samples.emplace_back(s.as_string().c_str());
    for (const auto& b : o.at("b").as_array()) {
      const json::array& a = b.as_array();
      Bin bin;
      bin.minute = a.at(0).to_number<std::int64_t>();
      bin.count = a.at(1).to_number<std::int64_t>();
      for (const auto& x : a.at(2).as_array()) bin.values.emplace_back(x.as_string().c_str());
      w.bins.push_back(std::move(bin));
    }
  } catch (const std::exception&) {
    return bad("state has an unexpected shape");
  }
  std::sort(w.bins.begin(), w.bins.end(),
            [](const Bin& a, const Bin& b) { return a.minute < b.minute; });
  w.version = snapshot.version;
  Shard& shard = ShardFor(snapshot.actor);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto [it, fresh] =
      shard.windows.try_emplace(Key(snapshot.actor, snapshot.policy_id, snapshot.rule));
  if (!fresh && it->second.version >= snapshot.version) return Status::Ok();
  it->second = std::move(w);
  return Status::Ok();
}

std::size_t WindowTable::Sweep(std::int64_t now) {
  std::size_t dropped = 0;
  std::int64_t now_minute = FloorDiv(now, 60);
  for (auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mu);
    for (auto it = shard->windows.begin(); it != shard->windows.end();) {
      const Window& w = it->second;
      bool bins_idle =
          w.bins.empty() || w.bins.back().minute < now_minute - std::max(1, w.window_minutes) + 1;
      if (bins_idle && w.cooldown_until <= now) {
        it = shard->windows.erase(it);
        ++dropped;
      } else {
        ++it;
      }
    }
  }
  return dropped;
}

std::size_t WindowTable::size() const {
  std::size_t n = 0;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mu);
    n += shard->windows.size();
  }
  return n;
}

}  // namespace warden

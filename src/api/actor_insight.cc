#include "api/actor_insight.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string_view>
#include <vector>

#include "common/strings.h"

namespace warden {

namespace {

constexpr std::size_t kMaxShown = 80;  // bytes of one attacker-controlled string in the text

std::string Shown(std::string_view s) {
  std::string v = SanitizeUtf8(s);
  std::string_view cut = TruncateUtf8(v, kMaxShown);
  if (cut.size() < v.size()) return std::string(cut) + "…";
  return v;
}

std::string Plural(std::int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string PolicyName(const ActorInsightInput& in, const std::string& id) {
  if (in.policy_names != nullptr) {
    auto it = in.policy_names->find(id);
    if (it != in.policy_names->end() && !it->second.empty()) return Shown(it->second);
  }
  return Shown(id);
}

std::int64_t CountOf(const std::vector<KeyCount>& v, std::string_view key) {
  for (const KeyCount& k : v) {
    if (k.key == key) return k.count;
  }
  return 0;
}

// "a (3), b (2) and c (1)" from the first `n` entries.
std::string TopList(const std::vector<KeyCount>& v, std::size_t n,
                    const std::function<std::string(const std::string&)>& name) {
  std::string out;
  std::size_t shown = std::min(n, v.size());
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += i + 1 == shown ? " and " : ", ";
    out += name(v[i].key) + " (" + std::to_string(v[i].count) + ")";
  }
  return out;
}

std::string Duration(std::int64_t seconds) {
  if (seconds % 86400 == 0) return Plural(seconds / 86400, "day", "days");
  return Plural(seconds / 3600, "hour", "hours");
}

}  // namespace

ActorInsight DescribeActor(const ActorInsightInput& in) {
  const Actor& a = in.detail->actor;
  const ActorEventBreakdown& ev = *in.events;
  ActorInsight out;
  std::string& t = out.text;
  auto same = [](const std::string& s) { return Shown(s); };

  // What.
  std::string who = std::string(a.kind == ActorKind::kUser ? "User" : "IP") + " actor " +
                    Shown(a.id);
  if (ev.events == 0) {
    t += who + " has no threat events in the last " + Plural(in.window_days, "day", "days") +
         " (" + Plural(a.event_count, "event", "events") + " in total).";
  } else {
    t += who + " triggered " + Plural(ev.events, "threat event", "threat events");
    if (ev.detections > ev.events) t += " (" + std::to_string(ev.detections) + " detections)";
    t += " in the last " + Plural(in.window_days, "day", "days") + " from " +
         Plural(static_cast<std::int64_t>(ev.policies.size()), "policy", "policies") +
         (ev.policies.size() == 1 ? ": " : ", mostly ") +
         TopList(ev.policies, 2, [&](const std::string& id) { return PolicyName(in, id); }) +
         ".";
    std::int64_t critical = CountOf(ev.severities, "CRITICAL");
    std::int64_t high = CountOf(ev.severities, "HIGH");
    if (critical + high > 0) {
      t += " " + std::to_string(critical) + " of them CRITICAL and " + std::to_string(high) +
           " HIGH.";
    } else {
      t += " None was HIGH or CRITICAL.";
    }
    if (ev.successful_exploits > 0) {
      t += " " + Plural(ev.successful_exploits, "attack", "attacks") +
           " succeeded: the response shows the exploit worked.";
    } else {
      t += " No attack is known to have succeeded.";
    }
  }

  // Where.
  if (ev.events > 0) {
    t += " It targeted " +
         Plural(static_cast<std::int64_t>(ev.hosts.size()), "host", "hosts") +
         (ev.hosts.empty() ? "" : " (" + TopList(ev.hosts, 2, same) + ")") + " and " +
         Plural(static_cast<std::int64_t>(ev.endpoints.size()), "endpoint", "endpoints") +
         (ev.endpoints.empty() ? "" : ", most often " + Shown(ev.endpoints.front().key)) + ".";
  }
  std::int64_t ips = std::max(a.ip_count, static_cast<std::int64_t>(in.detail->ips.size()));
  if (ips > 0) {
    t += " It came from " + Plural(ips, "IP address", "IP addresses");
    if (!in.detail->countries.empty()) {
      std::string countries;
      for (std::size_t i = 0; i < in.detail->countries.size() && i < 5; ++i) {
        countries += (i == 0 ? "" : ", ") + Shown(in.detail->countries[i]);
      }
      if (in.detail->countries.size() > 5) countries += " and others";
      t += " in " + countries;
    }
    std::vector<std::string> notes;
    for (const ActorIp& ip : in.detail->ips) {
      if (!ip.info.ip_type.empty()) {
        std::string note = Shown(ip.info.ip_type) + " network";
        if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
      }
      if (ip.info.reputation == "high" || ip.info.reputation == "critical") {
        std::string note = Shown(ip.info.reputation) + "-risk reputation";
        if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
      }
    }
    if (!notes.empty()) {
      t += " (";
      for (std::size_t i = 0; i < notes.size() && i < 3; ++i) t += (i == 0 ? "" : ", ") + notes[i];
      t += ")";
    }
    t += ".";
  }

  // How severe.
  t += " Its threat score is " + std::to_string(static_cast<std::int64_t>(std::lround(a.score))) +
       " (" + std::string(ThreatLevelName(a.threat_level)) + ") and its status " +
       std::string(ActorStatusName(a.status));
  if (a.status_expires_at > 0) {
    std::int64_t left = a.status_expires_at - in.now;
    if (left > 0) t += " for another " + Duration(left >= 3600 ? left : 3600);
  }
  t += ".";

  // What to do.
  bool blocked = a.status == ActorStatus::kDeny || a.status == ActorStatus::kSuspend;
  out.recommended_status = a.status;
  if (blocked) {
    t += " It is blocked already; keep it so while its events continue.";
  } else if (a.status == ActorStatus::kAllow || a.status == ActorStatus::kSnooze) {
    t += " It is allowed (" + std::string(ActorStatusName(a.status)) +
         "): it is not blocked whatever it does. Check that this is still wanted.";
  } else if (a.threat_level == ThreatLevel::kCritical || ev.successful_exploits > 0) {
    out.recommended_status = ActorStatus::kDeny;
    t += " Recommended: DENY it (or SUSPEND it for up to a week while you investigate)";
    t += ev.successful_exploits > 0 ? ", and review the successful exploits first." : ".";
  } else if (a.threat_level == ThreatLevel::kHigh) {
    out.recommended_status = ActorStatus::kSuspend;
    out.recommended_duration = 86400;
    t += " Recommended: SUSPEND it for a day and review its events.";
  } else if (a.threat_level == ThreatLevel::kMedium) {
    out.recommended_status = ActorStatus::kActive;
    t += " Recommended: keep watching it; SUSPEND it if the attacks go on.";
  } else if (a.status == ActorStatus::kMonitored) {
    t += " It has only triggered monitor-mode policies so far: no action is needed yet.";
  } else if (ev.events > 0 && a.status != ActorStatus::kResolved) {
    out.recommended_status = ActorStatus::kResolved;
    t += " Recommended: review its events and mark it RESOLVED when they are explained.";
  } else {
    t += " No action is needed now.";
  }
  return out;
}

}  // namespace warden

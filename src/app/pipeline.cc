#include "app/pipeline.h"

#include <chrono>
#include <map>
#include <tuple>
#include <unordered_map>

#include "actors/status.h"
#include "behave/event_builder.h"
#include "behave/exploit.h"
#include "common/ids.h"
#include "common/log.h"
#include "detect/evaluator.h"
#include "detect/scratch.h"

namespace warden {

// Completion state shared by the chunks of one Submit() call.
struct Pipeline::Ticket {
  std::atomic<std::size_t> remaining{0};
  std::function<void(Status)> done;
  std::mutex mu;
  Status first_error;  // guarded by mu

  void Finish(const Status& st) {
    if (!st.ok()) {
      std::lock_guard<std::mutex> lock(mu);
      if (first_error.ok()) first_error = st;
    }
    if (remaining.fetch_sub(1) == 1) {
      Status result;
      {
        std::lock_guard<std::mutex> lock(mu);
        result = first_error;
      }
      if (done) done(result);
    }
  }
};

// What the writer needs to know about an event beyond the event itself.
struct EventSide {
  ActorKind kind = ActorKind::kIp;
  IpInfo ip_info;
  bool monitor_only = false;
};

// What the workers hand to the writer for one chunk. `events` and `sides` run in parallel.
struct Pipeline::Processed {
  WriteBatch batch;
  std::vector<EventSide> sides;
  std::size_t exchanges = 0;
  std::shared_ptr<Ticket> ticket;
};

namespace {

using EndpointTuple = std::tuple<std::int32_t, std::string, std::string, std::string>;

EndpointTuple Tuple(const EndpointKey& k) {
  return {k.collection_id, k.host, k.method, k.endpoint_template};
}

void AddRollup(EndpointRollup* into, const EndpointRollup& d) {
  into->requests += d.requests;
  into->status_2xx += d.status_2xx;
  into->status_3xx += d.status_3xx;
  into->status_4xx += d.status_4xx;
  into->status_5xx += d.status_5xx;
  into->status_other += d.status_other;
  into->bytes_in += d.bytes_in;
  into->bytes_out += d.bytes_out;
}

// Merges rollups with equal keys so one transaction updates each row once; likewise actor
// calls, sightings (newest wins), suppression hits and window snapshots (newest version wins).
void MergeBatch(WriteBatch* b) {
  std::map<std::pair<EndpointTuple, std::int64_t>, EndpointRollup> by_key;
  for (auto& r : b->rollups) {
    auto [it, fresh] = by_key.try_emplace({Tuple(r.endpoint), r.minute}, r);
    if (!fresh) AddRollup(&it->second, r);
  }
  b->rollups.clear();
  for (auto& [k, v] : by_key) b->rollups.push_back(std::move(v));

  std::map<std::tuple<EndpointTuple, std::string, std::int64_t>, ActorCallRollup> calls_by_key;
  for (auto& c : b->actor_calls) {
    auto [it, fresh] = calls_by_key.try_emplace({Tuple(c.endpoint), c.actor, c.minute}, c);
    if (!fresh) it->second.requests += c.requests;
  }
  b->actor_calls.clear();
  for (auto& [k, v] : calls_by_key) b->actor_calls.push_back(std::move(v));

  std::map<std::tuple<std::string, std::string, std::string>, ActorSighting> sightings;
  for (auto& g : b->sightings) {
    auto [it, fresh] = sightings.try_emplace({g.actor, g.ip, g.host}, g);
    if (!fresh && g.at > it->second.at) it->second = std::move(g);
  }
  b->sightings.clear();
  for (auto& [k, v] : sightings) b->sightings.push_back(std::move(v));

  std::map<std::string, SuppressionHit> hits;
  for (auto& h : b->suppression_hits) {
    auto [it, fresh] = hits.try_emplace(h.suppression_id, h);
    if (!fresh) {
      it->second.count += h.count;
      it->second.last_at = std::max(it->second.last_at, h.last_at);
    }
  }
  b->suppression_hits.clear();
  for (auto& [k, v] : hits) b->suppression_hits.push_back(std::move(v));

  std::map<std::tuple<std::string, std::string, std::string>, WindowRow> windows;
  for (auto& w : b->windows) {
    auto [it, fresh] = windows.try_emplace({w.actor, w.policy_id, w.rule}, w);
    if (!fresh && w.version > it->second.version) it->second = std::move(w);
  }
  b->windows.clear();
  for (auto& [k, v] : windows) b->windows.push_back(std::move(v));
}

template <typename T>
void Append(std::vector<T>* into, std::vector<T>* from) {
  into->insert(into->end(), std::make_move_iterator(from->begin()),
               std::make_move_iterator(from->end()));
}

// Whether the policy's named sub-filter (`success_filter` / `failure_filter`) matches the view.
// Runs on the scratch Scan() just used for this view.
bool NamedFilterMatches(const Policy& policy, const std::string& name, const View& view,
                        ScanScratch& scratch) {
  const std::optional<Condition>* c = nullptr;
  if (name == "success_filter") c = &policy.success_filter;
  if (name == "failure_filter") c = &policy.failure_filter;
  if (c == nullptr || !c->has_value()) return false;
  Evaluator eval(view, scratch.impl());
  return eval.Matches(**c, nullptr);
}

WindowRow ToRow(WindowSnapshot s) {
  return WindowRow{std::move(s.actor), std::move(s.policy_id),
                   std::move(s.rule),  std::move(s.state),
                   s.version,          s.updated_at};
}

}  // namespace

Pipeline::Pipeline(Store* store, const Enricher* enricher, const Clock* clock,
                   PipelineOptions options)
    : store_(store),
      enricher_(enricher),
      clock_(clock),
      options_(std::move(options)),
      suppressions_(std::make_shared<SuppressionSet>()),
      windows_(WindowTable::Options{.shards = options_.window_shards,
                                    .max_samples = options_.aggregation.max_samples}),
      folder_(options_.burst_interval_seconds) {
  if (options_.workers <= 0) {
    options_.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  if (options_.chunk_size == 0) options_.chunk_size = 64;
  if (options_.maintenance_interval_seconds <= 0) options_.maintenance_interval_seconds = 60;
}

Pipeline::~Pipeline() { Stop(); }

void Pipeline::SetPolicies(std::shared_ptr<const CompiledPolicySet> policies) {
  auto book = std::make_shared<RuleBook>();
  if (policies) {
    for (const Policy& p : policies->policies()) {
      std::vector<WindowRule> rules = WindowRulesFor(p, options_.aggregation);
      if (!rules.empty()) book->rules.emplace(p.id, std::move(rules));
    }
  }
  book->set = std::move(policies);
  std::lock_guard<std::mutex> lock(policies_mu_);
  rules_ = std::move(book);
}

std::shared_ptr<const CompiledPolicySet> Pipeline::policies() const {
  std::lock_guard<std::mutex> lock(policies_mu_);
  return rules_ ? rules_->set : nullptr;
}

std::shared_ptr<const Pipeline::RuleBook> Pipeline::rules() const {
  std::lock_guard<std::mutex> lock(policies_mu_);
  return rules_;
}

std::shared_ptr<const SuppressionSet> Pipeline::suppressions() const {
  std::lock_guard<std::mutex> lock(suppressions_mu_);
  return suppressions_;
}

Status Pipeline::ReloadSuppressions() {
  auto rules = store_->ListSuppressions(false);
  if (!rules.ok()) return rules.status();
  auto set = std::make_shared<const SuppressionSet>(std::move(rules).value());
  std::lock_guard<std::mutex> lock(suppressions_mu_);
  suppressions_ = std::move(set);
  return Status::Ok();
}

void Pipeline::Start() {
  {
    std::lock_guard<std::mutex> lock(in_mu_);
    if (started_) return;
  }
  auto windows = store_->LoadWindows();
  if (windows.ok()) {
    std::size_t bad = 0;
    for (auto& row : *windows) {
      Status st = windows_.Restore(WindowSnapshot{row.actor, row.policy_id, row.rule, row.state,
                                                  row.version, row.updated_at});
      if (!st.ok()) ++bad;
    }
    windows_.Sweep(clock_->NowSeconds());
    if (!windows->empty()) {
      spdlog::info("aggregation windows restored: {} ({} unreadable)", windows_.size(), bad);
    }
  } else {
    spdlog::error("aggregation windows not restored: {}", windows.status().ToString());
  }
  Status st = ReloadSuppressions();
  if (!st.ok()) spdlog::error("suppression rules not loaded: {}", st.ToString());
  std::int64_t now = clock_->NowSeconds();
  next_maintenance_ = now + options_.maintenance_interval_seconds;
  // The first retention run comes one interval after start, not at once: a replay of old
  // traffic started with the server is not deleted while it is being looked at.
  next_retention_ = now + options_.retention_interval_seconds;

  std::lock_guard<std::mutex> lock(in_mu_);
  if (started_) return;
  started_ = true;
  workers_running_ = options_.workers;
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  writer_ = std::thread([this] { WriterLoop(); });
}

void Pipeline::Stop() {
  {
    std::lock_guard<std::mutex> lock(in_mu_);
    if (!started_ || stopping_) return;
    stopping_ = true;
  }
  in_cv_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
  out_cv_.notify_all();
  if (writer_.joinable()) writer_.join();
}

Status Pipeline::Submit(std::vector<Exchange> exchanges, std::function<void(Status)> done) {
  std::size_t n = exchanges.size();
  if (n == 0) {
    if (done) done(Status::Ok());
    return Status::Ok();
  }
  auto ticket = std::make_shared<Ticket>();
  ticket->done = std::move(done);
  std::vector<Chunk> chunks;
  for (std::size_t i = 0; i < n; i += options_.chunk_size) {
    Chunk c;
    std::size_t end = std::min(n, i + options_.chunk_size);
    c.exchanges.assign(std::make_move_iterator(exchanges.begin() + static_cast<long>(i)),
                       std::make_move_iterator(exchanges.begin() + static_cast<long>(end)));
    c.ticket = ticket;
    chunks.push_back(std::move(c));
  }
  ticket->remaining = chunks.size();
  {
    std::lock_guard<std::mutex> lock(in_mu_);
    if (!started_ || stopping_) return Status::Unavailable("pipeline is not running");
    if (queued_exchanges_ + n > options_.queue_capacity) {
      refused_ += n;
      return Status::ResourceExhausted("ingest queue full (" + std::to_string(queued_exchanges_) +
                                       " exchanges waiting); retry later");
    }
    queued_exchanges_ += n;
    for (auto& c : chunks) in_queue_.push_back(std::move(c));
  }
  accepted_ += n;
  in_cv_.notify_all();
  return Status::Ok();
}

Pipeline::Processed Pipeline::Process(Chunk& chunk, ScanScratch& scratch) {
  Processed out;
  out.ticket = chunk.ticket;
  out.exchanges = chunk.exchanges.size();
  std::shared_ptr<const RuleBook> book = rules();
  std::shared_ptr<const SuppressionSet> hidden = suppressions();
  const CompiledPolicySet* policies = book ? book->set.get() : nullptr;
  std::int64_t now = clock_->NowSeconds();
  std::vector<Finding> findings;
  std::unordered_map<std::string, SuppressionHit> hits;
  for (Exchange& ex : chunk.exchanges) {
    if (ex.time_s <= 0) ex.time_s = now;
    View view = BuildView(ex, options_.normalize);
    view.country = enricher_ != nullptr ? enricher_->Country(view.client_ip) : std::string();
    std::int64_t minute = ex.time_s / 60 * 60;

    EndpointRollup r;
    r.endpoint = EndpointKey{view.collection_id, view.host, view.method, view.endpoint_template};
    r.minute = minute;
    r.requests = 1;
    int cls = ex.status_code / 100;
    r.status_2xx = cls == 2;
    r.status_3xx = cls == 3;
    r.status_4xx = cls == 4;
    r.status_5xx = cls == 5;
    r.status_other = cls < 2 || cls > 5;
    r.bytes_in = static_cast<std::int64_t>(ex.request_body.size());
    r.bytes_out = static_cast<std::int64_t>(ex.response_body.size());
    out.batch.actor_calls.push_back(ActorCallRollup{r.endpoint, view.actor_id, minute, 1});
    out.batch.rollups.push_back(std::move(r));
    // A user actor's traffic records the IPs and hosts it uses (so blocking a user covers its
    // new IPs) with their enrichment; IP actors get theirs from their events, which keeps plain
    // traffic from costing a write per client.
    if (view.actor_kind == ActorKind::kUser) {
      ActorSighting sighting{
          .actor = view.actor_id, .ip = view.client_ip, .host = view.host, .at = ex.time_s};
      if (enricher_ != nullptr) sighting.ip_info = enricher_->Lookup(view.client_ip);
      if (sighting.ip_info.country.empty()) sighting.ip_info.country = view.country;
      out.batch.sightings.push_back(std::move(sighting));
    }

    findings.clear();
    if (policies != nullptr) policies->Scan(view, scratch, &findings);
    ApplyExploitFlaggers(&findings);
    if (findings.empty()) continue;
    findings_ += findings.size();

    EventContext ctx;
    ctx.country = view.country;
    ctx.now_s = now;
    ctx.ref_id = NewUuid();
    bool sample_made = false;
    auto sample = [&]() -> const std::string& {
      if (!sample_made) {
        ctx.sample_json = SampleJson(ex);
        sample_made = true;
      }
      return ctx.sample_json;
    };
    bool sample_stored = false;
    std::optional<IpInfo> ip_info;
    auto side = [&](const Finding& f) {
      if (!ip_info) ip_info = enricher_ != nullptr ? enricher_->Lookup(view.client_ip) : IpInfo{};
      if (ip_info->country.empty()) ip_info->country = view.country;
      return EventSide{view.actor_kind, *ip_info, f.monitor_only};
    };

    for (const Finding& f : findings) {
      if (const Suppression* s = hidden->Match(f.policy_id, view.host, view.endpoint_template,
                                               view.actor_id, ex.time_s)) {
        SuppressionHit& h = hits[s->id];
        h.suppression_id = s->id;
        ++h.count;
        h.last_at = std::max(h.last_at, ex.time_s);
        ++suppressed_;
        continue;
      }
      const Policy* policy = policies->Find(f.policy_id);
      auto rules_it = book->rules.find(f.policy_id);
      if (policy == nullptr || rules_it == book->rules.end()) {
        sample();
        out.batch.events.push_back(SingleEvent(view, f, ctx));
        out.sides.push_back(side(f));
        continue;
      }
      // An aggregated policy: every match keeps its sample, so the event that a breach makes
      // can carry the recent ones.
      if (!sample_stored) {
        out.batch.samples.push_back(SampleRecord{ctx.ref_id, sample(), now});
        sample_stored = true;
      }
      for (const WindowRule& rule : rules_it->second) {
        std::optional<std::string> distinct;
        if (rule.distinct) distinct = DistinctValue(view, *rule.distinct);
        WindowHit hit{
            .actor = view.actor_id,
            .policy_id = f.policy_id,
            .rule = &rule,
            .at = ex.time_s,
            .counts = rule.increment_filter.empty() ||
                      NamedFilterMatches(*policy, rule.increment_filter, view, scratch),
            .may_breach = rule.threshold_breach_filter.empty() ||
                          NamedFilterMatches(*policy, rule.threshold_breach_filter, view, scratch),
            .distinct_value = distinct ? std::string_view(*distinct) : std::string_view(),
            .sample_ref = ctx.ref_id,
        };
        WindowResult result = windows_.Observe(hit);
        out.batch.windows.push_back(ToRow(std::move(result.snapshot)));
        if (!result.breached) continue;
        out.batch.events.push_back(
            AggregatedEvent(view, f, ctx, rule, result.observed, std::move(result.sample_refs)));
        out.sides.push_back(side(f));
      }
    }
  }
  for (auto& [id, h] : hits) out.batch.suppression_hits.push_back(std::move(h));
  processed_ += out.exchanges;
  MergeBatch(&out.batch);
  return out;
}

void Pipeline::WorkerLoop() {
  ScanScratch scratch;
  while (true) {
    Chunk chunk;
    {
      std::unique_lock<std::mutex> lock(in_mu_);
      in_cv_.wait(lock, [this] { return stopping_ || !in_queue_.empty(); });
      if (in_queue_.empty()) break;  // stopping and drained
      chunk = std::move(in_queue_.front());
      in_queue_.pop_front();
    }
    std::size_t n = chunk.exchanges.size();
    auto processed = std::make_unique<Processed>(Process(chunk, scratch));
    {
      std::lock_guard<std::mutex> lock(in_mu_);
      queued_exchanges_ -= n;
    }
    {
      std::lock_guard<std::mutex> lock(out_mu_);
      out_queue_.push_back(std::move(processed));
    }
    out_cv_.notify_one();
  }
  {
    std::lock_guard<std::mutex> lock(out_mu_);
    --workers_running_;
  }
  out_cv_.notify_all();
}

Status Pipeline::WriteTaken(std::vector<std::unique_ptr<Processed>>& taken) {
  WriteBatch batch;
  std::vector<Event> events;
  std::vector<EventSide> sides;
  for (auto& p : taken) {
    Append(&batch.rollups, &p->batch.rollups);
    Append(&batch.actor_calls, &p->batch.actor_calls);
    Append(&batch.samples, &p->batch.samples);
    Append(&events, &p->batch.events);
    Append(&sides, &p->sides);
    Append(&batch.sightings, &p->batch.sightings);
    Append(&batch.suppression_hits, &p->batch.suppression_hits);
    Append(&batch.windows, &p->batch.windows);
  }

  // Burst folding, then what each surviving event means for its actor.
  std::unordered_map<std::string, std::size_t> fold_index;  // event id -> position in folds
  std::uint64_t folded = 0;
  std::uint64_t aggregated = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    Event& e = events[i];
    const EventSide& side = sides[i];
    bool exploit_upgrade = false;
    EventFold fold = folder_.Fold(e, &exploit_upgrade);
    if (!fold.event_id.empty()) {
      auto [it, fresh] = fold_index.try_emplace(fold.event_id, batch.folds.size());
      if (fresh) {
        batch.folds.push_back(fold);
      } else {
        EventFold& f = batch.folds[it->second];
        f.count += fold.count;
        f.last_detected_at = std::max(f.last_detected_at, fold.last_detected_at);
        f.successful_exploit = f.successful_exploit || fold.successful_exploit;
      }
      if (exploit_upgrade && !side.monitor_only) {
        double bonus = EventPoints(options_.scoring, e.severity, true) -
                       EventPoints(options_.scoring, e.severity, false);
        batch.ledger.push_back(ScoreLedgerRow{.actor = e.actor,
                                              .event_id = fold.event_id,
                                              .at = e.detected_at,
                                              .severity = e.severity,
                                              .successful_exploit = true,
                                              .points = bonus,
                                              .reason = "exploit"});
      }
      ++folded;
      continue;
    }
    if (e.event_type == EventType::kAggregated) ++aggregated;
    ActorTouch t;
    t.actor = e.actor;
    t.kind = side.kind;
    t.ip = e.ip;
    t.country = e.country;
    t.seen_at = e.detected_at;
    t.endpoint = e.url;
    t.method = e.method;
    t.host = e.host;
    t.filter_id = e.filter_id;
    t.sub_category = e.sub_category;
    t.severity = e.severity;
    t.events = 1;
    t.ip_info = side.ip_info;
    t.enforced = !side.monitor_only;
    t.initial_status = side.monitor_only ? ActorStatus::kMonitored : ActorStatus::kActive;
    batch.actors.push_back(std::move(t));
    if (!side.monitor_only) {
      batch.ledger.push_back(
          ScoreLedgerRow{.actor = e.actor,
                         .event_id = e.id,
                         .at = e.detected_at,
                         .severity = e.severity,
                         .successful_exploit = e.successful_exploit,
                         .points = EventPoints(options_.scoring, e.severity, e.successful_exploit),
                         .reason = "event"});
    }
    batch.events.push_back(std::move(e));
  }
  MergeBatch(&batch);
  Status st = store_->Write(batch);
  ++write_batches_;
  if (!st.ok()) {
    ++write_errors_;
    // Events of this batch were not written: nothing may fold into them.
    folder_.Clear();
    spdlog::error("store write of {} events failed: {}", batch.events.size(), st.ToString());
  } else {
    events_ += batch.events.size();
    aggregated_ += aggregated;
    folded_ += folded;
  }
  return st;
}

void Pipeline::MaintainIfDue() {
  std::int64_t now = clock_->NowSeconds();
  if (now >= next_maintenance_) {
    next_maintenance_ = now + options_.maintenance_interval_seconds;
    auto expired = store_->ExpireActorStatuses();
    if (!expired.ok()) {
      spdlog::warn("actor status expiry failed: {}", expired.status().ToString());
    } else if (*expired > 0) {
      spdlog::info("actor statuses expired: {}", *expired);
    }
    windows_.Sweep(now);
    folder_.Sweep(now);
    Status st = ReloadSuppressions();
    if (!st.ok()) spdlog::warn("suppression reload failed: {}", st.ToString());
  }
  if (options_.retention_interval_seconds > 0 && now >= next_retention_) {
    next_retention_ = now + options_.retention_interval_seconds;
    auto r = store_->ApplyRetention(options_.retention);
    if (!r.ok()) {
      spdlog::warn("retention failed: {}", r.status().ToString());
    } else if (r->events + r->rollups + r->actor_calls + r->samples + r->windows > 0) {
      spdlog::info(
          "retention removed {} events, {} rollups, {} actor calls, {} samples, {} windows",
          r->events, r->rollups, r->actor_calls, r->samples, r->windows);
    }
  }
}

void Pipeline::WriterLoop() {
  while (true) {
    std::vector<std::unique_ptr<Processed>> taken;
    {
      std::unique_lock<std::mutex> lock(out_mu_);
      // Wake at least once a second so maintenance runs without traffic.
      out_cv_.wait_for(lock, std::chrono::seconds(1),
                       [this] { return !out_queue_.empty() || workers_running_ == 0; });
      if (out_queue_.empty() && workers_running_ == 0) break;  // workers done, nothing left
      std::size_t exchanges = 0;
      while (!out_queue_.empty() && exchanges < options_.max_write_exchanges) {
        exchanges += out_queue_.front()->exchanges;
        taken.push_back(std::move(out_queue_.front()));
        out_queue_.pop_front();
      }
    }
    if (!taken.empty()) {
      Status st = WriteTaken(taken);
      for (auto& p : taken) p->ticket->Finish(st);
    }
    MaintainIfDue();
  }
}

Pipeline::Stats Pipeline::stats() const {
  Stats s;
  s.accepted = accepted_;
  s.refused = refused_;
  s.processed = processed_;
  s.findings = findings_;
  s.events = events_;
  s.aggregated = aggregated_;
  s.folded = folded_;
  s.suppressed = suppressed_;
  s.write_batches = write_batches_;
  s.write_errors = write_errors_;
  return s;
}

}  // namespace warden

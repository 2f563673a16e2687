#include "app/pipeline.h"

#include <map>
#include <tuple>

#include "behave/event_builder.h"
#include "common/log.h"

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

// What the workers hand to the writer for one chunk.
struct Pipeline::Processed {
  WriteBatch batch;
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

// Merges rollups with equal keys so one transaction updates each row once.
void MergeRollups(std::vector<EndpointRollup>* rollups, std::vector<ActorCallRollup>* calls) {
  std::map<std::pair<EndpointTuple, std::int64_t>, EndpointRollup> by_key;
  for (auto& r : *rollups) {
    auto [it, fresh] = by_key.try_emplace({Tuple(r.endpoint), r.minute}, r);
    if (!fresh) AddRollup(&it->second, r);
  }
  rollups->clear();
  for (auto& [k, v] : by_key) rollups->push_back(std::move(v));

  std::map<std::tuple<EndpointTuple, std::string, std::int64_t>, ActorCallRollup> calls_by_key;
  for (auto& c : *calls) {
    auto [it, fresh] = calls_by_key.try_emplace({Tuple(c.endpoint), c.actor, c.minute}, c);
    if (!fresh) it->second.requests += c.requests;
  }
  calls->clear();
  for (auto& [k, v] : calls_by_key) calls->push_back(std::move(v));
}

template <typename T>
void Append(std::vector<T>* into, std::vector<T>* from) {
  into->insert(into->end(), std::make_move_iterator(from->begin()),
               std::make_move_iterator(from->end()));
}

}  // namespace

Pipeline::Pipeline(Store* store, const GeoCountryDb* geo, const Clock* clock,
                   PipelineOptions options)
    : store_(store), geo_(geo), clock_(clock), options_(std::move(options)) {
  if (options_.workers <= 0) {
    options_.workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  if (options_.chunk_size == 0) options_.chunk_size = 64;
}

Pipeline::~Pipeline() { Stop(); }

void Pipeline::SetPolicies(std::shared_ptr<const CompiledPolicySet> policies) {
  std::lock_guard<std::mutex> lock(policies_mu_);
  policies_ = std::move(policies);
}

std::shared_ptr<const CompiledPolicySet> Pipeline::policies() const {
  std::lock_guard<std::mutex> lock(policies_mu_);
  return policies_;
}

void Pipeline::Start() {
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
  auto policies = this->policies();
  std::int64_t now = clock_->NowSeconds();
  std::vector<Finding> findings;
  for (Exchange& ex : chunk.exchanges) {
    if (ex.time_s <= 0) ex.time_s = now;
    View view = BuildView(ex, options_.normalize);
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

    findings.clear();
    if (policies) policies->Scan(view, scratch, &findings);
    if (findings.empty()) continue;
    findings_ += findings.size();

    EventContext ctx;
    ctx.country = geo_ != nullptr ? geo_->Lookup(view.client_ip) : std::string();
    ctx.sample_json = SampleJson(ex);
    ctx.now_s = now;
    std::vector<Event> events = EventsFromFindings(view, findings, ctx);
    for (const Event& e : events) {
      ActorTouch t;
      t.actor = e.actor;
      t.kind = view.actor_kind;
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
      out.batch.actors.push_back(std::move(t));
    }
    events_ += events.size();
    Append(&out.batch.events, &events);
  }
  processed_ += out.exchanges;
  MergeRollups(&out.batch.rollups, &out.batch.actor_calls);
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

void Pipeline::WriterLoop() {
  while (true) {
    std::vector<std::unique_ptr<Processed>> taken;
    {
      std::unique_lock<std::mutex> lock(out_mu_);
      out_cv_.wait(lock, [this] { return !out_queue_.empty() || workers_running_ == 0; });
      if (out_queue_.empty()) break;  // workers done and nothing left
      std::size_t exchanges = 0;
      while (!out_queue_.empty() && exchanges < options_.max_write_exchanges) {
        exchanges += out_queue_.front()->exchanges;
        taken.push_back(std::move(out_queue_.front()));
        out_queue_.pop_front();
      }
    }
    WriteBatch batch;
    for (auto& p : taken) {
      Append(&batch.rollups, &p->batch.rollups);
      Append(&batch.actor_calls, &p->batch.actor_calls);
      Append(&batch.events, &p->batch.events);
      Append(&batch.actors, &p->batch.actors);
    }
    MergeRollups(&batch.rollups, &batch.actor_calls);
    Status st = store_->Write(batch);
    ++write_batches_;
    if (!st.ok()) {
      ++write_errors_;
      spdlog::error("store write of {} events failed: {}", batch.events.size(), st.ToString());
    }
    for (auto& p : taken) p->ticket->Finish(st);
  }
}

Pipeline::Stats Pipeline::stats() const {
  Stats s;
  s.accepted = accepted_;
  s.refused = refused_;
  s.processed = processed_;
  s.findings = findings_;
  s.events = events_;
  s.write_batches = write_batches_;
  s.write_errors = write_errors_;
  return s;
}

}  // namespace warden

// The drill-down of one threat event: severity, endpoint, category; tabs Overview, Timeline,
// Values (request/response, copy as curl / raw HTTP) and Remediation; and the event actions.

import { useState } from "react";
import { api } from "../api/client";
import type { EventDetail, EventSample, EventStatus, HeaderPair } from "../api/types";
import { Chart, axisCommon, gridCommon, tooltip } from "../components/Chart";
import { ExploitChip, Method, SeverityChip, StatusChip, Tags } from "../components/Chips";
import { CloseButton, Drawer } from "../components/Overlays";
import { ErrorState, Loading, Empty } from "../components/States";
import { Segmented, Tabs } from "../components/Tabs";
import { countryName } from "../lib/country";
import { copyText } from "../lib/download";
import { fmtDay, fmtNum, fmtShortTime, fmtTime } from "../lib/format";
import { navigate, setParams, useRoute } from "../lib/route";
import { useAsync } from "../lib/useAsync";
import { errorText, useCan, useNotify, useTimeRange } from "../state";
import { IgnoreDialog } from "./IgnoreDialog";
import { BlockActorDialog } from "./BlockActorDialog";
import { WorkItemDialog } from "./WorkItemDialog";
import { safeExternalUrl } from "../lib/url";

type DrawerTab = "overview" | "timeline" | "values" | "remediation";
const TABS: { id: DrawerTab; label: string }[] = [
  { id: "overview", label: "Overview" },
  { id: "timeline", label: "Timeline" },
  { id: "values", label: "Values" },
  { id: "remediation", label: "Remediation" },
];

export function ThreatEventDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { params } = useRoute();
  const tab = (TABS.find((t) => t.id === params.get("etab"))?.id ?? "overview") as DrawerTab;
  const ev = useAsync((s) => api.event(id, { signal: s }), [id]);
  const canWrite = useCan("analyst");
  const notify = useNotify();
  const [dialog, setDialog] = useState<null | "ignore" | "block" | "jira">(null);

  async function setStatus(status: EventStatus) {
    try {
      await api.patchEvent(id, { status });
      notify(status === "UNDER_REVIEW" ? "Marked for review" : "Moved to Active");
      ev.reload();
      onChanged();
    } catch (e) {
      notify(`Status change failed: ${errorText(e)}`, true);
    }
  }

  const d = ev.data;
  const head = (
    <>
      <div className="drawer-title">
        {d && <SeverityChip severity={d.severity} />}
        <div style={{ minWidth: 0 }}>
          <h2 data-testid="event-title">{d ? d.policyName || d.policyId : "Threat event"}</h2>
          {d && (
            <div className="mono" style={{ marginTop: 4, wordBreak: "break-all" }} data-testid="event-endpoint">
              <Method method={d.method} />
              {d.endpoint || d.url}
              <span className="faint"> · {d.host}</span>
            </div>
          )}
        </div>
        <CloseButton onClick={onClose} />
      </div>
      {d && (
        <div className="drawer-meta">
          <StatusChip status={d.status} />
          <span>
            {d.category}
            {d.subCategory && d.subCategory !== d.category ? ` / ${d.subCategory}` : ""}
          </span>
          <span>·</span>
          <span>{d.type}</span>
          <span>·</span>
          <span>{fmtNum(d.count)}× since {fmtTime(d.detectedAt)}</span>
          {d.successfulExploit && <ExploitChip yes />}
        </div>
      )}
      {d && canWrite && (
        <div className="drawer-actions" data-testid="event-actions">
          {d.status !== "UNDER_REVIEW" ? (
            <button className="btn small" onClick={() => setStatus("UNDER_REVIEW")} data-testid="action-review">
              Mark for review
            </button>
          ) : (
            <button className="btn small" onClick={() => setStatus("ACTIVE")} data-testid="action-active">
              Move to Active
            </button>
          )}
          {d.status !== "IGNORED" && (
            <button className="btn small" onClick={() => setDialog("ignore")} data-testid="action-ignore">
              Ignore…
            </button>
          )}
          <button className="btn small danger" onClick={() => setDialog("block")} data-testid="action-block">
            Block IP
          </button>
          <button className="btn small" onClick={() => setDialog("jira")} data-testid="action-jira">
            {d.jiraTicketUrl ? "Work item" : "Create Jira issue / work item"}
          </button>
        </div>
      )}
      <Tabs
        testId="event-tabs"
        tabs={TABS}
        value={tab}
        onChange={(t) => setParams({ etab: t === "overview" ? null : t })}
      />
    </>
  );

  return (
    <Drawer onClose={onClose} head={head} testId="event-drawer" label="Threat event">
      {ev.error && !d ? (
        <ErrorState error={ev.error} retry={ev.reload} />
      ) : !d ? (
        <Loading />
      ) : (
        <>
          {tab === "overview" && <EventOverview d={d} />}
          {tab === "timeline" && <EventTimeline id={id} />}
          {tab === "values" && <EventValues d={d} />}
          {tab === "remediation" && <EventRemediation d={d} />}
        </>
      )}
      {d && dialog === "ignore" && (
        <IgnoreDialog
          event={d}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            ev.reload();
            onChanged();
          }}
        />
      )}
      {d && dialog === "block" && (
        <BlockActorDialog actorId={d.actor} ip={d.ip} onClose={() => setDialog(null)} />
      )}
      {d && dialog === "jira" && (
        <WorkItemDialog
          event={d}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            ev.reload();
          }}
        />
      )}
    </Drawer>
  );
}

function EventOverview({ d }: { d: EventDetail }) {
  const p = d.policy;
  const jira = safeExternalUrl(d.jiraTicketUrl);
  return (
    <>
      {p?.description && (
        <section className="section">
          <h3>Description</h3>
          <p className="prose">{p.description}</p>
        </section>
      )}
      <section className="section">
        <h3>Details</h3>
        {p?.details && <p className="prose">{p.details}</p>}
        <dl className="kv" data-testid="event-facts">
          <dt>Actor</dt>
          <dd className="mono">
            <button
              className="link mono"
              onClick={() => navigate(["actors"], { q: d.actor })}
              title="Show this actor in Threat Actors"
            >
              {d.actor}
            </button>
          </dd>
          <dt>IP address</dt>
          <dd className="mono">
            {d.ip} <span className="faint">· {countryName(d.country)}</span>
          </dd>
          <dt>Request</dt>
          <dd className="mono" data-testid="event-url">
            <Method method={d.method} />
            {d.url}
          </dd>
          <dt>Host</dt>
          <dd className="mono">{d.host}</dd>
          <dt>Matched in</dt>
          <dd className="mono">{d.location || "—"}</dd>
          <dt>Matched value</dt>
          <dd>
            <code className="mono" data-testid="event-matched" style={{ wordBreak: "break-all" }}>
              {d.matched || "—"}
            </code>
          </dd>
          <dt>Response status</dt>
          <dd>{d.statusCode || "—"}</dd>
          <dt>Successful exploit</dt>
          <dd>
            <ExploitChip yes={d.successfulExploit} />
            {d.exploitEvidence && <span className="muted"> {d.exploitEvidence}</span>}
          </dd>
          <dt>First / last detected</dt>
          <dd>
            {fmtTime(d.detectedAt)}
            {d.lastDetectedAt && d.lastDetectedAt !== d.detectedAt ? ` → ${fmtTime(d.lastDetectedAt)}` : ""}
          </dd>
          <dt>Event kind</dt>
          <dd>
            {d.eventType === "AGGREGATED" ? "Aggregated (threshold breached)" : "Single request"} ·{" "}
            {fmtNum(d.count)} {d.count === 1 ? "detection" : "detections"}
          </dd>
          <dt>OWASP API 2023</dt>
          <dd>
            <Tags values={d.owaspApi2023} />
          </dd>
          <dt>OWASP 2021</dt>
          <dd>
            <Tags values={d.owasp2021} />
          </dd>
          <dt>CWE</dt>
          <dd>
            <Tags values={d.cwe} />
          </dd>
          {d.jiraTicketUrl && (
            <>
              <dt>Work item</dt>
              <dd className="mono">
                {jira ? (
                  <a href={jira} target="_blank" rel="noopener noreferrer">
                    {d.jiraTicketUrl}
                  </a>
                ) : (
                  d.jiraTicketUrl
                )}
              </dd>
            </>
          )}
        </dl>
      </section>
      {p?.impact && (
        <section className="section">
          <h3>Impact</h3>
          <p className="prose">{p.impact}</p>
        </section>
      )}
    </>
  );
}

function EventTimeline({ id }: { id: string }) {
  const { range } = useTimeRange();
  const [bucket, setBucket] = useState<"day" | "hour">("day");
  const t = useAsync(
    (s) =>
      api.eventTimeline(id, bucket === "day" ? { bucket } : { bucket, from: range.from, to: range.to }, {
        signal: s,
      }),
    [id, bucket, range.from, range.to],
  );
  const items = t.data?.items ?? [];
  const total = items.reduce((s, x) => s + x.count, 0);
  return (
    <section className="section" data-testid="event-timeline">
      <div className="toolbar">
        <h3>When and how often this actor tried this attack</h3>
        <span className="spacer" />
        <Segmented
          label="Bucket"
          value={bucket}
          onChange={setBucket}
          options={[
            { id: "day", label: "Last 30 days · daily" },
            { id: "hour", label: "Time range · hourly" },
          ]}
        />
      </div>
      {t.error && !t.data ? (
        <ErrorState error={t.error} retry={t.reload} />
      ) : !t.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty />
      ) : (
        <>
          <div className="muted">
            {fmtNum(total)} attempts in {items.filter((x) => x.count > 0).length}{" "}
            {bucket === "day" ? "days" : "hours"}
          </div>
          <Chart
            label="Attempts over time"
            testId="chart-event-timeline"
            className="tall"
            deps={[t.data]}
            option={(c) => ({
              tooltip: tooltip(c, { trigger: "axis" }),
              grid: gridCommon(),
              xAxis: {
                type: "category",
                data: items.map((x) => (bucket === "day" ? fmtDay(x.ts) : fmtShortTime(x.ts, true))),
                ...axisCommon(c),
                splitLine: { show: false },
              },
              yAxis: { type: "value", minInterval: 1, ...axisCommon(c) },
              series: [{ name: "Attempts", type: "bar", data: items.map((x) => x.count), barMaxWidth: 24, itemStyle: { color: c.accent, borderRadius: [3, 3, 0, 0] } }],
            })}
          />
        </>
      )}
    </section>
  );
}

function HeaderLines({ headers }: { headers: HeaderPair[] }) {
  return (
    <>
      {(headers ?? []).map(([n, v], i) => (
        <span key={i}>
          <span className="hdr-name">{n}</span>: {v}
          {"\n"}
        </span>
      ))}
    </>
  );
}

function prettyBody(body: string, headers: HeaderPair[]): string {
  const ct = (headers ?? []).find(([n]) => n.toLowerCase() === "content-type")?.[1] ?? "";
  if (body && (ct.includes("json") || /^\s*[[{]/.test(body))) {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      /* not JSON */
    }
  }
  return body;
}

function SampleView({ s }: { s: EventSample }) {
  return (
    <>
      <section className="section">
        <h3>Attempted request</h3>
        <pre className="code" data-testid="sample-request">
          <span className="req-line">
            {s.method} {s.url} {s.httpVersion}
          </span>
          {"\n"}
          <HeaderLines headers={s.requestHeaders} />
          {s.requestBody && "\n" + prettyBody(s.requestBody, s.requestHeaders)}
        </pre>
        {s.requestBodyTruncated && <span className="faint">The request body was truncated when stored.</span>}
      </section>
      <section className="section">
        <h3>Response</h3>
        <pre className="code" data-testid="sample-response">
          <span className="req-line">
            {s.httpVersion} {s.statusCode}
          </span>
          {"\n"}
          <HeaderLines headers={s.responseHeaders} />
          {s.responseBody && "\n" + prettyBody(s.responseBody, s.responseHeaders)}
        </pre>
        {s.responseBodyTruncated && <span className="faint">The response body was truncated when stored.</span>}
      </section>
    </>
  );
}

function EventValues({ d }: { d: EventDetail }) {
  const notify = useNotify();
  const [base, setBase] = useState("");
  const [copied, setCopied] = useState<{ kind: string; text: string } | null>(null);

  async function copy(kind: "curl" | "raw") {
    try {
      const text = kind === "curl" ? await api.eventCurl(d.id, base.trim() || undefined) : await api.eventRaw(d.id);
      setCopied({ kind, text });
      await copyText(text);
      notify(kind === "curl" ? "curl command copied" : "Raw HTTP request copied (paste into Burp Repeater)");
    } catch (e) {
      notify(`Copy failed: ${errorText(e)}`, true);
    }
  }

  return (
    <>
      <div className="inline-form" data-testid="copy-tools">
        <label className="field">
          Replay against (base URL for curl; empty = original host over https)
          <input
            className="input mono"
            style={{ width: 360 }}
            value={base}
            placeholder={`https://${d.host}`}
            onChange={(e) => setBase(e.target.value)}
            data-testid="curl-base"
            spellCheck={false}
          />
        </label>
        <button className="btn" onClick={() => copy("curl")} data-testid="copy-curl">
          Copy as curl
        </button>
        <button className="btn" onClick={() => copy("raw")} data-testid="copy-raw">
          Copy for Burp (raw HTTP)
        </button>
      </div>
      {copied && (
        <section className="section">
          <h3>{copied.kind === "curl" ? "curl command" : "Raw HTTP request"} (copied)</h3>
          <pre className="code" data-testid="copied-text" data-kind={copied.kind}>
            {copied.text}
          </pre>
        </section>
      )}
      {d.sample ? <SampleView s={d.sample} /> : <Empty>No stored request sample for this event.</Empty>}
    </>
  );
}

function EventRemediation({ d }: { d: EventDetail }) {
  const p = d.policy;
  return (
    <>
      <section className="section" data-testid="event-remediation">
        <h3>Remediation</h3>
        {p?.remediation ? (
          <p className="prose">{p.remediation}</p>
        ) : (
          <p className="prose muted">This policy has no remediation notes.</p>
        )}
      </section>
      {p && (p.references ?? []).length > 0 && (
        <section className="section">
          <h3>References</h3>
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {p.references.map((r) => {
              const u = safeExternalUrl(r);
              return (
                <li key={r} className="mono" style={{ wordBreak: "break-all" }}>
                  {u ? (
                    <a href={u} target="_blank" rel="noopener noreferrer">
                      {r}
                    </a>
                  ) : (
                    r
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <section className="section">
        <h3>Classification</h3>
        <dl className="kv">
          <dt>OWASP API 2023</dt>
          <dd>
            <Tags values={p?.owaspApi2023 ?? d.owaspApi2023} />
          </dd>
          <dt>OWASP 2021</dt>
          <dd>
            <Tags values={p?.owasp2021 ?? d.owasp2021} />
          </dd>
          <dt>CWE</dt>
          <dd>
            <Tags values={p?.cwe ?? d.cwe} />
          </dd>
        </dl>
      </section>
    </>
  );
}

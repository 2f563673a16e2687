// One endpoint under threat: totals, the rules it triggered, recent events, links to call stats.

import { api } from "../api/client";
import type { ThreatApiDetail } from "../api/types";
import { BarList } from "../components/BarList";
import { Method } from "../components/Chips";
import { DataTable } from "../components/DataTable";
import { AsyncView } from "../components/States";
import { fmtNum, fmtStamp, fmtTime } from "../lib/format";
import { navigate } from "../lib/route";
import { useAsync } from "../lib/useAsync";
import { useTimeRange } from "../state";
import { eventColumns } from "./ThreatActivityPage";
import { policyLabel, usePolicyNames } from "../lib/policyNames";

// The endpoint is the page's subject, and type and count add little next to it: the threat and
// actor columns get the room.
const ENDPOINT_HIDDEN = new Set(["url", "type", "count"]);

export function EndpointDetail({ id }: { id: string }) {
  const { range, version } = useTimeRange();
  const ep = useAsync((s) => api.endpoint(id, range, { signal: s }), [id, version]);
  return (
    <div className="page" data-testid="page-endpoint">
      <div className="page-header">
        <div style={{ minWidth: 0 }}>
          <button className="btn ghost small" onClick={() => navigate(["apis"])} style={{ marginBottom: 8 }}>
            ‹ APIs Under Threat
          </button>
          <h1 className="mono" style={{ wordBreak: "break-all" }} data-testid="endpoint-title">
            {ep.data ? (
              <>
                <Method method={ep.data.method} />
                {ep.data.endpoint}
              </>
            ) : (
              "Endpoint"
            )}
          </h1>
          {ep.data && <p>{ep.data.host}</p>}
        </div>
        <div className="actions">
          <button className="btn" onClick={() => navigate(["callstats"], { endpoint: id })} data-testid="open-callstats">
            API call stats →
          </button>
        </div>
      </div>
      <AsyncView state={ep}>{(d) => <EndpointBody d={d} />}</AsyncView>
    </div>
  );
}

function EndpointBody({ d }: { d: ThreatApiDetail }) {
  const events = d.recentEvents ?? d.events ?? [];
  const names = usePolicyNames();
  return (
    <>
      <div className="grid cols-4">
        <div className="card stat">
          <span className="label">Total requests</span>
          <span className="value">{fmtNum(d.totalRequests)}</span>
        </div>
        <div className="card stat">
          <span className="label">Threat requests</span>
          <span className="value">{fmtNum(d.threatRequests)}</span>
        </div>
        <div className="card stat">
          <span className="label">Threat actors</span>
          <span className="value">{fmtNum(d.actorsCount)}</span>
        </div>
        <div className="card stat">
          <span className="label">Last threat</span>
          <span className="value" style={{ fontSize: 15 }}>
            {d.lastRule ? policyLabel(names, d.lastRule) : "—"}
          </span>
          <span className="hint" title={`${fmtTime(d.firstSeen)} → ${fmtTime(d.lastSeen)}`}>
            threats from {fmtStamp(d.firstSeen)} to {fmtStamp(d.lastSeen)}
          </span>
        </div>
      </div>
      <div className="grid cols-2-1">
        <div className="card flush">
          <div className="card-head">
            <h2>Recent threat events</h2>
            <span className="spacer" />
            <button className="btn small" onClick={() => navigate(["activity"], { url: d.endpoint, host: d.host })}>
              All events →
            </button>
          </div>
          <div style={{ marginTop: 12 }}>
            <DataTable
              testId="table-endpoint-events"
              autoHeight
              rows={events}
              rowKey={(r) => r.id}
              columns={eventColumns(names).filter((c) => !ENDPOINT_HIDDEN.has(c.key))}
              onRowClick={(r) => navigate(["activity"], { event: r.id, tab: r.status === "ACTIVE" ? null : r.status })}
              empty="No recent events."
            />
          </div>
        </div>
        <div className="card">
          <div className="card-head">
            <h2>Threat rules</h2>
          </div>
          <BarList
            testId="endpoint-rules"
            items={(d.rules ?? []).map((r) => ({ key: r.policyId, label: policyLabel(names, r.policyId), count: r.count }))}
            onPick={(policy) => navigate(["activity"], { policy, url: d.endpoint })}
          />
        </div>
      </div>
    </>
  );
}

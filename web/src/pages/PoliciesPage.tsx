import { useEffect, useMemo, useState } from "react";
import { ApiError, api } from "../api/client";
import type { PolicySummary, PolicyTestResult } from "../api/types";
import { SeverityChip } from "../components/Chips";
import { DataTable, type Column } from "../components/DataTable";
import { SearchInput } from "../components/FilterBar";
import { ErrorState, Loading } from "../components/States";
import { YamlEditor, type EditorError } from "../components/YamlEditor";
import { setParams, useRoute } from "../lib/route";
import { useAsync } from "../lib/useAsync";
import { errorText, useCan, useNotify } from "../state";

const NEW_TEMPLATE = `id: my_policy
filter:
  request_payload:
    regex: "(?i)example-attack"
info:
  name: My policy
  description: What this policy detects.
  details: How it detects it.
  impact: What an attacker gains.
  remediation: How to fix the weakness.
  category:
    name: Custom
    displayName: Custom
  subCategory: my_policy
  severity: MEDIUM
`;

export function PoliciesPage() {
  const { params } = useRoute();
  const selected = params.get("policy");
  const isAdmin = useCan("admin");
  const notify = useNotify();
  const [q, setQ] = useState("");
  const [tick, setTick] = useState(0);
  const list = useAsync((s) => api.policies({ signal: s }), [tick]);
  const rows = useMemo(() => {
    const t = q.toLowerCase();
    return (list.data ?? []).filter(
      (p) => !t || p.id.toLowerCase().includes(t) || p.name.toLowerCase().includes(t) || p.category.toLowerCase().includes(t),
    );
  }, [list.data, q]);

  useEffect(() => {
    const first = list.data?.[0];
    if (!selected && first) setParams({ policy: first.id });
  }, [selected, list.data]);

  async function toggle(p: PolicySummary) {
    try {
      await api.setPolicyEnabled(p.id, !p.enabled);
      notify(`${p.name || p.id} ${p.enabled ? "disabled" : "enabled"}`);
      setTick((t) => t + 1);
    } catch (e) {
      notify(`Could not change the policy: ${errorText(e)}`, true);
    }
  }

  const columns: Column<PolicySummary>[] = [
    {
      key: "on",
      header: "On",
      render: (p) => (
        <button
          className={"switch" + (p.enabled ? " on" : "")}
          role="switch"
          aria-checked={p.enabled}
          aria-label={`${p.enabled ? "Disable" : "Enable"} ${p.id}`}
          disabled={!isAdmin}
          data-testid="policy-toggle"
          onClick={(e) => {
            e.stopPropagation();
            void toggle(p);
          }}
        />
      ),
    },
    {
      key: "name",
      header: "Policy",
      className: "clip",
      width: "56%",
      title: (p) => `${p.name || p.id} (${p.id})`,
      render: (p) => (
        <>
          {p.name || p.id}
          <span className="cell-sub">
            <span className="mono">{p.id}</span> · {p.category}
          </span>
        </>
      ),
    },
    { key: "sev", header: "Severity", render: (p) => <SeverityChip severity={p.severity} /> },
    {
      key: "src",
      header: "Source",
      className: "nowrap",
      render: (p) => (
        <>
          {p.builtin ? "Built-in" : "User"}
          <span className="cell-sub">
            {p.mode || "block"} · {p.tests} tests
          </span>
        </>
      ),
    },
  ];

  return (
    <div className="page" data-testid="page-policies">
      <div className="page-header">
        <div>
          <h1>Policies</h1>
          <p>Threat policies (Akto's YAML format). Edit, validate, and try them on a request before saving.</p>
        </div>
        <div className="actions">
          {isAdmin && (
            <button className="btn primary" onClick={() => setParams({ policy: "__new" })} data-testid="policy-new">
              + New policy
            </button>
          )}
        </div>
      </div>
      <div className="policies-layout">
        <div className="card flush">
          <div className="toolbar" style={{ padding: "14px 16px 12px" }}>
            <SearchInput value={q} onChange={setQ} placeholder="Filter policies" testId="policies-q" width={240} />
            <span className="spacer" />
            <span className="faint" style={{ fontSize: 12 }} data-testid="policies-count">
              {list.data ? `${rows.length} of ${list.data.length}` : ""}
            </span>
          </div>
          <DataTable
            testId="table-policies"
            rows={list.data ? rows : undefined}
            error={list.error}
            retry={list.reload}
            rowKey={(p) => p.id}
            columns={columns}
            activeKey={selected}
            onRowClick={(p) => setParams({ policy: p.id })}
            empty="No policy matches."
          />
        </div>
        <div>
          {selected ? (
            <PolicyEditor
              key={selected}
              id={selected === "__new" ? null : selected}
              onSaved={(id) => {
                setTick((t) => t + 1);
                setParams({ policy: id });
              }}
              onDeleted={() => {
                setTick((t) => t + 1);
                setParams({ policy: null });
              }}
            />
          ) : (
            <div className="card state">Choose a policy to see its YAML and try it on a request.</div>
          )}
        </div>
      </div>
    </div>
  );
}

function toEditorError(e: unknown): EditorError {
  if (e instanceof ApiError) return { line: e.line, column: e.column, message: e.message };
  return { message: errorText(e) };
}

function PolicyEditor({
  id,
  onSaved,
  onDeleted,
}: {
  id: string | null;
  onSaved: (id: string) => void;
  onDeleted: () => void;
}) {
  const isAdmin = useCan("admin");
  const canTest = useCan("analyst");
  const notify = useNotify();
  const detail = useAsync((s) => (id ? api.policy(id, { signal: s }) : Promise.resolve(null)), [id]);
  const [yaml, setYaml] = useState<string>(id ? "" : NEW_TEMPLATE);
  const [error, setError] = useState<EditorError | null>(null);
  const [valid, setValid] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (detail.data) setYaml(detail.data.yaml);
  }, [detail.data]);

  const original = detail.data?.yaml ?? (id ? "" : NEW_TEMPLATE);
  const dirty = yaml !== original;

  async function validate() {
    setBusy(true);
    setValid(false);
    try {
      await api.testPolicy({ yaml, request: { method: "GET", url: "/", headers: {}, body: "" } });
      setError(null);
      setValid(true);
    } catch (e) {
      setError(toEditorError(e));
    } finally {
      setBusy(false);
    }
  }

  async function save() {
    setBusy(true);
    setValid(false);
    try {
      const saved = id ? await api.updatePolicy(id, yaml) : await api.createPolicy(yaml);
      setError(null);
      notify(`Saved ${saved.id}`);
      onSaved(saved.id);
    } catch (e) {
      setError(toEditorError(e));
      notify("The policy was not saved", true);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!id) return;
    setBusy(true);
    try {
      await api.deletePolicy(id);
      notify(`Deleted ${id}`);
      onDeleted();
    } catch (e) {
      notify(`Delete failed: ${errorText(e)}`, true);
    } finally {
      setBusy(false);
    }
  }

  if (id && detail.error && !detail.data) return <ErrorState error={detail.error} retry={detail.reload} />;
  if (id && !detail.data) return <Loading />;
  const d = detail.data;

  return (
    <div className="page" style={{ gap: 16 }} data-testid="policy-editor">
      <div className="card">
        <div className="card-head">
          <div style={{ minWidth: 0 }}>
            <h2>{d ? d.name || d.id : "New policy"}</h2>
            {d && (
              <div className="faint mono" style={{ fontSize: 12 }}>
                {d.id} · {d.builtin ? "built-in" : "user"} · {d.source}
              </div>
            )}
          </div>
          <span className="spacer" />
          {dirty && <span className="faint" style={{ fontSize: 12 }}>unsaved changes</span>}
          {canTest && (
            <button className="btn small" onClick={validate} disabled={busy} data-testid="policy-validate">
              Validate
            </button>
          )}
          {isAdmin && (
            <button className="btn small primary" onClick={save} disabled={busy || !dirty} data-testid="policy-save">
              {d?.builtin ? "Save as override" : "Save"}
            </button>
          )}
          {isAdmin && d && !d.builtin && (
            <button className="btn small danger" onClick={remove} disabled={busy}>
              Delete
            </button>
          )}
        </div>
        <YamlEditor
          value={yaml}
          onChange={(v) => {
            setYaml(v);
            setValid(false);
          }}
          error={error}
          readOnly={!isAdmin && !canTest}
          testId="policy-yaml"
        />
        {valid && !error && (
          <div className="editor-ok" data-testid="editor-ok">
            ✓ The policy is valid.
          </div>
        )}
      </div>
      {canTest && <TryItBox yaml={yaml} dirty={dirty || !id} policyId={id} onYamlError={setError} />}
    </div>
  );
}

function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** "Try it": runs the policy being edited against a pasted request (and optional response). */
function TryItBox({
  yaml,
  dirty,
  policyId,
  onYamlError,
}: {
  yaml: string;
  dirty: boolean;
  policyId: string | null;
  onYamlError: (e: EditorError | null) => void;
}) {
  const [method, setMethod] = useState("GET");
  const [url, setUrl] = useState("/api/v1/search?q=1' OR '1'='1");
  const [headers, setHeaders] = useState("Host: shop.example\nUser-Agent: Mozilla/5.0");
  const [body, setBody] = useState("");
  const [withResp, setWithResp] = useState(false);
  const [status, setStatus] = useState("200");
  const [respBody, setRespBody] = useState("");
  const [result, setResult] = useState<PolicyTestResult | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run() {
    setBusy(true);
    setErr(null);
    try {
      const r = await api.testPolicy({
        ...(dirty || !policyId ? { yaml } : { policyId }),
        request: { method, url, headers: parseHeaders(headers), body },
        response: withResp ? { status: Number(status) || 200, headers: {}, body: respBody } : undefined,
      });
      setResult(r);
      onYamlError(null);
    } catch (e) {
      setResult(null);
      if (e instanceof ApiError && e.line) onYamlError(toEditorError(e));
      setErr(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card" data-testid="try-it">
      <div className="card-head">
        <h2>Try it</h2>
        <span className="faint" style={{ fontSize: 12 }}>
          runs {dirty || !policyId ? "the YAML above" : "the saved policy"} against this request; nothing is stored
        </span>
      </div>
      <div className="section">
        <div className="toolbar">
          <select className="select" value={method} onChange={(e) => setMethod(e.target.value)} aria-label="Method" data-testid="try-method">
            {["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
          <input className="input mono" style={{ flex: 1 }} value={url} onChange={(e) => setUrl(e.target.value)} aria-label="URL" data-testid="try-url" spellCheck={false} />
        </div>
        <div className="grid cols-2" style={{ gap: 10 }}>
          <label className="field">
            Request headers (Name: value per line)
            <textarea className="input mono" rows={4} value={headers} onChange={(e) => setHeaders(e.target.value)} data-testid="try-headers" spellCheck={false} />
          </label>
          <label className="field">
            Request body
            <textarea className="input mono" rows={4} value={body} onChange={(e) => setBody(e.target.value)} data-testid="try-body" spellCheck={false} />
          </label>
        </div>
        <label style={{ fontSize: 13 }}>
          <input type="checkbox" className="check" checked={withResp} onChange={(e) => setWithResp(e.target.checked)} /> Include a response
        </label>
        {withResp && (
          <div className="grid" style={{ gridTemplateColumns: "120px 1fr", gap: 10 }}>
            <label className="field">
              Status
              <input className="input" value={status} onChange={(e) => setStatus(e.target.value)} />
            </label>
            <label className="field">
              Response body
              <textarea className="input mono" rows={3} value={respBody} onChange={(e) => setRespBody(e.target.value)} spellCheck={false} />
            </label>
          </div>
        )}
        <div className="toolbar">
          <button className="btn primary" onClick={run} disabled={busy} data-testid="try-run">
            {busy ? "Running…" : "Run"}
          </button>
          {result && (
            <strong data-testid="try-result" data-matched={String(result.matched)} style={{ color: result.matched ? "var(--sev-critical)" : "var(--ok)" }}>
              {result.matched ? `Matched — ${result.findings.length} finding(s)` : "No match"}
            </strong>
          )}
          {err && <span className="muted">{err}</span>}
        </div>
        {result && result.findings.length > 0 && (
          <div className="card flush">
            <DataTable
              testId="table-findings"
              autoHeight
              rows={result.findings}
              rowKey={(f) => `${f.policyId}-${f.location}-${f.matched}`}
              columns={[
                { key: "p", header: "Policy", className: "mono", render: (f) => f.policyId },
                { key: "l", header: "Location", className: "mono", render: (f) => f.location },
                { key: "m", header: "Matched", className: "mono clip", title: (f) => f.matched, render: (f) => f.matched },
                { key: "s", header: "Severity", render: (f) => <SeverityChip severity={f.severity} /> },
                { key: "e", header: "Exploit", render: (f) => (f.successfulExploit ? "yes" : "no") },
              ]}
            />
          </div>
        )}
      </div>
    </div>
  );
}

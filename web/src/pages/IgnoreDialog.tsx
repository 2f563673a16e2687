import { useState } from "react";
import { api } from "../api/client";
import type { ThreatEvent } from "../api/types";
import { Modal } from "../components/Overlays";
import { errorText, useNotify } from "../state";

const EXPIRY = [
  { id: "", label: "Never" },
  { id: String(86400), label: "1 day" },
  { id: String(7 * 86400), label: "7 days" },
  { id: String(30 * 86400), label: "30 days" },
  { id: String(90 * 86400), label: "90 days" },
];

/** Ignore: creates an ignore rule from the event (scope: this endpoint, or this actor on it). */
export function IgnoreDialog({
  event,
  onClose,
  onDone,
}: {
  event: ThreatEvent;
  onClose: () => void;
  onDone: () => void;
}) {
  const [scope, setScope] = useState<"endpoint" | "actor">("actor");
  const [expires, setExpires] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const notify = useNotify();

  async function submit() {
    setBusy(true);
    try {
      await api.ignoreEvent(event.id, {
        scope,
        expiresIn: expires ? Number(expires) : undefined,
        reason: reason.trim(),
      });
      notify("Ignored: matching detections will be suppressed");
      onDone();
    } catch (e) {
      notify(`Ignore failed: ${errorText(e)}`, true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title="Ignore this threat"
      onClose={onClose}
      testId="ignore-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" onClick={submit} disabled={busy || !reason.trim()} data-testid="ignore-save">
            Ignore
          </button>
        </>
      }
    >
      <p className="muted" style={{ margin: 0 }}>
        Warden will stop flagging <strong>{event.policyName || event.policyId}</strong> on{" "}
        <span className="mono">
          {event.method} {event.endpoint}
        </span>{" "}
        for the scope you choose.
      </p>
      <fieldset style={{ border: 0, padding: 0, margin: 0, display: "flex", flexDirection: "column", gap: 6 }}>
        <label>
          <input type="radio" name="scope" checked={scope === "actor"} onChange={() => setScope("actor")} data-testid="ignore-scope-actor" />{" "}
          Only this actor (<span className="mono">{event.actor}</span>) on this endpoint
        </label>
        <label>
          <input type="radio" name="scope" checked={scope === "endpoint"} onChange={() => setScope("endpoint")} data-testid="ignore-scope-endpoint" />{" "}
          Every actor on this endpoint
        </label>
      </fieldset>
      <label className="field">
        Expires
        <select className="select" value={expires} onChange={(e) => setExpires(e.target.value)} data-testid="ignore-expiry">
          {EXPIRY.map((x) => (
            <option key={x.id} value={x.id}>
              {x.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        Reason
        <textarea className="input" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="ignore-reason" placeholder="e.g. internal scanner, accepted risk" />
      </label>
    </Modal>
  );
}

// Changes the status of one actor or many, with a duration (Snooze/Suspend) and a comment.

import { useState } from "react";
import { api } from "../api/client";
import type { ActorStatus } from "../api/types";
import { ACTOR_STATUS_LABEL } from "../components/Chips";
import { Modal } from "../components/Overlays";
import { errorText, useNotify } from "../state";

const SETTABLE: { id: ActorStatus; hint: string }[] = [
  { id: "DENY", hint: "Block permanently, including new IPs of this actor" },
  { id: "SUSPEND", hint: "Block for a while, then back to Active" },
  { id: "SNOOZE", hint: "Allow for a while, then back to Active" },
  { id: "ALLOW", hint: "Never block, whatever it does" },
  { id: "MONITORED", hint: "Watch without treating as an attacker" },
  { id: "RESOLVED", hint: "No longer a threat: the score restarts from 0" },
  { id: "ACTIVE", hint: "Default state of an attacking actor" },
];

export const DURATIONS = [
  { s: 3600, label: "1 hour" },
  { s: 6 * 3600, label: "6 hours" },
  { s: 12 * 3600, label: "12 hours" },
  { s: 86400, label: "1 day" },
  { s: 3 * 86400, label: "3 days" },
  { s: 604800, label: "1 week" },
];

export function ActorStatusDialog({
  ids,
  current,
  onClose,
  onDone,
}: {
  ids: string[];
  current?: ActorStatus;
  onClose: () => void;
  onDone: () => void;
}) {
  const [status, setStatus] = useState<ActorStatus>(current === "DENY" ? "ACTIVE" : "DENY");
  const [duration, setDuration] = useState(86400);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  const timed = status === "SNOOZE" || status === "SUSPEND";

  async function submit() {
    setBusy(true);
    const change = { status, duration: timed ? duration : undefined, comment: comment.trim() || undefined };
    try {
      if (ids.length === 1) await api.setActorStatus(ids[0]!, change);
      else await api.setActorsStatus(ids, change);
      notify(`${ids.length === 1 ? "Actor" : `${ids.length} actors`} set to ${ACTOR_STATUS_LABEL[status]}`);
      onDone();
    } catch (e) {
      notify(`Status change failed: ${errorText(e)}`, true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title={ids.length === 1 ? "Update actor status" : `Update status of ${ids.length} actors`}
      onClose={onClose}
      testId="actor-status-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" onClick={submit} disabled={busy} data-testid="actor-status-save">
            Save
          </button>
        </>
      }
    >
      {ids.length === 1 && (
        <p className="muted mono" style={{ margin: 0, wordBreak: "break-all" }}>
          {ids[0]}
        </p>
      )}
      <label className="field">
        Status
        <select
          className="select"
          value={status}
          onChange={(e) => setStatus(e.target.value as ActorStatus)}
          data-testid="actor-status-select"
        >
          {SETTABLE.map((s) => (
            <option key={s.id} value={s.id}>
              {ACTOR_STATUS_LABEL[s.id]} — {s.hint}
            </option>
          ))}
        </select>
      </label>
      {timed && (
        <label className="field">
          Duration
          <select
            className="select"
            value={duration}
            onChange={(e) => setDuration(Number(e.target.value))}
            data-testid="actor-status-duration"
          >
            {DURATIONS.map((d) => (
              <option key={d.s} value={d.s}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        Comment
        <textarea
          className="input"
          rows={3}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          data-testid="actor-status-comment"
          placeholder="Why? (shown in the status log)"
        />
      </label>
    </Modal>
  );
}

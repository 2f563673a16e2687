import { useState } from "react";
import { api } from "../api/client";
import { Modal } from "../components/Overlays";
import { errorText, useNotify } from "../state";

/** "Block IP": denies the actor behind the event (its IPs, new ones included, are blocked). */
export function BlockActorDialog({ actorId, ip, onClose }: { actorId: string; ip: string; onClose: () => void }) {
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  async function submit() {
    setBusy(true);
    try {
      await api.setActorStatus(actorId, { status: "DENY", comment: comment.trim() || undefined });
      notify("Actor denied: its traffic will be blocked");
      onClose();
    } catch (e) {
      notify(`Block failed: ${errorText(e)}`, true);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal
      title="Block IP"
      onClose={onClose}
      testId="block-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" onClick={submit} disabled={busy} data-testid="block-save">
            Deny actor
          </button>
        </>
      }
    >
      <p style={{ margin: 0 }}>
        Sets actor <span className="mono">{actorId}</span> to <strong>Deny</strong>: requests from{" "}
        <span className="mono">{ip}</span> and any other address this actor uses are blocked until the status
        changes.
      </p>
      <label className="field">
        Comment
        <textarea className="input" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} data-testid="block-comment" />
      </label>
    </Modal>
  );
}

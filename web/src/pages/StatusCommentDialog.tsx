import { useState } from "react";
import { Modal } from "../components/Overlays";

/** Confirms a status change on events, with an optional comment. */
export function StatusCommentDialog({
  title,
  onClose,
  onSubmit,
}: {
  title: string;
  onClose: () => void;
  onSubmit: (comment: string) => Promise<void>;
}) {
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      title={title}
      onClose={onClose}
      testId="status-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            className="btn primary"
            disabled={busy}
            data-testid="status-save"
            onClick={async () => {
              setBusy(true);
              try {
                await onSubmit(comment.trim());
              } finally {
                setBusy(false);
              }
            }}
          >
            Save
          </button>
        </>
      }
    >
      <label className="field">
        Comment (optional)
        <textarea
          className="input"
          rows={3}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          data-testid="status-comment"
        />
      </label>
    </Modal>
  );
}

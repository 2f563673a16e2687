// Jira issue / work item. The API has no route that creates the issue, so the dialog prepares
// its summary and description for copying, links to the configured Jira (when the key may read
// settings), and records the issue URL on the event.

import { useState } from "react";
import { api } from "../api/client";
import type { ThreatEvent } from "../api/types";
import { Modal } from "../components/Overlays";
import { copyText } from "../lib/download";
import { fmtTime } from "../lib/format";
import { safeExternalUrl } from "../lib/url";
import { useAsync } from "../lib/useAsync";
import { errorText, useCan, useNotify } from "../state";

export function WorkItemDialog({
  event,
  onClose,
  onDone,
}: {
  event: ThreatEvent;
  onClose: () => void;
  onDone: () => void;
}) {
  const isAdmin = useCan("admin");
  const settings = useAsync((s) => api.settings({ signal: s }), [], isAdmin);
  const jira = settings.data?.jira;
  const jiraUrl = jira?.configured ? safeExternalUrl(jira.baseUrl) : null;
  const [url, setUrl] = useState(event.jiraTicketUrl ?? "");
  const [busy, setBusy] = useState(false);
  const notify = useNotify();

  const summary = `[Warden] ${event.severity} ${event.policyName || event.policyId} on ${event.method} ${event.endpoint}`;
  const description = [
    `Threat: ${event.policyName} (${event.policyId})`,
    `Severity: ${event.severity}; category: ${event.category} / ${event.subCategory}`,
    `Endpoint: ${event.method} ${event.endpoint} on ${event.host}`,
    `Actor: ${event.actor} (IP ${event.ip}, ${event.country || "unknown country"})`,
    `Detected: ${fmtTime(event.detectedAt)}, last ${fmtTime(event.lastDetectedAt)}, ${event.count} times`,
    `Successful exploit: ${event.successfulExploit ? "yes" : "no"}`,
    `Warden event id: ${event.id}`,
  ].join("\n");

  async function save() {
    setBusy(true);
    try {
      await api.patchEvent(event.id, { jiraTicketUrl: url.trim() });
      notify("Work item linked");
      onDone();
    } catch (e) {
      notify(`Saving failed: ${errorText(e)}`, true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title="Jira issue / work item"
      onClose={onClose}
      testId="jira-dialog"
      wide
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" onClick={save} disabled={busy} data-testid="jira-save">
            Save link
          </button>
        </>
      }
    >
      {jira?.configured ? (
        <p style={{ margin: 0 }}>
          Jira is configured (project <strong>{jira.project}</strong>, type {jira.issueType}).{" "}
          {jiraUrl && (
            <a href={jiraUrl} target="_blank" rel="noopener noreferrer">
              Open Jira
            </a>
          )}
        </p>
      ) : (
        <p className="muted" style={{ margin: 0 }}>
          {isAdmin
            ? "Jira is not configured in settings; track the threat in any work tracker and link it here."
            : "Create the issue in your tracker and link it here."}
        </p>
      )}
      <label className="field">
        Summary
        <div className="toolbar">
          <input className="input mono" style={{ flex: 1 }} readOnly value={summary} />
          <button className="btn small" onClick={() => copyText(summary).then(() => notify("Summary copied"))}>
            Copy
          </button>
        </div>
      </label>
      <label className="field">
        Description
        <textarea className="input mono" rows={7} readOnly value={description} />
        <span>
          <button className="btn small" onClick={() => copyText(description).then(() => notify("Description copied"))}>
            Copy description
          </button>
        </span>
      </label>
      <label className="field">
        Issue URL
        <input
          className="input mono"
          value={url}
          placeholder="https://example.atlassian.net/browse/SEC-123"
          onChange={(e) => setUrl(e.target.value)}
          data-testid="jira-url"
        />
      </label>
    </Modal>
  );
}

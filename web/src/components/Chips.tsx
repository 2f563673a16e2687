import type { ActorStatus, EventStatus, Severity } from "../api/types";
import { titleCase } from "../lib/format";

const SEV_LABEL: Record<Severity, string> = {
  CRITICAL: "Critical",
  HIGH: "High",
  MEDIUM: "Medium",
  LOW: "Low",
};

export function SeverityChip({ severity }: { severity: Severity | string }) {
  const known = severity in SEV_LABEL;
  return (
    <span className={"chip" + (known ? " sev-" + severity : "")} data-severity={severity}>
      {known ? SEV_LABEL[severity as Severity] : String(severity || "—")}
    </span>
  );
}

export const EVENT_STATUS_LABEL: Record<EventStatus, string> = {
  ACTIVE: "Active",
  UNDER_REVIEW: "Under review",
  IGNORED: "Ignored",
};

export const ACTOR_STATUS_LABEL: Record<ActorStatus, string> = {
  ACTIVE: "Active",
  MONITORED: "Monitored",
  RESOLVED: "Resolved",
  ALLOW: "Allowed",
  SNOOZE: "Snoozed",
  SUSPEND: "Suspended",
  DENY: "Denied",
};

export function StatusChip({ status }: { status: EventStatus | ActorStatus | string }) {
  const label =
    (EVENT_STATUS_LABEL as Record<string, string>)[status] ??
    (ACTOR_STATUS_LABEL as Record<string, string>)[status] ??
    titleCase(String(status || "—"));
  return (
    <span className={"chip st-" + status} data-status={status}>
      {label}
    </span>
  );
}

export function ExploitChip({ yes }: { yes: boolean }) {
  return yes ? <span className="chip yes">Exploited</span> : <span className="faint">No</span>;
}

export function Tags({ values }: { values: readonly string[] | undefined }) {
  if (!values || values.length === 0) return <span className="faint">—</span>;
  return (
    <span>
      {values.map((v) => (
        <span className="tag" key={v}>
          {v}
        </span>
      ))}
    </span>
  );
}

export function Method({ method }: { method: string }) {
  return <span className="method">{method}</span>;
}

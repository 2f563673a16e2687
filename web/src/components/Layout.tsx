import type { ReactNode } from "react";
import { href } from "../lib/route";
import { useSession } from "../state";
import { TimeRangePicker } from "./TimeRangePicker";
import { ThemeToggle } from "./ThemeToggle";

export const PAGES = [
  { id: "overview", label: "Overview", icon: "◧" },
  { id: "activity", label: "Threat Activity", icon: "⚡" },
  { id: "actors", label: "Threat Actors", icon: "◉" },
  { id: "apis", label: "APIs Under Threat", icon: "◈" },
  { id: "callstats", label: "API Call Stats", icon: "▤" },
  { id: "policies", label: "Policies", icon: "⚙" },
] as const;
export type PageId = (typeof PAGES)[number]["id"];

export function Layout({ page, children }: { page: PageId; children: ReactNode }) {
  const { me, logout } = useSession();
  const title = PAGES.find((p) => p.id === page)?.label ?? "";
  return (
    <div className="shell">
      <nav className="side-nav" aria-label="Main">
        <div className="brand">
          <span className="brand-mark">W</span>
          <span>
            Warden
            <small>API threat detection</small>
          </span>
        </div>
        <div className="nav-section">Protection</div>
        {PAGES.map((p) => (
          <a
            key={p.id}
            href={href([p.id])}
            className={"nav-link" + (p.id === page ? " active" : "")}
            aria-current={p.id === page ? "page" : undefined}
            data-testid={`nav-${p.id}`}
          >
            <span className="nav-icon" aria-hidden>
              {p.icon}
            </span>
            {p.label}
          </a>
        ))}
        <div className="nav-footer">Warden · API v1</div>
      </nav>
      <header className="top-bar">
        <span className="page-title">{title}</span>
        <span className="spacer" />
        <TimeRangePicker />
        <ThemeToggle />
        <span className="who" data-testid="who">
          <span title="API key name">{me.name || me.keyId}</span>
          <span className="role-badge">{me.role}</span>
        </span>
        <button className="btn small" onClick={logout} data-testid="logout">
          Log out
        </button>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}

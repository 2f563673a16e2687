import { useState, type FormEvent } from "react";
import { ApiError, api } from "../api/client";
import type { Me } from "../api/types";
import { ThemeToggle } from "../components/ThemeToggle";

export function LoginPage({ onLogin, notice }: { onLogin: (key: string, me: Me) => void; notice?: string }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const k = key.trim();
    if (!k) return;
    setBusy(true);
    setError(null);
    try {
      const me = await api.me(k);
      onLogin(k, me);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError("This API key is not valid.");
      else if (err instanceof ApiError && err.status === 404)
        setError("This server does not offer Warden's API v1 (GET /api/v1/me answered 404).");
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login">
      <form className="login-card" onSubmit={submit} data-testid="login-form">
        <div className="brand">
          <span className="brand-mark">W</span>
          <span>
            Warden
            <small>API threat detection</small>
          </span>
          <span style={{ marginLeft: "auto" }}>
            <ThemeToggle />
          </span>
        </div>
        <p>Sign in with an API key (viewer, analyst or admin). The key stays in this browser tab only.</p>
        {notice && <div className="banner">{notice}</div>}
        <label className="field">
          API key
          <input
            className="input mono"
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            data-testid="login-key"
            autoFocus
          />
        </label>
        {error && (
          <div className="banner error" data-testid="login-error">
            {error}
          </div>
        )}
        <button className="btn primary" type="submit" disabled={busy || !key.trim()} data-testid="login-submit">
          {busy ? "Checking…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}

import { useCallback, useEffect, useMemo, useState } from "react";
import { ApiError, api, getApiKey, onUnauthorized, setApiKey } from "./api/client";
import type { Me } from "./api/types";
import { Layout, PAGES, type PageId } from "./components/Layout";
import { ErrorState, Loading } from "./components/States";
import { navigate, useRoute } from "./lib/route";
import { RangeProvider, SessionContext, ThemeProvider, ToastProvider } from "./state";
import { LoginPage } from "./pages/LoginPage";
import { OverviewPage } from "./pages/OverviewPage";
import { ThreatActivityPage } from "./pages/ThreatActivityPage";
import { ThreatActorsPage } from "./pages/ThreatActorsPage";
import { ApisUnderThreatPage } from "./pages/ApisUnderThreatPage";
import { ApiCallStatsPage } from "./pages/ApiCallStatsPage";
import { PoliciesPage } from "./pages/PoliciesPage";

type Auth =
  | { state: "checking" }
  | { state: "out"; notice?: string }
  | { state: "in"; me: Me }
  | { state: "error"; error: Error };

function Root() {
  const [auth, setAuth] = useState<Auth>(() => (getApiKey() ? { state: "checking" } : { state: "out" }));
  const [attempt, setAttempt] = useState(0);

  const logout = useCallback((notice?: string) => {
    setApiKey(null);
    setAuth({ state: "out", notice });
  }, []);

  useEffect(() => onUnauthorized(() => logout("Your API key is no longer valid. Sign in again.")), [logout]);

  useEffect(() => {
    if (auth.state !== "checking") return;
    const ctrl = new AbortController();
    api
      .me()
      .then((me) => setAuth({ state: "in", me }))
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) return; // onUnauthorized logs out
        setAuth({ state: "error", error: e instanceof Error ? e : new Error(String(e)) });
      });
    return () => ctrl.abort();
  }, [auth.state, attempt]);

  const session = useMemo(
    () => (auth.state === "in" ? { me: auth.me, logout: () => logout() } : null),
    [auth, logout],
  );

  if (auth.state === "checking") return <Loading label="Signing in…" />;
  if (auth.state === "error")
    return (
      <div className="login">
        <div className="login-card">
          <ErrorState
            error={auth.error}
            retry={() => {
              setAuth({ state: "checking" });
              setAttempt((a) => a + 1);
            }}
          />
          <button className="btn" onClick={() => logout()}>
            Use another key
          </button>
        </div>
      </div>
    );
  if (auth.state === "out" || !session)
    return (
      <LoginPage
        notice={auth.state === "out" ? auth.notice : undefined}
        onLogin={(key, me) => {
          setApiKey(key);
          setAuth({ state: "in", me });
        }}
      />
    );
  return (
    <SessionContext.Provider value={session}>
      <RangeProvider>
        <Pages />
      </RangeProvider>
    </SessionContext.Provider>
  );
}

function Pages() {
  const route = useRoute();
  const first = route.path[0] ?? "";
  const known = PAGES.some((p) => p.id === first);
  useEffect(() => {
    if (!known) navigate(["overview"], {}, true);
  }, [known]);
  if (!known) return null;
  const page = first as PageId;
  return (
    <Layout page={page}>
      {page === "overview" && <OverviewPage />}
      {page === "activity" && <ThreatActivityPage />}
      {page === "actors" && <ThreatActorsPage />}
      {page === "apis" && <ApisUnderThreatPage />}
      {page === "callstats" && <ApiCallStatsPage />}
      {page === "policies" && <PoliciesPage />}
    </Layout>
  );
}

export function App() {
  return (
    <ThemeProvider>
      <ToastProvider>
        <Root />
      </ToastProvider>
    </ThemeProvider>
  );
}

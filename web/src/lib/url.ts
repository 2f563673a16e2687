/**
 * Returns the URL when it is an absolute http(s) URL, else null. Used only for links an operator
 * configured (work-item URLs, policy references) — never for traffic data, which is not linked.
 */
export function safeExternalUrl(u: string | null | undefined): string | null {
  if (!u) return null;
  try {
    const parsed = new URL(u);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
    return parsed.href;
  } catch {
    return null;
  }
}

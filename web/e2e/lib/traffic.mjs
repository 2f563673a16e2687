// Builds Akto JSON Lines traffic that carries XSS probes in every place the dashboard shows
// traffic data: paths, query parameters, headers, bodies, host names and actor ids.

const PREFIXES = ["81.2.69.", "5.9.41.", "88.198.12.", "24.48.7.", "187.2.33.", "41.203.5.", "49.36.80.", "110.232.4."];
export const XSS_HOST = "xss.example";
export const ACTOR_HEADER = "x-e2e-user";
/** `warden serve --config`: actor ids come from a header the probes fill (when present). */
export const XSS_CONFIG = `actor_identity:\n  - hosts: ["*"]\n    source: header\n    name: ${ACTOR_HEADER}\n`;

/** Encodes only what would break the request line (space, #, ?, %, control characters). */
function rawPath(s) {
  return s.replace(/[\u0000-\u0020%#?\u007f]/g, (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase());
}

function record({ method, path, headers, body = "", status = 200, respBody = '{"ok":true}', respHeaders, ip, time }) {
  return JSON.stringify({
    method,
    path,
    type: "HTTP/1.1",
    requestHeaders: JSON.stringify(headers),
    requestPayload: body,
    responseHeaders: JSON.stringify(respHeaders ?? { "content-type": "application/json" }),
    responsePayload: respBody,
    ip: "10.99.0.1",
    destIp: "10.99.1.1",
    time: String(time),
    statusCode: String(status),
    status: `${status} OK`,
    akto_vxlan_id: "0",
    source: "e2e-xss",
  });
}

/**
 * One or two exchanges per probe, rotating the placement; every fourth probe is also the actor
 * id. Requests whose probe sits where a policy may not look also carry a plain script tag in the
 * query, so each becomes a threat event the dashboard lists.
 */
export function xssTraffic(probes, now = Math.floor(Date.now() / 1000)) {
  const lines = [];
  const trigger = "probe=" + encodeURIComponent("<script>alert(0)</script>");
  probes.forEach((p, i) => {
    const ip = PREFIXES[i % PREFIXES.length] + (10 + (i % 200));
    const time = now - 3600 + Math.floor((i * 3000) / Math.max(1, probes.length));
    const headers = {
      host: XSS_HOST,
      "user-agent": "Mozilla/5.0 (e2e)",
      accept: "application/json",
      "x-forwarded-for": ip,
    };
    if (i % 4 === 0) headers[ACTOR_HEADER] = p.slice(0, 190);
    switch (i % 7) {
      case 0:
        lines.push(record({ method: "GET", path: `/shop/search?q=${encodeURIComponent(p)}&page=1`, headers, ip, time }));
        break;
      case 1:
        lines.push(record({ method: "GET", path: `/shop/items/${rawPath(p)}?${trigger}`, headers, ip, time, status: 404 }));
        break;
      case 2:
        lines.push(record({ method: "GET", path: `/shop/p/${encodeURIComponent(p)}/reviews?${trigger}`, headers, ip, time }));
        break;
      case 3:
        lines.push(
          record({
            method: "GET",
            path: `/shop/profile?${trigger}`,
            headers: { ...headers, "user-agent": p, referer: p, "x-custom-note": p },
            ip,
            time,
          }),
        );
        break;
      case 4:
        lines.push(
          record({
            method: "POST",
            path: "/shop/reviews",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify({ title: p, text: p, rating: 5 }),
            respBody: JSON.stringify({ saved: p }),
            ip,
            time,
            status: 201,
          }),
        );
        break;
      case 5:
        lines.push(
          record({
            method: "POST",
            path: `/shop/comments?${trigger}`,
            headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
            body: "comment=" + encodeURIComponent(p) + "&raw=" + p,
            respBody: `<html><body>${p}</body></html>`,
            respHeaders: { "content-type": "text/html", "x-reflected": p },
            ip,
            time,
          }),
        );
        break;
      default:
        lines.push(
          record({
            method: "GET",
            path: `/shop/hosted?${trigger}&v=${encodeURIComponent(p)}`,
            headers: { ...headers, host: p.replace(/[\r\n]/g, " ").slice(0, 120) },
            ip,
            time,
          }),
        );
    }
  });
  return lines.join("\n") + "\n";
}

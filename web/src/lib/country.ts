let names: Intl.DisplayNames | null = null;
try {
  names = new Intl.DisplayNames(["en"], { type: "region" });
} catch {
  names = null;
}

/** "DE" → "Germany (DE)"; unknown or empty codes are shown as they are. */
export function countryName(code: string | null | undefined): string {
  if (!code) return "Unknown";
  if (/^[A-Za-z]{2}$/.test(code) && names) {
    try {
      const n = names.of(code.toUpperCase());
      if (n && n !== code.toUpperCase()) return `${n} (${code.toUpperCase()})`;
    } catch {
      /* fall through */
    }
  }
  return code;
}

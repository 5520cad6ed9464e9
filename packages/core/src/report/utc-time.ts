/** An ISO time as summaries show it: `2026-11-02T10:00:00.000Z` → `2026-11-02 10:00:00 UTC`. */
export function utcTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

/** age formats how long ago `then` was as a compact duration (40s, 12m, 5h, 3d, 2y); "-" when unset. */
export function age(then: Date | undefined, now: Date): string {
  if (!then) return "-";
  return compact(now.getTime() - then.getTime());
}

/** until formats how far in the future `then` is ("in 29d"), "expired" when past, "never" when unset. */
export function until(then: Date | undefined, now: Date): string {
  if (!then) return "never";
  const ms = then.getTime() - now.getTime();
  return ms <= 0 ? "expired" : `in ${compact(ms)}`;
}

// Each unit is rounded to the nearest whole one: 8 h less a few seconds reads 8h, not 7h.
function compact(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.round(s / 3600);
  if (h < 48) return `${h}h`;
  const d = Math.round(s / 86400);
  if (d < 730) return `${d}d`;
  return `${Math.round(d / 365)}y`;
}

/** A Kubernetes quantity in base units (cores, bytes); NaN when it is not one (`500m`, `2`, `128Mi`, `1Ti`). */
export function quantity(q: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti)?$/.exec(q ?? "");
  if (!m) return Number.NaN;
  const unit = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 }[m[2] as "m"] ?? 1;
  return Number(m[1]) * unit;
}

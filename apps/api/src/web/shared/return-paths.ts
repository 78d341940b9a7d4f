/** `2026/27-Q2` → `2026-27-Q2`: periods contain a slash, which cannot stand in a path segment. */
export function periodPathOf(periodId: string): string {
  return periodId.replace('/', '-');
}

/** The page of a return: `/app/returns/PH-01/2026-27-Q2`. E-mail links use the same address. */
export function returnPagePath(kpiId: string, cycleId: string): string {
  return `/app/returns/${encodeURIComponent(kpiId)}/${periodPathOf(cycleId)}`;
}

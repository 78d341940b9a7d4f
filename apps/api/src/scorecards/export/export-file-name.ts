/**
 * A download's file name that says whose, which period and as at when:
 * `quarterly-demo-council-scorecard-2026-27-Q2-as-at-2026-10-09T1000Z.xlsx`.
 * Only letters, digits and dashes: safe in a Content-Disposition header on every platform.
 */
export function exportFileName(councilName: string, what: string, cycleId: string, asAt: string, extension: string): string {
  const slug = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'council';
  const instant = asAt.slice(0, 16).replace(':', '') + 'Z';
  return `${slug(councilName)}-${what}-${cycleId.replace('/', '-')}-as-at-${instant}.${extension}`;
}

export function attachmentHeader(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}

import type { PageError } from '../../shared/plain-english';

/** The error summary in the order the form asks its questions. */
export function summaryInFormOrder(fieldErrors: Readonly<Record<string, string>>, order: readonly string[], anchors: Readonly<Record<string, string>> = {}): PageError[] {
  const rank = (field: string) => (order.indexOf(field) + 1 || 99);
  return Object.entries(fieldErrors)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([field, text]) => ({ text, href: `#${anchors[field] ?? field}` }));
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * The return's page in the web app, `<base>/app/returns/<kpiId>/<2025-26-Q2>` for the return id
 * `<kpiId>:<2025/26-Q2>` (periods hold a slash, which a path segment cannot). A person who is not
 * signed in is taken through sign-in and back to it.
 */
export function returnLink(publicBaseUrl: string, returnId: string): string {
  const separator = returnId.lastIndexOf(':');
  const kpiId = returnId.slice(0, separator);
  const period = returnId.slice(separator + 1).replace('/', '-');
  return `${publicBaseUrl.replace(/\/+$/, '')}/app/returns/${encodeURIComponent(kpiId)}/${encodeURIComponent(period)}`;
}

/** "Your returns" in the web app: every return a person answers for, grouped as the digest is. */
export function yourReturnsLink(publicBaseUrl: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/app/your-returns`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-10-14` → `14 Oct 2025`, the way council papers write dates. */
export function displayDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year}`;
}

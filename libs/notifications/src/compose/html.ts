const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The link to a return in the web app: `<base>/returns/<returnId>` (the id URL-encoded). */
export function returnLink(publicBaseUrl: string, returnId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/returns/${encodeURIComponent(returnId)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-10-14` → `14 Oct 2025`, the way council papers write dates. */
export function displayDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year}`;
}

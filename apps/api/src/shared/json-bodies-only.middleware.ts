import type { NextFunction, Request, Response } from 'express';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * The route families that take a file as their body: the register and past-figures imports (XLSX
 * or CSV). None of these types can be sent cross-site without a CORS preflight, which the API never
 * grants.
 */
const FILE_UPLOADS: ReadonlyArray<{ readonly path: RegExp; readonly type: RegExp }> = [
  {
    path: /^\/(?:register|past-figures)-imports(?:\/|$)/,
    type: /^(?:text\/csv|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet|application\/octet-stream)\s*(?:;|$)/i,
  },
];

/**
 * The JSON API takes JSON bodies only: anything else is 415, before a body parser reads it. A
 * form-encoded post is what a cross-site page can send without the browser asking first (no
 * CORS preflight), so the API must never read one as if it were JSON. Only the pages (`/app`)
 * read form bodies, and the imports their spreadsheet files.
 */
export function jsonBodiesOnly(request: Request, response: Response, next: NextFunction): void {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  const type = request.headers['content-type'] ?? '';
  if (!hasBody || isPagePath(request.path) || JSON_MEDIA_TYPE.test(type)) return next();
  if (FILE_UPLOADS.some((upload) => upload.path.test(request.path) && upload.type.test(type))) return next();
  response
    .status(415)
    .type('application/problem+json')
    .json({
      type: 'urn:quarterly:problem:unsupported_media_type',
      title: 'Unsupported Media Type',
      status: 415,
      detail: 'send the body as JSON (Content-Type: application/json)',
      instance: request.originalUrl,
      code: 'unsupported_media_type',
    });
}

/** The web pages' paths: forms post there, with form bodies. */
export function isPagePath(path: string): boolean {
  return path === '/app' || path.startsWith('/app/');
}

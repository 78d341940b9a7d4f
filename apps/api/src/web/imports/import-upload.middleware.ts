import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';

/** Beyond this an upload is cut off (the importers read files up to 8 MB and report larger ones). */
export const PAGE_UPLOAD_LIMIT_BYTES = 24 * 1024 * 1024;

const parse = multer({ storage: multer.memoryStorage(), limits: { fileSize: PAGE_UPLOAD_LIMIT_BYTES, files: 1, fields: 10, fieldSize: 10_000 } }).single('file');

/**
 * Reads the import pages' file uploads (`multipart/form-data`: the CSRF token and the file) before
 * the page guard runs, so the guard checks the form's CSRF token as for any form. A file larger
 * than the limit is not kept: `uploadProblem` says why, for the page to show.
 */
export function importUploads(request: Request, response: Response, next: NextFunction): void {
  if (request.method !== 'POST') return next();
  parse(request, response, (error?: unknown) => {
    if (error instanceof multer.MulterError) {
      (request as Request & { uploadProblem?: string }).uploadProblem =
        error.code === 'LIMIT_FILE_SIZE' ? `The file is larger than ${PAGE_UPLOAD_LIMIT_BYTES / (1024 * 1024)} MB` : 'The upload could not be read: choose the file again';
      return next();
    }
    next(error);
  });
}

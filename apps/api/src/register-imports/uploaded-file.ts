import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';

/** The content type of an XLSX workbook (templates sent, files received). */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Content types an imported file (register or past figures) may be sent as (the body is the file itself). */
export const REGISTER_FILE_TYPES = ['text/csv', XLSX_TYPE, 'application/octet-stream'] as const;

/** An uploaded file's name as the import endpoints accept it: no path, ending .xlsx or .csv. */
export const IMPORT_FILE_NAME = /^[^/\\\u0000-\u001f]+\.(xlsx|csv)$/i;

/** The OpenAPI body of an import request: the file itself. */
export const IMPORT_FILE_BODY = { schema: { type: 'string', format: 'binary' }, description: 'The XLSX or CSV file itself.' } as const;

/**
 * Beyond this the request is cut off with 413; below it, a file larger than the importer reads
 * is still received, so the report can say how large it is.
 */
const HARD_LIMIT_BYTES = 24 * 1024 * 1024;

/** Reads the request body as the uploaded file's bytes. */
export async function readUploadedFile(request: Request): Promise<Buffer> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(REGISTER_FILE_TYPES as readonly string[]).includes(type)) {
    throw new UnsupportedMediaTypeException(`send the file itself as the body, with Content-Type ${REGISTER_FILE_TYPES.join(' or ')}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > HARD_LIMIT_BYTES) throw new PayloadTooLargeException(`the file is larger than ${HARD_LIMIT_BYTES / (1024 * 1024)} MB`);
    chunks.push(chunk);
  }
  if (size === 0) throw new BadRequestException('the request has no file: send the file itself as the body');
  return Buffer.concat(chunks);
}

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A file uploaded for a dry run, kept so that "Apply" imports exactly the file checked. */
export interface KeptUpload {
  readonly kind: string;
  readonly fileName: string;
  readonly content: Buffer;
}

/** How long an uploaded file is kept between its dry run and its apply. */
export const UPLOAD_KEPT_SECONDS = 3_600;

/**
 * Uploaded files between the dry run and the apply, in the pages' Redis (shared by replicas), per
 * session: an apply can only take a file its own session uploaded, and a file is kept an hour.
 */
export class ImportUploadStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async keep(sessionId: string, upload: KeptUpload): Promise<string> {
    const id = randomUUID();
    await this.redis.set(this.key(sessionId, id), JSON.stringify({ kind: upload.kind, fileName: upload.fileName, content: upload.content.toString('base64') }), 'EX', UPLOAD_KEPT_SECONDS);
    return id;
  }

  async find(sessionId: string, id: string): Promise<KeptUpload | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    const kept = await this.redis.get(this.key(sessionId, id));
    if (kept === null) return undefined;
    const { kind, fileName, content } = JSON.parse(kept) as { kind: string; fileName: string; content: string };
    return { kind, fileName, content: Buffer.from(content, 'base64') };
  }

  async forget(sessionId: string, id: string): Promise<void> {
    await this.redis.del(this.key(sessionId, id));
  }

  private key(sessionId: string, id: string): string {
    return `${this.prefix}upload:${sessionId}:${id}`;
  }
}

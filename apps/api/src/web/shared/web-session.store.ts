import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A sign-in in progress: what the callback must check (OIDC state, nonce, PKCE verifier). */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** The page the person asked for (a local `/app/...` path). */
  readonly returnTo: string;
}

export interface WebSession {
  readonly id: string;
  /** The directory person signed in; absent while signing in. */
  readonly personId?: string;
  /** The ID token, for RP-initiated sign-out (`id_token_hint`). */
  readonly idToken?: string;
  readonly pendingSignIn?: PendingSignIn;
  /** The synchronizer token every form carries. */
  readonly csrfToken: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

export interface WebSessionTimeouts {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

/**
 * Sessions in Redis, so several API replicas share them and sign-out ends a session everywhere
 * at once. The cookie holds only a random id with an HMAC; a session ends after `idleMs` without
 * a request (Redis expiry, renewed on each request) and `absoluteMs` after it began, however busy.
 */
export class WebSessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly secret: string,
    private readonly timeouts: WebSessionTimeouts,
    private readonly keyPrefix = 'quarterly:web-session:',
  ) {}

  async create(now: number, fields: Pick<WebSession, 'personId' | 'idToken' | 'pendingSignIn'> = {}): Promise<WebSession> {
    const session: WebSession = {
      id: randomBytes(32).toString('base64url'),
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      ...fields,
    };
    await this.save(session);
    return session;
  }

  /** The live session the cookie names, renewed; undefined when absent, forged or timed out. */
  async load(cookieValue: string | undefined, now: number): Promise<WebSession | undefined> {
    const id = cookieValue ? this.verify(cookieValue) : undefined;
    if (!id) return undefined;
    const raw = await this.redis.get(this.key(id));
    if (!raw) return undefined;
    const session = JSON.parse(raw) as WebSession;
    if (now - session.createdAt >= this.timeouts.absoluteMs || now - session.lastSeenAt >= this.timeouts.idleMs) {
      await this.destroy(session.id);
      return undefined;
    }
    const renewed = { ...session, lastSeenAt: now };
    await this.save(renewed);
    return renewed;
  }

  async save(session: WebSession): Promise<void> {
    const remaining = Math.min(this.timeouts.idleMs, session.createdAt + this.timeouts.absoluteMs - session.lastSeenAt);
    await this.redis.set(this.key(session.id), JSON.stringify(session), 'PX', Math.max(1, remaining));
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  /** `<id>.<hmac>`: what the cookie carries. */
  cookieValueOf(session: WebSession): string {
    return `${session.id}.${this.sign(session.id)}`;
  }

  private verify(value: string): string | undefined {
    const [id, signature, extra] = value.split('.');
    if (!id || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(id));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? id : undefined;
  }

  private sign(id: string): string {
    return createHmac('sha256', this.secret).update(id).digest('base64url');
  }

  private key(id: string): string {
    return `${this.keyPrefix}${id}`;
  }
}

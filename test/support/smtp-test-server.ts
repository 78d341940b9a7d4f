import { SMTPServer } from 'smtp-server';

/** A mail as the test server received it, parsed enough for assertions. */
export interface ReceivedMail {
  /** SMTP envelope: MAIL FROM and every RCPT TO (To and Cc recipients alike). */
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  readonly messageId: string;
  readonly subject: string;
  /** Addresses in the To and Cc headers. */
  readonly to: readonly string[];
  readonly cc: readonly string[];
  /** Every header, lower-cased names, unfolded and decoded. */
  readonly headers: ReadonlyMap<string, string>;
  readonly text: string;
  readonly html: string;
  readonly raw: string;
}

/**
 * A real SMTP server on 127.0.0.1 (a random port) that keeps every mail it accepts, for tests
 * that send through the production mailer. `stop()` / `start()` simulate the server being down
 * and coming back on the same port; `holdNextMessage()` keeps a delivery waiting (the sender is
 * mid-send) until released; `failNext(n)` answers the next n deliveries with a temporary error.
 */
export class SmtpTestServer {
  readonly mails: ReceivedMail[] = [];
  private server: SMTPServer | undefined;
  private held: Array<() => void> = [];
  private holdNext = false;
  private failuresLeft = 0;
  private waiters: Array<() => void> = [];
  private heldWaiters: Array<() => void> = [];

  private constructor(private portNumber: number) {}

  static async start(): Promise<SmtpTestServer> {
    const server = new SmtpTestServer(0);
    await server.start();
    return server;
  }

  get port(): number {
    return this.portNumber;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.portNumber}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 100,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const accept = () => {
            if (this.failuresLeft > 0) {
              this.failuresLeft -= 1;
              const error = Object.assign(new Error('try again later'), { responseCode: 451 });
              callback(error);
              return;
            }
            const raw = Buffer.concat(chunks).toString('utf8');
            this.mails.push(parseMail(raw, session));
            callback();
            this.notify();
          };
          if (this.holdNext) {
            this.holdNext = false;
            this.held.push(accept);
            this.heldWaiters.splice(0).forEach((wake) => wake());
          } else {
            accept();
          }
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.portNumber, '127.0.0.1', () => resolve());
    });
    this.portNumber = (server.server.address() as { port: number }).port;
    this.server = server;
  }

  /** Closes the listening socket and every open connection: the server is down. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    // Connections cut mid-delivery leave their message unaccepted, as a crashed server would.
    this.held = [];
    for (const connection of server.connections) (connection as { close(): void }).close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next message's data is received but not acknowledged until {@link releaseHeld}. */
  holdNextMessage(): void {
    this.holdNext = true;
  }

  /** Resolves once a held message is waiting for its acknowledgement. */
  async waitForHeldMessage(timeoutMs = 10_000): Promise<void> {
    if (this.held.length > 0) return;
    await this.waitFor(() => this.held.length > 0, this.heldWaiters, timeoutMs, 'a held message');
  }

  /** Acknowledges (and keeps) every held message. */
  releaseHeld(): void {
    this.held.splice(0).forEach((accept) => accept());
  }

  /** The next `count` deliveries are refused with `451 try again later`. */
  failNext(count: number): void {
    this.failuresLeft = count;
  }

  /** Resolves when at least `count` mails have been accepted in total. */
  async waitForMails(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    await this.waitFor(() => this.mails.length >= count, this.waiters, timeoutMs, `${count} mail(s), got ${this.mails.length}`);
    return this.mails;
  }

  private async waitFor(done: () => boolean, waiters: Array<() => void>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`SMTP test server: timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private notify(): void {
    this.waiters.splice(0).forEach((wake) => wake());
  }
}

// --- a small MIME reader: enough for what nodemailer produces (multipart/alternative, qp, base64) ---

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

function splitHeaders(raw: string): MimePart {
  const separator = raw.search(/\r?\n\r?\n/);
  const head = separator < 0 ? raw : raw.slice(0, separator);
  const body = separator < 0 ? '' : raw.slice(separator).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(text: string): string {
  // Literal runs are taken as UTF-8 text whole and each `=XX` escape is one byte, so a large
  // body (a digest of a hundred returns) decodes in one pass instead of a Buffer per character.
  const input = text.replace(/=\r?\n/g, '');
  const chunks: Buffer[] = [];
  const escaped: number[] = [];
  let literalFrom = 0;
  const flushEscaped = () => {
    if (escaped.length > 0) chunks.push(Buffer.from(escaped.splice(0)));
  };
  for (const match of input.matchAll(/=([0-9A-Fa-f]{2})/g)) {
    if (match.index > literalFrom) {
      flushEscaped();
      chunks.push(Buffer.from(input.slice(literalFrom, match.index), 'utf8'));
    }
    escaped.push(parseInt(match[1]!, 16));
    literalFrom = match.index + 3;
  }
  flushEscaped();
  if (literalFrom < input.length) chunks.push(Buffer.from(input.slice(literalFrom), 'utf8'));
  return Buffer.concat(chunks).toString('utf8');
}

function decodeBody(part: MimePart): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

function leaves(part: MimePart): MimePart[] {
  const type = part.headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!type.toLowerCase().startsWith('multipart/') || !boundary) return [part];
  const sections = part.body.split(`--${boundary}`).slice(1);
  return sections
    .filter((section) => !section.startsWith('--'))
    .flatMap((section) => leaves(splitHeaders(section.replace(/^\r?\n/, ''))));
}

function addresses(value: string | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(/<([^>]+)>|([^\s,<>"]+@[^\s,<>"]+)/g)].map((m) => (m[1] ?? m[2])!.toLowerCase());
}

function parseMail(raw: string, session: { envelope: { mailFrom: false | { address: string }; rcptTo: Array<{ address: string }> } }): ReceivedMail {
  const root = splitHeaders(raw);
  const parts = leaves(root);
  const bodyOf = (mime: string) =>
    parts.filter((p) => (p.headers.get('content-type') ?? 'text/plain').toLowerCase().startsWith(mime)).map(decodeBody).join('');
  return {
    envelope: {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
    },
    messageId: root.headers.get('message-id') ?? '',
    subject: root.headers.get('subject') ?? '',
    to: addresses(root.headers.get('to')),
    cc: addresses(root.headers.get('cc')),
    headers: root.headers,
    text: bodyOf('text/plain'),
    html: bodyOf('text/html'),
    raw,
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger, nestLoggerOver, requestLogMiddleware } from './logging';

/** A pino destination that keeps every line written to it. */
function captureLines(): { stream: Writable; lines: () => Array<Record<string, any>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
}

describe('the pino set-up shared by the API and the worker', () => {
  let server: Server;
  let baseUrl: string;
  const captured = captureLines();

  beforeAll(async () => {
    const logRequest = requestLogMiddleware(createLogger('info', captured.stream));
    server = createServer((request, response) => {
      // As Express does: the parsed query on the request, which the serializer logs too.
      const query = Object.fromEntries(new URL(request.url ?? '/', 'http://localhost').searchParams);
      Object.assign(request, { query });
      logRequest(request, response, () => undefined);
      response.setHeader('set-cookie', 'session=s3cr3t-session; HttpOnly');
      if (request.url === '/broken') response.statusCode = 500;
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('logs each request as one JSON line with its correlation id, the one returned to the caller', async () => {
    const response = await fetch(`${baseUrl}/kpis`, { headers: { 'x-correlation-id': 'caller-abc-1' } });
    expect(response.headers.get('x-correlation-id')).toBe('caller-abc-1');
    const line = captured.lines().find((entry) => entry.req?.url === '/kpis')!;
    expect(line).toMatchObject({ level: 'info', correlationId: 'caller-abc-1', req: { id: 'caller-abc-1', method: 'GET' }, res: { statusCode: 200 }, msg: 'request completed' });
    expect(typeof line.time).toBe('string');
    expect(line.responseTime).toEqual(expect.any(Number));
    expect(captured.lines().filter((entry) => entry.req?.url === '/kpis')).toHaveLength(1);
  });

  it('logs an answer of 5xx as a request that errored, with the error', async () => {
    await fetch(`${baseUrl}/broken`, { headers: { 'x-correlation-id': 'caller-broken-1' } });
    const line = captured.lines().find((entry) => entry.req?.url === '/broken')!;
    expect(line).toMatchObject({ level: 'info', correlationId: 'caller-broken-1', res: { statusCode: 500 }, msg: 'request errored', err: { message: 'failed with status code 500' } });
  });

  it('generates, logs and returns an id when the caller sends none', async () => {
    const response = await fetch(`${baseUrl}/cycles`);
    const generated = response.headers.get('x-correlation-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(captured.lines().find((entry) => entry.req?.url === '/cycles')).toMatchObject({ correlationId: generated });
  });

  it('never writes a bearer token, a cookie, a set-cookie or a token in the query, and no header at all', async () => {
    await fetch(`${baseUrl}/admin/queues?access_token=eyJhbGciOiJIUzI1NiJ9.secret-token&page=2`, {
      headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.secret-token', cookie: 'session=s3cr3t-session' },
    });
    const text = captured.lines().map((entry) => JSON.stringify(entry)).join('\n');
    expect(text).not.toContain('secret-token');
    expect(text).not.toContain('s3cr3t-session');
    const line = captured.lines().find((entry) => String(entry.req?.url).startsWith('/admin/queues'))!;
    expect(line.req.url).toBe('/admin/queues?access_token=[redacted]&page=2');
    expect(line.req.query).toEqual({ access_token: '[redacted]', page: '2' });
    // Headers are not logged at all, redacted or not; the request and answer are named without them.
    expect(line.req.headers).toBeUndefined();
    expect(line.res.headers).toBeUndefined();
    expect(line.req).toMatchObject({ method: 'GET', remoteAddress: expect.stringMatching(/127\.0\.0\.1/) });
    expect(line.res.statusCode).toEqual(expect.any(Number));
  });

  it("gives the worker's Nest lines the same JSON shape, secrets in objects redacted", () => {
    const output = captureLines();
    const nest = nestLoggerOver(createLogger('info', output.stream));
    nest.log('Worker started', 'WorkerModule');
    nest.error(new Error('queue connection lost'), 'TimersProcessor');
    createLogger('info', output.stream).info({ config: { databaseUrl: 'postgres://quarterly:pw@db/q', password: 'pw' } }, 'configuration');
    const [started, failed, configuration] = output.lines();
    expect(started).toMatchObject({ level: 'info', context: 'WorkerModule', msg: 'Worker started' });
    expect(failed).toMatchObject({ level: 'error', context: 'TimersProcessor', msg: 'queue connection lost', err: { message: 'queue connection lost' } });
    expect(configuration.config).toEqual({ databaseUrl: '[redacted]', password: '[redacted]' });
  });
});

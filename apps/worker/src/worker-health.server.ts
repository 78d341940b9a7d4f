import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BearerAuthenticator, DirectoryPrincipalResolver,
  runDependencyChecks,
  withoutRawErrors,
  type AuthConfig,
  type DependencyCheck,
  type QuarterlyEngine,
} from '@quarterly/platform';
import type { ReminderRuntime } from '@quarterly/reminders';

export interface WorkerHealthServerOptions {
  readonly engine: QuarterlyEngine;
  readonly runtime: ReminderRuntime;
  /** Who may see raw errors in the readiness report (a performance-team token). */
  readonly auth: AuthConfig;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
}

/**
 * The worker's own HTTP endpoint (it serves no API): `GET /health/live`, `GET /health/ready` and
 * `GET /metrics`, the same contracts as the API's. Ready needs the event store, the read models
 * and Redis (a worker without Redis has nothing to run); SMTP down is `degraded` (mail is retried).
 */
export class WorkerHealthServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(options: WorkerHealthServerOptions): Promise<WorkerHealthServer> {
    // Roles as the directory holds them, whatever the token claims (as the API's guard does).
    const authenticator = new BearerAuthenticator(options.auth, new DirectoryPrincipalResolver(options.engine.executor, options.engine.readModels));
    const checks: DependencyCheck[] = [
      { name: 'eventStore', critical: true, probe: () => options.engine.store.ping() },
      { name: 'readModels', critical: true, probe: () => options.engine.readModels.ping() },
      ...options.runtime.dependencyChecks().map((check) => (check.name === 'redis' ? { ...check, critical: true } : check)),
    ];
    const isOperator = async (request: IncomingMessage): Promise<boolean> => {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      if (!match?.[1]) return false;
      return authenticator.authenticate(match[1]).then(
        (principal) => principal.roles.includes('performance-team'),
        () => false,
      );
    };
    const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, { status: 405, title: 'Method Not Allowed' });
      if (path === '/health/live') return send(response, 200, { status: 'alive' });
      if (path === '/health/ready' || path === '/health') {
        const [report, operator] = await Promise.all([runDependencyChecks(checks), isOperator(request)]);
        return send(response, report.status === 'unavailable' ? 503 : 200, {
          ...(operator ? report : withoutRawErrors(report)),
          following: options.engine.activeRunners,
        });
      }
      if (path === '/metrics') {
        const text = await options.engine.metrics.render();
        response.writeHead(200, { 'content-type': options.engine.metrics.contentType, 'cache-control': 'no-store' });
        response.end(text);
        return;
      }
      send(response, 404, { status: 404, title: 'Not Found' });
    };
    const server = createServer((request, response) => {
      handle(request, response).catch(() => send(response, 500, { status: 500, title: 'Internal Server Error' }));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
    return new WorkerHealthServer(server, (server.address() as AddressInfo).port);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Probes and scrapers keep their connections alive; end them, or close() would wait for them.
    this.server.closeAllConnections();
    await closed;
  }
}

function send(response: ServerResponse, status: number, body: object): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': status >= 400 && status !== 503 ? 'application/problem+json' : 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

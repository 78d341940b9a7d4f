import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAppConfig } from '@quarterly/platform';
import { parse } from 'yaml';

// No container engine runs on the build machine, so `docker compose up` is never run here. This
// checks what can be checked without one: the file's structure and Compose's own rules that a
// mistake would break at start-up, and that the API's and the worker's environments pass the
// application's own configuration check in both modes.

const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

interface Service {
  profiles?: string[];
  image?: string;
  build?: unknown;
  environment?: Record<string, unknown>;
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
}

/** Compose's `${NAME:-default}` interpolation, with these variables set. */
function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_, name: string, fallback: string) => variables[name] || fallback);
}

function environmentOf(name: string, variables: Record<string, string> = {}): Record<string, string> {
  const environment = compose.services[name]!.environment ?? {};
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, interpolate(String(value), variables)]));
}

const defaultServices = Object.entries(compose.services).filter(([, service]) => !service.profiles).map(([name]) => name);

describe('docker-compose.yml', () => {
  it('starts the PostgreSQL mode by default, with EventStoreDB only in the eventstoredb profile', () => {
    expect(defaultServices.sort()).toEqual(['api', 'maildev', 'postgres', 'redis', 'worker']);
    expect(compose.services.eventstore!.profiles).toEqual(['eventstoredb']);
    expect(environmentOf('api').QUARTERLY_STORE).toBe('postgres');
    expect(environmentOf('worker').QUARTERLY_STORE).toBe('postgres');
    expect(environmentOf('api', { QUARTERLY_STORE: 'eventstoredb' }).QUARTERLY_STORE).toBe('eventstoredb');
  });

  it('gives the API and the worker a configuration the application accepts, in both modes', () => {
    for (const mode of ['postgres', 'eventstoredb']) {
      const api = loadAppConfig(environmentOf('api', { QUARTERLY_STORE: mode }));
      expect(api).toMatchObject({ store: mode, worker: 'off', demoData: true });
      const worker = loadAppConfig(environmentOf('worker', { QUARTERLY_STORE: mode }));
      expect(worker).toMatchObject({ store: mode, workerHealthPort: 3001, demoData: false });
    }
  });

  it('waits only for services that have a health check, and needs a profiled one only optionally', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, condition] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dependency];
        expect({ name, dependency, exists: target !== undefined }).toEqual({ name, dependency, exists: true });
        expect({ name, dependency, condition: condition.condition, healthcheck: target!.healthcheck !== undefined }).toEqual({
          name, dependency, condition: 'service_healthy', healthcheck: true,
        });
        if (target!.profiles && !service.profiles) expect({ name, dependency, required: condition.required }).toEqual({ name, dependency, required: false });
      }
    }
  });

  it("checks the API's and the worker's readiness endpoints on their own ports", () => {
    expect(compose.services.api!.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:3000/health/ready');
    expect(compose.services.worker!.healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${environmentOf('worker').WORKER_HEALTH_PORT}/health/ready`);
    for (const name of defaultServices) expect({ name, healthcheck: compose.services[name]!.healthcheck !== undefined }).toEqual({ name, healthcheck: true });
  });

  it('uses string environment values, existing mounted files, declared volumes and loopback-only ports', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) expect({ name, key, type: typeof value }).toEqual({ name, key, type: 'string' });
      for (const mount of service.volumes ?? []) {
        const source = mount.split(':')[0]!;
        if (source.startsWith('./')) expect({ name, source, exists: existsSync(join(root, source)) }).toEqual({ name, source, exists: true });
        else expect({ name, source, declared: source in compose.volumes }).toEqual({ name, source, declared: true });
      }
      for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
  });
});

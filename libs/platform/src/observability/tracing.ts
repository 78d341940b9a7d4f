import { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { correlationIdOf } from '../http/correlation-id';

/** The span attribute holding the request's correlation id, on the HTTP span and every span under it. */
export const CORRELATION_ID_ATTRIBUTE = 'quarterly.correlation_id';

export interface Tracing {
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry tracing, off unless `QUARTERLY_TRACING=otlp`. Must run before `pg`, `ioredis` and
 * `node:http` are first required (the instrumentations patch them as they load): the apps call it
 * from a module of its own imported first (`tracing.preload.ts`), and this file loads nothing
 * heavier than `node:http` and the correlation id until tracing is switched on.
 *
 * Spans: HTTP server and client (the server span carries the request's correlation id), and pg
 * and ioredis commands made inside a request or a BullMQ job (background polling is not traced). Each span copies the
 * correlation id of its parent, so every span of a request can be found by it. Spans go by
 * OTLP over HTTP (JSON) to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (default `http://localhost:4318/v1/traces`); `OTEL_SERVICE_NAME` names the service.
 */
export function startTracingFromEnvironment(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  const mode = (env.QUARTERLY_TRACING ?? 'off').trim().toLowerCase();
  if (mode !== 'otlp') return undefined;

  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  const { trace } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const delay = Number(env.OTEL_BSP_SCHEDULE_DELAY);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || defaultServiceName }),
    spanProcessors: [
      new CorrelationIdSpanProcessor((context) => trace.getSpan(context)),
      new BatchSpanProcessor(new OTLPTraceExporter(), Number.isFinite(delay) && delay > 0 ? { scheduledDelayMillis: delay } : {}),
    ],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // The correlation id is settled here, before any middleware, by the same function the
        // middleware uses, so the span, the logs, the answer and the events agree.
        requestHook: (span, request) => {
          if (request instanceof IncomingMessage) span.setAttribute(CORRELATION_ID_ATTRIBUTE, correlationIdOf(request));
        },
      }),
      // Only inside a request or a job: the projections' and leases' polling (several queries a
      // second, always) would otherwise be most of the spans sent.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  return { shutdown: () => provider.shutdown() };
}

/** Copies the parent's correlation id onto each new span (in this process), so all of a request's spans carry it. */
class CorrelationIdSpanProcessor implements SpanProcessor {
  constructor(private readonly spanOf: (context: import('@opentelemetry/api').Context) => Span | undefined) {}

  onStart(span: Span, parentContext: import('@opentelemetry/api').Context): void {
    const parent = this.spanOf(parentContext) as (Span & { attributes?: Record<string, unknown> }) | undefined;
    const id = parent?.attributes?.[CORRELATION_ID_ATTRIBUTE];
    if (typeof id === 'string') span.setAttribute(CORRELATION_ID_ATTRIBUTE, id);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

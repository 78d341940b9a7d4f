// Imported first by main.ts, before anything loads pg, ioredis or starts an HTTP server: switches
// OpenTelemetry tracing on when QUARTERLY_TRACING=otlp (see docs/deployment.md, "Traces").
// A path import, so that @quarterly/platform's index (which loads the drivers) is not loaded yet.
import { startTracingFromEnvironment } from '@quarterly/platform/observability/tracing';

export const tracing = startTracingFromEnvironment('quarterly-api');

import { trace } from '@opentelemetry/api';
import { loadAppConfig } from '../config/app-config';
import { startTracingFromEnvironment } from './tracing';

describe('tracing configuration', () => {
  it('is off by default and when QUARTERLY_TRACING=off: no tracer provider is registered', () => {
    expect(startTracingFromEnvironment('quarterly-api', {})).toBeUndefined();
    expect(startTracingFromEnvironment('quarterly-api', { QUARTERLY_TRACING: 'off' })).toBeUndefined();
    expect(trace.getTracerProvider().constructor.name).toBe('ProxyTracerProvider');
    expect(loadAppConfig({}).tracing).toBe('off');
  });

  it('refuses an unknown mode at start-up, naming the variable', () => {
    expect(() => loadAppConfig({ QUARTERLY_TRACING: 'jaeger' })).toThrow(/QUARTERLY_TRACING: must be one of off, otlp/);
    expect(loadAppConfig({ QUARTERLY_TRACING: 'otlp' }).tracing).toBe('otlp');
  });
});

import type { NextFunction, Request, Response } from 'express';
import type { QuarterlyMetrics } from './quarterly-metrics';

/**
 * Express middleware timing every request into `quarterly_http_request_duration_seconds`, labelled
 * by the matched route's template (`/returns/:kpiId/:period`), never the raw path, so that ids do
 * not multiply the series; a request no route matched is `unmatched`.
 */
export function httpMetricsMiddleware(metrics: QuarterlyMetrics): (request: Request, response: Response, next: NextFunction) => void {
  return (request, response, next) => {
    const end = metrics.httpRequestDuration.startTimer();
    response.once('finish', () => {
      end({ method: request.method, route: routeTemplateOf(request), status_code: String(response.statusCode) });
    });
    next();
  };
}

function routeTemplateOf(request: Request): string {
  const path: unknown = (request.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${request.baseUrl}${path}` : 'unmatched';
}

// Public API of @quarterly/read-models: the read-model database, the projection runner, the
// projections and the query functions (plain async functions taking the Kysely instance).
export * from './database/read-model-database';
export * from './database/read-model-schema';
export * from './database/read-model-unavailable';
export * from './shared/column-values';
export * from './shared/stream-refs';

export * from './projection/projection';
export * from './projection/checkpoint.store';
export * from './projection/projection-runner';
export * from './projection/projection-set-rebuild';
export type { RebuildWorkerOptions } from './projection/projection-rebuild-pages';
export type { RebuildLogSource } from './projection/rebuild-log-source';
export * from './all-projections';

export * from './kpi-register/kpi-register.projection';
export * from './kpi-register/kpi-register.queries';
export * from './people/people-directory.projection';
export * from './people/people-directory.queries';
export * from './status-board/status-board.projection';
export * from './status-board/status-board.queries';
export * from './value-history/value-history.projection';
export * from './value-history/value-history.queries';
export * from './scorecard/scorecard.queries';
export * from './exceptions/exceptions.queries';
export * from './audit/audit-log.projection';
export * from './audit/audit-trail.queries';

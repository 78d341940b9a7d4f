import { AuditLogProjection } from './audit/audit-log.projection';
import { KpiRegisterProjection } from './kpi-register/kpi-register.projection';
import { PeopleDirectoryProjection } from './people/people-directory.projection';
import { Projection } from './projection/projection';
import { StatusBoardProjection } from './status-board/status-board.projection';
import { ValueHistoryProjection } from './value-history/value-history.projection';

/** Every projection the engine runs, each with its own checkpoint. */
export function allProjections(): Projection[] {
  return [
    new KpiRegisterProjection(),
    new PeopleDirectoryProjection(),
    new StatusBoardProjection(),
    new ValueHistoryProjection(),
    new AuditLogProjection(),
  ];
}

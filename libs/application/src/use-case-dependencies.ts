import { EnglandAndWalesCalendar, type WorkingDayCalendar } from '@quarterly/calendar';
import type { EventSourcedCommandExecutor } from '@quarterly/platform/commands/event-sourced-command-executor';
import { KpiRegister, PeopleDirectory } from './shared/directory.port';
import { ReturnOnRecordReader } from './returns/return-on-record.reader';

/** What the use cases are built from: supplied once by each composition (API, demo, worker). */
export interface UseCasePorts {
  readonly executor: EventSourcedCommandExecutor;
  readonly directory: PeopleDirectory;
  readonly kpiRegister: KpiRegister;
  /** @defaultValue England and Wales working days */
  readonly calendar?: WorkingDayCalendar;
}

/**
 * Everything a use-case handler may use, in one injectable: the command executor, the readers
 * of the streams a decision needs, and the ports for the read side (directory, register). The
 * NestJS module provides one instance; plain compositions pass it to {@link UseCaseBus}.
 */
export class UseCaseDependencies {
  readonly executor: EventSourcedCommandExecutor;
  readonly directory: PeopleDirectory;
  readonly kpiRegister: KpiRegister;
  readonly calendar: WorkingDayCalendar;
  readonly returns: ReturnOnRecordReader;

  constructor(ports: UseCasePorts) {
    this.executor = ports.executor;
    this.directory = ports.directory;
    this.kpiRegister = ports.kpiRegister;
    this.calendar = ports.calendar ?? new EnglandAndWalesCalendar();
    this.returns = new ReturnOnRecordReader(ports.executor);
  }
}

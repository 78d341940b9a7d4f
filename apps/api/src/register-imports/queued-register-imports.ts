import { ServiceUnavailableException } from '@nestjs/common';
import type { RegisterImportJobs } from '@quarterly/register-import';

/** The import queue when this API has Redis (the reminder queues' connection), else none. */
export class QueuedRegisterImports {
  constructor(private readonly jobs: RegisterImportJobs | undefined) {}

  /** The queue, or 503: queued imports need Redis, which this instance was started without. */
  get queue(): RegisterImportJobs {
    if (!this.jobs) throw new ServiceUnavailableException('queued imports need Redis, which this instance runs without; import the file directly');
    return this.jobs;
  }
}

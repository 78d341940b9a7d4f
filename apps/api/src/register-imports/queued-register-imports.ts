import { ServiceUnavailableException } from '@nestjs/common';
import type { PastFiguresImportJobs } from '@quarterly/past-figures-import';
import type { RegisterImportJobs } from '@quarterly/register-import';

/** An import queue when this API has Redis (the reminder queues' connection), else none. */
class QueuedImports<Jobs> {
  constructor(private readonly jobs: Jobs | undefined) {}

  /** The queue, or 503: queued imports need Redis, which this instance was started without. */
  get queue(): Jobs {
    if (!this.jobs) throw new ServiceUnavailableException('queued imports need Redis, which this instance runs without; import the file directly');
    return this.jobs;
  }
}

/** The register import's queue (a class, to be Nest's injection token). */
export class QueuedRegisterImports extends QueuedImports<RegisterImportJobs> {}

/** The past-figures import's queue. */
export class QueuedPastFiguresImports extends QueuedImports<PastFiguresImportJobs> {}

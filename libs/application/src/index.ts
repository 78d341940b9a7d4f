// Public API of @quarterly/application: one use case per command, whichever door calls it (the
// JSON API, the pages, the demo loader, the reminder worker). Each reads what its decision needs,
// authorises the caller on the row, and executes through the EventSourcedCommandExecutor.
export * from './shared/caller';
export * from './shared/directory.port';
export * from './directory/projected-read-side';
export * from './use-case-dependencies';
export * from './use-case-bus';

export * from './kpis/execute-on-kpi';
export * from './kpis/define-kpi.command';
export * from './kpis/amend-kpi-definition.command';
export * from './kpis/change-kpi-ownership.command';
export * from './kpis/set-kpi-target-policy.command';
export * from './kpis/retire-kpi.command';

export * from './people/execute-on-person';
export * from './people/register-person.command';
export * from './people/change-person-details.command';
export * from './people/deactivate-person.command';

export * from './cycles/default-cycle-timetable';
export * from './cycles/reminder-policy';
export * from './cycles/open-cycle.command';
export * from './cycles/extend-cycle-deadline.command';
export * from './cycles/close-cycle.command';
export * from './cycles/cycle-returns.process-manager';
export * from './open-quarterly-engine';

export * from './returns/return-errors';
export * from './returns/return-access.policy';
export * from './returns/return-on-record.reader';
export * from './returns/previous-figure.reader';
export * from './returns/execute-on-return';
export * from './returns/request-return.command';
export * from './returns/submit-figure.command';
export * from './returns/resubmit-figure.command';
export * from './returns/mark-figure-not-available.command';
export * from './returns/challenge-return.command';
export * from './returns/approve-return.command';
export * from './returns/escalate-return.command';
export * from './returns/restate-figure.command';
export * from './returns/change-return-due-date.command';
export * from './returns/record-notice.command';
export * from './returns/get-return.query';
export * from './returns/rate-figure.query';
export * from './returns/review-changes.query';

// Public API of @quarterly/event-codec: stored events decoded and upcast into one typed union.
export * from './quarterly-event';
export * from './event-codec';

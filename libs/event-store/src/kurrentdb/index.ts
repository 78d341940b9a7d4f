export {
  KurrentDbEventStore,
  type KurrentDbClientPort,
  type KurrentDbEventStoreOptions,
} from './kurrentdb-event-store';
export type { ResubscribeNotice, ResubscribeReason } from './kurrentdb-all.subscription';
export {
  KurrentDbEventDecodeError,
  KurrentDbProtocolError,
  type KurrentDbStoredMetadata,
} from './kurrentdb-event.mapper';
export type { ResubscriptionPolicyOptions } from './resubscription.policy';
export type { Scheduler } from './scheduler';

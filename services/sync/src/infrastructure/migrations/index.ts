import { SyncState0000000100001 } from './0000000100001-state';
import { SyncLimits0000000100002 } from './0000000100002-limits';
import { SyncEditPolicy0000000100003 } from './0000000100003-edit-policy';
import { SyncRequestedCause0000000100004 } from './0000000100004-requested-cause';
import { SyncWriteCause0000000100005 } from './0000000100005-write-cause';
import { SyncConnectionHost0000000100006 } from './0000000100006-connection-host';
import { SyncEventProblems0000000100007 } from './0000000100007-event-problems';

export const syncMigrations = [
  SyncState0000000100001,
  SyncLimits0000000100002,
  SyncEditPolicy0000000100003,
  SyncRequestedCause0000000100004,
  SyncWriteCause0000000100005,
  SyncConnectionHost0000000100006,
  SyncEventProblems0000000100007,
];

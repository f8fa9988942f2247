import { AvailabilityAvailabilityChanges0000000100001 } from './0000000100001-availability-changes';

export const availabilityMigrations = [AvailabilityAvailabilityChanges0000000100001];

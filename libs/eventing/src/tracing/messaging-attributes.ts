/**
 * OpenTelemetry messaging semantic conventions (still incubating, hence spelled out here rather
 * than imported from the conventions' unstable entry point).
 */
export const MESSAGING = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destination: 'messaging.destination.name',
  consumerGroup: 'messaging.consumer.group.name',
  messageId: 'messaging.message.id',
  batchCount: 'messaging.batch.message_count',
} as const;

export const NATS_SYSTEM = 'nats';

/** Our own attributes: the event as the audit names it. */
export const EVENT_TYPE = 'cs.event.type';
export const EVENT_STREAM = 'cs.event.stream_id';

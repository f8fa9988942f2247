export * from './http/answers';
export {
  CalendarClient,
  type CalendarClientOptions,
  LOCAL_BASE_URLS,
  SERVICE_NAMES,
  type ServiceName,
} from './http/calendar-client';
export { DEFAULT_RETRY, NO_RETRY, type RetryNotice, type RetryPolicy } from './http/retry';
export { type Answer, bodyOf, type ServiceClient } from './http/service-client';
export {
  CONSISTENCY_TOKEN_HEADER,
  IF_CONSISTENT_WITH_HEADER,
  type Session,
  type TokenSource,
} from './http/session';
export {
  availabilityGrpcClient,
  bookingGrpcClient,
  type GrpcCallOptions,
  type GrpcClient,
  type GrpcClientOptions,
  PROTO_ROOT,
} from './grpc/grpc-client';
export type * as AvailabilityGrpc from './generated/grpc/availability';
export type * as BookingGrpc from './generated/grpc/booking';

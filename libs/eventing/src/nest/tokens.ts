/** Injection tokens for the shared infrastructure a service gets from EventingModule. */
export const PG_POOL = Symbol('PG_POOL');
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
export const EVENTING_OPTIONS = Symbol('EVENTING_OPTIONS');

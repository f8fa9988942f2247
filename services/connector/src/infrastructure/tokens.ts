/** Injection tokens of the connector's own infrastructure. */
export const CONNECTOR_CONFIG = Symbol('CONNECTOR_CONFIG');

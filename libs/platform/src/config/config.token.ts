/** The service's validated configuration (`BaseConfig` plus the service's own variables). */
export const CONFIG = Symbol('CONFIG');

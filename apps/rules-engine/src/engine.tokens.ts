/** Injection tokens of the engine's NestJS module. */
export const ENGINE_CONFIG = Symbol('ENGINE_CONFIG');
export const REGISTRY = Symbol('REGISTRY');
export const CLOCK = Symbol('CLOCK');
export const LOGGER = Symbol('LOGGER');
export const BROKER_HEALTH = Symbol('BROKER_HEALTH');
/** How webhooks are POSTed (Node's fetch; tests may wrap it). */
export const WEBHOOK_SENDER = Symbol('WEBHOOK_SENDER');

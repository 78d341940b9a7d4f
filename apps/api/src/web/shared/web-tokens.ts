/** Injection tokens of the web pages' settings and Redis-backed helpers. */
export const WEB_WRITE_LIMITER = 'quarterly:web-write-limiter';
export const WEB_SIGN_IN_LIMITER = 'quarterly:web-sign-in-limiter';
export const WEB_REDIS = 'quarterly:web-redis';
export const WEB_CONFIG = 'quarterly:web-config';
export const WEB_API_WRITE_LIMITER = 'quarterly:api-write-limiter';

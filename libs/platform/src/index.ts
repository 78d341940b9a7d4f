// Public API of @quarterly/platform: what the apps share besides the domain — configuration,
// authentication, errors as problem details, the command executor and the process managers.
export * from './config/app-config';
export * from './config/redis-connection-settings';
export * from './config/redis-connection-options';
export * from './clock';
export * from './auth/principal';
export * from './auth/bearer-token-verifier';
export * from './auth/local-token-issuer';
export * from './auth/auth.decorators';
export * from './auth/bearer-auth.guard';
export * from './http/problem-details.filter';
export * from './http/request-validation.error';
export * from './http/request-context';
export * from './commands/event-sourced-command-executor';
export * from './commands/domain-event-codec';
export * from './workflow/process-manager-runner';
export * from './workflow/cycle-returns.process-manager';
export * from './engine/quarterly-engine';
export * from './register/register-snapshot';
export * from './register/register-checks';

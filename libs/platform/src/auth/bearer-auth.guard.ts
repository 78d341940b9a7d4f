import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@quarterly/domain';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators';
import { BearerAuthenticator } from './bearer-authenticator';
import { InvalidTokenError } from './bearer-token-verifier';
import { NotInDirectoryError, PersonDeactivatedAccessError } from './directory-principal.resolver';
import type { Principal } from './principal';

/**
 * Global guard: every route needs a valid bearer token naming an active person of the directory
 * unless marked {@link Public}, and the roles named by {@link Roles} — as the directory holds
 * them, not as the token claims. Row-level rules (a service lead only on their own KPIs, a DMT
 * member only on their directorate) are checked by the handlers, which know the KPI.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: BearerAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const header = request.headers['authorization'];
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new UnauthorizedException('a bearer token is required (Authorization: Bearer <token>)');
    }
    let principal: Principal;
    try {
      // Resolved once per request: the handlers read `request.principal`.
      principal = request.principal ?? (await this.authenticator.authenticate(match[1]));
    } catch (error) {
      if (error instanceof InvalidTokenError || error instanceof NotInDirectoryError) throw new UnauthorizedException(error.message);
      if (error instanceof PersonDeactivatedAccessError) throw new ForbiddenException(error.message);
      throw error;
    }
    request.principal = principal;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !required.some((role) => principal.roles.includes(role))) {
      throw new ForbiddenException(`this action needs one of the roles: ${required.join(', ')}`);
    }
    return true;
  }
}

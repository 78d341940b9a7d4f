import { Controller, ForbiddenException, Get, NotFoundException, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { ChangePersonDetailsCommand, DeactivatePersonCommand, RegisterPersonCommand } from '@quarterly/application';
import { AlreadyExistsError, DomainError, personDecider, personStreamId, ROLES, ValidationError, type PersonState, type Role } from '@quarterly/domain';
import { Clock, ConcurrentChangeError, correlationIdOf, ProblemDetailsFilter, Public, QuarterlyEngine, StaleRevisionError, type Principal } from '@quarterly/platform';
import { listKpis, listPeople } from '@quarterly/read-models';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { plainEnglishOf, type PageError } from '../../shared/plain-english';
import { summaryInFormOrder } from '../shared/form-errors';
import { PageRenderer } from '../shared/page-renderer';
import { formIdempotencyKeyOf, formTextFields, pageCallerOf } from '../shared/page-caller';
import { WebPageExceptionFilter } from '../shared/web-page-exception.filter';
import { WebPageGuard } from '../shared/web-page.guard';
import { layoutPrincipalOf, type WebRequest } from '../shared/web-request';

type Body = Record<string, unknown>;
type Person = { personId: string; state: Extract<PersonState, { status: 'active' | 'deactivated' }>; revision: bigint | null };
interface FormState {
  readonly values?: Readonly<Record<string, string>>;
  readonly roles?: readonly string[];
  readonly fieldErrors?: Readonly<Record<string, string>>;
  readonly errors?: readonly PageError[];
}

export const ROLE_LABELS: Record<Role, string> = {
  'performance-team': 'Performance team',
  'service-lead': 'Service lead (reports figures)',
  dmt: 'Directorate management team (reviews figures)',
  clt: 'Corporate leadership team',
  auditor: 'Auditor',
  member: 'Councillor (reads published scorecards)',
};

const FIELD_MESSAGES: Record<string, string> = {
  personId: 'Enter a user id of letters, digits and dots, for example j.smith',
  name: 'Enter the person’s full name',
  email: 'Enter an e-mail address in the correct format, like name@council.example',
  roles: 'Select at least one role',
  directorate: 'Select the directorate for a service lead or DMT member',
  reason: 'Enter why the person is deactivated',
};

/**
 * The performance team's people directory: everyone active with their roles and directorate, and
 * forms to add a person, change their roles or directorate, and deactivate them with a reason.
 * Each form posts the same use case as the JSON API (`RegisterPersonCommand`,
 * `ChangePersonDetailsCommand`, `DeactivatePersonCommand`); a refusal writes nothing.
 */
@ApiExcludeController()
@Public()
@UseGuards(WebPageGuard)
@UseFilters(WebPageExceptionFilter)
@Controller('app/people')
export class PeopleFormsController {
  constructor(
    private readonly engine: QuarterlyEngine,
    private readonly commandBus: CommandBus,
    private readonly pages: PageRenderer,
    private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Query('done') done: string | undefined, @Query('person') personId: string | undefined, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    const people = await listPeople(this.engine.readModels.db);
    const doneText = { added: 'added to the directory', changed: 'changed', deactivated: 'deactivated: they can no longer sign in' }[done ?? ''];
    response.type('html').send(
      this.pages.render('people-forms/people.njk', {
        ...this.layout(request),
        pageTitle: 'People',
        confirmation: doneText && typeof personId === 'string' ? `${personId} ${doneText}.` : null,
        people: people.map((p) => ({
          personId: p.personId,
          name: p.name,
          email: p.email,
          roles: p.roles.map((r) => ROLE_LABELS[r] ?? r).join(', '),
          directorate: p.directorate ?? '',
          changeHref: `/app/people/${encodeURIComponent(p.personId)}/change`,
          deactivateHref: `/app/people/${encodeURIComponent(p.personId)}/deactivation`,
        })),
      }),
    );
  }

  @Get('new')
  async addForm(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    await this.renderAddForm(request, response, 200, {});
  }

  @Post()
  async add(@Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    const roles = rolesOf(body);
    const fieldErrors: Record<string, string> = {};
    for (const field of ['personId', 'name', 'email'] as const) if (!values[field]) fieldErrors[field] = FIELD_MESSAGES[field]!;
    if (roles.length === 0) fieldErrors['roles'] = FIELD_MESSAGES['roles']!;
    if (needsDirectorate(roles) && !values['directorate']) fieldErrors['directorate'] = FIELD_MESSAGES['directorate']!;
    if (Object.keys(fieldErrors).length > 0) return this.renderAddForm(request, response, 400, { values, roles, fieldErrors });
    const personId = values['personId']!;
    const registration = { name: values['name']!, email: values['email']!, roles: roles as Role[], ...(values['directorate'] ? { directorate: values['directorate'] } : {}) };
    try {
      const caller = pageCallerOf(principal, this.clock, `RegisterPerson ${personId}\n${JSON.stringify(registration)}`, { ...formIdempotencyKeyOf(body), correlationId: correlationIdOf(request) });
      await this.commandBus.execute(new RegisterPersonCommand({ personId }, registration, caller));
    } catch (error) {
      if (error instanceof AlreadyExistsError) {
        return this.renderAddForm(request, response, 409, { values, roles, fieldErrors: { personId: `${personId} is already in the directory. Choose another user id, or change their details.` } });
      }
      if (error instanceof ValidationError) return this.renderAddForm(request, response, 400, { values, roles, fieldErrors: fieldErrorOf(error) });
      return this.refused(error, request, (errors, status) => this.renderAddForm(request, response, status, { values, roles, errors }));
    }
    response.redirect(303, `/app/people?done=added&person=${encodeURIComponent(personId)}`);
  }

  @Get(':personId/change')
  async changeForm(@Param('personId') personId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    const person = await this.loadActive(personId);
    await this.renderChangeForm(request, response, 200, person, { values: { directorate: person.state.person.directorate ?? '' }, roles: person.state.person.roles });
  }

  @Post(':personId/change')
  async change(@Param('personId') personId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const person = await this.loadActive(personId);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    const roles = rolesOf(body);
    const fieldErrors: Record<string, string> = {};
    if (roles.length === 0) fieldErrors['roles'] = FIELD_MESSAGES['roles']!;
    if (needsDirectorate(roles) && !values['directorate']) fieldErrors['directorate'] = FIELD_MESSAGES['directorate']!;
    const seen = versionOf(body['version']);
    if (Object.keys(fieldErrors).length > 0) return this.renderChangeForm(request, response, 400, person, { values, roles, fieldErrors });
    if (seen === undefined) return this.renderChangeForm(request, response, 400, person, { values, roles, errors: [{ text: 'Reload the page and make the change again.', href: '#main-content' }] });
    const current = person.state.person;
    const changes = {
      ...(sameRoles(roles, current.roles) ? {} : { roles: roles as Role[] }),
      ...(values['directorate'] && values['directorate'] !== current.directorate ? { directorate: values['directorate'] } : {}),
    };
    if (Object.keys(changes).length === 0) {
      return this.renderChangeForm(request, response, 400, person, { values, roles, fieldErrors: { roles: 'Change a role or the directorate, or go back' } });
    }
    try {
      const caller = pageCallerOf(principal, this.clock, `ChangePersonDetails ${personId}\n${JSON.stringify(changes)}`, { ...formIdempotencyKeyOf(body), correlationId: correlationIdOf(request) });
      await this.commandBus.execute(new ChangePersonDetailsCommand({ personId, ifMatch: seen }, changes, caller));
    } catch (error) {
      if (error instanceof ValidationError) return this.renderChangeForm(request, response, 400, person, { values, roles, fieldErrors: fieldErrorOf(error) });
      const fresh = await this.loadActive(personId);
      return this.refused(error, request, (errors, status) => this.renderChangeForm(request, response, status, fresh, { values, roles, errors }));
    }
    response.redirect(303, `/app/people?done=changed&person=${encodeURIComponent(personId)}`);
  }

  @Get(':personId/deactivation')
  async deactivateForm(@Param('personId') personId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    performanceTeamOnly(request.principal!);
    this.renderDeactivateForm(request, response, 200, await this.loadActive(personId), {});
  }

  @Post(':personId/deactivation')
  async deactivate(@Param('personId') personId: string, @Req() request: WebRequest, @Res() response: Response): Promise<void> {
    const principal = performanceTeamOnly(request.principal!);
    const person = await this.loadActive(personId);
    const body = (request.body ?? {}) as Body;
    const values = formTextFields(body);
    if (!values['reason']) return this.renderDeactivateForm(request, response, 400, person, { values, fieldErrors: { reason: FIELD_MESSAGES['reason']! } });
    const seen = versionOf(body['version']);
    if (seen === undefined) return this.renderDeactivateForm(request, response, 400, person, { values, errors: [{ text: 'Reload the page and deactivate the person again.', href: '#main-content' }] });
    try {
      const caller = pageCallerOf(principal, this.clock, `DeactivatePerson ${personId}\n${values['reason']}`, { ...formIdempotencyKeyOf(body), correlationId: correlationIdOf(request) });
      await this.commandBus.execute(new DeactivatePersonCommand({ personId, ifMatch: seen }, { reason: values['reason'] }, caller));
    } catch (error) {
      if (error instanceof ValidationError) return this.renderDeactivateForm(request, response, 400, person, { values, fieldErrors: fieldErrorOf(error) });
      const fresh = await this.load(personId);
      return this.refused(error, request, (errors, status) => this.renderDeactivateForm(request, response, status, fresh ?? person, { values, errors }));
    }
    response.redirect(303, `/app/people?done=deactivated&person=${encodeURIComponent(personId)}`);
  }

  private async load(personId: string): Promise<Person | undefined> {
    const { state, revision } = await this.engine.executor.load(personStreamId(personId), personDecider);
    return state.status === 'not_registered' ? undefined : { personId, state, revision };
  }

  /** The person behind a change or deactivation form; someone deactivated cannot change. */
  private async loadActive(personId: string): Promise<Person> {
    const person = await this.load(personId);
    if (!person) throw new NotFoundException(`no person ${personId}`);
    return person;
  }

  private refused(error: unknown, request: WebRequest, again: (errors: PageError[], status: number) => void | Promise<void>): void | Promise<void> {
    if (!(error instanceof DomainError) && !(error instanceof StaleRevisionError) && !(error instanceof ConcurrentChangeError)) throw error;
    const problem = new ProblemDetailsFilter().toProblem(error, request.originalUrl);
    if (problem.status === 404 || problem.status === 403) throw error;
    const text =
      problem.code === 'person_deactivated'
        ? 'This person has been deactivated, so their details cannot change.'
        : problem.code === 'stale_version' || problem.code === 'concurrent_change'
          ? 'Someone else changed this person while you were looking. Check their details below and try again.'
          : plainEnglishOf(problem);
    return again([{ text, href: '#main-content' }], problem.status === 412 ? 409 : problem.status);
  }

  private async directorates(): Promise<string[]> {
    const kpis = await listKpis(this.engine.readModels.db);
    return [...new Set(kpis.map((k) => k.directorate))].sort();
  }

  private async renderAddForm(request: WebRequest, response: Response, status: number, form: FormState): Promise<void> {
    const values = form.values ?? {};
    const fieldErrors = form.fieldErrors ?? {};
    response.status(status).type('html').send(
      this.pages.render('people-forms/add-person.njk', {
        ...this.layout(request),
        pageTitle: 'Add a person',
        errors: form.errors ?? summaryInFormOrder(fieldErrors, ['personId', 'name', 'email', 'roles', 'directorate'], { roles: 'roles' }),
        values,
        fieldErrors,
        roleItems: roleItems(form.roles ?? []),
        directorateItems: directorateItems(await this.directorates(), values['directorate'] ?? ''),
        idempotencyKey: `web-${randomUUID()}`,
      }),
    );
  }

  private async renderChangeForm(request: WebRequest, response: Response, status: number, person: Person, form: FormState): Promise<void> {
    const fieldErrors = form.fieldErrors ?? {};
    response.status(status).type('html').send(
      this.pages.render('people-forms/change-person.njk', {
        ...this.layout(request),
        pageTitle: `Change ${person.state.person.name}’s roles or directorate`,
        errors: form.errors ?? summaryInFormOrder(fieldErrors, ['roles', 'directorate']),
        person: person.state.person,
        active: person.state.status === 'active',
        version: String(person.revision),
        fieldErrors,
        roleItems: roleItems(form.roles ?? []),
        directorateItems: directorateItems(await this.directorates(), form.values?.['directorate'] ?? ''),
        idempotencyKey: `web-${randomUUID()}`,
      }),
    );
  }

  private renderDeactivateForm(request: WebRequest, response: Response, status: number, person: Person, form: FormState): void {
    const fieldErrors = form.fieldErrors ?? {};
    response.status(status).type('html').send(
      this.pages.render('people-forms/deactivate-person.njk', {
        ...this.layout(request),
        pageTitle: `Deactivate ${person.state.person.name}`,
        errors: form.errors ?? summaryInFormOrder(fieldErrors, ['reason']),
        person: person.state.person,
        active: person.state.status === 'active',
        version: String(person.revision),
        values: form.values ?? {},
        fieldErrors,
        idempotencyKey: `web-${randomUUID()}`,
      }),
    );
  }

  private layout(request: WebRequest) {
    return { section: 'people', principal: layoutPrincipalOf(request.principal!), csrfToken: request.webSession!.csrfToken };
  }
}

function performanceTeamOnly(principal: Principal): Principal {
  if (!principal.roles.includes('performance-team')) throw new ForbiddenException('only the performance team manages the directory');
  return principal;
}

/** The ticked roles: one value or several (a form sends the name once per ticked box). */
function rolesOf(body: Body): string[] {
  const value = body['roles'];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return list.filter((r): r is string => typeof r === 'string' && (ROLES as readonly string[]).includes(r));
}

function needsDirectorate(roles: readonly string[]): boolean {
  return roles.includes('service-lead') || roles.includes('dmt');
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

function versionOf(value: unknown): bigint | undefined {
  return typeof value === 'string' && /^\d{1,19}$/.test(value) ? BigInt(value) : undefined;
}

function fieldErrorOf(error: ValidationError): Record<string, string> {
  const field = error.field.replace(/^changes\./, '').replace(/\[\d+\]$/, '');
  if (field === 'directorate') return { directorate: `Select a directorate that has indicators in the register (${error.reason})` };
  return { [field in FIELD_MESSAGES ? field : 'personId']: FIELD_MESSAGES[field] ?? FIELD_MESSAGES['personId']! };
}

function roleItems(checked: readonly string[]) {
  return ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role], checked: checked.includes(role) }));
}

function directorateItems(directorates: readonly string[], selected: string) {
  return [{ value: '', text: 'None (for other roles)' }, ...directorates.map((d) => ({ value: d, text: d }))].map((o) => ({ ...o, selected: o.value === selected }));
}

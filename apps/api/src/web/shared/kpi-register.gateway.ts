import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  AmendKpiDefinitionCommand,
  ChangeKpiOwnershipCommand,
  DefineKpiCommand,
  RetireKpiCommand,
  SetKpiTargetPolicyCommand,
  type Caller,
  type KpiRef,
} from '@quarterly/application';
import type { AmendKpiDefinition, ChangeKpiOwnership, DefineKpi, KpiState, RetireKpi, SetKpiTargetPolicy } from '@quarterly/domain';
import { Clock, QuarterlyEngine, type CommandOutcome, type Principal } from '@quarterly/platform';
import { pageCallerOf, type PageCommandOptions } from './page-caller';

/** What a page asks of the register: one of the application layer's KPI use cases, by name. */
export type PageKpiAction =
  | { readonly type: 'DefineKpi'; readonly data: DefineKpi['data'] }
  | { readonly type: 'AmendKpiDefinition'; readonly data: AmendKpiDefinition['data'] }
  | { readonly type: 'ChangeKpiOwnership'; readonly data: ChangeKpiOwnership['data'] }
  | { readonly type: 'SetKpiTargetPolicy'; readonly data: SetKpiTargetPolicy['data'] }
  | { readonly type: 'RetireKpi'; readonly data: RetireKpi['data'] };

/** How long a form waits for the read models to show its own write before redirecting. */
const OWN_WRITE_WAIT_MS = 3_000;

/**
 * The pages' one door to the KPI register: a form's action becomes the same use case the JSON
 * API sends (`DefineKpiCommand`, `AmendKpiDefinitionCommand`, …), with the same authorisation,
 * register rules, decision and refusals. Before it answers it waits (briefly) for the read models
 * to hold the write, so the KPI page the form redirects to shows it.
 */
@Injectable()
export class KpiRegisterGateway {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly engine: QuarterlyEngine,
    private readonly clock: Clock,
  ) {}

  async execute(principal: Principal, kpiId: string, action: PageKpiAction, options: PageCommandOptions = {}): Promise<CommandOutcome<KpiState>> {
    const caller = pageCallerOf(principal, this.clock, `${action.type} ${kpiId}\n${JSON.stringify(action.data)}`, options);
    const target: KpiRef = { kpiId, ...(options.ifMatch !== undefined ? { ifMatch: options.ifMatch } : {}) };
    const outcome: CommandOutcome<KpiState> = await this.commandBus.execute(commandFor(action, target, caller));
    if (outcome.position !== null) await this.engine.waitForProjections(outcome.position, OWN_WRITE_WAIT_MS).catch(() => undefined);
    return outcome;
  }
}

function commandFor(action: PageKpiAction, target: KpiRef, caller: Caller) {
  switch (action.type) {
    case 'DefineKpi':
      return new DefineKpiCommand(target, action.data, caller);
    case 'AmendKpiDefinition':
      return new AmendKpiDefinitionCommand(target, action.data, caller);
    case 'ChangeKpiOwnership':
      return new ChangeKpiOwnershipCommand(target, action.data, caller);
    case 'SetKpiTargetPolicy':
      return new SetKpiTargetPolicyCommand(target, action.data, caller);
    case 'RetireKpi':
      return new RetireKpiCommand(target, action.data, caller);
  }
}

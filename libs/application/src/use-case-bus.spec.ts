import 'reflect-metadata';
import { Command } from '@nestjs/cqrs';
import * as application from './index';
import { COMMAND_USE_CASES, QUERY_USE_CASES, USE_CASE_HANDLERS, UseCaseBus } from './use-case-bus';
import type { UseCaseDependencies } from './use-case-dependencies';

// @nestjs/cqrs's metadata keys (its decorators/constants): the CommandBus routes by them, the
// UseCaseBus by its own list; both must send a command to the same handler.
const COMMAND_HANDLER_METADATA = '__commandHandler__';
const QUERY_HANDLER_METADATA = '__queryHandler__';

describe('the use cases, as both buses see them', () => {
  it("routes each command to the handler whose @CommandHandler names it, and each query likewise", () => {
    for (const [command, handler] of COMMAND_USE_CASES) expect([handler.name, Reflect.getMetadata(COMMAND_HANDLER_METADATA, handler)]).toEqual([handler.name, command]);
    for (const [query, handler] of QUERY_USE_CASES) expect([handler.name, Reflect.getMetadata(QUERY_HANDLER_METADATA, handler)]).toEqual([handler.name, query]);
    expect(USE_CASE_HANDLERS).toHaveLength(COMMAND_USE_CASES.length + QUERY_USE_CASES.length);
  });

  it('has a handler for every command the library exports', () => {
    const exported = (Object.values(application) as unknown[]).filter((value): value is Function => typeof value === 'function' && value.prototype instanceof Command);
    expect(exported.length).toBeGreaterThan(0);
    const routed = new Set<unknown>(COMMAND_USE_CASES.map(([command]) => command));
    expect(exported.filter((command) => !routed.has(command)).map((command) => command.name)).toEqual([]);
  });

  it('refuses a command nobody handles, naming it', async () => {
    class NobodysCommand extends Command<void> {}
    const bus = new UseCaseBus({} as UseCaseDependencies);
    expect(() => bus.execute(new NobodysCommand())).toThrow('no use case handles NobodysCommand');
  });
});

import 'reflect-metadata';
import { seedDemoCouncil } from '@quarterly/demo';
import { InvalidConfigurationError, loadAppConfig, QuarterlyEngine, SystemClock } from '@quarterly/platform';
import { DomainError } from '@quarterly/domain';
import { ADD_PERSON_USAGE, addPerson, AddPersonArgumentsError, parseAddPersonArguments } from './commands/add-person.command';
import { demoTokens } from './commands/demo-tokens.command';
import { identityAccounts } from './commands/identity-accounts.command';
import {
  CannotImportError,
  formatImportReport,
  IMPORT_REGISTER_USAGE,
  importRegister,
  ImportRegisterArgumentsError,
  parseImportRegisterArguments,
} from './commands/import-register.command';
import { formatFiguresReport, IMPORT_FIGURES_USAGE, importFigures, parseImportFiguresArguments } from './commands/import-figures.command';
import { CannotMintTokenError, mintToken } from './commands/mint-token.command';
import { rebuildLogSourceOf, rebuildProjections } from './commands/rebuild-projections.command';
import {
  parseRescheduleArguments,
  RedisUnreachableError,
  rescheduleTimersCommand,
  RescheduleArgumentsError,
} from './commands/reschedule-timers.command';
import { verifyPackCommand, VerifyPackArgumentsError } from './commands/verify-pack.command';
import { anchorCommand, parseVerifyArguments, verifyEventLogCommand, VerifyArgumentsError } from './commands/verify-event-log.command';

const USAGE = `Quarterly operator commands (configured by the same environment variables as the API):

${ADD_PERSON_USAGE}${IMPORT_REGISTER_USAGE}${IMPORT_FIGURES_USAGE}  quarterly rebuild-projections [name ...]   rebuild read models from zero, with progress
  quarterly mint-token <personId> [hours]    print a bearer token for a person in the directory
                                             (local shared-secret mode only)
  quarterly demo-tokens                      print a token for every person in the directory, as
                                             shell exports (TOKEN_<person id>=...)
  quarterly identity-accounts                print everyone in the directory as JSON accounts for
                                             the demo identity provider
  quarterly seed-demo                        load the demo council into an empty store
  quarterly reschedule-timers --since <instant>
                                             after Redis lost its data: re-create from the
                                             events every reminder, chaser and escalation timer
                                             that fires at or after <instant> (ISO 8601, e.g.
                                             2026-11-28T09:30:00Z; a few minutes before the loss)
  quarterly verify [--stream <id>] [--digest <file>]
                                             check every event (or one stream) against its hash,
                                             its stream's chain and the anchors (and the anchors
                                             against an auditors' digest); names the first event
                                             that does not match; exit status 2 if one does not
  quarterly verify-pack <pack.zip> [--digest <file>]
                                             check an evidence pack offline (no configuration or
                                             database needed); exit status 2 if it is refused
  quarterly anchor                           anchor the events stored since the last anchor now
                                             (the first run is the one-off step for events stored
                                             before hash chaining began; it says what it covered)
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return command === undefined ? 64 : 0;
  }
  if (command === 'verify-pack') {
    // Offline: an auditor's machine has the pack, not the council's configuration.
    const { report, summary } = await verifyPackCommand(args);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`${summary}\n`);
    return report.ok ? 0 : 2;
  }
  // Arguments are checked before anything is opened, so a typo costs nothing.
  const addPersonRequest = command === 'add-person' ? parseAddPersonArguments(args) : undefined;
  const importRequest = command === 'import-register' ? parseImportRegisterArguments(args) : undefined;
  const figuresRequest = command === 'import-figures' ? parseImportFiguresArguments(args) : undefined;
  const config = loadAppConfig();
  const engine = await QuarterlyEngine.open(config);
  try {
    switch (command) {
      case 'rebuild-projections': {
        // The log is read, decoded and folded in a worker thread (the built CLI's is a bundle of
        // its own beside this one: apps/cli/webpack.config.js).
        const source = rebuildLogSourceOf(config);
        const reports = await rebuildProjections(engine, args, process.stderr, source ? { source } : undefined);
        process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
        return 0;
      }
      case 'add-person': {
        const state = await addPerson(engine, addPersonRequest!, new Date());
        process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
        return 0;
      }
      case 'import-register': {
        const report = await importRegister(engine, importRequest!, new Date());
        process.stdout.write(formatImportReport(report));
        return report.problems.length > 0 ? 2 : 0;
      }
      case 'import-figures': {
        const report = await importFigures(engine, figuresRequest!, new Date());
        process.stdout.write(formatFiguresReport(report));
        return report.problems.length > 0 ? 2 : 0;
      }
      case 'mint-token': {
        const [personId, hours] = args;
        if (!personId) throw new UsageError('mint-token needs a person id');
        if (hours !== undefined && !(Number(hours) > 0 && Number(hours) <= 24 * 366)) {
          throw new UsageError(`hours must be a number greater than 0 (got ${hours})`);
        }
        process.stdout.write(`${await mintToken(engine, config, personId, hours ? Number(hours) : undefined)}\n`);
        return 0;
      }
      case 'demo-tokens': {
        for (const person of await demoTokens(engine, config)) {
          const variable = `TOKEN_${person.personId.replace(/[^A-Za-z0-9]/g, '_')}`;
          const who = `${person.name} (${person.roles.join(', ')}${person.directorate ? `, ${person.directorate}` : ''})`;
          process.stdout.write(`# ${who}\nexport ${variable}=${person.token}\n`);
        }
        return 0;
      }
      case 'identity-accounts': {
        process.stdout.write(`${JSON.stringify(await identityAccounts(engine), null, 2)}\n`);
        return 0;
      }
      case 'reschedule-timers': {
        const clock = new SystemClock();
        const since = parseRescheduleArguments(args, clock.now());
        const report = await rescheduleTimersCommand(engine, config, clock, since);
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return 0;
      }
      case 'seed-demo': {
        const summary = await seedDemoCouncil({ executor: engine.executor, store: engine.store, now: new Date() });
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return 0;
      }
      case 'verify': {
        const { report, summary } = await verifyEventLogCommand(engine, parseVerifyArguments(args));
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        process.stderr.write(`${summary}\n`);
        return report.ok ? 0 : 2;
      }
      case 'anchor': {
        const { summary } = await anchorCommand(engine);
        process.stdout.write(`${summary}\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    await engine.close();
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage =
      error instanceof UsageError ||
      error instanceof RescheduleArgumentsError ||
      error instanceof VerifyArgumentsError ||
      error instanceof VerifyPackArgumentsError ||
      error instanceof AddPersonArgumentsError ||
      error instanceof ImportRegisterArgumentsError;
    if (usage) process.stderr.write(`${error.message}\n\n${USAGE}`);
    else if (
      error instanceof DomainError ||
      error instanceof CannotImportError ||
      error instanceof InvalidConfigurationError ||
      error instanceof CannotMintTokenError ||
      error instanceof RedisUnreachableError
    ) {
      process.stderr.write(`${error.message}\n`);
    }
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(usage ? 64 : 1);
  },
);

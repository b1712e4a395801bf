// Commander wiring. Each command's module is imported only when that command is chosen, so `--help`
// and `--version` load nothing but commander.
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { handleError } from './handle-error.js';
import { processIo, type Io } from './io.js';
import { UsageError } from '../errors.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const toNumber = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${name} takes a number, got "${value}"`);
  return n;
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function outputOptions(cmd: Command): Command {
  return cmd
    .option('--json <file>', 'write the JSON report to FILE (- for stdout)')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--junit <file>', 'write JUnit XML for CI servers')
    .option('--markdown <file>', 'write a Markdown summary')
    .option('--quiet', 'print only the verdict line')
    .option('--no-color', 'no colours in terminal output');
}

export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command('ehr-check')
    .description("Judge an AI vendor's EHR integration with evidence: bidirectional writes, coverage, freshness.")
    .version(version(), '-V, --version')
    .showHelpAfterError('(run ehr-check --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  outputOptions(program.command('demo').description('evaluate the reference vendors on embedded sandboxes, side by side'))
    .option('--trials <n>', 'freshness trials per connection', toNumber('--trials'))
    .action(async (opts) => setCode(await (await import('../commands/demo.js')).default(opts, io)));

  outputOptions(program.command('run').description('evaluate one vendor as a plan file says'))
    .requiredOption('--plan <file>', 'plan file (YAML or JSON)')
    .option('--check <id>', 'run only this check (repeatable)', collect)
    .option('--fail-under <score>', 'gate: minimum overall score 0..100', toNumber('--fail-under'))
    .option('--require <check>', 'gate: this check must pass (repeatable)', collect)
    .option('--trials <n>', 'freshness trials per connection', toNumber('--trials'))
    .option('--allow-writes', 'let write probes run against connections marked sandbox: true')
    .option('--operator-script <file>', 'answers for operator-assisted steps, for runs without a person')
    .action(async (opts) => setCode(await (await import('../commands/run.js')).default(opts, io)));

  program
    .command('init')
    .description('answer questions, get a plan file')
    .option('--out <file>', 'where to write the plan', 'ehr-check.plan.yaml')
    .action(async (opts) => setCode(await (await import('../commands/init.js')).default(opts, io)));

  program
    .command('sandbox')
    .description('serve one embedded EHR sandbox on loopback until interrupted')
    .addOption(new Option('--flavor <flavor>', 'which EHR it behaves like').choices(['epic', 'oracle', 'athena', 'ecw', 'generic']).default('generic'))
    .option('--port <port>', 'port on 127.0.0.1 (0 = any free port)', toNumber('--port'), 0)
    .option('--seed <seed>', 'seed of the synthetic data', toNumber('--seed'), 1)
    .option('--require-auth', 'require a SMART backend-services token on FHIR requests')
    .option('--allow-overbooking', 'accept a second booking on a busy slot, as some EHRs do')
    .option('--derive-slot-status', "compute each slot's status from its bookings, as EHRs that derive availability do")
    .option('--redirect-to <url>', 'answer every FHIR request with a 302 to this base URL (an EHR base that sends clients elsewhere)')
    .option('--vendor <kind>', 'also serve a reference vendor connected to it: deep, shallow or batch')
    .option('--vendor-port <port>', "the reference vendor's port (0 = any free port)", toNumber('--vendor-port'))
    .option('--sparse-statement', 'declare only _lastUpdated and identifier searches in /metadata, answer all of them')
    .action(async (opts) => setCode(await (await import('../commands/sandbox.js')).default(opts, io)));

  program
    .command('cleanup')
    .description('remove what earlier runs wrote, from the run ledger and the run tag')
    .requiredOption('--plan <file>', 'plan file the runs used')
    .option('--run-id <id>', 'only this run')
    .action(async (opts) => setCode(await (await import('../commands/cleanup.js')).default(opts, io)));

  program
    .command('compare')
    .description('several saved reports side by side')
    .argument('<reports...>', 'JSON report files')
    .option('--html <file>', 'write the comparison as HTML')
    .option('--no-color', 'no colours in terminal output')
    .action(async (reports: string[], opts) =>
      setCode(await (await import('../commands/compare.js')).default({ ...opts, reports }, io)));

  program
    .command('assert')
    .description('re-apply a gate to a saved report')
    .requiredOption('--report <file>', 'JSON report file')
    .option('--fail-under <score>', 'minimum overall score 0..100, instead of the saved one', toNumber('--fail-under'))
    .option('--require <check>', 'this check must pass too, besides those the saved gate requires (repeatable)', collect)
    .action(async (opts) => setCode(await (await import('../commands/assert.js')).default(opts, io)));

  program
    .command('schema')
    .description('print a JSON Schema: plan, manifest, registry, report or vendor-mapping')
    .argument('<name>', 'plan | manifest | registry | report | vendor-mapping')
    .action(async (name: string) => setCode(await (await import('../commands/schema.js')).default({ name }, io)));

  program
    .command('validate')
    .description('validate a plan, manifest, registry or report file (kind detected)')
    .argument('<file>', 'file to validate')
    .action(async (file: string) => setCode(await (await import('../commands/validate.js')).default({ file }, io)));

  program
    .command('inspect')
    .description('what can be verified on this EHR, from its CapabilityStatement and SMART configuration')
    .argument('[url]', 'FHIR base URL of the EHR')
    .option('--plan <file>', 'take the EHR and its auth from this plan')
    .option('--connection <system>', 'which connection of the plan (system id)')
    .option('--token-env <name>', 'bearer token from this environment variable')
    .option('--statement-only', 'judge from the statement alone: try no search it does not declare')
    .option('--json', 'print JSON')
    .option('--no-color', 'no colours in terminal output')
    .action(async (url: string | undefined, opts) =>
      setCode(await (await import('../commands/inspect.js')).default({ ...opts, url }, io)));

  return program;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here with exit code 0; usage mistakes with 1, which the design calls 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    return handleError(error, io);
  }
}

// `ehr-check init`: questions in a terminal, a plan file out. The wizard is loaded only when it runs, and
// refuses up front without a terminal, where nobody could answer it.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Io } from '../cli/io.js';
import { EXIT, InputError, InterruptedError, UsageError } from '../errors.js';
import type { PromptContext } from '../init/prompts.js';

export interface InitOptions {
  out?: string;
}

/** `context` lets tests type into the real prompts; users get the process's terminal. */
export default async function initCommand(opts: InitOptions, io: Io, context?: PromptContext): Promise<number> {
  if (!io.stdinIsTTY) {
    throw new UsageError(
      '`ehr-check init` asks questions, so it needs a terminal, and stdin is not one. ' +
        'Run it in a terminal, or start from examples/plan.yaml: copy it, edit it, and check it with `ehr-check validate`.',
    );
  }
  const shown = opts.out ?? 'ehr-check.plan.yaml';
  const file = resolve(io.cwd, shown);
  // Before the first question: a plan that could not be saved would waste every answer.
  const { checkOutputPaths } = await import('../report/output-paths.js');
  await checkOutputPaths([{ option: '--out', file: shown, example: 'ehr-check.plan.yaml' }], io.cwd, {}, { createFolders: true });
  const [{ terminalAsk }, { askPlan }, { renderPlanYaml, nextSteps, namedFiles }] = await Promise.all([
    import('../init/prompts.js'),
    import('../init/wizard.js'),
    import('../init/render.js'),
  ]);
  const ask = await terminalAsk(context);

  try {
    const exists = await pathExists(file);
    if (exists && !(await ask.confirm(`${shown} already exists. Overwrite it?`, false))) {
      io.out(`Left ${shown} as it was; nothing written. Use --out FILE to write the plan elsewhere.\n`);
      return EXIT.ok;
    }
    const plan = await askPlan(ask);
    const cannotWrite = (error: NodeJS.ErrnoException) => {
      throw new InputError([{ file, field: '', message: error.code === 'EEXIST' ? 'appeared while you answered; nothing written' : `cannot write it (${error.code})` }]);
    };
    await mkdir(dirname(file), { recursive: true }).catch(cannotWrite);
    // Without a confirmed overwrite, never replace a file that appeared while the questions were asked.
    await writeFile(file, renderPlanYaml(plan), { encoding: 'utf8', flag: exists ? 'w' : 'wx' }).catch(cannotWrite);
    const sites = plan.buyer.sites.length;
    const connections = plan.connections.length;
    io.out(`\nWrote ${shown}: ${sites} site${sites === 1 ? '' : 's'}, ${connections} connection${connections === 1 ? '' : 's'}.\nNext:\n`);
    const planDir = dirname(file);
    const present = new Set<string>();
    for (const named of namedFiles(plan)) if (await pathExists(resolve(planDir, named))) present.add(named);
    nextSteps(plan, shown, (named) => present.has(named)).forEach((step, i) => io.out(`  ${i + 1}. ${step}\n`));
    return EXIT.ok;
  } catch (error) {
    // Ctrl+C (or a closed terminal) inside a prompt: stop cleanly, as the rest of the CLI does.
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
      throw new InterruptedError('init cancelled; nothing written');
    }
    throw error;
  }
}

async function pathExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

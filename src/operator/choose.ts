// Who answers the run's operator-assisted steps: the script given with --operator-script, else the person at
// the terminal (stdin is a TTY), else nobody, and the findings that need a person are skipped with the reason.
import type { Io } from '../cli/io.js';
import { loadOperatorScript } from './script-file.js';
import { ScriptOperator } from './script.js';
import { noOperator, TtyOperator } from './tty.js';
import { NO_OPERATOR_REASON, type Operator } from './types.js';

export interface OperatorChoice {
  /** `--operator-script FILE`, relative to the working folder. */
  script?: string;
  io: Io;
  /** The plan's EHR base URLs: a script's HTTP answers may call their hosts (and loopback). */
  ehrBaseUrls: readonly string[];
  /** The run's progress line: held while the person at the terminal is asked something. */
  progress?: { hold(): () => void };
}

/** Loads and checks the script first (an InputError, exit 2, before anything is written). */
export async function chooseOperator(choice: OperatorChoice): Promise<Operator> {
  if (choice.script !== undefined) {
    const ehrHosts = choice.ehrBaseUrls.flatMap((url) => {
      try {
        return [new URL(url).hostname];
      } catch {
        return [];
      }
    });
    const script = await loadOperatorScript(choice.script, { cwd: choice.io.cwd, env: choice.io.env, ehrHosts });
    return new ScriptOperator(script, choice.io.env);
  }
  if (choice.io.stdinIsTTY) return new TtyOperator({ progress: choice.progress });
  return noOperator(NO_OPERATOR_REASON);
}

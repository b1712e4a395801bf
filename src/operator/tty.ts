// The terminal operator: asks the person at the keyboard to make a change in the EHR's own screens (or read
// them) and to confirm, with real @inquirer prompts, imported only when a step is asked. One question at a
// time, whatever the number of connections probed at once. The confirm time is kept: a person's change
// happened somewhere between asking and confirming, and the lag maths take that whole span.
import { monotonicNow } from '../timing.js';
import { isVendorStep, type Operator, type OperatorResult, type OperatorStep } from './types.js';

export interface TerminalStreams {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** The run's progress line, held off the screen while a question is up. */
  progress?: { hold(): () => void };
}

const SKIP_WORDS = new Set(['skip', 's']);

export class TtyOperator implements Operator {
  readonly kind = 'tty' as const;
  readonly available = true;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly streams: TerminalStreams = {}) {}

  perform(step: OperatorStep, signal?: AbortSignal): Promise<OperatorResult> {
    const turn = this.queue.then(() => this.ask(step, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async ask(step: OperatorStep, signal?: AbortSignal): Promise<OperatorResult> {
    const askedAt = new Date().toISOString();
    const askedAtMs = monotonicNow();
    const result = (outcome: OperatorResult['outcome'], extra: Partial<OperatorResult> = {}): OperatorResult => ({
      outcome,
      by: 'tty',
      askedAt,
      askedAtMs,
      ...(outcome === 'done' && { confirmedAt: new Date().toISOString(), confirmedAtMs: monotonicNow() }),
      ...extra,
    });
    if (signal?.aborted) return result('skipped', { message: 'the run was interrupted' });
    const prompts = await import('@inquirer/prompts');
    const output = this.streams.output ?? process.stderr;
    const context = { input: this.streams.input, output, signal, clearPromptOnDone: false };
    const release = this.streams.progress?.hold();
    const where = isVendorStep(step.kind) ? "A person is needed at the vendor's product" : 'A person at the EHR is needed';
    output.write(`\n${where} (${step.connection}):\n  ${step.instruction}\n`);
    try {
      if (step.kind === 'vendor-read-free-slots') {
        const typed = await prompts.input(
          {
            message: 'Times the product said are free (e.g. "10:30, 11:00"; "none" if none; "skip" to skip this step):',
            validate: (value: string) => value.trim() !== '' || 'type the times, "none", or "skip"',
          },
          context,
        );
        const answer = typed.trim();
        if (SKIP_WORDS.has(answer.toLowerCase())) return result('skipped', { message: 'the person skipped the reading' });
        return result('done', { reading: answer });
      }
      if (step.kind === 'vendor-book' || step.kind === 'vendor-register-patient') {
        const said = await prompts.select(
          {
            message: 'What did the product say?',
            choices: [
              { name: step.kind === 'vendor-book' ? 'It confirmed the booking' : 'It confirmed the registration', value: 'yes' as const },
              { name: 'It said it could not', value: 'no' as const },
              { name: 'Skip this step', value: 'skip' as const },
            ],
          },
          context,
        );
        if (said === 'skip') return result('skipped', { message: 'the person skipped this step' });
        return result('done', { vendorSaidYes: said === 'yes' });
      }
      if (step.kind === 'read-free-slots') {
        const typed = await prompts.input(
          {
            message: 'Slot ids shown free (separated by commas or spaces; "none" if none; "skip" to skip this step):',
            validate: (value: string) => value.trim() !== '' || 'type the ids, "none", or "skip"',
          },
          context,
        );
        const answer = typed.trim();
        if (SKIP_WORDS.has(answer.toLowerCase())) return result('skipped', { message: 'the person skipped the reading' });
        return result('done', { reading: answer });
      }
      if (step.kind === 'count-bookings') {
        const count = async (message: string) =>
          (
            await prompts.input({ message, validate: (value: string) => /^\s*(\d{1,3}|skip|s)\s*$/i.test(value) || 'type a number (0 if none), or "skip"' }, context)
          ).trim();
        const forPatient = await count(`Appointments on the slot for the test patient${step.patient ? ` ${step.patient}` : ''} ("skip" to skip this step):`);
        if (SKIP_WORDS.has(forPatient.toLowerCase())) return result('skipped', { message: 'the person skipped the count' });
        const onSlot = await count('Appointments on the slot in all, for anyone:');
        if (SKIP_WORDS.has(onSlot.toLowerCase())) return result('skipped', { message: 'the person skipped the count' });
        return result('done', { reading: { forPatient: Number(forPatient), onSlot: Number(onSlot) } });
      }
      const choice = await prompts.select(
        {
          message: 'When it is done in the EHR:',
          choices: [
            { name: 'Done: confirm', value: 'done' as const },
            { name: 'Skip this step', value: 'skip' as const },
          ],
        },
        context,
      );
      if (choice === 'skip') return result('skipped', { message: 'the person skipped this step' });
      return result('done');
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'AbortPromptError') return result('skipped', { message: 'the run was interrupted' });
      if (name === 'ExitPromptError') return result('skipped', { message: 'the person left the prompt' });
      return result('failed', { message: `the prompt failed: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      release?.();
    }
  }
}

/** Nobody to ask: every step is skipped with the reason, so the findings that needed a person say so. */
export function noOperator(reason: string): Operator {
  return {
    kind: 'none',
    available: false,
    unavailableReason: reason,
    async perform() {
      const now = new Date().toISOString();
      return { outcome: 'skipped', by: 'none', askedAt: now, askedAtMs: monotonicNow(), message: reason };
    },
  };
}

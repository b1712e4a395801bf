// SIGINT/SIGTERM during a run: stop probing, let cleanup run, then write a partial report (exit 130).

export interface InterruptWatch {
  signal: AbortSignal;
  readonly interrupted: boolean;
  dispose(): void;
}

export function watchInterrupts(onFirst?: (signal: NodeJS.Signals) => void): InterruptWatch {
  const controller = new AbortController();
  let interrupted = false;
  const handler = (signal: NodeJS.Signals) => {
    if (interrupted) return; // a second Ctrl-C does not cut cleanup short; the OS kill is still there
    interrupted = true;
    onFirst?.(signal);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    get interrupted() {
      return interrupted;
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

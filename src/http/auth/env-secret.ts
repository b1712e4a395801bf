// Secrets come from environment variables named in the plan; errors name the variable, never the value.
import { ProbeError } from '../types.js';
import type { SecretScrubber } from '../redact.js';

export function readEnvSecret(env: NodeJS.ProcessEnv, name: string, holds: string, scrubber: SecretScrubber): string {
  const raw = env[name];
  const value = raw?.trim();
  if (!value) {
    const state = raw === undefined ? 'is not set' : 'is empty';
    throw new ProbeError('config', `environment variable ${name} ${state}; it should hold the ${holds}`);
  }
  scrubber.add(value);
  if (raw !== value) scrubber.add(raw);
  return value;
}

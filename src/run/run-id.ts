import { randomBytes } from 'node:crypto';

/** `ehrc-20261124T221530Z-a1b2c3`: sortable by time, unique enough to tag and find a run's writes. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `ehrc-${stamp}-${randomBytes(3).toString('hex')}`;
}

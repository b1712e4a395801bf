// The evidence trail of one connection: every HTTP exchange, already redacted when it is added.
// Probes of one connection may run at once (concurrent freshness trials): each collects the requests made in its
// own asynchronous context, so a finding's evidence holds its own requests and never a neighbour's.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestRecord } from '../model/report.js';
import type { RequestLog } from './types.js';

/** The collectors of the probes the current code runs inside (outermost first). */
const collectors = new AsyncLocalStorage<RequestRecord[][]>();

export function createRequestLog(): RequestLog {
  const records: RequestRecord[] = [];
  return {
    records,
    add(record) {
      records.push(record);
      for (const collected of collectors.getStore() ?? []) collected.push(record);
    },
    since(mark) {
      return records.slice(Math.max(0, mark));
    },
  };
}

/** Runs `body`, gathering into `into` every request any log records from inside it (nested scopes see theirs too). */
export function collectRequests<T>(into: RequestRecord[], body: () => Promise<T>): Promise<T> {
  return collectors.run([...(collectors.getStore() ?? []), into], body);
}

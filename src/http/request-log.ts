// The evidence trail of one connection: every HTTP exchange, already redacted when it is added.
import type { RequestRecord } from '../model/report.js';
import type { RequestLog } from './types.js';

export function createRequestLog(): RequestLog {
  const records: RequestRecord[] = [];
  return {
    records,
    add(record) {
      records.push(record);
    },
    since(mark) {
      return records.slice(Math.max(0, mark));
    },
  };
}

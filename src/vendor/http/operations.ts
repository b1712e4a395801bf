// One mapping operation as a request: its templates filled in from what the probe asks about, the plan's params
// and the environment (a secret named there is registered with the client, so no log or message carries it).
import type { JsonAnswer, JsonClient } from '../../http/json-client.js';
import { ProbeError } from '../../http/types.js';
import type { MappingRequest } from './mapping.js';
import { MissingValue, namesUnder, render, renderBody, type TemplateValues } from './template.js';

export class OperationCaller {
  constructor(
    private readonly client: JsonClient,
    private readonly mappingFile: string,
    private readonly params: Record<string, string | number>,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Sends `request` (the mapping's `field`) with its placeholders filled from `values`. */
  async call(field: string, request: MappingRequest, values: TemplateValues, extraHeaders: Record<string, string> = {}): Promise<JsonAnswer> {
    const all: TemplateValues = { ...values, params: this.params, env: this.envFor(request) };
    let path: string;
    let query: Record<string, string> | undefined;
    let headers: Record<string, string>;
    let body: unknown;
    try {
      path = render(request.path, all, encodeURIComponent);
      query = request.query && Object.fromEntries(Object.entries(request.query).map(([k, v]) => [k, render(v, all)]));
      headers = { ...extraHeaders, ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k, render(v, all)])) };
      body = request.body === undefined ? undefined : renderBody(request.body, all);
    } catch (error) {
      if (!(error instanceof MissingValue)) throw error;
      const hint = error.placeholder.startsWith('env.') ? 'set that environment variable' : error.placeholder.startsWith('params.') ? 'give it under vendor.params in the plan' : 'this operation cannot know it';
      throw new ProbeError('config', `${this.mappingFile} ${field} uses {{${error.placeholder}}}, which has no value here: ${hint}`);
    }
    return this.client.request({ method: request.method, path, ...(query && { query }), headers, ...(body !== undefined && { body }) });
  }

  /** The environment variables the request names, each registered as a secret. */
  private envFor(request: MappingRequest): Record<string, string> {
    const names = [...new Set(namesUnder('env', [request.path, request.query, request.headers, request.body]))];
    const values: Record<string, string> = {};
    for (const name of names) {
      const value = this.env[name];
      if (value === undefined || value === '') continue;
      this.client.addSecret(value);
      values[name] = value;
    }
    return values;
  }
}

/** `2026-03-02T10:00:00Z` → `2026-03-02`, for APIs that take dates. */
export function dateOf(instant: string): string {
  return new Date(Date.parse(instant)).toISOString().slice(0, 10);
}

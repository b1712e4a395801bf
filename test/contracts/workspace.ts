// A scratch folder holding copies of the valid fixtures, for tests that break one file at a time.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const FILES = ['plan.yaml', 'plan.json', 'vendor-manifest.json', 'certifications.json', 'report.json'];

export type Doc = Record<string, any>;

export function fixture(name: string): Doc {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  return (name.endsWith('.json') ? JSON.parse(text) : parse(text)) as Doc;
}

export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'ehr-check-contracts-'));

  constructor() {
    for (const file of FILES) copyFileSync(join(FIXTURES, file), join(this.dir, file));
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Writes text as is (for syntax errors) or a document as YAML or JSON by the file's extension. */
  write(name: string, content: string | Doc): string {
    const file = this.path(name);
    mkdirSync(dirname(file), { recursive: true });
    const text = typeof content === 'string' ? content : name.endsWith('.json') ? `${JSON.stringify(content, null, 2)}\n` : stringify(content);
    writeFileSync(file, text);
    return file;
  }

  /** The workspace copy of a fixture, parsed. */
  read(name: string): Doc {
    const text = readFileSync(this.path(name), 'utf8');
    return (name.endsWith('.json') ? JSON.parse(text) : parse(text)) as Doc;
  }

  remove(name: string): void {
    rmSync(this.path(name), { force: true });
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

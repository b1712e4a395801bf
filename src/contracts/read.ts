// Reads an input file as YAML or JSON. A missing file, a folder or a syntax error becomes an InputError
// naming the file (and the line and column), never a stack trace.
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { InputError } from '../errors.js';

/** Input files are hand-written or exported; anything past this is not one of ours. */
const MAX_BYTES = 32 * 1024 * 1024;

/** How a file is named in messages: relative to the working folder when inside it, absolute otherwise. */
export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}

function fail(file: string, message: string): never {
  throw new InputError([{ file, field: '', message }]);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = /position (\d+)/.exec(message);
    const { line, column } = lineAndColumn(text, offset ? Number(offset[1]) : text.length);
    const reason = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    return fail(file, `JSON syntax error at line ${line}, column ${column}: ${reason}`);
  }
}

function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    const { line, column } = at ? { line: at.line, column: at.col } : lineAndColumn(text, first.pos[0]);
    const reason = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return fail(file, `YAML syntax error at line ${line}, column ${column}: ${reason}`);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

export type Syntax = 'json' | 'yaml';

function syntaxOf(path: string, text: string): Syntax {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/** Reads and parses `path`; `file` is how messages name it. */
export async function readDocument(path: string, file: string): Promise<unknown> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) fail(file, 'is a folder, not a file');
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    return fail(file, code === 'ENOENT' || code === 'ENOTDIR' ? 'file not found' : `cannot read the file (${code ?? 'error'})`);
  }
  if (size > MAX_BYTES) fail(file, `is ${Math.round(size / 1024 / 1024)} MB: larger than any input file ehr-check reads`);
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    return fail(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseText(path, text, file);
}

function parseText(path: string, text: string, file: string): unknown {
  const doc = text.trim() === '' ? undefined : syntaxOf(path, text) === 'json' ? parseJson(text, file) : parseYaml(text, file);
  // A YAML file of only comments parses to null: as empty as an empty file.
  if (doc === undefined || doc === null) fail(file, 'the file is empty');
  return doc;
}

/** `readDocument` for callers that cannot wait (a vendor adapter saying what it can do); same messages. */
export function readDocumentSync(path: string, file: string): unknown {
  let text: string;
  try {
    if (statSync(path).isDirectory()) fail(file, 'is a folder, not a file');
    if (statSync(path).size > MAX_BYTES) fail(file, 'is larger than any input file ehr-check reads');
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    return fail(file, code === 'ENOENT' || code === 'ENOTDIR' ? 'file not found' : `cannot read the file (${code ?? 'error'})`);
  }
  return parseText(path, text, file);
}

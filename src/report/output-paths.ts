// Every file a command was asked to write is checked before the first probe: its folder exists and this user
// may write there, and the path is not itself a folder. A mistake then costs a second, not a whole evaluation.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError, type InputProblem } from '../errors.js';

/** One requested output: the option that asked for it and the path as the user gave it. */
export interface RequestedOutput {
  option: string;
  file: string;
  /** A file name to suggest when the path given is a folder. */
  example?: string;
}

export interface OutputFlags {
  json?: string;
  html?: string;
  junit?: string;
  markdown?: string;
}

const FLAG_OPTIONS: Array<[keyof OutputFlags, string, string]> = [
  ['json', '--json', 'report.json'],
  ['html', '--html', 'report.html'],
  ['junit', '--junit', 'report.xml'],
  ['markdown', '--markdown', 'report.md'],
];

/** The files the output flags ask for, in a fixed order; `-` is no file (stdout, or refused by stdoutProblems). */
export function requestedOutputs(flags: OutputFlags): RequestedOutput[] {
  return FLAG_OPTIONS.flatMap(([key, option, example]) => {
    const file = flags[key];
    return file === undefined || file === '-' ? [] : [{ option, file, example }];
  });
}

/** Only JSON has a stdout form; `--html -` would otherwise write a file named "-". */
export function stdoutProblems(flags: OutputFlags): InputProblem[] {
  return FLAG_OPTIONS.filter(([key]) => key !== 'json' && flags[key] === '-').map(([, option, example]) => ({
    file: `${option} -`,
    field: '',
    message: `only --json can print to stdout (-); give ${option} a file name, e.g. ${option} ${example}`,
  }));
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'error';

/** The folder a file would be written in; with `createFolders`, the nearest one that exists (mkdir -p). */
async function writableFolder(path: string, createFolders: boolean): Promise<{ folder: string; problem?: string }> {
  let folder = dirname(path);
  for (;;) {
    const info = await stat(folder).catch((error: unknown) => error as NodeJS.ErrnoException);
    if (!(info instanceof Error)) {
      return info.isDirectory() ? { folder } : { folder, problem: `${folder} is a file, not a folder: choose a path inside an existing folder` };
    }
    if (info.code === 'ENOENT' && createFolders && dirname(folder) !== folder) {
      folder = dirname(folder);
      continue;
    }
    if (info.code === 'ENOENT') return { folder, problem: `the folder ${folder} does not exist: create it first (mkdir -p ${folder}) or write elsewhere` };
    if (info.code === 'ENOTDIR') return { folder, problem: `${folder} is not a folder (part of it is a file): choose a path inside an existing folder` };
    return { folder, problem: `cannot look at the folder ${folder} (${errno(info)}): choose another path` };
  }
}

/** Why this one path cannot be written, or undefined when it can. */
async function pathProblem(path: string, example: string, createFolders: boolean): Promise<string | undefined> {
  const target = await stat(path).catch((error: unknown) => error as NodeJS.ErrnoException);
  if (!(target instanceof Error)) {
    if (target.isDirectory()) return `${path} is a folder: give a file name inside it, e.g. ${resolve(path, example)}`;
  } else if (target.code !== 'ENOENT' && target.code !== 'ENOTDIR') {
    return `cannot look at ${path} (${errno(target)}): choose another path`;
  }
  const { folder, problem } = await writableFolder(path, createFolders);
  if (problem) return problem;
  // An existing device or pipe (/dev/null, /dev/stdout) is written in place: the target itself must be writable.
  const inPlace = !(target instanceof Error) && !target.isFile();
  try {
    await access(inPlace ? path : folder, inPlace ? constants.W_OK : constants.W_OK | constants.X_OK);
  } catch (error) {
    return inPlace
      ? `this user may not write to ${path} (${errno(error)}): choose another path`
      : `this user may not write in the folder ${folder} (${errno(error)}): choose a writable folder or change its permissions`;
  }
  return undefined;
}

/**
 * Problems with the requested output paths: unwritable, a folder, or two outputs on the same file. Resolved
 * against `cwd`; messages name the option, the path as given and the fix.
 */
export async function outputPathProblems(
  outputs: readonly RequestedOutput[],
  cwd: string,
  options: { createFolders?: boolean } = {},
): Promise<InputProblem[]> {
  const found: Array<{ option: string; files: string[]; message: string }> = [];
  const add = (option: string, file: string, message: string) => {
    // demo's per-vendor files share a folder: one line for all three, not three of the same.
    const same = found.find((p) => p.option === option && p.message === message);
    if (same) same.files.push(file);
    else found.push({ option, files: [file], message });
  };
  const owner = new Map<string, string>();
  for (const { option, file, example } of outputs) {
    const path = resolve(cwd, file);
    const earlier = owner.get(path);
    if (earlier !== undefined) {
      add(option, file, `${earlier} writes the same file: give each output its own file`);
      continue;
    }
    owner.set(path, option);
    const problem = await pathProblem(path, example ?? 'report.json', Boolean(options.createFolders));
    if (problem) add(option, file, problem);
  }
  return found.map((p) => ({ file: `${p.option} ${p.files.join(', ')}`, field: '', message: p.message }));
}

/** Throws an InputError (exit 2) naming every output that could not be written, before anything runs. */
export async function checkOutputPaths(
  outputs: readonly RequestedOutput[],
  cwd: string,
  flags: OutputFlags = {},
  options: { createFolders?: boolean } = {},
): Promise<void> {
  const problems = [...stdoutProblems(flags), ...(await outputPathProblems(outputs, cwd, options))];
  if (problems.length > 0) throw new InputError(problems);
}

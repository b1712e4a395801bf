// `ehr-check validate FILE`: tells which kind of file it is and whether it is valid. Problems go to stderr,
// one line each (through the CLI's error handler), with exit 2.
import type { Io } from '../cli/io.js';
import { validateFile } from '../contracts/load.js';

export default async function validateCommand(opts: { file: string }, io: Io): Promise<number> {
  const files = await validateFile(opts.file, { cwd: io.cwd });
  for (const { file, kind } of files) io.out(`${file}: valid ${kind}\n`);
  return 0;
}

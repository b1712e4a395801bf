import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('ehr-check --help', () => {
  it('lists every command of the design', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const name of ['demo', 'run', 'init', 'sandbox', 'cleanup', 'compare', 'assert', 'schema', 'validate', 'inspect']) {
      expect(stdout).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
    }
  });

  it('prints the package version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('maps a usage mistake to exit 2', async () => {
    const { code, stderr } = await runCli(['sandbox', '--flavor', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toContain('Allowed choices');
  });
});

// `ehr-check sandbox` as users run it: the built CLI prints a base URL that answers /metadata, and stops
// cleanly on SIGTERM. Needs the build (npx tsc -p tsconfig.json).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { call } from './client.js';

function serve(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const baseUrl = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no base URL printed; stderr: ${stderr}`)), 20_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const match = /FHIR base URL\s+(http:\/\/127\.0\.0\.1:\d+\S*)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('close', () => reject(new Error(`exited before printing a base URL; stderr: ${stderr}`)));
  });
  return { child, baseUrl, exited, output: () => stdout };
}

describe('ehr-check sandbox', () => {
  it('serves a sandbox on a free port whose base URL answers /metadata, until SIGTERM', async () => {
    const run = serve(['--port', '0', '--flavor', 'oracle', '--seed', '3']);
    try {
      const base = await run.baseUrl;
      const metadata = await call(`${base}/metadata`);
      expect(metadata.status).toBe(200);
      expect(metadata.body.resourceType).toBe('CapabilityStatement');
      expect(metadata.body.software.name).toContain('oracle flavor');
      expect(run.output()).toMatch(/Token URL\s+http:\/\/127\.0\.0\.1:\d+\/oauth2\/token/);
      expect(run.output()).toMatch(/Staff console\s+http:\/\/127\.0\.0\.1:\d+\/staff/);
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
  });

  it('--redirect-to answers every FHIR request with a 302 to that base, and says so', async () => {
    const run = serve(['--port', '0', '--redirect-to', 'http://127.0.0.1:9/fhir/R4']);
    try {
      const base = await run.baseUrl;
      const res = await fetch(`${base}/Slot?status=free`, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('http://127.0.0.1:9/fhir/R4/Slot?status=free');
      expect(run.output()).toContain('Every FHIR request is answered with a 302 to http://127.0.0.1:9/fhir/R4');
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
  });

  it('with --derive-slot-status serves an EHR whose slots are busy only while a booking holds them', async () => {
    const run = serve(['--port', '0', '--derive-slot-status']);
    try {
      const base = await run.baseUrl;
      expect(run.output()).toMatch(/slot status derived from bookings/);
      const slot = (await call(`${base}/Slot?status=free&_count=1`)).body.entry[0].resource;
      expect((await call(`${base}/Slot/${slot.id}`, { method: 'PUT', body: { ...slot, status: 'busy' } })).status).toBe(200);
      expect((await call(`${base}/Slot/${slot.id}`)).body.status).toBe('free');
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
  });

  it('refuses a --redirect-to that is not an http(s) URL with exit code 2, naming the option and the fix', async () => {
    const result = await runCli(['sandbox', '--redirect-to', 'ftp://127.0.0.1/fhir'], { timeoutMs: 20_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--redirect-to: it must be http(s), not ftp:; give a FHIR base URL');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an unknown flavor with exit code 2', async () => {
    const result = await runCli(['sandbox', '--flavor', 'meditech'], { timeoutMs: 20_000 });
    expect(result.code).toBe(2);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSystem } from '../../src/catalog/systems.js';
import { lookupEhrCertification, type ChplGet } from '../../src/chpl/index.js';
import { InputError } from '../../src/errors.js';
import { LANTERN_FILE, SEARCH_FILE, startChplReplay, type ReplayServer } from './replay-server.js';

const KEY = 'chpl-test-key-9f2c41d7';
let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function viaApi(developerNames: string[], options: { maxPageSize?: number; apiKey?: string } = {}) {
  server = await startChplReplay({ apiKey: KEY, ...(options.maxPageSize !== undefined && { maxPageSize: options.maxPageSize }) });
  return lookupEhrCertification({ developerNames }, { kind: 'api', baseUrl: server.baseUrl, apiKey: options.apiKey ?? KEY });
}

describe('CHPL lookup through the search API (replayed real CHPL listings)', () => {
  it('Epic Systems Corporation is certified: sixteen (g)(10) listings, Active and withdrawn', async () => {
    const result = await viaApi(['Epic Systems Corporation']);
    expect(result.status).toBe('certified');
    expect(result.problem).toBeUndefined();
    expect(result.source).toBe(`CHPL API ${server!.baseUrl}`);
    expect(result.listings).toHaveLength(16);
    expect(result.listings.every((l) => l.g10 && l.developer === 'Epic Systems Corporation')).toBe(true);
    expect(result.listings.filter((l) => l.certificationStatus === 'Active')).toHaveLength(10);
    expect(result.listings).toContainEqual({
      chplProductNumber: '15.04.04.1447.Epic.AM.28.1.240311',
      developer: 'Epic Systems Corporation',
      product: 'EpicCare Ambulatory Base',
      version: 'February 2024',
      certificationStatus: 'Active',
      certificationDate: '2024-03-11',
      g10: true,
    });
  });

  it('asks as CHPL expects: criterion 182, the developer, the key in the API-Key header only', async () => {
    await viaApi(['eClinicalWorks, LLC']);
    const [first] = server!.requests;
    expect(first!.url.pathname).toBe('/rest/search/v3');
    expect(first!.url.searchParams.get('certification_criteria_ids')).toBe('182');
    expect(first!.url.searchParams.get('developer')).toBe('eClinicalWorks, LLC');
    expect(first!.url.searchParams.get('pageSize')).toBe('100');
    expect(first!.url.searchParams.get('pageNumber')).toBe('0');
    expect(first!.headers['api-key']).toBe(KEY);
    expect(first!.url.toString()).not.toContain(KEY);
  });

  it('follows pages by recordCount when the server pages smaller than asked', async () => {
    const result = await viaApi(['Epic Systems Corporation'], { maxPageSize: 5 });
    expect(result.listings).toHaveLength(16);
    expect(server!.requests.map((r) => r.url.searchParams.get('pageNumber'))).toEqual(['0', '1', '2', '3']);
    expect(new Set(result.listings.map((l) => l.chplProductNumber)).size).toBe(16);
  });

  it.each([
    ['oracle-health', 'Cerner Corporation'],
    ['athenahealth', 'athenahealth, Inc.'],
    ['eclinicalworks', 'eClinicalWorks, LLC'],
    ['meditech', 'Medical Information Technology, Inc. (MEDITECH)'],
    ['veradigm', 'Veradigm'],
    ['nextgen', 'NextGen Healthcare'],
  ])('catalog system %s is certified through its CHPL name %s', async (id, developer) => {
    const result = await viaApi(resolveSystem(id)!.chplDeveloperNames);
    expect(result.status).toBe('certified');
    expect(result.listings.some((l) => l.developer === developer && l.certificationStatus === 'Active' && l.g10)).toBe(true);
  });

  it('keeps only the developer asked for, though CHPL matches names by substring', async () => {
    const result = await viaApi(['Modernizing Medicine']);
    expect(server!.requests.length).toBe(1);
    expect(result.listings.map((l) => l.developer)).toEqual(['Modernizing Medicine']);
    expect(result.status).toBe('certified');
  });

  it('a developer whose only (g)(10) listing was withdrawn is not certified', async () => {
    const result = await viaApi(['Modernizing Medicine Podiatry Systems, Inc.']);
    expect(result.status).toBe('not-certified');
    expect(result.listings).toEqual([expect.objectContaining({ certificationStatus: 'Withdrawn by Developer', g10: true })]);
  });

  it('an unknown developer is not certified, with no listings', async () => {
    const result = await viaApi(['Nonexistent Health Software, LLC']);
    expect(result).toEqual({ status: 'not-certified', listings: [], source: `CHPL API ${server!.baseUrl}` });
  });

  it('a refused key (401) gives unknown with a problem, and the key appears nowhere', async () => {
    const result = await viaApi(['Epic Systems Corporation'], { apiKey: 'wrong-key-1234' });
    expect(result.status).toBe('unknown');
    expect(result.problem).toBe('CHPL API refused the API key (HTTP 401)');
    expect(result.listings).toEqual([]);
    expect(JSON.stringify(result)).not.toContain('wrong-key-1234');
  });

  it.each([
    [{ status: 500 }, 'CHPL API answered HTTP 500 for developer "Epic Systems Corporation"'],
    [{ status: 200, body: '<html>maintenance</html>' }, 'CHPL API answered with something that is not a search response (no results list)'],
  ])('a broken API (%j) gives unknown', async (fail, problem) => {
    server = await startChplReplay({ apiKey: KEY, fail });
    const result = await lookupEhrCertification({ developerNames: ['Epic Systems Corporation'] }, { kind: 'api', baseUrl: server.baseUrl, apiKey: KEY });
    expect(result).toMatchObject({ status: 'unknown', problem, listings: [] });
  });

  it('an unreachable API gives unknown with the cause, not a crash', async () => {
    const port = await freePort();
    const result = await lookupEhrCertification(
      { developerNames: ['Epic Systems Corporation'] },
      { kind: 'api', baseUrl: `http://127.0.0.1:${port}/rest`, apiKey: KEY },
    );
    expect(result.status).toBe('unknown');
    expect(result.problem).toMatch(/could not be reached/);
    expect(result.problem).not.toContain(KEY);
  });

  it('scrubs the key even from an error that carries it, and stops after a bounded number of pages', async () => {
    const echo: ChplGet = async (url, headers) => {
      throw new Error(`boom at ${url} with ${headers['API-Key']}`);
    };
    const scrubbed = await lookupEhrCertification({ developerNames: ['X Corp'] }, { kind: 'api', baseUrl: 'http://127.0.0.1:9/rest', apiKey: KEY, fetch: echo });
    expect(scrubbed.problem).toContain('REDACTED');
    expect(scrubbed.problem).not.toContain(KEY);

    let calls = 0;
    const endless: ChplGet = async () => {
      calls++;
      return { status: 200, body: { recordCount: 1_000_000, results: [{ chplProductNumber: `n${calls}`, developer: { name: 'X Corp' } }] } };
    };
    const bounded = await lookupEhrCertification({ developerNames: ['X Corp'] }, { kind: 'api', baseUrl: 'http://127.0.0.1:9/rest', apiKey: KEY, fetch: endless });
    expect(bounded.status).toBe('unknown');
    expect(bounded.problem).toMatch(/more than 50 pages/);
    expect(calls).toBe(50);
  });

  it('nothing to ask, or no key: unknown without a request', async () => {
    const none = await lookupEhrCertification({ developerNames: [] }, { kind: 'api', baseUrl: 'http://127.0.0.1:9/rest', apiKey: KEY });
    expect(none).toMatchObject({ status: 'unknown', problem: 'no CHPL developer name to look up' });
    const noKey = await lookupEhrCertification({ developerNames: ['Epic'] }, { kind: 'api', baseUrl: 'http://127.0.0.1:9/rest', apiKey: '' });
    expect(noKey.status).toBe('unknown');
  });
});

describe('CHPL lookup from an export file', () => {
  it("ONC Lantern's products-info: Epic certified, a withdrawn-only developer not", async () => {
    const epic = await lookupEhrCertification({ developerNames: ['Epic Systems Corporation'] }, { kind: 'file', path: LANTERN_FILE });
    expect(epic.status).toBe('certified');
    expect(epic.listings).toHaveLength(16);
    expect(epic.source).toBe(`CHPL export ${LANTERN_FILE}`);
    const podiatry = await lookupEhrCertification({ developerNames: ['Modernizing Medicine Podiatry Systems, Inc.'] }, { kind: 'file', path: LANTERN_FILE });
    expect(podiatry.status).toBe('not-certified');
  });

  it('the search-response shape: an Active listing without (g)(10) is not certified', async () => {
    const result = await lookupEhrCertification({ developerNames: ['Accelerated Care Plus'] }, { kind: 'file', path: SEARCH_FILE });
    expect(result).toEqual({
      status: 'not-certified',
      source: `CHPL export ${SEARCH_FILE}`,
      listings: [
        {
          chplProductNumber: '15.04.04.3068.ACPl.01.00.0.200129',
          developer: 'Accelerated Care Plus',
          product: 'ACPlus™',
          version: 'V1',
          certificationStatus: 'Active',
          certificationDate: '2020-01-29',
          g10: false,
        },
      ],
    });
  });

  it('developer names match without case, punctuation or legal form', async () => {
    const result = await lookupEhrCertification({ developerNames: ['ATHENAHEALTH INC'] }, { kind: 'file', path: LANTERN_FILE });
    expect(result.status).toBe('certified');
    expect(new Set(result.listings.map((l) => l.developer))).toEqual(new Set(['athenahealth, Inc.']));
  });

  it('an unknown developer is not certified', async () => {
    const result = await lookupEhrCertification({ developerNames: ['Nonexistent Health Software'] }, { kind: 'file', path: LANTERN_FILE });
    expect(result).toMatchObject({ status: 'not-certified', listings: [] });
  });

  it('a missing, non-JSON or foreign file is bad input (InputError)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chpl-'));
    writeFileSync(join(dir, 'broken.json'), '{ nope');
    writeFileSync(join(dir, 'plan.json'), JSON.stringify({ version: 1, buyer: {} }));
    for (const [file, message] of [
      [join(dir, 'absent.json'), 'CHPL export file not found'],
      [join(dir, 'broken.json'), 'CHPL export is not JSON'],
      [join(dir, 'plan.json'), /^not a CHPL export/],
    ] as const) {
      const error = await lookupEhrCertification({ developerNames: ['Epic'] }, { kind: 'file', path: file }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems[0]).toMatchObject({ file, field: '', message: expect.stringMatching(message) });
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

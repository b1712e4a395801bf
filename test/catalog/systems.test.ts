import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayName, findProgram, normalizeName, resolveSystem, SYSTEMS } from '../../src/catalog/systems.js';
import { REAL_WORLD } from '../helpers/paths.js';

describe('systems catalog', () => {
  it('has 20+ systems with unique lower-case slugs, each with a display name and CHPL developer name', () => {
    expect(SYSTEMS.length).toBeGreaterThanOrEqual(20);
    const ids = SYSTEMS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SYSTEMS) {
      expect(s.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(s.displayName).not.toBe('');
      expect(s.chplDeveloperNames.length).toBeGreaterThan(0);
    }
    for (const id of ['epic', 'oracle-health', 'athenahealth', 'eclinicalworks', 'meditech', 'nextgen', 'veradigm', 'careevolution',
      'greenway', 'practicefusion', 'modmed', 'elation', 'drchrono', 'advancedmd', 'tebra', 'netsmart', 'pointclickcare', 'cpsi']) {
      expect(ids).toContain(id);
    }
  });

  it('no loose name points at two systems', () => {
    const owner = new Map<string, string>();
    for (const s of SYSTEMS) {
      for (const name of [s.id, s.displayName, s.developer, ...s.chplDeveloperNames, ...s.aliases]) {
        const key = normalizeName(name);
        const seen = owner.get(key);
        expect(seen === undefined || seen === s.id, `"${name}" is claimed by ${seen} and ${s.id}`).toBe(true);
        owner.set(key, s.id);
      }
    }
  });

  it('certification program ids are unique and found with their system', () => {
    const programs = SYSTEMS.flatMap((s) => s.certificationPrograms.map((p) => p.id));
    expect(new Set(programs).size).toBe(programs.length);
    for (const id of ['epic-showroom', 'oracle-health-code', 'athenahealth-marketplace', 'ecw-partner', 'meditech-alliance']) {
      expect(programs).toContain(id);
    }
    expect(findProgram('epic-showroom')?.system.id).toBe('epic');
    expect(findProgram('ecw-partner')?.program.name).toBe('eClinicalWorks Partner Program');
    expect(findProgram('nope')).toBeUndefined();
  });

  it.each([
    ['epic', 'epic'],
    ['Epic', 'epic'],
    ['Epic Systems', 'epic'],
    ['EPIC SYSTEMS CORPORATION', 'epic'],
    ['Cerner', 'oracle-health'],
    ['Oracle Health Millennium', 'oracle-health'],
    ['Cerner Corporation', 'oracle-health'],
    ['oracle health', 'oracle-health'],
    ['athenaOne', 'athenahealth'],
    ['athenahealth, Inc.', 'athenahealth'],
    ['eCW', 'eclinicalworks'],
    ['e-CW', 'eclinicalworks'],
    ['eClinicalWorks, LLC', 'eclinicalworks'],
    ['Medical Information Technology, Inc. (MEDITECH)', 'meditech'],
    ['MEDITECH Expanse', 'meditech'],
    ['Allscripts', 'veradigm'],
    ['Kareo', 'tebra'],
    ['Tebra Technologies, Inc.', 'tebra'],
    ['ModMed', 'modmed'],
    ['Practice Fusion', 'practicefusion'],
    ['drchrono Inc.', 'drchrono'],
    ['CPSI', 'cpsi'],
    ['TouchWorks', 'altera'],
    ['Epic (Main Hospital)', 'epic'],
  ])('resolves %j to %s', (name, id) => {
    expect(resolveSystem(name)?.id).toBe(id);
  });

  it.each(['', '   ', 'Inc.', 'Nonexistent EHR', 'epi'])('does not resolve %j', (name) => {
    expect(resolveSystem(name)).toBeUndefined();
  });

  it('display names, with the id as fallback', () => {
    expect(displayName('epic')).toBe('Epic');
    expect(displayName('oracle-health')).toBe('Oracle Health (Cerner)');
    expect(displayName('eclinicalworks')).toBe('eClinicalWorks');
    expect(displayName('some-local-ehr')).toBe('some-local-ehr');
  });

  it("spells CHPL developers as CHPL does, for the major systems in Lantern's CHPL data", () => {
    const products = JSON.parse(readFileSync(join(REAL_WORLD, 'chpl', 'lantern-chpl-products-info.json'), 'utf8')) as Array<{
      softwareProducts?: Array<{ developer: { name: string } }>;
    }>;
    const developers = new Set(products.flatMap((e) => (e.softwareProducts ?? []).map((p) => p.developer.name)));
    for (const id of ['epic', 'oracle-health', 'athenahealth', 'eclinicalworks', 'meditech', 'nextgen', 'veradigm', 'greenway',
      'practicefusion', 'modmed', 'elation', 'drchrono', 'advancedmd', 'tebra', 'netsmart', 'pointclickcare', 'altera']) {
      const system = resolveSystem(id)!;
      expect(system.chplDeveloperNames.some((n) => developers.has(n)), id).toBe(true);
    }
  });
});

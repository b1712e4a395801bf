// The {{placeholders}} of a mapping's requests (pure), and a secret taken from the environment: sent, never logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestLog } from '../../src/http/fhir-client.js';
import { openVendorChannel } from '../../src/vendor/index.js';
import { MissingValue, placeholdersIn, render, renderBody } from '../../src/vendor/http/template.js';
import { MappingFiles, restConnection, startRestWorld, type RestWorld } from './world.js';

describe('placeholders', () => {
  const values = { slot: { id: 's1', start: '2030-01-01T10:00:00Z' }, params: { providerId: 7 }, patient: { identifiers: [{ system: 'urn:x', value: '1' }] } };

  it.each([
    ['/appointments/{{slot.id}}', '/appointments/s1'],
    ['{{ slot.start }} for {{params.providerId}}', '2030-01-01T10:00:00Z for 7'],
    ['no placeholder', 'no placeholder'],
  ])('renders %s', (template, expected) => {
    expect(render(template, values)).toBe(expected);
  });

  it('escapes a path value, so a vendor id cannot add segments or a query', () => {
    expect(render('/appointments/{{booking.id}}', { booking: { id: '../admin?x=1' } }, encodeURIComponent)).toBe('/appointments/..%2Fadmin%3Fx%3D1');
  });

  it('keeps the type of a body value that is one placeholder alone', () => {
    expect(renderBody({ provider_id: '{{params.providerId}}', ids: '{{patient.identifiers}}', at: 'at {{slot.start}}', n: 3 }, values)).toEqual({
      provider_id: 7,
      ids: [{ system: 'urn:x', value: '1' }],
      at: 'at 2030-01-01T10:00:00Z',
      n: 3,
    });
  });

  it('names a placeholder with no value, and lists malformed ones', () => {
    expect(() => render('{{params.missing}}', values)).toThrow(MissingValue);
    expect(placeholdersIn({ a: ['{{slot.id}}', '{{ bad name }}'], b: 1 })).toEqual(['slot.id', '!{{ bad name }}']);
  });
});

describe('a secret from the environment', () => {
  const files = new MappingFiles();
  let world: RestWorld;
  beforeAll(async () => {
    world = await startRestWorld();
  });
  afterAll(async () => {
    await world?.close();
    files.remove();
  });

  it('is sent in the request, and the request log holds it only as REDACTED', async () => {
    const mapping = files.variant((doc) => (doc.operations.freeSlots.request.query.practice = '{{env.PRACTICE_SECRET}}'));
    const log = createRequestLog();
    const channel = openVendorChannel(restConnection(world, 'athenahealth', mapping).vendor, { log, env: { PRACTICE_SECRET: 'sekrit-practice-4242' } });
    try {
      const slots = await channel.freeSlots(`Schedule/${world.scheduleId}`, { start: new Date(Date.now() + 3_600_000).toISOString(), end: new Date(Date.now() + 3 * 86_400_000).toISOString() });
      expect(slots.length).toBeGreaterThan(0);
      expect(log.records).toHaveLength(1);
      expect(log.records[0]!.url).toContain('practice=REDACTED');
      expect(JSON.stringify(log.records)).not.toContain('sekrit-practice-4242');
    } finally {
      await channel.close();
    }
  });

  it('a variable that is not set is a configuration error naming it, not a request', async () => {
    const mapping = files.variant((doc) => (doc.operations.freeSlots.request.headers = { 'x-api-key': '{{env.MISSING_KEY}}' }));
    const log = createRequestLog();
    const channel = openVendorChannel(restConnection(world, 'athenahealth', mapping).vendor, { log, env: {} });
    try {
      await expect(channel.freeSlots(`Schedule/${world.scheduleId}`, { start: new Date().toISOString(), end: new Date(Date.now() + 86_400_000).toISOString() })).rejects.toThrow(
        /\/operations\/freeSlots\/request uses \{\{env\.MISSING_KEY\}\}, which has no value here: set that environment variable/,
      );
      expect(log.records).toEqual([]);
    } finally {
      await channel.close();
    }
  });
});

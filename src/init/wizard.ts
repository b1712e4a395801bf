// The init wizard's questions, in the order a buyer thinks about them: who we are and what we run, which
// vendor, how it is connected, what matters most, and what "good enough" means. Returns a plan (docs/plan-and-manifest.md).
// The checks that run by default; an opt-in one (volume, which books dozens of slots) is listed in the plan by hand.
import { CHECK_DEFAULTS, DEFAULT_CHECK_IDS as CHECK_IDS } from '../../checks/catalog.js';
import { VOLUME_DEFAULTS } from '../contracts/defaults.js';
import { isCatalogSystem } from '../contracts/system-rules.js';
import type { CheckId } from '../model/report.js';
import type { Connection, FreshnessSettings, Plan, Site } from '../model/plan.js';
import { askConnection } from './connection.js';
import type { Ask } from './prompts.js';
import { required } from './rules.js';
import { askSystem, systemLabel } from './systems.js';

export async function askPlan(ask: Ask): Promise<Plan> {
  ask.say('Buyer');
  const buyerName = await ask.text('Buyer (your organisation) name', { validate: required('a name') });
  const volumes = await askVolumes(ask);
  const sites = await askSites(ask);

  ask.say('Vendor');
  const vendorName = await ask.text('Vendor name (as in its manifest)', { validate: required('the vendor name') });
  const manifest = await ask.text("Path of the vendor's manifest (relative to the plan file)", {
    default: './vendor-manifest.json',
    validate: required('a path'),
  });
  const certifications = await ask.text('Certification registry file you trust (empty: none)');

  ask.say('Connections (one per EHR the vendor is connected to)');
  const connections = await askConnections(ask, sites);

  ask.say('Scoring');
  const checks = await askChecks(ask);
  const minScore = await ask.number('Gate: minimum overall score 0..100', { min: 0, max: 100, default: 70 });
  const requireChecks = await ask.chooseMany<CheckId>(
    'Gate: checks that must pass (space to toggle, enter to confirm)',
    CHECK_IDS.map((id) => ({ value: id, name: id, checked: id === 'bidirectional' })),
  );

  return {
    version: 1,
    buyer: { name: buyerName, ...(volumes ? { volumes } : {}), sites },
    vendor: { name: vendorName, manifest },
    connections,
    checks,
    gate: { minScore, require: requireChecks },
    ...(certifications ? { certifications } : {}),
  };
}

/** Optional in a plan: without them the report has no cost panel, so an empty first answer skips all three. */
async function askVolumes(ask: Ask): Promise<Plan['buyer']['volumes']> {
  const bookingsPerWeek = await ask.optionalNumber('Bookings per week made through the vendor (empty: skip the cost panel)', { min: 0, integer: true });
  if (bookingsPerWeek === undefined) return undefined;
  return {
    bookingsPerWeek,
    minutesPerManualEntry: await ask.number('Staff minutes to enter one booking by hand', { min: 0, default: 4 }),
    staffHourlyCost: await ask.number('Staff hourly cost (loaded)', { min: 0 }),
    minutesPerDoubleBooking: await ask.number('Staff minutes to resolve one double-booking', { min: 0, default: VOLUME_DEFAULTS.minutesPerDoubleBooking }),
  };
}

async function askSites(ask: Ask): Promise<Site[]> {
  const sites: Site[] = [];
  do {
    const name = await ask.text(`Site ${sites.length + 1}: name`, { validate: required('the site name') });
    const system = await askSystem(ask, `Site ${sites.length + 1}: EHR it runs`, sites.at(-1)?.system);
    sites.push({ name, system, ...(isCatalogSystem(system) ? {} : { custom: true }) });
  } while (await ask.confirm('Add another site?', false));
  return sites;
}

async function askConnections(ask: Ask, sites: Site[]): Promise<Connection[]> {
  const siteSystems = [...new Set(sites.map((s) => s.system))];
  const connections: Connection[] = [];
  do {
    const unconnected = siteSystems.filter((s) => !connections.some((c) => c.system === s));
    const system = await askSystem(ask, `Connection ${connections.length + 1}: EHR system`, unconnected[0], siteSystems);
    connections.push(await askConnection(ask, system, systemLabel(system)));
  } while (
    await ask.confirm(
      'Add another connection?',
      siteSystems.some((s) => !connections.some((c) => c.system === s)),
    )
  );
  return connections;
}

async function askChecks(ask: Ask): Promise<Plan['checks']> {
  const defaults = Object.fromEntries(CHECK_IDS.map((id) => [id, CHECK_DEFAULTS[id].weight])) as Record<CheckId, number>;
  const listed = (w: Record<CheckId, number>) => CHECK_IDS.map((id) => `${id} ${w[id]}`).join(' / ');
  let weights = { ...defaults };
  const keep = await ask.confirm(`Weigh the checks ${listed(weights)}?`, true);
  if (!keep) {
    for (const id of CHECK_IDS) weights[id] = await ask.number(`Weight of ${id}`, { min: 0, default: weights[id] });
    if (CHECK_IDS.every((id) => weights[id] === 0)) {
      ask.say(`All weights are 0, so nothing would be scored: keeping the defaults ${CHECK_IDS.map((id) => defaults[id]).join(' / ')}.`);
      weights = { ...defaults };
    }
  }
  const fresh: FreshnessSettings = { ...CHECK_DEFAULTS.freshness };
  fresh.trials = await ask.number('Freshness: trials per direction and connection', { min: 1, max: 100, integer: true, default: fresh.trials });
  // A change not seen by the timeout counts as stale; it must leave room for the near-real-time bound.
  fresh.timeoutSeconds = await ask.number(
    `Freshness: seconds before an unseen change counts as stale (at least ${fresh.nearRealTimeSeconds})`,
    { min: fresh.nearRealTimeSeconds, max: 86_400, default: fresh.timeoutSeconds },
  );
  const asked: Partial<Plan['checks']> = { freshness: fresh };
  return Object.fromEntries(CHECK_IDS.map((id) => [id, { ...CHECK_DEFAULTS[id], ...asked[id], weight: weights[id] }])) as Plan['checks'];
}

// What every check is, as plain data: id, title, description, default weight, findings and plan settings. Each
// check's definition spreads its entry, and the report model and the plan schema read from here, not from the
// registry: the registry imports the checks, which read the probes' evidence types, and these must not drag them along.
// A new check adds its entry here (in report order) as well as its file and its line in checks/index.ts.

/** One finding a check can produce. */
export interface FindingDefinition {
  readonly id: string;
  readonly title: string;
  /** `connection`: judged on each connection; `run`: once for the whole run. */
  readonly scope: 'connection' | 'run';
  /** The run reads or changes the EHR for it: how (api, operator, impossible) is planned from the EHR's capability and kept in its evidence. */
  readonly probesEhr?: true;
  /** Judged from these rather than from the EHR (the method planner and `inspect` say so). */
  readonly judgedFrom?: string;
}

/** The freshness check's settings when the plan gives none. */
const FRESHNESS_DEFAULTS = { trials: 5, timeoutSeconds: 120, realTimeSeconds: 5, nearRealTimeSeconds: 60 };

const seconds = (description: string, fallback: number) => ({ type: 'number', exclusiveMinimum: 0, maximum: 86_400, default: fallback, description });

/** What a check is, as data: no judgement, no evidence types. */
export interface CheckCatalogEntry {
  readonly title: string;
  /** What the check verifies, in the buyer's words (the HTML report shows it above the check's findings). */
  readonly description: string;
  /** Its weight in the overall score when the plan gives none. */
  readonly defaultWeight: number;
  /** The findings this check can produce, in report order. */
  readonly findings: readonly FindingDefinition[];
  /** Plan settings under `checks.<id>` beyond `weight`: their defaults and the JSON Schema of each. */
  readonly settings?: { readonly defaults: object; readonly schema: Readonly<Record<string, Readonly<Record<string, unknown>>>> };
  /** Runs only when the plan lists it under `checks` (it writes much more than the others): no default entry. */
  readonly optIn?: true;
}

/** The volume check's settings when the plan lists it without them: modest, so a first run stays gentle. */
const VOLUME_CHECK_DEFAULTS = { bookings: 30, concurrency: 10, retryShare: 0.3 };

/** In report order (the registry, checks/index.ts, lists the definitions in the same order). */
export const CHECK_CATALOG = {
  bidirectional: {
    title: 'Bidirectional and certified',
    description:
      'Does a booking made through the vendor land in the EHR exactly once, does the vendor see what the EHR holds, and is the integration certified for this EHR? Every verdict is read from the EHR, never from the vendor’s answer.',
    defaultWeight: 40,
    findings: [
      { id: 'read-through', title: 'Vendor sees the EHR’s free slots', scope: 'connection', probesEhr: true },
      { id: 'write-lands', title: 'A booking lands in the EHR exactly once', scope: 'connection', probesEhr: true },
      { id: 'write-idempotent', title: 'Repeating a booking does not duplicate it', scope: 'connection', probesEhr: true },
      { id: 'conflict-refused', title: 'A slot busy in the EHR cannot be booked', scope: 'connection', probesEhr: true },
      { id: 'patient-matched', title: 'A known patient is matched, not duplicated', scope: 'connection', probesEhr: true },
      { id: 'certification', title: 'Claimed certifications are verified', scope: 'connection', judgedFrom: 'the vendor manifest and the certification registry' },
    ],
  },
  coverage: {
    title: 'Coverage breadth',
    description: 'Which of the buyer’s systems does the vendor verifiably reach, against how many it claims?',
    defaultWeight: 30,
    findings: [
      { id: 'required-systems', title: 'Every system the buyer runs is verifiably connected', scope: 'run', judgedFrom: "the plan's sites and connections" },
      { id: 'claim-integrity', title: 'Claimed systems against verified ones', scope: 'run', judgedFrom: 'the vendor manifest and the connections found live' },
      { id: 'connection-live', title: 'EHR and vendor endpoints answer and speak FHIR R4', scope: 'connection' },
    ],
  },
  freshness: {
    title: 'Data freshness',
    description: 'How long does a change take to cross, in each direction, and does the delay let a slot be booked twice?',
    defaultWeight: 30,
    findings: [
      { id: 'ehr-to-vendor-lag', title: 'A change in the EHR shows in the vendor promptly', scope: 'connection', probesEhr: true },
      { id: 'vendor-to-ehr-lag', title: 'A booking through the vendor shows in the EHR promptly', scope: 'connection', probesEhr: true },
      { id: 'double-booking-race', title: 'A slot taken in the EHR cannot be double-booked through the vendor', scope: 'connection', probesEhr: true },
    ],
    settings: {
      defaults: FRESHNESS_DEFAULTS,
      schema: {
        trials: { type: 'integer', minimum: 1, maximum: 100, default: FRESHNESS_DEFAULTS.trials, description: 'a number of trials per direction' },
        timeoutSeconds: seconds('a number of seconds after which a change counts as never seen', FRESHNESS_DEFAULTS.timeoutSeconds),
        realTimeSeconds: seconds('a number of seconds within which a change counts as real-time', FRESHNESS_DEFAULTS.realTimeSeconds),
        nearRealTimeSeconds: seconds('a number of seconds within which a change counts as near-real-time', FRESHNESS_DEFAULTS.nearRealTimeSeconds),
      },
    },
  },
  volume: {
    title: 'Integrity at volume',
    description:
      'At a peak rate, with clients retrying while their first request is still in flight, does every booking the vendor accepts land in the EHR exactly once? Counted in the EHR, by booking key and on every slot booked.',
    defaultWeight: 20,
    optIn: true,
    findings: [{ id: 'writes-at-volume', title: 'Bookings made at a peak rate land exactly once', scope: 'connection', probesEhr: true }],
    settings: {
      defaults: VOLUME_CHECK_DEFAULTS,
      schema: {
        bookings: { type: 'integer', minimum: 1, maximum: 500, default: VOLUME_CHECK_DEFAULTS.bookings, description: 'a number of bookings to make through the vendor (1 to 500)' },
        concurrency: { type: 'integer', minimum: 1, maximum: 100, default: VOLUME_CHECK_DEFAULTS.concurrency, description: 'a number of bookings in flight at once (1 to 100)' },
        retryShare: { type: 'number', minimum: 0, maximum: 1, default: VOLUME_CHECK_DEFAULTS.retryShare, description: 'a share (0 to 1) of bookings sent again with the same key while the first request is in flight' },
      },
    },
  },
} as const satisfies Record<string, CheckCatalogEntry>;

export type CheckId = keyof typeof CHECK_CATALOG;
export type FindingId = (typeof CHECK_CATALOG)[CheckId]['findings'][number]['id'];

export const CHECK_IDS = Object.keys(CHECK_CATALOG) as readonly CheckId[];

export const FINDINGS_BY_CHECK = Object.fromEntries(CHECK_IDS.map((id) => [id, CHECK_CATALOG[id].findings.map((f) => f.id)])) as unknown as {
  readonly [C in CheckId]: ReadonlyArray<(typeof CHECK_CATALOG)[C]['findings'][number]['id']>;
};

export const ALL_FINDINGS: ReadonlyArray<FindingDefinition & { id: FindingId }> = CHECK_IDS.flatMap((id): ReadonlyArray<FindingDefinition & { id: FindingId }> => CHECK_CATALOG[id].findings);

export const ALL_FINDING_IDS: readonly FindingId[] = ALL_FINDINGS.map((f) => f.id);

/** Findings that are judged once per run rather than per connection. */
export const RUN_LEVEL_FINDINGS: readonly FindingId[] = ALL_FINDINGS.filter((f) => f.scope === 'run').map((f) => f.id);

/** The plan settings of each check under `checks.<id>`: its weight, and what its catalog entry adds. */
export type PlanCheckSettings = {
  [C in CheckId]: { weight: number } & ((typeof CHECK_CATALOG)[C] extends { settings: { defaults: infer S } } ? { -readonly [K in keyof S]: S[K] extends number ? number : S[K] } : unknown);
};

/** Checks that run only when the plan lists them (`optIn` in their entry). */
export type OptInCheckId = { [C in CheckId]: (typeof CHECK_CATALOG)[C] extends { optIn: true } ? C : never }[CheckId];
/** Checks that run unless `--check` narrows the run. */
export type DefaultCheckId = Exclude<CheckId, OptInCheckId>;

export const OPT_IN_CHECKS: readonly CheckId[] = CHECK_IDS.filter((id) => (CHECK_CATALOG[id] as CheckCatalogEntry).optIn);
export const DEFAULT_CHECK_IDS = CHECK_IDS.filter((id) => !OPT_IN_CHECKS.includes(id)) as readonly DefaultCheckId[];

/** The plan's `checks`: every default check, and the opt-in ones it lists. */
export type PlanChecks = { [K in DefaultCheckId]: PlanCheckSettings[K] } & { [K in OptInCheckId]?: PlanCheckSettings[K] };

/** Every check's weight and settings when the plan gives none of them (an opt-in check: once the plan lists it). */
export const CHECK_SETTINGS_DEFAULTS = Object.fromEntries(
  CHECK_IDS.map((id) => {
    const entry: CheckCatalogEntry = CHECK_CATALOG[id];
    return [id, { weight: entry.defaultWeight, ...(entry.settings?.defaults ?? {}) }];
  }),
) as { readonly [K in CheckId]: Readonly<PlanCheckSettings[K]> };

/** What a plan gets for a check it leaves out: the default weight, then the defaults of its settings. Opt-in checks have no entry. */
export const CHECK_DEFAULTS = Object.fromEntries(DEFAULT_CHECK_IDS.map((id) => [id, CHECK_SETTINGS_DEFAULTS[id]])) as {
  readonly [K in DefaultCheckId]: Readonly<PlanCheckSettings[K]>;
};

/** Findings for which the run reads or changes the EHR: their evidence records how (api, operator, impossible). */
export const EHR_PROBED_FINDINGS: ReadonlySet<string> = new Set(ALL_FINDINGS.filter((f) => f.probesEhr).map((f) => f.id));

/** Findings judged without the EHR, and what they are judged from instead. */
export const JUDGED_WITHOUT_EHR: ReadonlyArray<{ id: FindingId; judgedFrom: string }> = ALL_FINDINGS.flatMap((f) =>
  f.judgedFrom ? [{ id: f.id, judgedFrom: f.judgedFrom }] : [],
);

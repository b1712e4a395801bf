// Operator-assisted steps: what a probe asks a person at the EHR to do when the EHR's API cannot do it (block a
// slot, book one, read the schedule screen), and what comes back. A step says in plain words what to do and
// carries the same facts as data, so a script can answer it as well as a person.

export const EHR_STEP_KINDS = ['block-slot', 'free-slot', 'book-slot', 'cancel', 'read-free-slots', 'count-bookings'] as const;
/** Steps at the vendor's product (phone, chat, SMS, web), for a vendor reached through a person (src/vendor/person.ts). */
export const VENDOR_STEP_KINDS = ['vendor-read-free-slots', 'vendor-book', 'vendor-register-patient'] as const;
export const STEP_KINDS = [...EHR_STEP_KINDS, ...VENDOR_STEP_KINDS] as const;
export type StepKind = (typeof STEP_KINDS)[number];
export type VendorStepKind = (typeof VENDOR_STEP_KINDS)[number];

export const isVendorStep = (kind: StepKind): kind is VendorStepKind => (VENDOR_STEP_KINDS as readonly string[]).includes(kind);

/** How a person reaches the vendor's product: the plan's `vendor.channel`. */
export interface VendorChannelAddress {
  type: 'phone' | 'chat' | 'sms' | 'web';
  /** A phone number, or the URL of the chat or web page. */
  address: string;
}

export interface OperatorStep {
  kind: StepKind;
  /** The connection's report key (`epic`, `epic#2`). */
  connection: string;
  /** The connection's EHR FHIR base: the HTTP form of a script may call this host (or loopback), no other. */
  ehrBaseUrl: string;
  runId: string;
  /** What to do in the EHR's own screens, in plain words (no patient names: ids only). */
  instruction: string;
  slot?: { id: string; start?: string; end?: string };
  /** `Schedule/{id}`. */
  schedule?: string;
  /** `Patient/{id}`: the run's synthetic test patient. */
  patient?: string;
  /** The run's booking key, for a booking the person makes (a reference they may type in). */
  key?: string;
  /** The Appointment id to cancel; absent when the EHR's API cannot find it: the patient's bookings on the slot are cancelled. */
  appointment?: string;
  /** The stretch of the schedule to read (read-free-slots, vendor-read-free-slots). */
  window?: { start: string; end: string };
  /** Vendor steps: where the person reaches the vendor's product. */
  vendor?: VendorChannelAddress;
  /** Vendor steps: how the schedule is named to the product ("Dr. Lee"). */
  practitioner?: string;
  /**
   * Vendor steps: the run's synthetic test patient, by the name the run gave it. The one patient a person may be
   * told the name of (docs/safety.md); never a patient the EHR already held.
   */
  person?: { name: string; birthDate: string };
  /** Vendor steps: the UTC offset the times are said in (`+00:00`, `-05:00`): the schedule's, from its slots. */
  utcOffset?: string;
  /** Vendor steps: the request as a person would say or type it to the product (a script sends it as it is). */
  request?: string;
}

export type OperatorKind = 'tty' | 'script' | 'none';

export interface OperatorResult {
  /** `done`: made (or read) and confirmed. `skipped`: the person or script passed. `failed`: it was tried and went wrong. */
  outcome: 'done' | 'skipped' | 'failed';
  by: OperatorKind;
  /** When the step was put to the person or script, and when they confirmed (wall clock, ISO 8601). */
  askedAt: string;
  confirmedAt?: string;
  /** The same two moments on the monotonic clock the lag maths use (performance.now()). */
  askedAtMs: number;
  confirmedAtMs?: number;
  /** What a reading step read: text a person typed, or a script's JSON (or text) answer. */
  reading?: unknown;
  /** Vendor steps that ask for something (book, register): whether the product said yes (false: it said no). */
  vendorSaidYes?: boolean;
  /** Why it was skipped or failed. */
  message?: string;
}

export interface Operator {
  readonly kind: OperatorKind;
  /** False when nobody can be asked (no terminal, no script): probes skip instead of asking. */
  readonly available: boolean;
  /** Why steps cannot be performed, when `available` is false. */
  readonly unavailableReason?: string;
  perform(step: OperatorStep, signal?: AbortSignal): Promise<OperatorResult>;
}

/** A step as it goes into a finding's evidence: ids and times, never the free text a person typed. */
export interface OperatorStepRecord {
  kind: StepKind;
  by: OperatorKind;
  outcome: OperatorResult['outcome'];
  askedAt: string;
  confirmedAt?: string;
  /** Milliseconds between asking and confirming: the span a person's change happened somewhere in. */
  tookMs?: number;
  slot?: string;
  appointment?: string;
  /** count-bookings: what the person counted on the slot (the test patient's active bookings, and all). */
  counted?: { forPatient: number; onSlot: number };
  /** Vendor steps: the channel the person used (`chat`, `phone`, ...), and whether the product said yes. */
  channel?: VendorChannelAddress['type'];
  vendorSaidYes?: boolean;
  message?: string;
}

export function stepRecord(step: OperatorStep, result: OperatorResult): OperatorStepRecord {
  const tookMs = result.confirmedAtMs === undefined ? undefined : Math.max(0, Math.round(result.confirmedAtMs - result.askedAtMs));
  return {
    kind: step.kind,
    by: result.by,
    outcome: result.outcome,
    askedAt: result.askedAt,
    ...(result.confirmedAt !== undefined && { confirmedAt: result.confirmedAt }),
    ...(tookMs !== undefined && { tookMs }),
    ...(step.slot && { slot: step.slot.id }),
    ...(step.appointment && { appointment: step.appointment }),
    ...(step.vendor && { channel: step.vendor.type }),
    ...(result.vendorSaidYes !== undefined && { vendorSaidYes: result.vendorSaidYes }),
    ...(result.message !== undefined && { message: result.message }),
  };
}

/** Steps that come back with something read off a screen or heard (the others come back with a confirmation). */
export const READING_KINDS: ReadonlySet<StepKind> = new Set(['read-free-slots', 'count-bookings', 'vendor-read-free-slots']);

/** A step the person or script passed: the finding that needed it is `skip`, with this reason. */
export class StepSkipped extends Error {
  override readonly name = 'StepSkipped';
}

/** A step that was tried and failed (a command's exit code, an HTTP error, a timeout): the finding is `error`. */
export class StepFailed extends Error {
  override readonly name = 'StepFailed';
}

export const NO_OPERATOR_REASON = 'needs a person at the EHR: run in a terminal, or give --operator-script';
export const NO_VENDOR_PERSON_REASON = "needs a person to use the vendor's product: run in a terminal, or give --operator-script";

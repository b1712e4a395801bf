// What the wizard accepts as an answer. Each rule returns true or the sentence the prompt shows under the
// question, so a mistake is fixed where it was typed rather than reported later by `validate`.

export type Rule = (value: string) => true | string;

export const SYSTEM_SLUG = /^[a-z0-9][a-z0-9-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SCHEDULE = /^Schedule\/[A-Za-z0-9\-.]{1,64}$/;

export const required =
  (what: string): Rule =>
  (value) =>
    value.trim().length > 0 || `Please enter ${what}.`;

export const httpUrl: Rule = (value) => {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter a full URL, such as https://fhir.example.org/api/FHIR/R4.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'The URL must start with http:// or https://.';
  if (url.username || url.password) return 'Leave credentials out of the URL: the plan names where secrets live, never the secrets.';
  return true;
};

export const optionalHttpUrl: Rule = (value) => value.trim() === '' || httpUrl(value);

/** Names only: a pasted token fails this, which is the point. */
export const envName: Rule = (value) =>
  (ENV_NAME.test(value.trim()) && value.trim().length <= 128) ||
  'Enter the NAME of an environment variable (letters, digits, underscores), such as VENDOR_TOKEN; never the secret itself.';

export const keyFilePath: Rule = (value) => {
  if (value.trim() === '') return 'Enter the path of the private key file.';
  if (/-----BEGIN|^eyJ/.test(value.trim())) return 'Enter the PATH of the key file, not the key itself.';
  return true;
};

export const optionalSchedule: Rule = (value) =>
  value.trim() === '' || SCHEDULE.test(value.trim()) || 'Enter a Schedule reference such as Schedule/dr-lee, or leave it empty.';

export interface NumberBounds {
  min?: number;
  max?: number;
  integer?: boolean;
}

/** A number within bounds, said in words: "a whole number from 1 to 100", "a number of 0 or more". */
export function numberRule({ min, max, integer }: NumberBounds): (value: number) => true | string {
  const kind = integer ? 'a whole number' : 'a number';
  const wanted =
    min !== undefined && max !== undefined ? `${kind} from ${min} to ${max}` : min !== undefined ? `${kind} of ${min} or more` : max !== undefined ? `${kind} of ${max} or less` : kind;
  return (value) => {
    const ok = Number.isFinite(value) && (!integer || Number.isInteger(value)) && (min === undefined || value >= min) && (max === undefined || value <= max);
    return ok || `Enter ${wanted}.`;
  };
}

/** `epic` → `EPIC`, `oracle-health` → `ORACLE_HEALTH`: a prefix for suggested environment variable names. */
export function envPrefix(system: string): string {
  return system.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

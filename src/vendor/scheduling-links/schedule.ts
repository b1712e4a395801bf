// Which of the feed's Schedules stands for the EHR's schedule. A feed names its own ids, so: the one the plan
// names (`vendor.schedule`); else the feed's only Schedule; else the one whose id, or an identifier's value, is the
// EHR schedule's id (a publisher that exports from the EHR often keeps it). Pure; `how` goes into evidence.
import { localId } from './conformance.js';

export type ScheduleChoice = { ids: string[]; how: string } | { problem: string };

interface FeedSchedule {
  id: string;
  identifier?: unknown;
}

export function chooseFeedSchedule(schedules: Iterable<FeedSchedule>, planSchedule: string | undefined, ehrSchedule: string | undefined): ScheduleChoice {
  const all = [...schedules];
  const listed = () => all.slice(0, 5).map((s) => `Schedule/${s.id}`).join(', ') + (all.length > 5 ? ', …' : '');
  if (planSchedule !== undefined) {
    const id = localId(planSchedule, 'Schedule') ?? planSchedule;
    if (all.some((s) => s.id === id)) return { ids: [id], how: `the plan's vendor.schedule names Schedule/${id}` };
    return { problem: `the plan's vendor.schedule names Schedule/${id}, which the feed does not hold (it holds ${all.length ? listed() : 'no Schedule'})` };
  }
  if (all.length === 1) return { ids: [all[0]!.id], how: `Schedule/${all[0]!.id} is the feed's only Schedule` };
  if (all.length === 0) return { problem: 'the feed holds no Schedule' };
  const ehrId = ehrSchedule === undefined ? undefined : (localId(ehrSchedule, 'Schedule') ?? ehrSchedule);
  if (ehrId === undefined) return { ids: all.map((s) => s.id), how: `no EHR schedule to match: all ${all.length} of the feed's Schedules` };
  const byId = all.find((s) => s.id === ehrId);
  if (byId) return { ids: [byId.id], how: `Schedule/${byId.id} has the EHR schedule's id` };
  const byIdentifier = all.find((s) => identifierValues(s.identifier).includes(ehrId));
  if (byIdentifier) return { ids: [byIdentifier.id], how: `Schedule/${byIdentifier.id} carries the EHR schedule's id (${ehrId}) as an identifier` };
  return {
    problem: `none of the feed's ${all.length} Schedules (${listed()}) has the EHR schedule's id ${ehrId} as its id or an identifier: name the feed's Schedule in the plan's vendor.schedule`,
  };
}

function identifierValues(identifier: unknown): string[] {
  if (!Array.isArray(identifier)) return [];
  return identifier.map((i) => (i as { value?: unknown } | null)?.value).filter((v): v is string => typeof v === 'string');
}

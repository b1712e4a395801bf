// An EHR sandbox and the reference chat vendor in front of it (fixtures/vendors/chat/), the plan ehr-check is given
// for a `kind: person` vendor reached through that chat, and the scripted person of
// fixtures/operator-scripts/chat-vendor.yaml. What the EHR holds is read with plain fetch (test/helpers/ehr-truth.ts).
import { fileURLToPath } from 'node:url';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../fixtures/sandbox/index.js';
import { startChatVendor, type ChatFault, type RunningChatVendor } from '../../fixtures/vendors/chat/index.js';
import type { Connection, LoadedPlan } from '../../src/model/plan.js';
import type { CheckId } from '../../src/model/report.js';
import { loadOperatorScript } from '../../src/operator/script-file.js';
import { ScriptOperator } from '../../src/operator/script.js';
import type { Operator } from '../../src/operator/types.js';
import { evaluatePlan, newRunId, testPlan, type Evaluation } from '../helpers/run.js';
import { assemble } from '../helpers/world.js';

export const CHAT_SCRIPT = fileURLToPath(new URL('../../fixtures/operator-scripts/chat-vendor.yaml', import.meta.url));

export interface ChatWorld {
  sandbox: RunningSandbox;
  chat: RunningChatVendor;
  close(): Promise<void>;
}

export function startChatWorld(faults: ChatFault[] = [], sandbox: SandboxOptions = {}): Promise<ChatWorld> {
  return assemble(async (own) => {
    const ehr = own(await startSandbox({ flavor: 'generic', ...sandbox }));
    const chat = own(await startChatVendor({ ehrBaseUrl: ehr.fhirBaseUrl, faults }));
    return { sandbox: ehr, chat };
  });
}

/** The plan's connection: the sandbox's EHR, and the vendor as a person reaches it (its chat). */
export function chatConnection(world: ChatWorld, channel: Partial<{ type: 'chat' | 'phone'; address: string }> = {}): Connection {
  return {
    system: 'epic',
    ehr: { fhirBaseUrl: world.sandbox.fhirBaseUrl, sandbox: true, auth: { type: 'none' } },
    vendor: { kind: 'person', channel: { type: channel.type ?? 'chat', address: channel.address ?? world.chat.chatUrl }, practitioner: 'Dr. Lee' },
    schedule: `Schedule/${world.sandbox.seeded.scheduleIds[0]}`,
  };
}

export function chatPlan(world: ChatWorld, address?: string): LoadedPlan {
  return testPlan([chatConnection(world, address ? { address } : {})], { freshness: { trials: 1, timeoutSeconds: 4, realTimeSeconds: 2, nearRealTimeSeconds: 4 } });
}

/** The scripted person of fixtures/operator-scripts/chat-vendor.yaml, loaded and checked as `run` would. */
export async function scriptedPerson(): Promise<Operator> {
  const env = { PATH: process.env.PATH };
  return new ScriptOperator(await loadOperatorScript(CHAT_SCRIPT, { cwd: process.cwd(), env, ehrHosts: [] }), env);
}

export async function evaluateChat(world: ChatWorld, options: { checks?: CheckId[]; operator?: Operator | null; address?: string } = {}): Promise<Evaluation> {
  const operator = options.operator === null ? undefined : (options.operator ?? (await scriptedPerson()));
  return evaluatePlan(chatPlan(world, options.address), { runId: newRunId('person'), checks: options.checks ?? ['bidirectional', 'freshness'], ...(operator && { operator }) });
}

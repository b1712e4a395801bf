// A vendor reached through a person at its product: the reference chat vendor, driven by the scripted person of
// fixtures/operator-scripts/chat-vendor.yaml. Every verdict is read from the EHR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateChat, startChatWorld, type ChatWorld } from './world.js';
import type { Evaluation } from '../helpers/run.js';

describe('an honest chat vendor, asked by a scripted person', () => {
  let world: ChatWorld;
  let run: Evaluation;
  beforeAll(async () => {
    world = await startChatWorld();
    run = await evaluateChat(world);
  }, 90_000);
  afterAll(async () => world?.close());

  it('passes', () => {
    for (const f of run.findings) console.log(f.id, f.status, f.message);
    console.log(JSON.stringify(run.report.cleanup));
    expect(run.finding('write-lands').status).toBe('pass');
  });
});

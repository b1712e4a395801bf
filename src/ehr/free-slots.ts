// The free slots the bidirectional write probes book from: the EHR's own reading (read-through's, or one of
// their own where read-through did not run), each slot confirmed free again when taken. When there is none, the
// message says what happened: the EHR was read and showed none free, or what stopped the reading.
import type { ConnectionContext } from '../context.js';
import { ehrFreeSlots, probeWindow } from './ops.js';
import type { Slot } from '../model/fhir.js';
import { ehrSlotState, readPremise, type Premise } from './premise.js';

export class FreeSlotSupply {
  private pool: Slot[] = [];
  /** How many the EHR showed free when it was read; undefined while it was not read. */
  private shown: number | undefined;
  private notRead = 'the probes that read them did not run';

  /** The EHR's free slots as read; the vendor's too, so a refusal cannot be blamed on a stale view. */
  readFrom(ehrFree: readonly Slot[], vendorFree?: ReadonlySet<string>): void {
    // Slots the vendor also shows as free, taken from the end of the window, away from slots other probes or
    // people are likely to touch.
    const both = vendorFree ? ehrFree.filter((s) => vendorFree.has(s.id)) : [];
    this.pool = (both.length >= 2 ? both : [...ehrFree]).reverse();
    this.shown = ehrFree.length;
  }

  /** The EHR's free slots could not be read, or were not: why. */
  notReadBecause(why: string): void {
    if (this.shown === undefined) this.notRead = why;
  }

  get wasRead(): boolean {
    return this.shown !== undefined;
  }

  /**
   * The next slot that the EHR still shows free, with how it showed it. Where the EHR's free slots were not read
   * and its API searches them, they are read now (`readOwn`), so a skipped read-through does not starve the writes.
   */
  async take(ctx: ConnectionContext, readOwn: boolean): Promise<{ slot: Slot; premise: Premise }> {
    if (this.shown === undefined && readOwn) {
      const read = await ehrFreeSlots(ctx, probeWindow()).catch((error: unknown) => {
        throw new Error(`no slot to book: the EHR's free slots could not be read (${error instanceof Error ? error.message : String(error)})`);
      });
      this.readFrom(read);
    }
    if (this.shown === undefined) throw new Error(`no slot to book: the EHR's free slots were not read (${this.notRead})`);
    while (this.pool.length > 0) {
      const slot = this.pool.shift()!;
      const state = await ehrSlotState(ctx, slot);
      if (state && !state.free) continue; // booked or closed since it was read
      // A slot the EHR's API cannot show was read free by a person moments ago.
      return { slot: state?.status ? { ...slot, status: state.status } : slot, premise: readPremise('slot-free', state?.readBy ?? 'person', slot.id) };
    }
    if (this.shown === 0) throw new Error('no free slot in the probed window to book (the EHR was read and shows none free)');
    throw new Error(`no free slot left to book: none of the ${this.shown} slot(s) the EHR showed free in the probed window is still free`);
  }
}

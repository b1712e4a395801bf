// How connection-live names the vendor's side, by the plan's `vendor.kind`: what was read of it, and the sentence
// that says it answered. A person's channel is never read by the tool: the person is asked during the probes.
interface VendorWords {
  /** The part that failed, in a failure message ("vendor Slot search: HTTP error …"). */
  read: string;
  /** The pass sentence, after the EHR's name and version. */
  answered: (ehr: string) => string;
}

const WORDS: Record<string, VendorWords> = {
  fhir: { read: 'vendor Slot search', answered: (ehr) => `${ehr} and the vendor facade answer` },
  http: { read: "vendor API's free slots", answered: (ehr) => `${ehr} and the vendor's API answer` },
  'scheduling-links': { read: "vendor's Scheduling Links feed", answered: (ehr) => `${ehr} and the vendor's Scheduling Links feed answer` },
  person: { read: "vendor's product (through a person)", answered: (ehr) => `${ehr} answers; the vendor is reached through a person, asked during the probes` },
};

export const vendorWords = (kind: string | undefined): VendorWords => WORDS[kind ?? 'fhir'] ?? WORDS.fhir!;

// A tiny FHIR client for the sandbox tests: real HTTP on loopback, JSON in and out.
export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { accept: 'application/fhir+json', ...(init.body !== undefined ? { 'content-type': 'application/fhir+json' } : {}), ...init.headers },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

/** Every resource of a search, following `next` links. */
export async function searchAll(url: string, headers?: Record<string, string>): Promise<{ resources: any[]; pages: number }> {
  const resources: any[] = [];
  let next: string | undefined = url;
  let pages = 0;
  while (next) {
    const page: Answer = await call(next, { headers });
    if (page.status !== 200) throw new Error(`search page ${next} answered ${page.status}`);
    pages++;
    resources.push(...(page.body.entry ?? []).map((e: any) => e.resource));
    next = page.body.link?.find((l: any) => l.relation === 'next')?.url;
    if (pages > 1000) throw new Error('paging does not end');
  }
  return { resources, pages };
}

export function booking(slot: any, patientId: string, key?: string): any {
  return {
    resourceType: 'Appointment',
    status: 'booked',
    slot: [{ reference: `Slot/${slot.id}` }],
    start: slot.start,
    end: slot.end,
    participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'accepted' }],
    ...(key ? { identifier: [{ system: 'urn:ehr-check:booking', value: key }] } : {}),
  };
}

export async function firstFreeSlot(base: string, scheduleId: string): Promise<any> {
  const page = await call(`${base}/Slot?schedule=Schedule/${scheduleId}&status=free&_count=1`);
  const slot = page.body.entry?.[0]?.resource;
  if (!slot) throw new Error(`no free slot on Schedule/${scheduleId}`);
  return slot;
}

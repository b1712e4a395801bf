// The volume bench's world in a worker thread: the sandbox EHR and the honest vendor get their own event loop, as
// a real EHR and vendor run on machines of their own, so the burst's wall time is not ehr-check's CPU and theirs
// added up on one thread. Posts the URLs when ready; closes both when told to.
import { parentPort } from 'node:worker_threads';
import { startSandbox } from '../fixtures/sandbox/index.js';
import { startVendor } from '../fixtures/vendors/index.js';

export interface VolumeWorld {
  fhirBaseUrl: string;
  vendorBaseUrl: string;
  scheduleIds: string[];
}

const port = parentPort;
if (port) {
  const sandbox = await startSandbox({ flavor: 'generic' });
  const vendor = await startVendor({ behavior: 'deep', ehrBaseUrl: sandbox.fhirBaseUrl });
  port.on('message', (message: unknown) => {
    if (message !== 'close') return;
    void (async () => {
      await vendor.close();
      await sandbox.close();
      port.postMessage('closed');
      port.close();
    })();
  });
  port.postMessage({ fhirBaseUrl: sandbox.fhirBaseUrl, vendorBaseUrl: vendor.baseUrl, scheduleIds: sandbox.seeded.scheduleIds } satisfies VolumeWorld);
}

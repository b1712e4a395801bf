// The systems catalog as the runner uses it: one canonical id per system, whatever the plan or manifest says.
import { displayName, resolveSystem } from '../catalog/systems.js';
import type { Manifest } from '../model/plan.js';

export interface SystemCatalogView {
  canonical(nameOrId: string): string;
  same(a: string, b: string): boolean;
  displayName(id: string): string;
  /** The manifest's claimed systems as catalog ids, and the names the catalog does not know (reported, not dropped). */
  resolveClaims(manifest: Manifest | undefined): { systems: string[]; unknown: string[] };
}

export async function systemCatalog(): Promise<SystemCatalogView> {
  const canonical = (name: string) => resolveSystem(name)?.id ?? name.trim().toLowerCase();
  return {
    canonical,
    same: (a, b) => canonical(a) === canonical(b),
    displayName: (id) => displayName(id),
    resolveClaims(manifest) {
      const systems: string[] = [];
      const unknown: string[] = [];
      for (const s of manifest?.systems ?? []) {
        const entry = resolveSystem(s.system);
        if (!entry) unknown.push(s.system);
        const id = entry?.id ?? s.system.trim().toLowerCase();
        if (!systems.includes(id)) systems.push(id);
      }
      return { systems, unknown };
    },
  };
}

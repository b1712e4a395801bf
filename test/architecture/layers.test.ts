// The directions of the layers, read from the import lines of the source itself: judging and formatting do no
// I/O, the EHR side, the vendor side, the person port, the probes and the freshness maths import each other in
// one direction only, and no module grows past 250 lines.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Edge {
  /** A repo-relative module (`src/ehr/ops.ts`) or a package (`undici`, `node:fs`). */
  to: string;
  /** Erased at compile time: shapes are shared, nothing runs. */
  typeOnly: boolean;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Edge[] {
  const text = readFileSync(join(root, file), 'utf8');
  const edges: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[4] ?? m[5]!;
    const names = m[3] ?? '';
    const allTyped = /^\{[^}]*\}$/.test(names.trim()) && names.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type'));
    const typeOnly = Boolean(m[2]) || (names.trim() !== '' && allTyped);
    const to = spec.startsWith('.') ? relative(root, resolve(dirname(join(root, file)), spec.replace(/\.js$/, '.ts'))) : spec;
    edges.push({ to, typeOnly });
  }
  return edges;
}

const modules = [...tsFiles('src'), ...tsFiles('checks')];
const graph = new Map(modules.map((m) => [m, importsOf(m)]));

const IO_PACKAGES = /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|dgram|tls)$|^undici$/;

/** The modules and packages `file` reaches by imports that run (type-only imports are erased). */
function runtimeClosure(file: string): Set<string> {
  const seen = new Set<string>();
  const stack = [file];
  while (stack.length) {
    const next = stack.pop()!;
    for (const e of graph.get(next) ?? []) {
      if (e.typeOnly || seen.has(e.to)) continue;
      seen.add(e.to);
      stack.push(e.to);
    }
  }
  return seen;
}

function ioReached(file: string): string[] {
  return [...runtimeClosure(file)].filter((m) => IO_PACKAGES.test(m) || m.startsWith('src/http/')).sort();
}

describe('layers', () => {
  it('finds the import lines it reads (the reader itself can fail)', () => {
    expect(graph.get('src/ehr/ops.ts')?.some((e) => e.to === 'src/context.ts' && e.typeOnly)).toBe(true);
    expect(ioReached('src/run/connections.ts')).toContain('src/http/fhir-client.ts');
    expect(ioReached('src/safety/ledger.ts')).toContain('node:fs/promises');
  });

  it('checks/ import nothing that does I/O', () => {
    const offenders = tsFiles('checks').flatMap((file) => {
      const direct = (graph.get(file) ?? []).filter((e) => !e.typeOnly && /^src\/(http|probes|ehr)\//.test(e.to)).map((e) => e.to);
      return [...direct, ...ioReached(file)].map((m) => `${file} -> ${m}`);
    });
    expect(offenders).toEqual([]);
  });

  it('scoring and the report formatters import nothing that does I/O', () => {
    const writers = new Set(['src/report/write.ts', 'src/report/output-paths.ts']);
    const formatters = ['src/scoring.ts', ...tsFiles('src/report').filter((f) => !writers.has(f))];
    expect(formatters.length).toBeGreaterThan(5);
    expect(formatters.flatMap((f) => ioReached(f).map((m) => `${f} -> ${m}`))).toEqual([]);
  });

  it('no folder cycle between src/ehr, src/vendor, src/operator, src/probes and src/freshness', () => {
    const folders = ['src/ehr', 'src/vendor', 'src/operator', 'src/probes', 'src/freshness'];
    const folderOf = (m: string) => folders.find((f) => m.startsWith(`${f}/`));
    // Folder A reaches folder B when one of A's modules imports (type imports too: they couple the shapes) a
    // module of B, directly or through modules that belong to none of the five.
    const reaches = new Map(folders.map((f) => [f, new Set<string>()]));
    for (const start of modules.filter(folderOf)) {
      const from = folderOf(start)!;
      const seen = new Set<string>();
      const stack = [start];
      while (stack.length) {
        for (const e of graph.get(stack.pop()!) ?? []) {
          if (seen.has(e.to) || !graph.has(e.to)) continue;
          seen.add(e.to);
          const to = folderOf(e.to);
          if (to === from) continue;
          if (to) reaches.get(from)!.add(`${to} (${start} -> ${e.to})`);
          else stack.push(e.to);
        }
      }
    }
    const edges = new Map(folders.map((f) => [f, new Set([...reaches.get(f)!].map((r) => r.split(' ')[0]!))]));
    const cycles = folders.flatMap((a) =>
      [...edges.get(a)!].filter((b) => edges.get(b)!.has(a) && a < b).map((b) => {
        const why = (x: string, y: string) => [...reaches.get(x)!].find((r) => r.startsWith(`${y} `));
        return `${a} <-> ${b}: ${why(a, b)}; ${why(b, a)}`;
      }),
    );
    expect(cycles).toEqual([]);
    // Longer cycles: no folder reaches itself through the others.
    const reachable = (from: string) => {
      const seen = new Set<string>();
      const stack = [...edges.get(from)!];
      while (stack.length) {
        const f = stack.pop()!;
        if (seen.has(f)) continue;
        seen.add(f);
        stack.push(...edges.get(f)!);
      }
      return seen;
    };
    expect(folders.filter((f) => reachable(f).has(f))).toEqual([]);
  });

  it('no source module under src/, checks/ or fixtures/ is over 250 lines', () => {
    const long = [...modules, ...tsFiles('fixtures')]
      .map((f) => ({ f, lines: readFileSync(join(root, f), 'utf8').split('\n').length - 1 }))
      .filter((m) => m.lines > 250)
      .map((m) => `${m.f}: ${m.lines}`);
    expect(long).toEqual([]);
  });
});

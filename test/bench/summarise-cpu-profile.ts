/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof` or BENCH_PROFILE_DIR) and prints where the
 * time went: the top functions by self time, and self time per package (node_modules/<name>,
 * the project's own code, node internals, GC and idle).
 *
 *   node -r @swc-node/register test/bench/summarise-cpu-profile.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly functions: ReadonlyArray<{ readonly name: string; readonly selfMs: number; readonly percent: number }>;
  readonly packages: ReadonlyArray<{ readonly name: string; readonly selfMs: number; readonly percent: number }>;
}

export function summariseCpuProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((sum, value) => sum + value, 0);

  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const pkg = packageOf(functionName, url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const rank = (entries: Map<string, number>, limit: number) =>
    [...entries]
      .sort(([, a], [, b]) => b - a)
      .slice(0, limit)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, percent: Math.round((us / totalUs) * 1000) / 10 }));
  return { totalMs: Math.round(totalUs / 1000), functions: rank(functions, top), packages: rank(packages, top) };
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const repo = url.indexOf('/work/main/');
  return repo >= 0 ? url.slice(repo + '/work/main/'.length) : url.replace(/^file:\/\//, '');
}

function packageOf(functionName: string, url: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.startsWith('node:') || !url.includes('/')) return '(node internals)';
  const own = /\/(apps|libs|test)\/([^/]+)/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: summarise-cpu-profile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const summary = summariseCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top ?? 25));
  const line = (entry: { name: string; selfMs: number; percent: number }) =>
    `${entry.percent.toFixed(1).padStart(5)}%  ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}`;
  console.log(`total ${summary.totalMs} ms\n\nby package:`);
  for (const entry of summary.packages) console.log(line(entry));
  console.log('\ntop functions by self time:');
  for (const entry of summary.functions) console.log(line(entry));
}

/**
 * The short table printed on stdout: every metric, then every goal (its ratio pooled, the median
 * of its per-round ratios, and the ratio its floors plus the sandbox hop alone would get) and
 * every curve's slope.
 */
import type { GoalResult, Metrics } from '../goals.js';
import type { PeerTable } from '../peers/rounds.js';
import type { Curve } from '../scale/curve.js';

function pad(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  return [pad(header, widths), pad(widths.map((w) => '-'.repeat(w)), widths), ...rows.map((row) => pad(row, widths))].join('\n');
}

export function metricsTable(metrics: Metrics): string {
  const rows = Object.entries(metrics).map(([name, m]) =>
    'p50' in m ? [name, String(m.p50), String(m.p99), m.unit, String(m.n)] : [name, String(m.value), '', m.unit, ''],
  );
  return table(['metric', 'p50 / value', 'p99', 'unit', 'n'], rows);
}

export function goalsTable(goals: GoalResult[]): string {
  const rows = goals.map((g) => [
    g.metric,
    g.goal,
    `${g.actual} ${g.unit}`,
    `${g.bound} ${g.unit}`,
    String(g.ratio),
    String(g.roundRatio ?? ''),
    String(g.hopFloorRatio ?? ''),
    g.met ? 'met' : g.hopFloorRatio !== null && g.hopFloorRatio > 1 ? 'MISSED (out of reach with the hop)' : 'MISSED',
  ]);
  return table(['metric', 'goal', 'actual', 'bound', 'ratio', 'per round', 'hop floor', ''], rows);
}

export function curvesTable(curves: Record<string, Curve>): string {
  const rows = Object.entries(curves).map(([name, c]) => [
    name,
    c.points.map((p) => `${p.x}:${p.shown ?? p.p50}`).join(' '),
    String(c.slope),
    `≤ ${c.workSlope}`,
    c.met ? 'met' : 'MISSED',
  ]);
  return table(['curve', 'x:y', 'slope', 'work', ''], rows);
}

/** Each workload's median on every system, with its ratio to ours (the first system), then the systems not installed. */
export function peersTable(peers: PeerTable): string {
  const rows = peers.rows.map((row) => [
    `${row.workload} (${row.unit})`,
    ...peers.systems.map((name, i) => {
      const cell = row.bySystem[name]!;
      return i === 0 ? String(cell.value) : `${cell.value} (${cell.ratio}×)`;
    }),
  ]);
  const missing = Object.entries(peers.notInstalled).map(([name, install]) => `${name}: not installed (\`${install}\` installs it)`);
  return [table(['workload', ...peers.systems], rows), ...missing].join('\n');
}

/**
 * bench/scale.svg, written by hand (no plotting dependency): one panel per scale curve, x on a
 * log axis (the work spans three or four decades), the p50 as a solid line and, for latencies,
 * the p99 dashed. Each panel states its fitted slope against the slope of the work.
 */
import type { Curve } from '../scale/curve.js';

const W = 380;
const H = 280;
const M = { left: 56, right: 16, top: 40, bottom: 46 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

type Scale = (v: number) => number;

function logScale(min: number, max: number, size: number, flip: boolean): Scale {
  const lo = Math.log(min);
  const span = Math.log(max) - lo || 1;
  return (v) => (flip ? size - ((Math.log(v) - lo) / span) * size : ((Math.log(v) - lo) / span) * size);
}

function linearScale(max: number, size: number): Scale {
  return (v) => size - (v / max) * size;
}

function niceStep(max: number): number {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
}

function label(v: number, bytes: boolean): string {
  if (bytes) return v >= 1 << 20 ? `${v / (1 << 20)}M` : `${v / 1024}K`;
  return Number(v.toPrecision(3)).toString();
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const text = (x: number, y: number, s: string, attrs = '') => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`;
const polyline = (pts: Array<[number, number]>, attrs: string) =>
  `<polyline fill="none" ${attrs} points="${pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`;

function panel(c: Curve, offsetX: number): string {
  const bytes = c.xLabel.includes('bytes');
  const xs = c.points.map((p) => p.x);
  const shown = c.points.map((p) => p.shown ?? p.p50);
  const latency = c.points.every((p) => p.shown === undefined);
  const highs = latency ? c.points.map((p) => p.p99) : shown;
  const x = logScale(Math.min(...xs), Math.max(...xs), PW, false);
  const yMax = Math.max(...highs) * 1.1;
  const yMin = Math.min(...shown) / 1.5;
  const y = c.yLog ? logScale(yMin, yMax, PH, true) : linearScale(yMax, PH);
  const yTicks = c.yLog
    ? [1, 2, 5].flatMap((m) => [-3, -2, -1, 0, 1, 2, 3, 4].map((e) => m * 10 ** e)).filter((v) => v >= yMin && v <= yMax).sort((a, b) => a - b)
    : Array.from({ length: Math.floor(yMax / niceStep(yMax)) + 1 }, (_, i) => i * niceStep(yMax));
  const xTicks = xs.filter((_, i) => xs.length <= 6 || i % 2 === 0 || i === xs.length - 1);
  const out: string[] = [`<g transform="translate(${offsetX + M.left},${M.top})">`];
  out.push(`<rect width="${PW}" height="${PH}" fill="#fafafa" stroke="#999"/>`);
  for (const t of yTicks) {
    out.push(`<line x1="0" x2="${PW}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e3e3e3"/>`);
    out.push(text(-6, y(t) + 4, label(t, false), 'text-anchor="end"'));
  }
  for (const t of xTicks) {
    out.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="0" y2="${PH}" stroke="#e3e3e3"/>`);
    out.push(text(x(t), PH + 16, label(t, bytes), 'text-anchor="middle"'));
  }
  if (latency) out.push(polyline(c.points.map((p) => [x(p.x), y(p.p99)]), 'stroke="#d62728" stroke-dasharray="4 3"'));
  out.push(polyline(c.points.map((p, i) => [x(p.x), y(shown[i]!)]), 'stroke="#1f77b4" stroke-width="2"'));
  for (const [i, p] of c.points.entries()) out.push(`<circle cx="${x(p.x).toFixed(1)}" cy="${y(shown[i]!).toFixed(1)}" r="3" fill="#1f77b4"/>`);
  out.push(text(PW / 2, -22, c.title, 'text-anchor="middle" font-weight="bold"'));
  out.push(text(PW / 2, -8, `log-log slope ${c.slope} (work ${c.workSlope}): ${c.met ? 'keeps up' : 'grows faster than the work'}`, 'text-anchor="middle" font-size="10"'));
  out.push(text(PW / 2, PH + 34, `${c.xLabel} (log)`, 'text-anchor="middle"'));
  out.push(text(-42, PH / 2, `${c.yLabel}${c.yLog ? ' (log)' : ''}`, `text-anchor="middle" transform="rotate(-90 -42 ${PH / 2})"`));
  if (latency) out.push(text(PW - 4, 12, 'solid p50, dashed p99', 'text-anchor="end" font-size="10"'));
  out.push('</g>');
  return out.join('\n');
}

export function scaleSvg(curves: Curve[], caption: string): string {
  const width = W * curves.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 20}" viewBox="0 0 ${width} ${H + 20}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${H + 20}" fill="white"/>`,
    ...curves.map((c, i) => panel(c, i * W)),
    text(8, H + 12, caption, 'font-size="10" fill="#555"'),
    '</svg>',
    '',
  ].join('\n');
}

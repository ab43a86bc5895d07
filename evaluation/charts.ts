import { esc, niceTicks, px, svgDocument, textWidth, tickLabel } from './internal/svg.js';

export interface LossPoint {
  step: number;
  train: number;
  val?: number;
  /** A step on replayed general text: drawn as its own line, apart from the task's loss. */
  replay?: boolean;
  /** A step on self-distillation pairs (and replay), none of the task's: drawn as its own line too. */
  distill?: boolean;
}

export interface ChartOptions {
  title?: string;
  width?: number;
  height?: number;
}

const COLORS = { train: '#2563eb', val: '#ea580c', replay: '#9ca3af', distill: '#16a34a', base: '#9ca3af', adapter: '#2563eb', grid: '#e5e7eb', axis: '#374151', text: '#111827', muted: '#4b5563' };

interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

function legend(items: ReadonlyArray<{ label: string; color: string; dashed?: boolean }>, right: number, top: number): string[] {
  const rowH = 20;
  const w = 34 + Math.max(...items.map((i) => textWidth(i.label, 12)));
  const x = right - w - 8;
  const out = [`<g class="legend">`, `<rect x="${px(x)}" y="${px(top)}" width="${px(w)}" height="${items.length * rowH + 8}" rx="4" fill="#ffffff" fill-opacity="0.9" stroke="${COLORS.grid}"/>`];
  items.forEach((item, i) => {
    const cy = top + 4 + rowH * i + rowH / 2;
    out.push(
      `<line x1="${px(x + 6)}" y1="${px(cy)}" x2="${px(x + 26)}" y2="${px(cy)}" stroke="${item.color}" stroke-width="2.5"${item.dashed === true ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${px(x + 32)}" y="${px(cy + 4)}" font-size="12" fill="${COLORS.text}">${esc(item.label)}</text>`,
    );
  });
  out.push('</g>');
  return out;
}

function title(text: string, width: number): string {
  return `<text x="${px(width / 2)}" y="28" font-size="16" font-weight="bold" text-anchor="middle" fill="${COLORS.text}">${esc(text)}</text>`;
}

function yAxis(frame: Frame, ticks: ReturnType<typeof niceTicks>, label: string): string[] {
  const y = (v: number) => frame.top + frame.height - ((v - ticks.min) / (ticks.max - ticks.min)) * frame.height;
  const out = ['<g class="y-axis">'];
  for (const t of ticks.ticks) {
    out.push(
      `<line x1="${px(frame.left)}" y1="${px(y(t))}" x2="${px(frame.left + frame.width)}" y2="${px(y(t))}" stroke="${COLORS.grid}" stroke-width="1"/>`,
      `<text x="${px(frame.left - 8)}" y="${px(y(t) + 4)}" font-size="11" text-anchor="end" fill="${COLORS.muted}">${esc(tickLabel(t, ticks.step))}</text>`,
    );
  }
  const cx = frame.left - 48;
  const cy = frame.top + frame.height / 2;
  out.push(
    `<line x1="${px(frame.left)}" y1="${px(frame.top)}" x2="${px(frame.left)}" y2="${px(frame.top + frame.height)}" stroke="${COLORS.axis}" stroke-width="1"/>`,
    `<text x="${px(cx)}" y="${px(cy)}" font-size="12" text-anchor="middle" fill="${COLORS.text}" transform="rotate(-90 ${px(cx)} ${px(cy)})">${esc(label)}</text>`,
    '</g>',
  );
  return out;
}

/**
 * Training (and validation, when present) loss against step. Non-finite losses break the line
 * instead of bending the axis. Steps without the task's pairs (replay only; self-distillation) are their own lines.
 */
export function lossCurveSvg(points: readonly LossPoint[], opts: ChartOptions = {}): string {
  const width = opts.width ?? 760;
  const height = opts.height ?? 420;
  const name = opts.title ?? 'Training and validation loss';
  const frame: Frame = { left: 76, top: 48, width: width - 76 - 24, height: height - 48 - 60 };
  const sorted = [...points].filter((p) => Number.isFinite(p.step)).sort((a, b) => a.step - b.step);
  const ys = sorted.flatMap((p) => [p.train, p.val]).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const body = [title(name, width)];
  if (sorted.length === 0 || ys.length === 0) {
    body.push(`<text x="${px(width / 2)}" y="${px(height / 2)}" font-size="14" text-anchor="middle" fill="${COLORS.muted}">no loss recorded</text>`);
    return svgDocument(width, height, name, body);
  }
  const xt = niceTicks(sorted[0]!.step, sorted[sorted.length - 1]!.step, 6);
  const yt = niceTicks(Math.min(...ys), Math.max(...ys), 5);
  const X = (v: number) => frame.left + ((v - xt.min) / (xt.max - xt.min)) * frame.width;
  const Y = (v: number) => frame.top + frame.height - ((v - yt.min) / (yt.max - yt.min)) * frame.height;

  body.push(...yAxis(frame, yt, 'Loss'));
  body.push('<g class="x-axis">');
  const base = frame.top + frame.height;
  for (const t of xt.ticks) {
    body.push(
      `<line x1="${px(X(t))}" y1="${px(base)}" x2="${px(X(t))}" y2="${px(base + 5)}" stroke="${COLORS.axis}"/>`,
      `<text x="${px(X(t))}" y="${px(base + 19)}" font-size="11" text-anchor="middle" fill="${COLORS.muted}">${esc(tickLabel(t, xt.step))}</text>`,
    );
  }
  body.push(
    `<line x1="${px(frame.left)}" y1="${px(base)}" x2="${px(frame.left + frame.width)}" y2="${px(base)}" stroke="${COLORS.axis}"/>`,
    `<text x="${px(frame.left + frame.width / 2)}" y="${px(height - 14)}" font-size="12" text-anchor="middle" fill="${COLORS.text}">Step</text>`,
    '</g>',
  );

  const path = (key: 'train' | 'val', keep: (p: LossPoint) => boolean = () => true) => {
    let d = '';
    let pen = false;
    for (const p of sorted.filter(keep)) {
      const v = p[key];
      if (v === undefined) continue;
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(X(p.step))} ${px(Y(v))}`;
      pen = true;
    }
    return d;
  };
  const items: Array<{ label: string; color: string; dashed?: boolean }> = [];
  const replayD = path('train', (p) => p.replay === true);
  if (replayD !== '') {
    body.push(`<path class="replay" d="${replayD}" fill="none" stroke="${COLORS.replay}" stroke-width="1.5" stroke-linejoin="round"/>`);
    items.push({ label: 'general text (replay)', color: COLORS.replay });
  }
  const distillD = path('train', (p) => p.distill === true && p.replay !== true);
  if (distillD !== '') {
    body.push(`<path class="distill" d="${distillD}" fill="none" stroke="${COLORS.distill}" stroke-width="1.5" stroke-linejoin="round"/>`);
    items.push({ label: 'general prompts (self-distillation)', color: COLORS.distill });
  }
  const trainD = path('train', (p) => p.replay !== true && p.distill !== true);
  if (trainD !== '') body.push(`<path class="train" d="${trainD}" fill="none" stroke="${COLORS.train}" stroke-width="2" stroke-linejoin="round"/>`);
  const valPts = sorted.filter((p) => p.val !== undefined && Number.isFinite(p.val));
  items.unshift({ label: 'train', color: COLORS.train });
  if (valPts.length > 0) {
    body.push(`<path class="val" d="${path('val')}" fill="none" stroke="${COLORS.val}" stroke-width="2" stroke-dasharray="6 4" stroke-linejoin="round"/>`);
    if (valPts.length <= 60) {
      for (const p of valPts) body.push(`<circle cx="${px(X(p.step))}" cy="${px(Y(p.val!))}" r="3" fill="${COLORS.val}"/>`);
    }
    items.push({ label: 'validation', color: COLORS.val, dashed: true });
  }
  body.push(...legend(items, frame.left + frame.width, frame.top + 6));
  return svgDocument(width, height, name, body);
}

export interface BarGroup {
  label: string;
  base: number | null;
  adapter: number | null;
}

/**
 * Grouped bars, base (grey) beside adapter (blue), per metric; the value is printed above each
 * bar and "n/a" marks a metric that did not apply. The y axis is 0–1 unless a value exceeds 1.
 */
export function metricBarsSvg(groups: readonly BarGroup[], opts: ChartOptions & { yLabel?: string } = {}): string {
  const name = opts.title ?? 'Base vs adapter';
  const groupW = 112;
  const width = opts.width ?? Math.max(520, 76 + 24 + groupW * Math.max(1, groups.length));
  const height = opts.height ?? 420;
  const frame: Frame = { left: 76, top: 64, width: width - 76 - 24, height: height - 64 - 72 };
  const vals = groups.flatMap((g) => [g.base, g.adapter]).filter((v): v is number => v !== null && Number.isFinite(v));
  const top = Math.max(1, ...vals);
  const yt = top <= 1 ? { min: 0, max: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] } : niceTicks(0, top, 5);
  const Y = (v: number) => frame.top + frame.height - ((v - yt.min) / (yt.max - yt.min)) * frame.height;
  const body = [title(name, width), ...yAxis(frame, yt, opts.yLabel ?? 'Score')];
  const slot = frame.width / Math.max(1, groups.length);
  const barW = Math.min(36, slot * 0.32);
  const baseline = frame.top + frame.height;
  groups.forEach((g, i) => {
    const cx = frame.left + slot * (i + 0.5);
    body.push(`<g class="group">`);
    const bars: Array<[number | null, string, number, string]> = [
      [g.base, COLORS.base, cx - barW - 2, 'base'],
      [g.adapter, COLORS.adapter, cx + 2, 'adapter'],
    ];
    for (const [v, color, x, cls] of bars) {
      if (v === null || !Number.isFinite(v)) {
        body.push(`<text x="${px(x + barW / 2)}" y="${px(baseline - 6)}" font-size="10" text-anchor="middle" fill="${COLORS.muted}">n/a</text>`);
        continue;
      }
      const y = Y(Math.max(0, v));
      body.push(
        `<rect class="${cls}" x="${px(x)}" y="${px(y)}" width="${px(barW)}" height="${px(Math.max(0, baseline - y))}" fill="${color}"/>`,
        `<text x="${px(x + barW / 2)}" y="${px(y - 5)}" font-size="10" text-anchor="middle" fill="${COLORS.text}">${esc(v.toFixed(2))}</text>`,
      );
    }
    // Category label, wrapped onto two lines when it is wider than its slot.
    const lines = wrap(g.label, slot - 8, 12);
    lines.forEach((line, k) => {
      body.push(`<text x="${px(cx)}" y="${px(baseline + 20 + k * 15)}" font-size="12" text-anchor="middle" fill="${COLORS.text}">${esc(line)}</text>`);
    });
    body.push('</g>');
  });
  body.push(`<line x1="${px(frame.left)}" y1="${px(baseline)}" x2="${px(frame.left + frame.width)}" y2="${px(baseline)}" stroke="${COLORS.axis}"/>`);
  // Legend as one row between the title and the plot, right-aligned.
  const items = [
    { label: 'base', color: COLORS.base },
    { label: 'adapter', color: COLORS.adapter },
  ];
  let lx = frame.left + frame.width - items.reduce((w, i) => w + 28 + textWidth(i.label, 12), 0);
  body.push('<g class="legend">');
  for (const item of items) {
    body.push(
      `<rect x="${px(lx)}" y="${px(frame.top - 22)}" width="14" height="12" fill="${item.color}"/>`,
      `<text x="${px(lx + 19)}" y="${px(frame.top - 12)}" font-size="12" fill="${COLORS.text}">${esc(item.label)}</text>`,
    );
    lx += 28 + textWidth(item.label, 12);
  }
  body.push('</g>');
  return svgDocument(width, height, name, body);
}

function wrap(label: string, maxWidth: number, fontSize: number): string[] {
  if (textWidth(label, fontSize) <= maxWidth) return [label];
  const words = label.split(' ');
  if (words.length < 2) return [label];
  let best: [string, string] = [label, ''];
  let bestW = Infinity;
  for (let i = 1; i < words.length; i++) {
    const a = words.slice(0, i).join(' ');
    const b = words.slice(i).join(' ');
    const w = Math.max(textWidth(a, fontSize), textWidth(b, fontSize));
    if (w < bestW) {
      best = [a, b];
      bestW = w;
    }
  }
  return best;
}

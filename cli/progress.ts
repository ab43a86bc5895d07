import type { StageView } from '../client/index.js';

/** Terminal progress: redrawn bars on a TTY, plain changed-lines otherwise. */
export type StageLine = Pick<StageView, 'status' | 'percent' | 'detail'> & { name: string };

const BAR = 24;
function bar(p: number): string {
  const n = Math.max(0, Math.min(BAR, Math.round((p / 100) * BAR)));
  return `[${'#'.repeat(n)}${'.'.repeat(BAR - n)}]`;
}

export class ProgressView {
  private lastPlain = new Map<string, string>();
  private drawn = 0;
  constructor(private readonly out: NodeJS.WriteStream = process.stdout, private readonly tty = Boolean(process.stdout.isTTY)) {}

  render(lines: StageLine[]): void {
    if (this.tty) {
      if (this.drawn) this.out.write(`\x1b[${this.drawn}A`);
      for (const l of lines) {
        this.out.write(`\x1b[2K${l.name.padEnd(11)} ${bar(l.percent)} ${String(l.percent).padStart(3)}%  ${l.status.padEnd(8)} ${l.detail}`.slice(0, (this.out.columns || 120) - 1) + '\n');
      }
      this.drawn = lines.length;
      return;
    }
    for (const l of lines) {
      const text = `${l.name}: ${l.status} ${l.percent}%${l.detail ? ` — ${l.detail}` : ''}`;
      if (this.lastPlain.get(l.name) !== text && l.status !== 'pending') {
        this.out.write(`${text}\n`);
        this.lastPlain.set(l.name, text);
      }
    }
  }
}

/** A plain text table with aligned columns. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

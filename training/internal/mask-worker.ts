import { Worker } from 'node:worker_threads';

/** One dropout multiplier to make ahead: `size` values of seed `seed` (see dropout.ts, fillMultiplier). */
export interface MaskRequest {
  seed: number;
  size: number;
}

interface Job {
  rate: number;
  scale: number;
  /** Request index by seed. */
  bySeed: Map<number, number>;
  offsets: number[];
  sizes: number[];
  out: Float32Array;
  /** Request j: 0 not started, 1 being made (by the worker or the main thread), 2 in `out`. */
  done: Int32Array;
}

/**
 * Dropout multipliers made ahead on a worker thread: drawing ~19 M alea values per SmolLM2-135M step takes ~0.1 s of
 * the JavaScript thread, which also dispatches every TensorFlow op one after another. A forward pass asks for all
 * its masks when it starts (`prefetch`); the worker writes them, in order, into shared memory while the layers run,
 * and a layer takes its mask (`take`): made already, or made there and then if the worker has not started it (it
 * then skips it), or waited for if the worker is making it. The worker runs the same function (`fill`'s source),
 * so the masks are the same values; a request not made ahead is answered undefined and the caller draws it itself.
 */
export class MaskPrefetcher {
  private worker: Worker | undefined;
  private failed = false;
  private job: Job | undefined;
  /** Requests answered through `take`, and how many of them the worker had made (tests read them). */
  hits = 0;
  byWorker = 0;

  /** `fill(out, offset, size, rate, seed, scale)` must be self-contained: its source runs in the worker. */
  constructor(private readonly fill: (out: Float32Array, offset: number, size: number, rate: number, seed: number, scale: number) => void, private readonly helpers: Array<(...args: never[]) => unknown>) {}

  private start(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    // esbuild (tsx, vitest) may wrap inner functions in __name(fn, "name"): defined as the identity here.
    const source = [
      'const { parentPort } = require("node:worker_threads");',
      'var __name = (f) => f;',
      ...this.helpers.map((f) => f.toString()),
      `const fill = ${this.fill.toString()};`,
      'parentPort.on("message", ({ buffer, flags, offsets, sizes, rate, seeds, scale }) => {',
      '  const out = new Float32Array(buffer);',
      '  const done = new Int32Array(flags);',
      '  for (let j = 0; j < seeds.length; j++) {',
      '    if (Atomics.compareExchange(done, j, 0, 1) !== 0) continue;', // the main thread took this one
      '    fill(out, offsets[j], sizes[j], rate, seeds[j], scale);',
      '    Atomics.store(done, j, 2);',
      '    Atomics.notify(done, j);',
      '  }',
      '});',
    ].join('\n');
    try {
      this.worker = new Worker(source, { eval: true });
      this.worker.unref(); // never keeps the process alive
      this.worker.on('error', () => {
        this.failed = true;
        this.worker = undefined;
        this.job = undefined;
      });
    } catch {
      this.failed = true;
    }
    return this.worker;
  }

  /** Starts making `requests` (rate and scale shared); the previous batch of requests is forgotten. */
  prefetch(rate: number, scale: number, requests: MaskRequest[]): void {
    const worker = this.start();
    if (!worker || requests.length === 0) {
      this.job = undefined;
      return;
    }
    const offsets: number[] = [];
    let total = 0;
    for (const r of requests) {
      offsets.push(total);
      total += r.size;
    }
    // the last job's buffer again when every request of it is made (no write of the worker's can still land in it)
    const last = this.job;
    this.job = undefined;
    const reusable = last && last.out.buffer.byteLength >= total * 4 && last.done.every((d) => d === 2);
    const buffer = reusable ? (last.out.buffer as SharedArrayBuffer) : new SharedArrayBuffer(total * 4);
    const flags = new SharedArrayBuffer(requests.length * 4);
    const seeds = requests.map((r) => r.seed);
    const sizes = requests.map((r) => r.size);
    this.job = { rate, scale, bySeed: new Map(seeds.map((s, j) => [s, j])), offsets, sizes, out: new Float32Array(buffer, 0, total), done: new Int32Array(flags) };
    worker.postMessage({ buffer, flags, offsets, sizes, rate, seeds, scale });
  }

  /**
   * The multipliers of `seeds` (each `size` values) side by side, if they were requested together and in this
   * order with this rate and scale; undefined otherwise. A copy: the shared memory is not handed out.
   */
  take(rate: number, scale: number, seeds: number[], size: number): Float32Array | undefined {
    const job = this.job;
    if (!job || job.rate !== rate || job.scale !== scale || seeds.length === 0) return undefined;
    const first = job.bySeed.get(seeds[0]!);
    if (first === undefined) return undefined;
    for (let g = 0; g < seeds.length; g++) {
      const j = first + g;
      if (job.bySeed.get(seeds[g]!) !== j || job.sizes[j] !== size) return undefined;
    }
    for (let j = first; j < first + seeds.length; j++) {
      // not started: made here (the worker skips it), rather than sleeping until the worker, which other
      // processes may be holding off the CPU, gets to it; being made by the worker: wait for that one
      if (Atomics.compareExchange(job.done, j, 0, 1) === 0) {
        this.fill(job.out, job.offsets[j]!, size, rate, seeds[j - first]!, scale);
        Atomics.store(job.done, j, 2);
      } else {
        if (Atomics.load(job.done, j) === 1 && Atomics.wait(job.done, j, 1, 10_000) === 'timed-out') return undefined;
        this.byWorker += 1;
      }
    }
    this.hits += seeds.length;
    return job.out.slice(job.offsets[first]!, job.offsets[first]! + seeds.length * size);
  }
}

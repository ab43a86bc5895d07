import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { KgtuneError } from '../configs/pure/errors.js';

/**
 * A small pool of worker threads running pdf-parse (ingest/internal/pdf-worker.mjs). pdf.js does
 * all of its work on the calling thread in Node (its "fake worker"), so without this a PDF uses one
 * core and blocks the event loop (heartbeats, the other activity) for as long as it takes.
 *
 * A document is split into as many shares as there are idle threads when it is submitted; each of
 * those threads opens the document and claims pages one at a time from a shared counter (so a thread
 * that gets less CPU simply takes fewer pages), and the document is done as soon as every page is in.
 * With the threads busy on other documents it gets one share, so concurrent documents do not
 * duplicate work. Splitting is not free: every thread opens the document and converts the fonts its
 * pages use (measured on ../shared/corpus-real: ~25–30% more CPU in total with two threads than with
 * one). It pays on an idle machine, but on a saturated one (Linux autogroup gives the process one
 * fair share however many threads it runs) it only makes the document slower, so by default a
 * document is split only while the 1-minute load average leaves a core free (`split: 'auto'`).
 * A thread that crashes, runs out of memory or exceeds the timeout is replaced; the document fails.
 */
export interface PdfPoolOptions {
  /** Worker threads; default min(4, cores). */
  threads?: number;
  /** Per-document limit, ms (a hostile PDF must not hang ingestion). */
  timeoutMs?: number;
  /** Heap limit per thread, MB. */
  maxHeapMb?: number;
  /** Split one document over idle threads: 'auto' (default) only while the load average leaves a core free, 'always', or 'never'. */
  split?: 'auto' | 'always' | 'never';
}

/**
 * An error raised while reading a PDF; `name` (and `code`) is pdf.js's (PasswordException, InvalidPDFException, …) or
 * ours (PdfTimeout, PdfOutOfMemory, PdfWorkerExit). Only a worker thread that died may read the file on a second try;
 * the same PDF times out, runs out of memory or is refused by pdf.js again.
 */
export class PdfReadError extends KgtuneError {
  get code(): string { return this.name; }
  get retryable(): boolean { return this.name === 'PdfWorkerExit'; }
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Share {
  data: Uint8Array;
  claim: Int32Array;
  resolve: (r: ShareResult) => void;
  reject: (e: Error) => void;
}
interface ShareResult { numPages: number; pages: Array<{ num: number; text: string }> }
type Reply = { id: number; ok: true; numPages: number; pages: Array<{ num: number; text: string }> } | { id: number; ok: false; name: string; message: string };

interface Slot { worker: Worker; busy?: { id: number; job: Share; timer: NodeJS.Timeout } }

const WORKER_URL = new URL('./internal/pdf-worker.mjs', import.meta.url);

export class PdfPool {
  readonly threads: number;
  private readonly timeoutMs: number;
  private readonly maxHeapMb: number;
  private readonly split: 'auto' | 'always' | 'never';
  private readonly slots: Slot[] = [];
  private readonly queue: Share[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: PdfPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(options.threads ?? Math.min(4, availableParallelism())));
    this.timeoutMs = options.timeoutMs ?? 10 * 60_000;
    this.maxHeapMb = options.maxHeapMb ?? 3072;
    this.split = options.split ?? 'auto';
  }

  /** Text of every page, in page order (pdf-parse's page text). Throws PdfReadError for unreadable PDFs. */
  extract(bytes: Uint8Array): Promise<string[]> {
    if (this.closed) return Promise.reject(new Error('PdfPool is closed'));
    const idle = this.threads - this.slots.filter((s) => s.busy).length - this.queue.length;
    const shares = this.splitting() ? Math.max(1, Math.min(this.threads, idle)) : 1;
    // [0] next page index to claim, [1] page count once a thread has opened the document (0 = not yet)
    const claim = new Int32Array(new SharedArrayBuffer(8));
    return new Promise<string[]>((resolve, reject) => {
      let pages: string[] | undefined;
      let received = 0;
      let pending = shares;
      let settled = false;
      const settle = (): void => {
        settled = true;
        // shares still queued have nothing left to do
        for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]?.claim === claim) this.queue.splice(i, 1);
      };
      const onShare = (r: ShareResult): void => {
        if (settled) return;
        pages ??= new Array<string>(r.numPages).fill('');
        for (const p of r.pages) pages[p.num - 1] = p.text;
        received += r.pages.length;
        pending--;
        // every page is in: done, even if a slower thread has not reported yet (it found nothing left to claim)
        if (received >= r.numPages || pending === 0) {
          settle();
          resolve(pages);
        }
      };
      const onError = (e: Error): void => {
        if (settled) return;
        settle();
        reject(e);
      };
      // Each thread gets its own copy of the bytes (they are transferred, and pdf.js may detach what it is given).
      for (let share = 0; share < shares; share++) this.queue.push({ data: new Uint8Array(bytes), claim, resolve: onShare, reject: onError });
      this.pump();
    });
  }

  /** Whether a new document may be split over idle threads (see the class comment). */
  private splitting(): boolean {
    if (this.split !== 'auto') return this.split === 'always';
    // our own busy threads count in the load average too; "+ 1" leaves room for them and some noise
    return (loadavg()[0] ?? 0) < availableParallelism() + 1;
  }

  /** Stops every thread; pending documents fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('PdfPool closed'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.threads) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift() as Share;
      const id = this.nextId++;
      const timer = setTimeout(() => this.fail(slot as Slot, new PdfReadError('PdfTimeout', `no result after ${Math.round(this.timeoutMs / 1000)} s`)), this.timeoutMs);
      slot.busy = { id, job, timer };
      slot.worker.ref();
      slot.worker.postMessage({ id, data: job.data, claim: job.claim }, [job.data.buffer as ArrayBuffer]);
    }
  }

  private spawn(): Slot {
    // a larger young generation than V8's default: pdf.js allocates many short-lived objects (~10% of CPU went to GC)
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb, maxYoungGenerationSizeMb: 64 } });
    const slot: Slot = { worker };
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const busy = slot.busy;
      if (!busy || busy.id !== reply.id) return;
      clearTimeout(busy.timer);
      slot.busy = undefined;
      worker.unref();
      if (reply.ok) busy.job.resolve({ numPages: reply.numPages, pages: reply.pages });
      else busy.job.reject(new PdfReadError(reply.name, reply.message));
      this.pump();
    });
    worker.on('error', (e: Error) => {
      const oom = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.fail(slot, oom ? new PdfReadError('PdfOutOfMemory', `reading it needs more than ${this.maxHeapMb} MB`) : new PdfReadError(e.name, e.message));
    });
    worker.on('exit', (code) => this.fail(slot, new PdfReadError('PdfWorkerExit', `PDF worker thread exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  /** The slot's thread is gone or must go: fail its document, drop the slot, carry on with the queue. */
  private fail(slot: Slot, error: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    if (slot.busy) {
      clearTimeout(slot.busy.timer);
      slot.busy.job.reject(error);
      slot.busy = undefined;
    }
    void slot.worker.terminate();
    if (!this.closed) this.pump();
  }
}

let shared: PdfPool | undefined;

/** The process-wide pool used by extractDocument. */
export function sharedPdfPool(): PdfPool {
  shared ??= new PdfPool();
  return shared;
}

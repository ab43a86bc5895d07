import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * A small pool of worker threads running pdf-parse (ingest/internal/pdf-worker.mjs). pdf.js does
 * all of its work on the calling thread in Node (its "fake worker"), so without this a PDF uses one
 * core and blocks the event loop (heartbeats, the other activity) for as long as it takes.
 *
 * A document is split into as many shares as there are idle threads when it is submitted: thread k
 * loads the document and extracts pages k+1, k+1+K, … (interleaved, so shares are even). With both
 * threads busy on other documents it gets one share, so concurrent documents do not duplicate work.
 * A thread that crashes, runs out of memory or exceeds the timeout is replaced; the document fails.
 */
export interface PdfPoolOptions {
  /** Worker threads; default min(4, cores). */
  threads?: number;
  /** Per-document limit, ms (a hostile PDF must not hang ingestion). */
  timeoutMs?: number;
  /** Heap limit per thread, MB. */
  maxHeapMb?: number;
}

/** An error raised while reading a PDF; `name` is pdf.js's (PasswordException, InvalidPDFException, …). */
export class PdfReadError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Share {
  data: Uint8Array;
  share: number;
  shares: number;
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
  private readonly slots: Slot[] = [];
  private readonly queue: Share[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: PdfPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(options.threads ?? Math.min(4, availableParallelism())));
    this.timeoutMs = options.timeoutMs ?? 10 * 60_000;
    this.maxHeapMb = options.maxHeapMb ?? 3072;
  }

  /** Text of every page, in page order (pdf-parse's page text). Throws PdfReadError for unreadable PDFs. */
  async extract(bytes: Uint8Array): Promise<string[]> {
    if (this.closed) throw new Error('PdfPool is closed');
    const idle = this.threads - this.slots.filter((s) => s.busy).length - this.queue.length;
    const shares = Math.max(1, Math.min(this.threads, idle));
    const results = await Promise.allSettled(
      Array.from({ length: shares }, (_, share) =>
        new Promise<ShareResult>((resolve, reject) => {
          // Each thread gets its own copy (it is transferred, and pdf.js may detach what it is given).
          this.queue.push({ data: new Uint8Array(bytes), share, shares, resolve, reject });
          this.pump();
        }),
      ),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const ok = results as Array<PromiseFulfilledResult<ShareResult>>;
    const numPages = ok[0]?.value.numPages ?? 0;
    const pages = new Array<string>(numPages).fill('');
    for (const r of ok) for (const p of r.value.pages) pages[p.num - 1] = p.text;
    return pages;
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
      slot.worker.postMessage({ id, data: job.data, share: job.share, shares: job.shares }, [job.data.buffer as ArrayBuffer]);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
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

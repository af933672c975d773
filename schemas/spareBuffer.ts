/** Messages below this skip the spare: a fresh buffer's few pages cost little, and Node's pool or malloc serve it. */
export const SPARE_MIN_BYTES = 64 * 1024;

/** The default maxMessageBytes: every frame a default host admits, and every ASCII result it passes on, fits. */
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Large results one after another (a loop of cells, each with one) reuse it; a process left quiet frees it. */
const DEFAULT_IDLE_MS = 1000;

/**
 * One large buffer kept between messages, so that a large message is copied into pages already
 * touched. On the 2-core VM the first touch of a fresh page costs about 12 µs: filling a new
 * 16 MiB buffer takes about 50 ms, refilling a reused one about 1 ms, and whether malloc hands a new
 * buffer recycled pages depends on what the garbage collector happened to free before
 * (docs/benchmarks.md, payload_16mb_mbps).
 *
 * A buffer taken is the taker's until it gives it back, and giving it back promises that neither
 * it nor any view of it is used again. The spare is freed once nothing was given back for
 * `idleMs`, by an unreferenced timer, so a quiet process does not hold it and the timer never
 * keeps a process alive.
 */
export class SpareBuffer {
  private spare: Buffer<ArrayBuffer> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  /** Buffers over `maxBytes` are never kept. */
  constructor(
    private readonly maxBytes = DEFAULT_MAX_BYTES,
    private readonly idleMs = DEFAULT_IDLE_MS,
  ) {}

  /**
   * `bytes` bytes of the spare when it is large enough, else of a new buffer with room for an
   * eighth more: a message that grows a little (a request id gaining a digit) still fits, and the
   * room costs no memory until it is written.
   */
  take(bytes: number): Buffer {
    const spare = this.spare;
    if (spare !== undefined && spare.length >= bytes) {
      this.spare = undefined;
      return spare.subarray(0, bytes);
    }
    return Buffer.allocUnsafeSlow(Math.max(bytes, Math.min(bytes + (bytes >> 3), this.maxBytes))).subarray(0, bytes);
  }

  /** `buffer`, which `take` returned, is not used any more; the larger of it and the spare is kept. */
  giveBack(buffer: Buffer): void {
    if (this.disposed) return;
    // allocUnsafeSlow gives every buffer an ArrayBuffer of its own, which `take` may have viewed shorter.
    const whole = Buffer.from(buffer.buffer as ArrayBuffer);
    if (whole.length <= this.maxBytes && whole.length > (this.spare?.length ?? 0)) this.spare = whole;
    if (this.spare === undefined) return;
    if (this.timer === undefined) this.timer = setTimeout(this.release, this.idleMs).unref();
    else this.timer.refresh();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.release();
  }

  private readonly release = (): void => {
    this.timer = undefined;
    // Detaching frees the memory now; dropping the reference would wait for a garbage collection,
    // which an idle process may not run for a long time.
    this.spare?.buffer.transfer(0);
    this.spare = undefined;
  };
}

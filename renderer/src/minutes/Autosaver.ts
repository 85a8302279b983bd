// Saves the secretary's typing without a save button: shortly after typing pauses, and at the
// latest one second after the first unsaved keystroke, so a crash loses at most that second.
// Saves never overlap; a save refused because another PC saved first stops autosaving and
// keeps the text on screen, so nothing typed is lost while the secretary decides.

export type AutosaveStatus = 'saved' | 'pending' | 'saving' | 'conflict' | 'error';

export interface AutosaveState {
  status: AutosaveStatus;
  revision: number;
  savedAt: string | null;
  error: unknown;
}

export interface AutosaveOptions {
  /** Quiet time after the last change before saving. */
  idleMs?: number;
  /** Longest a change waits while typing goes on. */
  maxWaitMs?: number;
  isConflict?: (error: unknown) => boolean;
}

type SaveFn<T> = (value: T, baseRevision: number) => Promise<{ revision: number; updatedAt: string }>;

export class Autosaver<T> {
  private state: AutosaveState;
  private latest: T | null = null;
  private firstUnsavedAt: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private readonly idleMs: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly save: SaveFn<T>,
    revision: number,
    private readonly onState: (state: AutosaveState) => void = () => undefined,
    private readonly options: AutosaveOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 400;
    this.maxWaitMs = options.maxWaitMs ?? 1000;
    this.state = { status: 'saved', revision, savedAt: null, error: null };
  }

  get current(): AutosaveState {
    return this.state;
  }

  change(value: T): void {
    this.latest = value;
    if (this.state.status === 'conflict') return;
    const now = Date.now();
    this.firstUnsavedAt ??= now;
    this.set({ status: this.state.status === 'saving' ? 'saving' : 'pending' });
    this.schedule(Math.min(this.idleMs, this.firstUnsavedAt + this.maxWaitMs - now));
  }

  /** Saves now whatever is unsaved (leaving the screen, closing the app). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
    if (this.latest !== null && this.state.status !== 'conflict') await this.run();
  }

  /** After a conflict: continue on top of the revision now stored (the secretary chose to). */
  resume(revision: number): void {
    this.set({ status: this.latest === null ? 'saved' : 'pending', revision, error: null });
    if (this.latest !== null) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, Math.max(0, delayMs));
  }

  private hasUnsaved(): boolean {
    return this.latest !== null;
  }

  private unsavedSince(): number | null {
    return this.firstUnsavedAt;
  }

  private async run(): Promise<void> {
    if (this.inFlight) {
      // One save at a time; the newest text goes in the next one.
      await this.inFlight;
      if (this.latest !== null && !this.timer) this.schedule(0);
      return;
    }
    const value = this.latest;
    if (value === null) return;
    this.latest = null;
    this.firstUnsavedAt = null;
    this.set({ status: 'saving' });
    this.inFlight = (async () => {
      try {
        const { revision, updatedAt } = await this.save(value, this.state.revision);
        this.set({ status: this.latest === null ? 'saved' : 'pending', revision, savedAt: updatedAt, error: null });
      } catch (error) {
        // What failed to save is still the newest text unless the secretary typed on.
        this.latest ??= value;
        const conflict = this.options.isConflict?.(error) ?? false;
        this.set({ status: conflict ? 'conflict' : 'error', error });
        if (!conflict) {
          this.firstUnsavedAt ??= Date.now();
          this.schedule(2000);
        }
      }
    })();
    await this.inFlight;
    this.inFlight = null;
    // The secretary may have typed on while the save was in flight.
    if (this.hasUnsaved() && this.state.status === 'pending' && !this.timer) {
      this.schedule(Math.min(this.idleMs, (this.unsavedSince() ?? Date.now()) + this.maxWaitMs - Date.now()));
    }
  }

  private set(patch: Partial<AutosaveState>): void {
    this.state = { ...this.state, ...patch };
    this.onState(this.state);
  }
}

// Wrong invite codes and organizer keys, counted per address (HTTP and WebSocket alike) and per
// connection. A few mistakes are free (an operator mistyping); past them each further failure
// doubles the wait before the next attempt is even looked at, so guessing a 100-bit code is
// hopeless and a flood of attempts costs the server almost nothing. The audit log gets a row for
// each free failure and one row per back-off step, not one per attempt.
import { performance } from 'node:perf_hooks';
import type { AuditLog } from './AuditLog';

export interface AttemptLimits {
  /** Failures allowed before the back-off starts. */
  freeFailures: number;
  /** The first wait; it doubles with every failure after that, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** A key (address or connection) with no failure for this long starts over. */
  forgetAfterMs: number;
}

interface Record {
  failures: number;
  blockedUntil: number;
  lastFailure: number;
}

export class CredentialAttempts {
  private readonly records = new Map<string, Record>();

  constructor(
    private readonly audit: AuditLog,
    private readonly limits: AttemptLimits,
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {}

  /** How long this key must wait before its next attempt is looked at (0: now). */
  waitFor(key: string): number {
    const record = this.current(key);
    return record ? Math.max(0, record.blockedUntil - this.monotonicMs()) : 0;
  }

  /** Counts a failure; writes the audit row when this failure is one worth a row (unless told
   * not to: a connection's failures are its address's too, which are audited). */
  failed(key: string, briefingCode: string | null, detail = 'not valid', audited = true): void {
    const now = this.monotonicMs();
    const record = this.current(key) ?? { failures: 0, blockedUntil: 0, lastFailure: now };
    record.failures++;
    record.lastFailure = now;
    const over = record.failures - this.limits.freeFailures;
    if (over > 0) {
      const wait = Math.min(this.limits.maxDelayMs, this.limits.firstDelayMs * 2 ** (over - 1));
      record.blockedUntil = now + wait;
      if (audited) void this.audit.write({
        briefingCode,
        actor: key,
        action: 'credential_backoff',
        subject: `${record.failures} wrong codes or keys`,
        detail: `${detail}; next attempt looked at after ${Math.ceil(wait / 1000)} s`,
      });
    } else if (audited) {
      void this.audit.write({ briefingCode, actor: key, action: 'credential_refused', subject: null, detail });
    }
    this.records.set(key, record);
    // Bounded memory under a flood from many addresses: the oldest entries go first.
    if (this.records.size > 100_000) this.records.delete(this.records.keys().next().value as string);
  }

  private current(key: string): Record | undefined {
    const record = this.records.get(key);
    if (record && this.monotonicMs() - record.lastFailure > this.limits.forgetAfterMs && this.monotonicMs() >= record.blockedUntil) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }
}

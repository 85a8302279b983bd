import type { ErrorCode, RefusalReason } from '../protocol';

/** An error the requesting meeting point is told about; it never affects other peers. Where the
 * operator must understand why, it carries a reason (and its number) for the app to word. */
export class SfuError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly refusal?: { reason: RefusalReason; count?: number },
  ) {
    super(message);
  }
}

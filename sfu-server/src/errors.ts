import type { ErrorCode } from '../protocol';

/** An error the requesting meeting point is told about; it never affects other peers. */
export class SfuError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

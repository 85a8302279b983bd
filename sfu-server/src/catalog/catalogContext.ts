// What every catalog handler is given, and how it refuses: shared by the catalog's routes and
// the follow-up routes.
import type http from 'node:http';
import type { PublishedBriefing, PublishedRecord } from '../../protocol/briefing';
import type { CatalogErrorCode } from '../../protocol/catalog';
import type { AuditLog } from '../access/AuditLog';
import type { CredentialAttempts } from '../access/CredentialAttempts';
import type { TimeStamps } from '../tsa/TimeStamps';
import type { AccessServices, Caller } from './catalogAccess';
import type { Clock } from '../clock';

export interface CatalogServices extends AccessServices {
  /** The server's clock (tests move it). */
  now: Clock;
  audit: AuditLog;
  attempts: CredentialAttempts;
  timeStamps: TimeStamps;
}

export interface CatalogEvents {
  briefingPublished: (briefing: PublishedBriefing) => void;
  recordPublished: (record: PublishedRecord) => void;
}

export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: CatalogErrorCode,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
  }
}

export interface Context {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  params: Record<string, string>;
  body: unknown;
  caller: Caller;
  services: CatalogServices;
  events: CatalogEvents;
}

export function actorOf(caller: Caller): string {
  return caller.kind === 'organizer' ? `organizer ${caller.organizer.name}` : caller.seat.seat;
}

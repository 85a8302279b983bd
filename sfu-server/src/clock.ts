// The server's one source of wall-clock time. Everything that stamps or compares dates (the
// catalog's "upcoming", invite codes, the audit log, seats, floor turns, agenda items) takes it
// from here, so a test or a benchmark can run the whole server on another day.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

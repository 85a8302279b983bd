// Votes (biểu quyết) on an agenda item: the chair opens a question, each meeting point answers
// once, the counts are shown when the chair closes it and kept with the item.
import { randomUUID } from 'node:crypto';
import type { VoteInfo } from '../../protocol';
import { SfuError } from '../errors';

interface Vote {
  id: string;
  question: string;
  options: string[];
  agendaIndex: number | null;
  openedAt: string;
  closedAt: string | null;
  answers: Map<string, number>;
}

export class Votes {
  private open: Vote | null = null;
  private readonly closed: Vote[] = [];

  start(question: string, options: string[], agendaIndex: number | null, now: string): string {
    if (this.open) throw new SfuError('bad_request', 'a vote is already open: close it first');
    this.open = { id: randomUUID(), question, options, agendaIndex, openedAt: now, closedAt: null, answers: new Map() };
    return this.open.id;
  }

  cast(voteId: string, seat: string, option: number): void {
    const vote = this.openVote(voteId);
    if (option >= vote.options.length) throw new SfuError('bad_request', `option ${option} is not one of the ${vote.options.length} answers`);
    if (vote.answers.has(seat)) throw new SfuError('bad_request', 'this meeting point has already answered');
    vote.answers.set(seat, option);
  }

  close(voteId: string, now: string): VoteInfo {
    const vote = this.openVote(voteId);
    vote.closedAt = now;
    this.closed.push(vote);
    this.open = null;
    return info(vote);
  }

  /** The open vote, else the last one closed. */
  current(): VoteInfo | null {
    const vote = this.open ?? this.closed.at(-1);
    return vote ? info(vote) : null;
  }

  history(): VoteInfo[] {
    return this.closed.map(info);
  }

  private openVote(voteId: string): Vote {
    if (!this.open || this.open.id !== voteId) throw new SfuError('not_found', 'that vote is not open');
    return this.open;
  }
}

function info(vote: Vote): VoteInfo {
  const counts = vote.closedAt ? vote.options.map((_, i) => [...vote.answers.values()].filter((a) => a === i).length) : null;
  return {
    id: vote.id,
    question: vote.question,
    options: vote.options,
    agendaIndex: vote.agendaIndex,
    openedAt: vote.openedAt,
    closedAt: vote.closedAt,
    voted: [...vote.answers.keys()],
    counts,
  };
}

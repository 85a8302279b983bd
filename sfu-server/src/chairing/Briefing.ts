// A briefing as the chair runs it: its seats, the lobby, the lock, the floor, the roll call and
// the votes. It outlives the media room (a worker restart rebuilds the room; the queue, the
// roles and the votes stay), and tells everyone in the room each time something changes.
import { randomUUID } from 'node:crypto';
import type { AgendaPosition, Attendee, ControlState, FloorMode, FloorTurn, NotificationData, NotificationName, PresenterPage, Role, SeatInfo } from '../../protocol';
import { type PublishedBriefing, invitedSeats } from '../../protocol/briefing';
import type { Clock } from '../clock';
import { SfuError } from '../errors';
import type { AuditAction, AuditLog } from '../access/AuditLog';
import { micAllowed } from '../../protocol/rules';
import { Coalescer, announceEveryMs } from './Coalescer';
import { Floor } from './Floor';
import { Proceedings } from './Proceedings';
import { type Seat, Seats } from './Seats';
import { Votes } from './Votes';

/** What the briefing needs of the media side. */
export interface BriefingMedia {
  /** Pauses or resumes a point's microphone on the server, telling everyone (the point too). */
  setMicPaused(peerId: string, paused: boolean): Promise<void>;
  /** Sends the new state to every point in the room, each the view its seat may see. */
  announce(viewFor: (peerId: string) => ControlState): void;
  /** Tells every point in the room (but `exceptPeerId`). */
  broadcast<N extends NotificationName>(name: N, data: NotificationData<N>, exceptPeerId?: string): void;
}

interface LobbyEntry {
  lobbyId: string;
  displayName: string;
  /** The network address it came from: the lobby takes only a few from one address. */
  address: string;
  since: string;
  /** `asSeatId`: the invited seat the chair let it into; absent for a guest. */
  answer: (admitted: boolean, reason: string, asSeatId?: string) => void;
}

export class Briefing {
  readonly seats: Seats;
  readonly proceedings = new Proceedings();
  private readonly floor = new Floor();
  private readonly votes = new Votes();
  private readonly lobby = new Map<string, LobbyEntry>();
  private rollCall: ControlState['rollCall'] = null;
  private locked = false;
  private media: BriefingMedia | null = null;
  private readonly announcer = new Coalescer(() => announceEveryMs(this.seats.all().filter((s) => s.peerId).length), () => this.announce());
  private readonly watchers = new Set<(state: ControlState) => void>();
  /** A relayed briefing: the upper briefing's seats seen here (cascade/UpperLink). */
  private upper: { seats: SeatInfo[]; speaker: FloorTurn | null } | null = null;

  constructor(
    readonly code: string,
    published: PublishedBriefing,
    private readonly audit: AuditLog,
    private readonly options: { seatHoldMs: number; maxLobby: number; maxLobbyPerAddress: number },
    private readonly now: Clock,
  ) {
    this.seats = new Seats(options.seatHoldMs, (seat) => {
      this.floor.forget(seat.id, this.stamp());
      this.changed();
    });
    this.seats.invite(invitedSeats(published));
  }

  /** The seats of the upper briefing this server relays, shown beside its own; null: none. */
  showUpper(upper: { seats: SeatInfo[]; speaker: FloorTurn | null } | null): void {
    this.upper = upper;
    this.changed();
  }

  /** A relay's points, rolled up for the upper roll call ("Tỉnh X: 96/102"). */
  reportRelayed(seat: Seat, counts: { present: number; invited: number }): void {
    seat.relayed = counts;
    this.changed();
  }

  /** The chair moves to an agenda item: everyone (late joiners too) lands on it. */
  setAgendaItem(index: number): AgendaPosition {
    const position = this.proceedings.moveTo(index, this.stamp());
    this.media?.broadcast('agendaItemChanged', position);
    return position;
  }

  /** The presenter turned a page: every other point follows. */
  /** `seat`: a seat here, or an upper seat this server relays (its stand-in peer). */
  setPresenterPage(seat: Pick<Seat, 'id' | 'peerId'>, page: PresenterPage): void {
    this.proceedings.present(seat.id, page);
    const shown = this.presenterPage();
    if (shown && seat.peerId) this.media?.broadcast('presenterPageChanged', shown, seat.peerId);
  }

  presenterPage(): ReturnType<Proceedings['presenterPage']> {
    return this.proceedings.presenterPage((seatId) => this.seats.byId(seatId)?.peerId ?? this.upper?.seats.find((s) => s.seatId === seatId)?.peerId ?? null);
  }

  /** A new version was published: the roster follows its invitation list. */
  republished(published: PublishedBriefing): void {
    this.seats.invite(invitedSeats(published));
    this.changed();
  }

  /** The media room this briefing runs in now (a new one after a worker restart). */
  attach(media: BriefingMedia | null): void {
    this.media = media;
  }

  get isLocked(): boolean {
    return this.locked;
  }

  presentCount(): number {
    return this.seats.present().length;
  }

  // --- arriving and leaving --------------------------------------------------------------------

  /** Seats a connection; returns the seat's new secret. */
  occupy(seat: Seat, peerId: string): string {
    const secret = this.seats.occupy(seat, peerId, this.stamp());
    this.changed();
    void this.applyMicRule(seat);
    return secret;
  }

  vacate(peerId: string, how: 'left' | 'dropped'): void {
    const seat = this.seats.byPeer(peerId);
    if (!seat) return;
    this.seats.vacate(seat, how, this.stamp());
    if (how === 'left') this.floor.forget(seat.id, this.stamp());
    this.changed();
  }

  /** An uninvited point waits here; `answer` tells its connection the chair's decision. */
  enterLobby(displayName: string, address: string, answer: LobbyEntry['answer']): string {
    if (this.locked) throw new SfuError('forbidden', 'the briefing is locked: only invited meeting points may join', { reason: 'briefing_locked' });
    if (this.lobby.size >= this.options.maxLobby) {
      throw new SfuError('over_limit', `the lobby of this briefing is full (${this.options.maxLobby} waiting); ask the chair for an invite code`, { reason: 'lobby_full', count: this.options.maxLobby });
    }
    if ([...this.lobby.values()].filter((e) => e.address === address).length >= this.options.maxLobbyPerAddress) {
      throw new SfuError('over_limit', `at most ${this.options.maxLobbyPerAddress} meeting points from one network address may wait in the lobby`, { reason: 'lobby_per_address', count: this.options.maxLobbyPerAddress });
    }
    const lobbyId = randomUUID();
    this.lobby.set(lobbyId, { lobbyId, displayName, address, since: this.stamp(), answer });
    void this.log('lobby_waiting', displayName, displayName);
    this.changed();
    return lobbyId;
  }

  leaveLobby(lobbyId: string): void {
    if (this.lobby.delete(lobbyId)) this.changed();
  }

  admit(chair: Seat, lobbyId: string, asSeatId?: string): void {
    if (asSeatId !== undefined) {
      const seat = this.seats.byId(asSeatId);
      if (!seat || seat.role !== 'point' || !seat.invited || seat.peerId) {
        throw new SfuError('forbidden', 'that seat is not a free invited meeting point', { reason: 'seat_not_free' });
      }
    }
    const entry = this.takeFromLobby(lobbyId);
    const into = asSeatId === undefined ? undefined : this.seats.byId(asSeatId)?.name;
    void this.log('admitted', chair.name, entry.displayName, into ? `into the invited seat ${into}` : 'as a guest');
    entry.answer(true, '', asSeatId);
  }

  get hasEnded(): boolean {
    return this.proceedings.endedAt !== null;
  }

  /** The chair ends the briefing for everyone: its end time is kept for the minutes, the
   * lobby is sent away, and no one joins after. */
  end(chair: Seat): void {
    if (this.hasEnded) return;
    this.proceedings.end(this.stamp());
    void this.log('ended', chair.name, null);
    for (const entry of [...this.lobby.values()]) {
      this.lobby.delete(entry.lobbyId);
      entry.answer(false, 'the briefing has ended');
    }
    this.changed();
  }

  refuse(chair: Seat, lobbyId: string): void {
    const entry = this.takeFromLobby(lobbyId);
    void this.log('refused', chair.name, entry.displayName);
    entry.answer(false, 'the chair did not admit this meeting point');
  }

  setLocked(chair: Seat, locked: boolean): void {
    this.locked = locked;
    void this.log(locked ? 'locked' : 'unlocked', chair.name, null);
    if (locked) {
      for (const entry of [...this.lobby.values()]) {
        this.lobby.delete(entry.lobbyId);
        void this.log('refused', chair.name, entry.displayName, 'briefing locked');
        entry.answer(false, 'the briefing was locked');
      }
    }
    this.changed();
  }

  setRole(chair: Seat, seatId: string, role: 'presenter' | 'point'): void {
    const seat = this.seats.require(seatId);
    if (seat.baseRole !== 'point') throw new SfuError('bad_request', 'only a meeting point can be made the presenter');
    seat.role = role;
    void this.log('role_changed', chair.name, seat.name, role);
    this.changed();
  }

  // --- the floor ---------------------------------------------------------------------------------

  /** `behalfOf`: a relay (province server) asks for a commune behind it, shown by both names. */
  requestFloor(seat: Seat, behalfOf?: string): void {
    if (this.floor.ask({ id: seat.id, name: behalfOf ? `${seat.name} — ${behalfOf}` : seat.name }, this.stamp())) this.changed();
  }

  cancelFloorRequest(seat: Seat): void {
    if (this.floor.withdraw(seat.id)) this.changed();
  }

  async grantFloor(chair: Pick<Seat, 'name'>, seatId: string): Promise<void> {
    const seat = this.seats.require(seatId);
    if (seat.state !== 'present') throw new SfuError('bad_request', `"${seat.name}" is not connected`);
    const previous = this.floor.grant(seat, this.proceedings.position?.index ?? null, this.stamp());
    void this.log('floor_granted', chair.name, seat.name);
    this.changed();
    if (seat.peerId) await this.media?.setMicPaused(seat.peerId, false);
    if (previous) await this.applyMicRule(this.seats.byId(previous));
  }

  async revokeFloor(chair: Pick<Seat, 'name'>): Promise<void> {
    const seatId = this.floor.end(this.stamp());
    if (!seatId) return;
    const seat = this.seats.byId(seatId);
    void this.log('floor_revoked', chair.name, seat?.name ?? seatId);
    this.changed();
    await this.applyMicRule(seat);
  }

  async mute(chair: Seat, seatId: string): Promise<void> {
    const seat = this.seats.require(seatId);
    void this.log('muted', chair.name, seat.name);
    if (seat.peerId) await this.media?.setMicPaused(seat.peerId, true);
  }

  async muteAll(chair: Seat): Promise<void> {
    void this.log('muted', chair.name, 'all');
    const media = this.media;
    if (!media) return;
    const others = this.seats.present().flatMap((s) => (s.role !== 'chair' && s.peerId ? [s.peerId] : []));
    await Promise.all(others.map((peerId) => media.setMicPaused(peerId, true)));
  }

  get floorMode(): FloorMode {
    return this.floor.mode;
  }

  async setMode(chair: Pick<Seat, 'name'>, mode: FloorMode): Promise<void> {
    this.floor.mode = mode;
    this.changed();
    if (mode === 'briefing') await Promise.all(this.seats.present().map((s) => this.applyMicRule(s)));
  }

  /** Whether this seat may open its microphone now. */
  micAllowed(seat: Seat): boolean {
    return micAllowed({ seatId: seat.id, role: seat.role }, this.floor);
  }

  // --- roll call, attendees, absence ------------------------------------------------------------

  startRollCall(): void {
    this.rollCall = { startedAt: this.stamp(), endedAt: null };
    for (const seat of this.seats.all()) seat.rollCallAnsweredAt = null;
    this.changed();
  }

  endRollCall(): void {
    if (this.rollCall && !this.rollCall.endedAt) this.rollCall = { ...this.rollCall, endedAt: this.stamp() };
    this.changed();
  }

  answerRollCall(seat: Seat): void {
    if (!this.rollCall || this.rollCall.endedAt) throw new SfuError('bad_request', 'no roll call is running');
    seat.rollCallAnsweredAt ??= this.stamp();
    this.changed();
  }

  markAbsent(seatId: string, reason: string): void {
    const seat = this.seats.require(seatId);
    if (seat.state === 'present') throw new SfuError('bad_request', `"${seat.name}" is connected`);
    seat.state = 'absent';
    seat.absentReason = reason;
    this.changed();
  }

  setAttendees(seat: Seat, attendees: Attendee[]): void {
    seat.attendees = attendees;
    this.changed();
  }

  setAudioOnly(seat: Seat, audioOnly: boolean): void {
    seat.audioOnly = audioOnly;
    this.changed();
  }

  // --- votes ------------------------------------------------------------------------------------

  openVote(chair: Seat, question: string, options: string[]): string {
    const id = this.votes.start(question, options, this.proceedings.position?.index ?? null, this.stamp());
    void this.log('vote_opened', chair.name, question, options.join(' | '));
    this.changed();
    return id;
  }

  castVote(seat: Seat, voteId: string, option: number): void {
    this.votes.cast(voteId, seat.id, option);
    this.changed();
  }

  closeVote(chair: Seat, voteId: string): void {
    const result = this.votes.close(voteId, this.stamp());
    void this.log('vote_closed', chair.name, result.question, result.options.map((o, i) => `${o}: ${result.counts?.[i] ?? 0}`).join(' | '));
    this.changed();
  }

  // --- the picture everyone gets ------------------------------------------------------------------

  /** The whole picture as one seat may see it: the lobby's names only for the chair and secretary
   * (a point on 3G gets the count, not a list an outsider can fill). */
  snapshot(role: Role | null): ControlState {
    const seesLobby = role === 'chair' || role === 'secretary';
    return {
      locked: this.locked,
      // The upper seats first: a commune's stage looks for the first chair.
      seats: [...(this.upper?.seats ?? []), ...this.seats.all().map((s) => this.seats.info(s))],
      lobby: seesLobby ? [...this.lobby.values()].map(({ lobbyId, displayName, since }) => ({ lobbyId, displayName, since })) : [],
      lobbyCount: this.lobby.size,
      floor: { mode: this.floor.mode, speaker: this.floor.speaker ?? this.upper?.speaker ?? null, queue: [...this.floor.queue] },
      rollCall: this.rollCall,
      vote: this.votes.current(),
      votes: this.votes.history(),
      turns: [...this.floor.turns],
      agendaTimes: [...this.proceedings.itemTimes],
      endedAt: this.proceedings.endedAt,
    };
  }

  log(action: AuditAction, actor: string, subject: string | null, detail: string | null = null): Promise<void> {
    return this.audit.write({ briefingCode: this.code, actor, action, subject, detail });
  }

  close(): void {
    this.seats.close();
    for (const entry of this.lobby.values()) entry.answer(false, 'the server is stopping');
    this.lobby.clear();
  }

  private changed(): void {
    this.announcer.poke();
  }

  private announce(): void {
    // Two views at most, each turned into text once for all who get it.
    const full = this.snapshot('chair');
    const counted = this.snapshot(null);
    this.media?.announce((peerId) => {
      const role = this.seats.byPeer(peerId)?.role;
      return role === 'chair' || role === 'secretary' ? full : counted;
    });
    for (const watcher of this.watchers) watcher(full);
  }

  /** Calls `watcher` with the whole state each time it is announced (a relay link follows the
   * floor queue by it); returns how to stop. */
  watch(watcher: (state: ControlState) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  private async applyMicRule(seat: Seat | undefined): Promise<void> {
    if (seat?.peerId && !this.micAllowed(seat)) await this.media?.setMicPaused(seat.peerId, true);
  }

  private takeFromLobby(lobbyId: string): LobbyEntry {
    const entry = this.lobby.get(lobbyId);
    if (!entry) throw new SfuError('not_found', 'no one with that id is waiting');
    this.lobby.delete(lobbyId);
    this.changed();
    return entry;
  }

  private stamp(): string {
    return this.now().toISOString();
  }
}

// Who is on the main stage and which videos a point receives, as a commune would notice them.
import { describe, expect, it } from 'vitest';
import type { ControlState } from '../../sfu-server/protocol';
import { chooseStage, placementOf } from '../../renderer/src/briefing/stage';

const control = (mode: 'discussion' | 'briefing', speaker: string | null): ControlState => ({
  locked: false,
  endedAt: null,
  seats: [
    { seatId: 'seat-chair', seat: 'UBND huyện', role: 'chair', peerId: 'chair' },
    { seatId: 'seat-tan-lap', seat: 'Xã Tân Lập', role: 'point', peerId: 'tan-lap' },
    { seatId: 'seat-phu-son', seat: 'Xã Phú Sơn', role: 'point', peerId: 'phu-son' },
  ].map((s) => ({ ...s, invited: true, state: 'present' as const, joinedAt: null, leftAt: null, absentReason: null, attendees: [], rollCallAnsweredAt: null, audioOnly: false })) as ControlState['seats'],
  lobby: [], lobbyCount: 0,
  floor: { mode, speaker: speaker ? { seatId: speaker === 'Xã Tân Lập' ? 'seat-tan-lap' : 'seat-phu-son', seat: speaker, agendaIndex: 0, startedAt: '2026-11-23T01:00:00.000Z', endedAt: null } : null, queue: [] },
  rollCall: null,
  vote: null,
  votes: [],
  turns: [],
  agendaTimes: [],
});
/** The three points present, those named with their microphone off. */
const points = (...muted: string[]) => ['chair', 'tan-lap', 'phu-son'].map((peerId) => ({ peerId, micMuted: muted.includes(peerId) }));
const joinOrder = ['phu-son', 'chair', 'tan-lap'];

describe('the main stage', () => {
  it('shows who has the floor, else the active speaker in discussion, else the chair', () => {
    expect(chooseStage({ points: points(), control: control('briefing', 'Xã Tân Lập'), activeSpeakerPeerId: 'phu-son', joinOrder })).toBe('tan-lap');
    expect(chooseStage({ points: points(), control: control('discussion', null), activeSpeakerPeerId: 'phu-son', joinOrder })).toBe('phu-son');
    // In briefing mode a commune's noise does not take the stage from the chair.
    expect(chooseStage({ points: points(), control: control('briefing', null), activeSpeakerPeerId: 'phu-son', joinOrder })).toBe('chair');
    // Before any chairing state: the first point that joined.
    expect(chooseStage({ points: points(), control: null, activeSpeakerPeerId: null, joinOrder })).toBe('phu-son');
    expect(chooseStage({ points: [], control: null, activeSpeakerPeerId: null, joinOrder })).toBeNull();
  });

  it('gives the stage back to the chair the moment the active speaker mutes, without waiting for the server to name another', () => {
    const discussion = control('discussion', null);
    expect(chooseStage({ points: points('phu-son'), control: discussion, activeSpeakerPeerId: 'phu-son', joinOrder })).toBe('chair');
    // A muted point that holds the floor keeps the stage: the chair gave it the floor.
    expect(chooseStage({ points: points('tan-lap'), control: control('discussion', 'Xã Tân Lập'), activeSpeakerPeerId: 'phu-son', joinOrder })).toBe('tan-lap');
    // Another point muted changes nothing.
    expect(chooseStage({ points: points('tan-lap'), control: discussion, activeSpeakerPeerId: 'phu-son', joinOrder })).toBe('phu-son');
  });

  it('puts one page of eight thumbnails on screen and pauses the rest; audio only shows none', () => {
    const thumbnails = Array.from({ length: 38 }, (_, i) => `p${i}`);
    const view = { audioOnly: false, stagePeerId: 'chair', thumbnails, page: 1 };
    expect(placementOf('chair', view)).toBe('stage');
    expect(thumbnails.filter((id) => placementOf(id, view) === 'thumbnail')).toEqual(thumbnails.slice(8, 16));
    expect(placementOf('p0', view)).toBe('hidden');
    expect(placementOf('chair', { ...view, audioOnly: true })).toBe('hidden');
  });
});

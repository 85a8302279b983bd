import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, NotificationEnvelope, RequestEnvelope, methods, notifications } from '../../sfu-server/protocol';

const caps = { codecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 }], headerExtensions: [] };

describe('signaling protocol', () => {
  it('accepts a well-formed join', () => {
    const ok = methods.join.request.safeParse({ briefingCode: 'giaoban-t2', displayName: '  Xã Tân Lập ', rtpCapabilities: caps });
    expect(ok.success).toBe(true);
    expect(ok.data?.displayName).toBe('Xã Tân Lập');
  });

  it.each([
    ['a code with spaces', { briefingCode: 'giao ban', displayName: 'A', rtpCapabilities: caps }],
    ['a code with Vietnamese letters', { briefingCode: 'giaoban-thứ-hai', displayName: 'A', rtpCapabilities: caps }],
    ['an empty name', { briefingCode: 'giaoban', displayName: '   ', rtpCapabilities: caps }],
    ['a 200-character name', { briefingCode: 'giaoban', displayName: 'x'.repeat(200), rtpCapabilities: caps }],
    ['capabilities that are a string', { briefingCode: 'giaoban', displayName: 'A', rtpCapabilities: 'opus' }],
    ['a missing field', { briefingCode: 'giaoban', displayName: 'A' }],
  ])('refuses a join with %s', (_why, data) => {
    expect(methods.join.request.safeParse(data).success).toBe(false);
  });

  it('refuses a transport direction that does not exist and a layer out of range', () => {
    expect(methods.createTransport.request.safeParse({ direction: 'both' }).success).toBe(false);
    expect(methods.setConsumerLayer.request.safeParse({ consumerId: 'c', spatialLayer: 3 }).success).toBe(false);
    expect(methods.setConsumerLayer.request.safeParse({ consumerId: 'c', spatialLayer: 0 }).success).toBe(true);
  });

  it('requires DTLS fingerprints when connecting a transport', () => {
    expect(methods.connectTransport.request.safeParse({ transportId: 't', dtlsParameters: { fingerprints: [] } }).success).toBe(false);
    expect(
      methods.connectTransport.request.safeParse({ transportId: 't', dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AB' }] } })
        .success,
    ).toBe(true);
  });

  it('takes a request envelope only with an integer id and a method name', () => {
    expect(RequestEnvelope.safeParse({ id: 3, method: 'leave', data: {} }).success).toBe(true);
    expect(RequestEnvelope.safeParse({ id: '3', method: 'leave' }).success).toBe(false);
    expect(RequestEnvelope.safeParse({ id: 1.5, method: 'leave' }).success).toBe(false);
    expect(RequestEnvelope.safeParse({ method: 'leave' }).success).toBe(false);
  });

  it('validates notifications the client receives', () => {
    const envelope = NotificationEnvelope.safeParse({ notification: 'peerLeft', data: { peerId: 'p1' } });
    expect(envelope.success).toBe(true);
    expect(notifications.peerLeft.safeParse({ peerId: '' }).success).toBe(false);
    expect(NotificationEnvelope.safeParse({ notification: 'formatDisk', data: {} }).success).toBe(false);
  });

  it('keeps the message limit far above what a real request needs', () => {
    const join = JSON.stringify({ id: 1, method: 'join', data: { briefingCode: 'giaoban', displayName: 'x'.repeat(80), rtpCapabilities: caps } });
    expect(join.length * 10).toBeLessThan(MAX_MESSAGE_BYTES);
  });
});

import { describe, expect, it } from 'vitest';
import { invitationText, readInvitation } from '../../main/api/invitation';

const ca = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, '0').slice(-2)).join(':');
const invitation = { serverUrl: 'wss://[fd00::5]:7080', briefingCode: 'giaoban-tuan-48', inviteCode: '7K3Q-M2XD-PQRS-TVWX-ABCD', caFingerprint: ca, seat: 'Xã Tân Lập', title: 'Giao ban tuần 48' };

describe('an invitation pasted once', () => {
  it('is read back from its text, its link, or the link alone inside a message', () => {
    const expected = { serverUrl: invitation.serverUrl, briefingCode: invitation.briefingCode, inviteCode: invitation.inviteCode, caFingerprint: ca };
    const text = invitationText(invitation);
    expect(readInvitation(text)).toEqual(expected);
    const link = text.split('\n').at(-1)!;
    expect(readInvitation(`Kính gửi UBND xã, mời dự họp: ${link} . Trân trọng.`)).toEqual(expected);
    // Only the labelled lines, as an operator might retype them, in decomposed Unicode.
    const lines = text.split('\n').slice(0, -1).join('\n').normalize('NFD');
    expect(readInvitation(lines)).toEqual(expected);
  });

  it('reads nothing from an incomplete or broken invitation', () => {
    expect(readInvitation('Mã mời: 7K3Q-M2XD')).toBeNull();
    expect(readInvitation('giaoban://join?server=khong-phai-dia-chi&briefing=a&invite=b')).toBeNull();
    expect(readInvitation('')).toBeNull();
  });
});

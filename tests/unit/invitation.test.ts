import { describe, expect, it } from 'vitest';
import { DesktopServices } from '../../main/services/DesktopServices';
import { enrolmentLink, readEnrolmentLink } from '../../main/api/enrolmentLink';
import { tempDirs } from '../support/tempDirs';
import { invitationLink, invitationLinkIn, invitationText, readInvitation } from '../../main/api/invitation';
import { qrSvgPath, qrSymbol } from '../../main/api/qr';
import { scanFrame } from '../../renderer/src/invitations/qrScan';

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

/** A QR code printed on white paper and photographed straight on: `scale` pixels a module. */
function photographed(text: string, scale: number, width: number, height: number): Uint8ClampedArray {
  const symbol = qrSymbol(text);
  const pixels = new Uint8ClampedArray(width * height * 4).fill(255);
  const origin = { x: Math.floor((width - symbol.size * scale) / 2), y: Math.floor((height - symbol.size * scale) / 2) };
  for (let y = 0; y < symbol.size * scale; y++) {
    for (let x = 0; x < symbol.size * scale; x++) {
      if (!symbol.dark(Math.floor(y / scale), Math.floor(x / scale))) continue;
      const at = ((origin.y + y) * width + origin.x + x) * 4;
      pixels.fill(0, at, at + 3);
    }
  }
  return pixels;
}

describe("an invitation's QR code", () => {
  it('scanned off a camera frame fills in the same server, briefing, code and CA as the text', () => {
    const expected = { serverUrl: invitation.serverUrl, briefingCode: invitation.briefingCode, inviteCode: invitation.inviteCode, caFingerprint: ca };
    const scanned = scanFrame(photographed(invitationLink(invitation), 4, 640, 480), 640, 480);
    expect(scanned).toMatchObject({ found: 'invitation', invitation: expected });
  });

  it('tells a QR code that is not an invitation from one that is, and an empty frame from both', () => {
    expect(scanFrame(photographed('https://dichvucong.gov.vn', 6, 640, 480), 640, 480)).toEqual({ found: 'other', text: 'https://dichvucong.gov.vn' });
    expect(scanFrame(new Uint8ClampedArray(640 * 480 * 4).fill(255), 640, 480)).toBeNull();
  });

  it('is drawn with its quiet zone, dark modules only', () => {
    const symbol = qrSymbol('giaoban://join?server=wss%3A%2F%2F10.0.0.5%3A7080&briefing=a&invite=b');
    const path = qrSvgPath(symbol);
    const darkModules = Array.from({ length: symbol.size ** 2 }, (_, i) => symbol.dark(Math.floor(i / symbol.size), i % symbol.size)).filter(Boolean).length;
    expect(path.match(/M/g)).toHaveLength(darkModules);
    // The finder pattern's corner starts after the 4-module quiet zone.
    expect(path.startsWith('M4 4h1v1h-1z')).toBe(true);
  });
});

describe('a giaoban:// link the operating system opens the app with', () => {
  const link = invitationLink(invitation);

  it('is found among the arguments as Windows, Linux and a development start pass them', () => {
    expect(invitationLinkIn(['C:\\Program Files\\Giao Ban\\Giao Ban.exe', '--allow-file-access-from-files', link])).toBe(link);
    expect(invitationLinkIn(['/opt/Giao Ban/giao-ban', '--no-sandbox', link])).toBe(link);
    expect(invitationLinkIn(['/usr/bin/electron', '/work/giao-ban', link.replace('giaoban://', 'GIAOBAN://')])).toBe(link);
  });

  it('is rewritten from what it says: a link carrying anything else, or a broken one, brings nothing more', () => {
    expect(invitationLinkIn([`${link}&then=file:///etc/passwd`])).toBe(link);
    expect(invitationLinkIn(['giaoban://join?server=khong-phai-dia-chi&briefing=a&invite=b'])).toBeNull();
    expect(invitationLinkIn(['--inspect', 'https://evil.example/giaoban://join'])).toBeNull();
    expect(invitationLinkIn([`giaoban://join?server=wss://a&briefing=b&invite=${'x'.repeat(3000)}`])).toBeNull();
  });
});

describe('the invitation the app was opened with', () => {
  it('is handed to the page once, and a second start without a link leaves it alone', async () => {
    const dirs = tempDirs();
    const services = await DesktopServices.open({ dataDir: dirs.temp('opened'), seedDemo: false });
    try {
      expect(await services.api.takeOpenedInvitation()).toBeNull();
      expect(services.openedWith(['/opt/Giao Ban/giao-ban', invitationLink(invitation)])).toBe(true);
      expect(services.openedWith(['/opt/Giao Ban/giao-ban'])).toBe(false);
      expect(await services.call('takeOpenedInvitation', undefined)).toEqual({ link: invitationLink(invitation) });
      expect(await services.api.takeOpenedInvitation()).toBeNull();
    } finally {
      await services.close();
      dirs.removeAll();
    }
  });
});

describe("an enrolment sheet's link", () => {
  const enrolment = { serverUrl: 'wss://10.0.0.5:7080', code: 'GBDC-7K3Q-M2XD-PQRS-TVWX-ABCD-EFGH', caFingerprint: ca };
  it('is read back from its link or its QR code, and opened by the operating system like an invitation', () => {
    expect(readEnrolmentLink(`Phiếu đăng ký: ${enrolmentLink(enrolment)}`)).toEqual(enrolment);
    expect(scanFrame(photographed(enrolmentLink(enrolment), 4, 640, 480), 640, 480)).toMatchObject({ found: 'enrolment' });
    expect(invitationLinkIn(['/opt/Giao Ban/giao-ban', enrolmentLink(enrolment)])).toBe(enrolmentLink(enrolment));
    // Not an invitation: a briefing is not filled in from it.
    expect(readInvitation(enrolmentLink(enrolment))).toBeNull();
    expect(readEnrolmentLink('giaoban://enrol?server=wss%3A%2F%2F10.0.0.5%3A7080&code=KHONG-PHAI-MA')).toBeNull();
  });
});

// Decree 30's two signatures on the minutes: the secretary signs first under THƯ KÝ, the chair
// countersigns under CHỦ TỌA as an incremental update. Both verify here, in pdfsig and in OpenSSL;
// an update that changes anything but the chair's field breaks the secretary's signature.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { conclusionsDocument, minutesDocument } from '../../main/services/records/recordDocument';
import { countersignRecordPdf } from '../../main/services/signing/countersign';
import { openPkcs12 } from '../../main/services/signing/keys';
import { signRecordPdf } from '../../main/services/signing/pades';
import { verifySignatures, verifySignedPdf } from '../../main/services/signing/verify';
import { briefingFixture, minutesFixture } from '../support/recordFixture';
import { opensslCmsVerifies, pdfsigPerSignature, pdfsigWithTrust } from '../support/pdfTools';
import { certificatesOfOneCa, selfMadeCertificate } from '../support/pki';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-countersign-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const minutes = minutesDocument(briefingFixture, minutesFixture());
const [secretary, chair] = certificatesOfOneCa(['Trần Thị Hương', 'Nguyễn Văn Thắng']);
const keyOf = (who: typeof chair) => openPkcs12(who.p12, who.password);
const at = new Date();

async function signedByBoth(): Promise<{ first: Buffer; both: Buffer }> {
  const first = await signRecordPdf(minutes, keyOf(secretary), { at, as: 'secretary' });
  const both = await countersignRecordPdf(first, keyOf(chair), { at: new Date(at.getTime() + 60_000) });
  return { first, both };
}

describe('the secretary signs, the chair countersigns', () => {
  it('both signatures verify in the app, in pdfsig and in openssl, each under its own title', async () => {
    const { first, both } = await signedByBoth();
    // Before the chair signs: the secretary's signature alone, whole and trusted.
    expect(await verifySignatures(first, [chair.caDer])).toMatchObject([{ role: 'secretary', intact: true, trust: 'trusted', signer: { name: 'Trần Thị Hương' } }]);

    const checks = await verifySignatures(both, [chair.caDer]);
    expect(checks).toMatchObject([
      { role: 'secretary', intact: true, trust: 'trusted', authority: 'CA thử nghiệm Giao Ban', signer: { name: 'Trần Thị Hương' } },
      { role: 'chair', intact: true, trust: 'trusted', authority: 'CA thử nghiệm Giao Ban', signer: { name: 'Nguyễn Văn Thắng' } },
    ]);
    // The countersignature is an update appended to the secretary's bytes, not a new file.
    expect(both.subarray(0, first.length).equals(first)).toBe(true);

    const file = path.join(dir, 'both.pdf');
    fs.writeFileSync(file, both);
    const [pdfsigSecretary, pdfsigChair] = pdfsigPerSignature(pdfsigWithTrust(file, chair.caPem, dir));
    expect(pdfsigSecretary).toContain('Signature Field Name: ThuKy');
    expect(pdfsigSecretary).toContain('Signature is Valid');
    expect(pdfsigChair).toContain('Signature Field Name: ChuToa');
    expect(pdfsigChair).toContain('Signature is Valid');
    expect(pdfsigChair).toContain('Total document signed');
    expect(opensslCmsVerifies(both, chair.caPem, dir, 0)).toBe(true);
    expect(opensslCmsVerifies(both, chair.caPem, dir, 1)).toBe(true);

    // Both visible signatures are on the page, each with its signer's name.
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('Ký số bởi: Trần Thị Hương');
    expect(text).toContain('Ký số bởi: Nguyễn Văn Thắng');
  });

  it('an update that changes the page, hidden under the chair’s countersignature, breaks the secretary’s signature', async () => {
    const first = await signRecordPdf(minutes, keyOf(secretary), { at, as: 'secretary' });
    // Someone with the file adds a line to the page as an incremental update, then the chair signs.
    const doc = await PDFDocument.load(first, { updateMetadata: false });
    const snapshot = doc.takeSnapshot();
    const page = doc.getPage(0);
    snapshot.markRefForSave(page.ref);
    page.drawText('Kinh phi: 9.000.000.000 dong', { x: 90, y: 400, size: 12, font: await doc.embedFont(StandardFonts.TimesRoman) });
    const changed = Buffer.concat([first, Buffer.from(await doc.saveIncremental(snapshot, { useObjectStreams: false }))]);
    const countersigned = await countersignRecordPdf(changed, keyOf(chair), { at });

    const [secretaryCheck, chairCheck] = await verifySignatures(countersigned, [chair.caDer]);
    expect(secretaryCheck).toMatchObject({ role: 'secretary', intact: false, problem: 'appended' });
    // The chair's signature is sound for what the chair signed; the record as a whole is not.
    expect(chairCheck).toMatchObject({ role: 'chair', intact: true });
    expect(await verifySignedPdf(countersigned, [chair.caDer])).toMatchObject({ intact: false, problem: 'appended', role: 'secretary' });
  });

  it('bytes added after the countersignature show both signatures changed; a forged chair shows untrusted', async () => {
    const { both } = await signedByBoth();
    const appended = Buffer.concat([both, Buffer.from('\n%%EOF\n')]);
    expect((await verifySignatures(appended, [chair.caDer])).map((c) => c.problem)).toEqual(['appended', 'appended']);

    const first = await signRecordPdf(minutes, keyOf(secretary), { at, as: 'secretary' });
    const forger = selfMadeCertificate('Nguyễn Văn Thắng');
    const forged = await countersignRecordPdf(first, keyOf(forger), { at });
    expect(await verifySignatures(forged, [chair.caDer])).toMatchObject([
      { role: 'secretary', intact: true, trust: 'trusted' },
      { role: 'chair', intact: true, trust: 'untrusted', signer: { issuer: 'Nguyễn Văn Thắng' } },
    ]);
  });

  it('refuses to countersign twice, or a record with no place for the chair', async () => {
    const { both } = await signedByBoth();
    await expect(countersignRecordPdf(both, keyOf(chair), { at })).rejects.toMatchObject({ code: 'already_countersigned' });
    const notice = await signRecordPdf(conclusionsDocument(briefingFixture, minutesFixture(), at), keyOf(chair), { at });
    await expect(countersignRecordPdf(notice, keyOf(chair), { at })).rejects.toMatchObject({ code: 'already_countersigned' });
    const chairAlone = await signRecordPdf(minutes, keyOf(chair), { at });
    expect(await verifySignatures(chairAlone, [chair.caDer])).toMatchObject([{ role: 'chair', intact: true }]);
    await expect(countersignRecordPdf(Buffer.from('không phải PDF'), keyOf(chair), { at })).rejects.toMatchObject({ code: 'unreadable' });
    // The conclusions notice has no secretary's place.
    await expect(signRecordPdf(conclusionsDocument(briefingFixture, minutesFixture(), at), keyOf(secretary), { at, as: 'secretary' })).rejects.toThrow();
  });
});

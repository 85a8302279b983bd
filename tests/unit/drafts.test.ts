// What the organizer types in Chuẩn bị is kept from the first keystroke, before the code is
// valid; the code suggested from a title follows the rule.
import { afterAll, describe, expect, it } from 'vitest';
import { DesktopServices } from '../../main/services/DesktopServices';
import { isValidCode, suggestCode } from '../../renderer/src/prepare/suggestCode';
import { tempDirs } from '../support/tempDirs';

const { temp, removeAll } = tempDirs();
afterAll(removeAll);

describe('drafts', () => {
  it('keeps a draft whose code is not valid yet, across a restart, and only one copy once it has a code', async () => {
    const dataDir = temp('pc');
    let pc = await DesktopServices.open({ dataDir, seedDemo: false });
    await pc.api.saveDraft({ draft: { code: 'Giao ban tháng 12', title: 'Giao ban tháng 12' } });
    await pc.close();
    pc = await DesktopServices.open({ dataDir, seedDemo: false });
    expect(await pc.api.listDrafts()).toEqual([{ code: 'Giao ban tháng 12', title: 'Giao ban tháng 12' }]);
    await pc.api.saveDraft({ draft: { code: 'giao-ban-thang-12', title: 'Giao ban tháng 12' } });
    expect(await pc.api.listDrafts()).toEqual([{ code: 'giao-ban-thang-12', title: 'Giao ban tháng 12' }]);
    await pc.close();
  });

  it('suggests a valid code from a Vietnamese title', () => {
    expect(suggestCode('Giao ban tháng 12')).toBe('giao-ban-thang-12');
    // Decomposed Unicode, as some Vietnamese keyboards type it, and đ.
    expect(suggestCode('Đánh giá quý IV'.normalize('NFD'))).toBe('danh-gia-quy-iv');
    const long = suggestCode('Hội nghị trực tuyến toàn tỉnh triển khai nhiệm vụ phát triển kinh tế xã hội năm 2027');
    expect(long.length).toBeLessThanOrEqual(40);
    expect(isValidCode(long)).toBe(true);
    expect(suggestCode('!!')).toBe('');
  });
});

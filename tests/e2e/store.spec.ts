// A PC whose data file was damaged (a power cut, a failing disk) opens with its newest backup
// restored, and the operator is told, in Vietnamese, what was restored and from when.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DesktopServices } from '../../main/services/DesktopServices';
import { emptyItem } from '../../main/services/minutes/model';
import { expect, openMeetingPoint, test } from './fixtures';

test('a damaged local store is restored from the backup, and the page says so', async ({ browser }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-e2e-hong-'));
  // The PC was used: the start's backup holds the minutes written that day.
  const earlier = await DesktopServices.open({ dataDir, seedDemo: false });
  await earlier.api.saveMinutes({
    minutes: { briefingCode: 'giaoban-t2', items: [{ ...emptyItem(), proceedings: 'Khai mạc' }], meta: { minutesNumber: '', conclusionsNumber: '', parentAgency: '', recipients: [] }, attendance: [], cursor: { itemIndex: 0, field: 'proceedings' } },
    baseRevision: 0,
  });
  await earlier.backups.take();
  await earlier.close();
  for (const suffix of ['-wal', '-shm']) fs.rmSync(path.join(dataDir, `giao-ban.sqlite3${suffix}`), { force: true });
  fs.writeFileSync(path.join(dataDir, 'giao-ban.sqlite3'), 'hỏng: không còn là cơ sở dữ liệu');

  const point = await openMeetingPoint(browser, 'Xã Tân Lập', { dataDir });
  try {
    const banner = point.page.getByTestId('store-recovery');
    await expect(banner).toContainText('Tệp dữ liệu trên máy này bị hỏng. Ứng dụng đã khôi phục từ bản sao lưu lúc');
    await expect(banner).toContainText('giao-ban.sqlite3.damaged-');
    expect((await point.services.api.getMinutes({ briefingCode: 'giaoban-t2' }))?.minutes.items[0].proceedings).toBe('Khai mạc');
    await banner.getByRole('button', { name: 'Đã hiểu' }).click();
    await expect(banner).toHaveCount(0);
  } finally {
    await point.close();
  }
});

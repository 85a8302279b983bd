import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../../main/services/search/fold';
import { LocalSearch } from '../../main/services/search/LocalSearch';
import { openLocalStore, type Store } from '../../main/services/store/Store';

let store: Store;
let search: LocalSearch;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-search-'));
  store = await openLocalStore(path.join(dir, 's.sqlite3'));
  search = new LocalSearch(store);
  await search.index('briefing', 'giaoban-t2', 'Giao ban tuần 48', 'UBND huyện Đồng Tâm, phòng họp trực tuyến');
  await search.index('agenda', 'giaoban-t2#1', 'Kế hoạch chuyển đổi số năm 2027', 'Trình bày: Phòng Văn hóa và Thông tin');
  await search.index('page', `${'a'.repeat(64)}#3`, 'Báo cáo tuần, trang 3', 'Tiến độ giải ngân vốn đầu tư công của các xã đạt 62%.');
});
afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('local search', () => {
  it('folds Vietnamese one character for one', () => {
    expect(fold('Kế hoạch Đồng Tâm')).toBe('ke hoach dong tam');
    expect(fold('Kế hoạch Đồng Tâm')).toHaveLength('Kế hoạch Đồng Tâm'.length);
  });

  it('finds "kế hoạch" typed with or without diacritics', async () => {
    for (const query of ['kế hoạch', 'ke hoach', 'KE HOACH', 'kế hoach']) {
      const hits = await search.search(query);
      expect(hits.map((h) => h.ref), query).toEqual(['giaoban-t2#1']);
      expect(hits[0].title).toBe('Kế hoạch chuyển đổi số năm 2027');
    }
  });

  it('finds đ as d, and matches word prefixes', async () => {
    expect((await search.search('dong tam')).map((h) => h.ref)).toEqual(['giaoban-t2']);
    expect((await search.search('giai ngan')).map((h) => h.ref)).toEqual([`${'a'.repeat(64)}#3`]);
    expect((await search.search('giải ng')).length).toBe(1);
  });

  it('shows the snippet with its diacritics', async () => {
    const [hit] = await search.search('von dau tu');
    expect(hit.snippet).toContain('vốn đầu tư công');
  });

  it('treats FTS syntax in the query as plain words', async () => {
    expect(await search.search('"')).toEqual([]);
    expect(await search.search('kế OR hoạch NEAR(')).toEqual([]);
    expect(await search.search('title:ke*')).toEqual([]);
  });
});

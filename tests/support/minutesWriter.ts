// Writes minutes through the app's own store as fast as a secretary's autosave would, printing
// each revision once its save has returned. The durability test kills this with SIGKILL.
import path from 'node:path';
import { MinutesStore } from '../../main/services/minutes/MinutesStore';
import { emptyItem } from '../../main/services/minutes/model';
import { openLocalStore } from '../../main/services/store/Store';

const dataDir = process.argv[2];
const store = await openLocalStore(path.join(dataDir, 'giao-ban.sqlite3'));
const minutes = new MinutesStore(store);
let revision = (await minutes.load('giaoban-ben-vung'))?.revision ?? 0;
let text = '';
for (let word = 1; ; word++) {
  text += `từ-${word} `;
  revision = (
    await minutes.save({ briefingCode: 'giaoban-ben-vung', items: [{ ...emptyItem(), proceedings: text }], attendance: [], cursor: null }, revision)
  ).revision;
  process.stdout.write(`saved ${word}\n`);
  await new Promise((resolve) => setTimeout(resolve, 20));
}

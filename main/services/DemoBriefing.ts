// On first start a new meeting point finds a realistic briefing (seeds/demo-briefing.json, with
// PDFs generated here), so the product shows what it is for before any server exists.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BriefingDraft, type DocumentRef, PublishedBriefing } from '../../sfu-server/protocol/briefing';
import type { Briefings } from './Briefings';
import type { DocumentLibrary } from './documents/DocumentLibrary';
import { makePdf } from './documents/makePdf';
import { demoProvincePoints } from './demoProvince';
import type { Store } from './store/Store';

const SeedDocument = z.object({
  name: z.string(),
  pages: z.array(z.object({ heading: z.string(), paragraphs: z.array(z.string()) })).min(1),
});
const Seed = z.object({
  /** The demo's meeting points are generated: a province's hundred names are not typed by hand. */
  province: z.object({ name: z.string(), communes: z.number().int().min(0).max(200), wards: z.number().int().min(0).max(200), specialZones: z.number().int().min(0).max(3) }).optional(),
  briefing: BriefingDraft.omit({ code: true, startsAt: true, agenda: true }).extend({
    code: z.string(),
    invitedPoints: z.array(z.string()),
    agenda: z.array(BriefingDraft.shape.agenda.element.omit({ documents: true }).extend({ documents: z.array(SeedDocument) })),
  }),
});

/** Monday of next week, 07:30 in Vietnam: when a weekly briefing would be. */
export function nextMondayMorning(now: Date): string {
  const vietnam = new Date(now.getTime() + 7 * 3600_000);
  const daysToMonday = ((8 - vietnam.getUTCDay()) % 7) || 7;
  const day = new Date(Date.UTC(vietnam.getUTCFullYear(), vietnam.getUTCMonth(), vietnam.getUTCDate() + daysToMonday));
  return `${day.toISOString().slice(0, 10)}T07:30:00+07:00`;
}

export async function placeDemoBriefing(
  store: Store,
  library: DocumentLibrary,
  briefings: Briefings,
  seedFile: string,
  now: () => Date,
): Promise<void> {
  if (await store.get('SELECT 1 AS done FROM app_flag WHERE name = ?', ['demo-briefing'])) return;
  if (!fs.existsSync(seedFile)) return;
  const seed = Seed.parse(JSON.parse(fs.readFileSync(seedFile, 'utf8')));
  const agenda = [];
  for (const item of seed.briefing.agenda) {
    const documents: DocumentRef[] = [];
    for (const doc of item.documents) {
      const pdf = await makePdf(doc.pages, doc.name);
      documents.push((await library.importFile(doc.name, pdf)).ref);
    }
    agenda.push({ ...item, documents });
  }
  const invitedPoints = seed.province ? demoProvincePoints(seed.province) : seed.briefing.invitedPoints;
  const draft = BriefingDraft.parse({ ...seed.briefing, invitedPoints, startsAt: nextMondayMorning(now()), agenda });
  // Kept as a received briefing (opens like any other) and as a draft the host unit may publish.
  await briefings.keep('', PublishedBriefing.parse({ ...draft, version: 1, publishedAt: now().toISOString(), changes: [] }));
  await briefings.saveDraft(draft);
  await store.run('INSERT INTO app_flag (name, set_at) VALUES (?, ?)', ['demo-briefing', now().toISOString()]);
}

export const DEMO_SEED_FILE = (root: string) => path.join(root, 'seeds', 'demo-briefing.json');

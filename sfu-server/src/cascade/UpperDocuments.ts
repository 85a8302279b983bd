// The upper briefing's agenda and documents, brought to the province server once: fetched from
// the upper catalog with the relay seat's code (a seat may read its briefing and the documents
// it carries), each checked against its SHA-256 and type as any upload, then published as a new
// version of the province's own briefing. Its communes sync them from their own server, as for
// any briefing: 100 communes cost the link between servers one copy.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { BriefingDraft, MAX_DOCUMENT_BYTES, PublishedBriefing, briefingDocuments } from '../../protocol/briefing';
import type { Catalog } from '../catalog/Catalog';

/** The upper briefing as published is at most this large (50 agenda items, their documents). */
const MAX_BRIEFING_BYTES = 1024 * 1024;

interface Source {
  upperUrl: string;
  upperBriefing: string;
  inviteCode: string;
  caPem: string | undefined;
}

function get(source: Source, pathname: string): Promise<http.IncomingMessage> {
  const url = new URL(source.upperUrl);
  const secure = url.protocol === 'wss:';
  const target = `${secure ? 'https' : 'http'}://${url.host}${pathname}`;
  const headers = { authorization: `Bearer ${source.inviteCode}` };
  return new Promise((resolve, reject) => {
    const request = secure ? https.get(target, { headers, timeout: 30_000, ...(source.caPem ? { ca: source.caPem } : {}) }, resolve) : http.get(target, { headers, timeout: 30_000 }, resolve);
    request.on('timeout', () => request.destroy(new Error(`${pathname}: the upper server did not answer in time`)));
    request.on('error', reject);
  });
}

async function text(response: Readable, limit: number): Promise<string> {
  let body = '';
  for await (const chunk of response as AsyncIterable<Buffer>) {
    body += chunk.toString('utf8');
    if (body.length > limit) throw new Error('the upper server answered more than a briefing holds');
  }
  return body;
}

/** Brings the upper agenda and its documents into the province's briefing; returns the new
 * version published here, or null when nothing changed. */
export async function bringUpperBriefing(source: Source, catalog: Catalog, localBriefing: string): Promise<PublishedBriefing | null> {
  const answer = await get(source, `/catalog/briefings/${encodeURIComponent(source.upperBriefing)}`);
  if (answer.statusCode !== 200) {
    answer.resume();
    throw new Error(`the upper server does not give the briefing to this relay (HTTP ${answer.statusCode ?? 0})`);
  }
  const upper = PublishedBriefing.parse(JSON.parse(await text(answer, MAX_BRIEFING_BYTES)));
  for (const doc of briefingDocuments(upper)) {
    if (catalog.blobs.has(doc.sha256)) continue;
    const download = await get(source, `/catalog/documents/${doc.sha256}`);
    if (download.statusCode !== 200) {
      download.resume();
      throw new Error(`${doc.name}: the upper server does not give it (HTTP ${download.statusCode ?? 0})`);
    }
    await catalog.blobs.put(download, { sha256: doc.sha256, mimeType: doc.mimeType, maxBytes: MAX_DOCUMENT_BYTES });
    await catalog.recordDocument(doc);
  }
  const local = await catalog.latest(localBriefing);
  if (!local || JSON.stringify(local.agenda) === JSON.stringify(upper.agenda)) return null;
  return catalog.publish({ ...BriefingDraft.parse(local), agenda: upper.agenda });
}

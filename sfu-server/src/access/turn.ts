// TURN for networks that block everything but a few outgoing ports: the server hands each
// meeting point short-lived credentials for the district's TURN server (coturn with
// `use-auth-secret`), computed from the secret both share, as coturn's REST API scheme defines:
// username "<expiry>:<seat>", password base64(HMAC-SHA1(secret, username)). No TURN password
// is stored anywhere or lives longer than a day.
import { createHmac } from 'node:crypto';

export interface IceServer {
  urls: string[];
  username: string;
  credential: string;
}

const VALID_FOR_S = 12 * 3600;

export function turnCredentials(config: { turnUrls: string[]; turnSecret?: string }, seat: string, now = Date.now()): IceServer[] {
  if (!config.turnUrls.length || !config.turnSecret) return [];
  // coturn refuses usernames outside ASCII (SASLprep) and splits at the first colon: the seat goes
  // in without diacritics, so its log still says which commune relayed.
  const name = seat.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^A-Za-z0-9]+/g, '-');
  const username = `${Math.floor(now / 1000) + VALID_FOR_S}:${name}`;
  const credential = createHmac('sha1', config.turnSecret).update(username).digest('base64');
  return [{ urls: config.turnUrls, username, credential }];
}

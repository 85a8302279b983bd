// The invitation a relay seat's server receives from the upper organizer: the same giaoban://
// link a meeting point pastes (server, briefing, invite code, the server CA's fingerprint), read
// here on the province server's console. Only its four fields are taken.
export interface RelayInvitation {
  upperUrl: string;
  upperBriefing: string;
  inviteCode: string;
  caFingerprint: string | null;
}

export function readRelayInvitation(text: string): RelayInvitation | null {
  const link = /giaoban:\/\/join\?[^\s"'<>]+/i.exec(text)?.[0];
  if (!link || link.length > 2000) return null;
  const query = new URLSearchParams(link.slice(link.indexOf('?') + 1));
  const [upperUrl, upperBriefing, inviteCode] = [query.get('server'), query.get('briefing'), query.get('invite')];
  if (!upperUrl || !upperBriefing || !inviteCode) return null;
  return { upperUrl, upperBriefing, inviteCode, caFingerprint: query.get('ca') };
}

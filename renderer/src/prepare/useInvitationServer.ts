// The address and CA fingerprint this PC's invitations carry for a server: asked once per
// server, not once per invitation list (reading the CA may cross the network).
import { useEffect, useState } from 'react';
import { desktop } from '../desktop';

export interface InvitationServer {
  serverUrl: string;
  caFingerprint: string | null;
}

export function useInvitationServer(serverUrl: string): InvitationServer {
  const [server, setServer] = useState<InvitationServer>({ serverUrl, caFingerprint: null });
  useEffect(() => {
    setServer({ serverUrl, caFingerprint: null });
    if (!serverUrl) return;
    let live = true;
    desktop.invitationServer({ serverUrl }).then(
      (found) => live && setServer(found),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [serverUrl]);
  return server;
}

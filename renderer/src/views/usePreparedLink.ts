// While the pre-join form names a valid server address and briefing code, a link to that server is
// opened ahead (briefing/preparedLink.ts), so pressing Join does not wait for it.
import { useEffect, useState } from 'react';
import { serverAddressProblem } from '../../../main/api/serverAddress';
import { BriefingCode } from '../../../sfu-server/protocol';
import { LinkPreparer } from '../briefing/preparedLink';

/** Typing pauses this long before a link is opened: not one link per keystroke. */
const PREPARE_AFTER_MS = 300;

/** `busy`: the form is joining (or starting to host). No link is opened then: one whose pause
 * ended during a slow join was a second connection nobody used (and the join's link the second
 * of them). Once the form is free again (a join that failed), a link is prepared for the next
 * press. */
export function usePreparedLink(serverUrl: string, briefingCode: string, busy: boolean): LinkPreparer {
  const [preparer] = useState(() => new LinkPreparer());
  useEffect(() => () => preparer.discard(), [preparer]);
  useEffect(() => {
    if (busy) return;
    if (!serverUrl || serverAddressProblem(serverUrl) || !BriefingCode.safeParse(briefingCode).success) return preparer.discard();
    const timer = setTimeout(() => preparer.prepare(serverUrl, briefingCode), PREPARE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [preparer, serverUrl, briefingCode, busy]);
  return preparer;
}

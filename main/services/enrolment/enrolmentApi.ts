// The API methods of the directory and of enrolment, on either side: the host unit's PC keeps the
// directory and enrols it; a meeting point's PC is enrolled (through the sync, with the code typed
// where invite codes go) and lists where.
import type { DesktopApi } from '../../api/contract';
import { type Directory, DirectoryImportError } from './Directory';
import type { HandedOutEnrolments } from './HandedOutEnrolments';
import type { PointEnrolment } from './PointEnrolment';

type EnrolmentMethods = 'listDirectory' | 'importDirectory' | 'removeFromDirectory' | 'listEnrolled' | 'enrolPoints' | 'exportEnrolmentSheet' | 'pointEnrolments' | 'revokeEnrolment';

export function enrolmentApi(deps: {
  directory: Directory;
  handedOut: HandedOutEnrolments;
  pointEnrolment: PointEnrolment;
  chooseExportFile: (name: string) => Promise<string | null>;
}): Pick<DesktopApi, EnrolmentMethods> {
  const { directory, handedOut, pointEnrolment } = deps;
  return {
    listDirectory: () => directory.list(),
    importDirectory: async ({ name, dataBase64 }) => {
      try {
        return { ok: true as const, ...(await directory.import(name, Buffer.from(dataBase64, 'base64'))) };
      } catch (error) {
        if (error instanceof DirectoryImportError) return { ok: false as const, message: error.message, lines: error.lines };
        throw error;
      }
    },
    removeFromDirectory: async ({ names }) => {
      await directory.remove(names);
      return null;
    },
    listEnrolled: ({ serverUrl }) => handedOut.list(serverUrl),
    enrolPoints: ({ serverUrl, points, renew }) => handedOut.enrol(serverUrl, points, renew),
    exportEnrolmentSheet: ({ serverUrl, format }) => handedOut.sheet(serverUrl, format, deps.chooseExportFile),
    pointEnrolments: () => pointEnrolment.status(),
    revokeEnrolment: ({ serverUrl, point }) => handedOut.revoke(serverUrl, point),
  };
}

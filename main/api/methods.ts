// The API's method names and its error encoding, free of dependencies so the sandboxed preload
// can bundle them cheaply.
export const API_METHODS = [
  'getProfile',
  'storeRecovery',
  'saveProfile',
  'hostBriefing',
  'startDemo',
  'hostingStatus',
  'probeServer',
  'takeOpenedInvitation',
  'pinServerCa',
  'invitationServer',
  'stopHosting',
  'saveOrganizerKey',
  'organizerFor',
  'briefingJoined',
  'listInvites',
  'inviteForJoining',
  'keepEnteredInvite',
  'briefingPresence',
  'briefingLeft',
  'listBriefingHistory',
  'importDocument',
  'saveDraft',
  'listDrafts',
  'publishBriefing',
  'syncBriefings',
  'briefingReadiness',
  'listBriefings',
  'getBriefing',
  'readDocument',
  'searchLocal',
  'getPageNotes',
  'savePageNote',
  'openDocumentExternally',
  'getMinutes',
  'saveMinutes',
  'listMinutesVersions',
  'getMinutesVersion',
  'restoreMinutesVersion',
  'getAttendance',
  'exportRecord',
  'recordProceedings',
  'signRecord',
  'distributeRecord',
  'listRecords',
  'importTrustedAuthority',
  'listTrustedAuthorities',
  'removeTrustedAuthority',
  'conclusionsReminders',
  'listAssignments',
  'followUpReminders',
  'reportProgress',
  'seriesReview',
  'draftNextInSeries',
  'calendarStatus',
  'importHolidayNotice',
  'defaultExportFolder',
  'listDirectory',
  'importDirectory',
  'removeFromDirectory',
  'listEnrolled',
  'enrolPoints',
  'exportEnrolmentSheet',
  'pointEnrolments',
  'revokeEnrolment',
] as const;
export type ApiMethod = (typeof API_METHODS)[number];

/** The IPC channel of a method in Electron. */
export const apiChannel = (method: ApiMethod): string => `giao-ban:${method}`;

export const API_ERROR_CODES = [
  'bad_input',
  'unknown_method',
  'unauthorized',
  'host_failed',
  'store_failed',
  'unreachable',
  'not_found',
  'document_rejected',
  'publish_failed',
  'conflict',
  'export_failed',
  'signing_failed',
  /** The briefing server refused (reason: its code), or could not be reached. */
  'server_refused',
  'server_unreachable',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** A finer reason the UI words precisely, e.g. `corrupt_pdf` for `document_rejected`. */
    readonly reason: string | null = null,
  ) {
    super(message);
  }
}

// Electron passes only an error's message across contextBridge, so code and reason ride in it.
export const encodeApiError = (error: ApiError): string =>
  `[${error.code}${error.reason ? `:${error.reason}` : ''}] ${error.message}`;

export function decodeApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const match = /\[(?<code>[a-z_]+)(?::(?<reason>[a-z_]+))?\] (?<message>[\s\S]*)$/.exec(text)?.groups;
  const code = API_ERROR_CODES.find((c) => c === match?.code);
  return code && match ? new ApiError(code, match.message, match.reason || null) : new ApiError('store_failed', text);
}

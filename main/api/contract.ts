// The narrow, typed API between the renderer and the desktop services.
// In Electron the preload exposes it over IPC; in local host mode (a browser tab) it travels
// over an authenticated local HTTP channel. Both ends validate inputs with these schemas.
import { z } from 'zod';
import type { ApiMethod } from './methods';

export { API_METHODS, ApiError, apiChannel, decodeApiError, encodeApiError } from './methods';
export type { ApiErrorCode, ApiMethod } from './methods';

export const Language = z.enum(['vi', 'en']);

export const Profile = z.object({
  serverUrl: z.string().trim().max(300),
  briefingCode: z.string().trim().max(40),
  pointName: z.string().trim().max(80),
  cameraId: z.string().max(300).nullable(),
  microphoneId: z.string().max(300).nullable(),
  language: Language,
});
export type Profile = z.infer<typeof Profile>;

export const BriefingJoined = z.object({
  serverUrl: z.string().trim().min(1).max(300),
  briefingCode: z.string().trim().min(1).max(40),
  pointName: z.string().trim().min(1).max(80),
});
const HistoryId = z.object({ historyId: z.number().int().positive() });
export const BriefingPresence = HistoryId.extend({
  points: z.array(z.string().trim().min(1).max(80)).max(500),
});

export interface HistoryEntry {
  id: number;
  serverUrl: string;
  briefingCode: string;
  pointName: string;
  joinedAt: string;
  /** When the meeting point left; null if the app was closed or crashed during the briefing. */
  leftAt: string | null;
  durationSeconds: number;
  pointsPresent: string[];
}

export interface HostInfo {
  /** Address other meeting points enter to join this PC's briefing. */
  serverUrl: string;
  /** Every address this PC can be reached at, for the operator to read out. */
  addresses: string[];
}

const none = z.undefined();

/** Input schema of every API method; the method list itself comes from here. */
export const apiInputs = {
  getProfile: none,
  saveProfile: Profile,
  hostBriefing: none,
  stopHosting: none,
  briefingJoined: BriefingJoined,
  briefingPresence: BriefingPresence,
  briefingLeft: HistoryId,
  listBriefingHistory: none,
} as const satisfies Record<ApiMethod, z.ZodType>;

interface ApiOutputs {
  getProfile: Profile;
  saveProfile: Profile;
  hostBriefing: HostInfo;
  stopHosting: null;
  briefingJoined: { historyId: number };
  briefingPresence: null;
  briefingLeft: null;
  listBriefingHistory: HistoryEntry[];
}

export type DesktopApi = {
  [M in ApiMethod]: z.input<(typeof apiInputs)[M]> extends undefined
    ? () => Promise<ApiOutputs[M]>
    : (input: z.input<(typeof apiInputs)[M]>) => Promise<ApiOutputs[M]>;
};


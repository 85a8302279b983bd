// The meeting point's own settings: which server, which briefing, its name, its devices.
import type { Profile, ProfileInput } from '../api/contract';
import type { Store } from './store/Store';

interface ProfileRow {
  server_url: string;
  briefing_code: string;
  point_name: string;
  camera_id: string | null;
  microphone_id: string | null;
  language: string;
  relay_only: number;
  chair_signs_alone: number;
  pc_role: string | null;
}

export class MeetingPoint {
  constructor(private readonly store: Store) {}

  async profile(): Promise<Profile> {
    const row = await this.store.get<ProfileRow>('SELECT * FROM meeting_point_profile WHERE id = 1');
    if (!row) throw new Error('meeting point profile row is missing');
    return {
      serverUrl: row.server_url,
      briefingCode: row.briefing_code,
      pointName: row.point_name,
      cameraId: row.camera_id,
      microphoneId: row.microphone_id,
      language: row.language === 'en' ? 'en' : 'vi',
      relayOnly: row.relay_only === 1,
      chairSignsMinutesAlone: row.chair_signs_alone === 1,
      pcRole: row.pc_role === 'point' || row.pc_role === 'host' ? row.pc_role : null,
    };
  }

  async save(profile: ProfileInput): Promise<Profile> {
    await this.store.run(
      `UPDATE meeting_point_profile SET server_url = ?, briefing_code = ?, point_name = ?, camera_id = ?,
         microphone_id = ?, language = ?, relay_only = ?, chair_signs_alone = ?, pc_role = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1`,
      [profile.serverUrl, profile.briefingCode, profile.pointName, profile.cameraId, profile.microphoneId, profile.language, profile.relayOnly ? 1 : 0, profile.chairSignsMinutesAlone ? 1 : 0, profile.pcRole ?? null],
    );
    return this.profile();
  }
}

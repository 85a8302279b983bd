import { startTransition, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, languageOf } from './format';
import type { HostInfo, Profile, StoreRecovery } from '../../main/api/contract';
import { HostingPanel } from './hosting/HostingPanel';
import type { BriefingSession } from './briefing/BriefingSession';
import { desktop } from './desktop';
import { BriefingView } from './views/BriefingView';
import { errorMessage } from './views/errors';
import { BriefingsView } from './views/BriefingsView';
import { PrepareView } from './views/PrepareView';
import { PreJoin } from './views/PreJoin';
import { RecordsView } from './views/RecordsView';
import { recordProceedings } from './briefing/proceedingsRecorder';
import { SearchView } from './views/SearchView';
import { FollowUpView } from './followUp/FollowUpView';
import { useFollowUpReminders } from './followUp/useFollowUpReminders';

const TABS = ['join', 'briefings', 'prepare', 'records', 'followUp', 'search'] as const;
type Tab = (typeof TABS)[number];

const EMPTY_PROFILE: Profile = { serverUrl: '', briefingCode: '', pointName: '', cameraId: null, microphoneId: null, language: 'vi', relayOnly: false, chairSignsMinutesAlone: false, pcRole: null };

interface InBriefing {
  session: BriefingSession;
  stream: MediaStream;
  historyId: number | null;
  /** Stops handing the server's account of the briefing to the desktop. */
  stopRecording: () => void;
}

export function App() {
  const { t, i18n } = useTranslation();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [briefing, setBriefing] = useState<InBriefing | null>(null);
  const [tab, setTab] = useState<Tab>('join');
  const [recovery, setRecovery] = useState<StoreRecovery | null>(null);
  /** The invite code typed on the pre-join screen, kept while other tabs are looked at. */
  const [invite, setInvite] = useState('');
  /** This PC's own server while it hosts (hosting goes on across restarts: asked at start). */
  const [hostInfo, setHostInfo] = useState<HostInfo | null>(null);
  /** The address typed before hosting, given back when hosting stops. */
  const addressBeforeHosting = useRef('');
  // Asked again whenever the server address changes (hosting started from the guide's demo too).
  const serverUrl = profile?.serverUrl;
  useEffect(() => {
    desktop.hostingStatus().then(setHostInfo, () => undefined);
  }, [serverUrl]);
  const saveTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const reminders = useFollowUpReminders(profile?.serverUrl ?? '');

  // Loaded once: later language switches must not overwrite what the operator is typing.
  useEffect(() => {
    desktop.getProfile().then(
      (p) => {
        setProfile(p);
        void i18n.changeLanguage(p.language);
      },
      (e: unknown) => {
        setLoadError(errorMessage(t, e));
        setProfile(EMPTY_PROFILE);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on start: see above
  }, []);

  // A giaoban:// link the operating system opened the app with: taken at start and whenever the
  // window comes forward (the shell brings it forward for a link clicked while the app runs).
  const [openedInvitation, setOpenedInvitation] = useState<string | null>(null);
  const inBriefing = briefing !== null;
  useEffect(() => {
    const take = () =>
      void desktop.takeOpenedInvitation().then((opened) => {
        if (!opened) return;
        setOpenedInvitation(opened.link);
        // A briefing under way is not interrupted: the pre-join screen has it once it ends.
        if (!inBriefing) setTab('join');
      }, () => undefined);
    take();
    window.addEventListener('focus', take);
    return () => window.removeEventListener('focus', take);
  }, [inBriefing]);

  // A damaged store was restored at this start: the user is told what and from when.
  useEffect(() => {
    desktop.storeRecovery().then(setRecovery, () => undefined);
  }, []);

  // Typing is saved shortly after it stops, so the fields come back on the next start; a save
  // still waiting when the window closes or reloads is sent at once, not dropped.
  const pendingSave = useRef<Profile | null>(null);
  const flushProfile = () => {
    clearTimeout(saveTimer.current);
    const next = pendingSave.current;
    pendingSave.current = null;
    if (next) void desktop.saveProfile(next).catch(() => undefined);
  };
  const changeProfile = (next: Profile) => {
    setProfile(next);
    clearTimeout(saveTimer.current);
    pendingSave.current = next;
    saveTimer.current = setTimeout(flushProfile, 400);
  };
  useEffect(() => {
    window.addEventListener('pagehide', flushProfile);
    return () => window.removeEventListener('pagehide', flushProfile);
  }, []);

  function joined(session: BriefingSession, stream: MediaStream, history: Promise<number | null>, briefingCode: string) {
    const stopRecording = recordProceedings(session, briefingCode);
    // Drawn in slices: the briefing's first render takes a tenth of a second on a fast PC and more
    // on a commune's. Drawn in one block it held the server's answer carrying the first streams,
    // and their SDP work, behind it; as a transition they go in between.
    startTransition(() => setBriefing({ session, stream, historyId: null, stopRecording }));
    void history.then((historyId) => setBriefing((now) => (now?.session === session ? { ...now, historyId } : now)));
  }
  function startedHosting(info: HostInfo) {
    setHostInfo(info);
    if (!profile) return;
    if (profile.serverUrl !== info.serverUrl) addressBeforeHosting.current = profile.serverUrl;
    changeProfile({ ...profile, serverUrl: info.serverUrl });
  }
  async function stopHosting() {
    await desktop.stopHosting().catch(() => undefined);
    setHostInfo(null);
    if (profile && profile.serverUrl === hostInfo?.serverUrl) changeProfile({ ...profile, serverUrl: addressBeforeHosting.current });
  }

  if (!profile) return null;
  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">{t('app.title')}</span>
        {!briefing && (
          <nav className="tabs" role="tablist">
            {TABS.map((name) => (
              <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => setTab(name)}>
                {t(`app.tabs.${name}`)}
                {name === 'followUp' && reminders.length > 0 && (
                  <span className="badge" aria-label={t('followUp.reminderCount', { count: reminders.length })}>
                    {reminders.length}
                  </span>
                )}
              </button>
            ))}
          </nav>
        )}
        <label className="language">
          {t('app.language')}
          <select
            value={i18n.language}
            onChange={(e) => {
              const language = e.target.value === 'en' ? 'en' : 'vi';
              void i18n.changeLanguage(language);
              changeProfile({ ...profile, language });
            }}
          >
            <option value="vi">Tiếng Việt</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      {hostInfo && <HostingPanel info={hostInfo} onStop={() => void stopHosting()} onInvitations={() => setTab('prepare')} />}
      {loadError && <p className="error">{loadError}</p>}
      {recovery && (
        <div className="error" role="alert" data-testid="store-recovery">
          <p>
            {recovery.restoredFrom
              ? t('recovery.restored', { time: formatDateTime(recovery.restoredFrom, languageOf(i18n.language)) })
              : t('recovery.empty')}{' '}
            {t('recovery.kept', { file: recovery.damagedFile })}
          </p>
          <button type="button" onClick={() => setRecovery(null)}>
            {t('recovery.dismiss')}
          </button>
        </div>
      )}
      {briefing ? (
        <BriefingView
          session={briefing.session}
          stream={briefing.stream}
          historyId={briefing.historyId}
          serverUrl={profile.serverUrl}
          briefingCode={profile.briefingCode}
          pointName={profile.pointName}
          chairSignsAlone={profile.chairSignsMinutesAlone}
          onChairSignsAloneChange={(value) => changeProfile({ ...profile, chairSignsMinutesAlone: value })}
          onLeft={() => {
            briefing.stopRecording();
            setBriefing(null);
          }}
        />
      ) : tab === 'briefings' ? (
        <BriefingsView profile={profile} />
      ) : tab === 'prepare' ? (
        <PrepareView profile={profile} onProfileChange={changeProfile} />
      ) : tab === 'records' ? (
        <RecordsView profile={profile} onProfileChange={changeProfile} />
      ) : tab === 'followUp' ? (
        <FollowUpView profile={profile} reminders={reminders} />
      ) : tab === 'search' ? (
        <SearchView />
      ) : (
        <PreJoin opened={openedInvitation} onOpenedUsed={() => setOpenedInvitation(null)} profile={profile} onProfileChange={changeProfile} invite={invite} onInviteChange={setInvite} hostInfo={hostInfo} onHostingChange={startedHosting} onJoined={(session, stream, history) => joined(session, stream, history, profile.briefingCode)} />
      )}
    </div>
  );
}

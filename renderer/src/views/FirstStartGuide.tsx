// The first-start guide on the pre-join screen: what this PC is for (chosen once: a commune's
// meeting point, or the host unit's PC that may host briefings itself), the few steps for that
// role, and a demo briefing that can really be joined on this PC.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Profile } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { errorMessage } from './errors';

const STEPS = { point: ['point1', 'point2', 'point3'], host: ['host1', 'host2', 'host3', 'host4'] } as const;

export function FirstStartGuide({ profile, onProfileChange }: { profile: Profile; onProfileChange: (profile: Profile) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function tryDemo() {
    setBusy(true);
    setError(null);
    try {
      const demo = await desktop.startDemo();
      onProfileChange({ ...profile, serverUrl: demo.serverUrl, briefingCode: demo.briefingCode, pointName: demo.pointName });
    } catch (e) {
      setError(errorMessage(t, e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="guide" aria-label={t('guide.title')}>
      <h2>{t('guide.title')}</h2>
      <fieldset>
        <legend>{t('guide.role')}</legend>
        {(['point', 'host'] as const).map((role) => (
          <label key={role}>
            <input type="radio" name="pc-role" checked={profile.pcRole === role} onChange={() => onProfileChange({ ...profile, pcRole: role })} /> {t(`guide.roles.${role}`)}
          </label>
        ))}
      </fieldset>
      {profile.pcRole && (
        <ol data-testid="guide-steps">
          {STEPS[profile.pcRole].map((step) => (
            <li key={step}>{t(`guide.steps.${step}`)}</li>
          ))}
        </ol>
      )}
      <p>
        <button type="button" disabled={busy} onClick={() => void tryDemo()}>
          {t('guide.demo')}
        </button>{' '}
        <span className="muted">{t('guide.demoHint')}</span>
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

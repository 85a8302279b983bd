// Earlier versions of the minutes (one a minute): read one, and bring it back as the newest.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, languageOf } from '../format';
import type { Minutes } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { errorMessage } from '../views/errors';

export function MinutesVersions({ briefingCode, onRestored }: { briefingCode: string; onRestored: () => void }) {
  const { t, i18n } = useTranslation();
  const [versions, setVersions] = useState<{ revision: number; savedAt: string }[] | null>(null);
  const [shown, setShown] = useState<{ revision: number; minutes: Minutes } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: unknown) => setError(errorMessage(t, e));

  if (!versions) {
    return (
      <button type="button" className="link" onClick={() => void desktop.listMinutesVersions({ briefingCode }).then(setVersions, fail)}>
        {t('minutes.history')}
      </button>
    );
  }
  return (
    <fieldset className="minutes-versions">
      <legend>{t('minutes.history')}</legend>
      {error && <p className="error">{error}</p>}
      {versions.length === 0 && <p className="muted">{t('minutes.noHistory')}</p>}
      <ul>
        {versions.map((v) => (
          <li key={v.revision}>
            {formatDateTime(v.savedAt, languageOf(i18n.language))}{' '}
            <button
              type="button"
              className="link"
              onClick={() => void desktop.getMinutesVersion({ briefingCode, revision: v.revision }).then((m) => setShown(m && { revision: v.revision, minutes: m }), fail)}
            >
              {t('minutes.view')}
            </button>{' '}
            <button
              type="button"
              className="link"
              onClick={() =>
                void desktop.restoreMinutesVersion({ briefingCode, revision: v.revision }).then(() => {
                  setVersions(null);
                  setShown(null);
                  onRestored();
                }, fail)
              }
            >
              {t('minutes.restore')}
            </button>
          </li>
        ))}
      </ul>
      {shown && (
        <div className="minutes-preview" aria-label={t('minutes.view')}>
          {shown.minutes.items.map((item, i) => (
            <p key={i}>
              <strong>{i + 1}.</strong> {item.proceedings || '—'}
              {item.conclusions && (
                <>
                  <br />
                  <em>{item.conclusions}</em>
                </>
              )}
            </p>
          ))}
        </div>
      )}
    </fieldset>
  );
}

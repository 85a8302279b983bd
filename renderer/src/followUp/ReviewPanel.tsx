// The review item of a series briefing: what the previous briefing assigned and where each stands,
// as a chart by unit and a table, the same at the chair's room and at every commune.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReviewView } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { formatDateTime, languageOf } from '../format';
import { errorMessage } from '../views/errors';
import { AssignmentTable } from './AssignmentTable';
import { ReviewChart } from './ReviewChart';

/** Progress reported during the briefing shows up without anyone pressing anything. */
const REFRESH_MS = 60_000;

export function ReviewPanel({ serverUrl, briefingCode, title }: { serverUrl: string; briefingCode: string; title: string }) {
  const { t, i18n } = useTranslation();
  const [review, setReview] = useState<ReviewView | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      desktop.seriesReview({ serverUrl, briefingCode }).then(
        (r) => {
          if (!live) return;
          setReview(r);
          setError(null);
        },
        (e: unknown) => live && setError(errorMessage(t, e)),
      );
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [serverUrl, briefingCode, t]);

  return (
    <section className="review" data-testid="review">
      <h3>{title}</h3>
      {error && <p className="error" role="alert">{error}</p>}
      {review === undefined && !error && <p className="muted">{t('followUp.loading')}</p>}
      {review === null && <p className="muted">{t('followUp.noPrevious')}</p>}
      {review && (
        <>
          <p className="muted">
            {review.previous ? t('followUp.reviewOf', { title: review.previous.title }) : t('followUp.noPrevious')}{' '}
            {t('followUp.asOf', { time: formatDateTime(review.fetchedAt, languageOf(i18n.language)) })}
          </p>
          {review.byUnit.length > 0 && <ReviewChart byUnit={review.byUnit} />}
          <AssignmentTable items={review.assignments} />
        </>
      )}
    </section>
  );
}

// The review's chart: one bar per unit, split into done, on time and late, with the numbers
// written on it (a chart alone is no use to a screen reader or a printed page).
import { useTranslation } from 'react-i18next';
import type { ReviewView } from '../../../main/api/contract';

const COLORS = { done: '#2e7d32', onTime: '#1565c0', late: '#c62828' } as const;
const ROW = 26;
const LABEL = 200;
const WIDTH = 560;

export function ReviewChart({ byUnit }: { byUnit: ReviewView['byUnit'] }) {
  const { t } = useTranslation();
  const most = Math.max(1, ...byUnit.map((u) => u.done + u.onTime + u.late));
  const scale = (WIDTH - LABEL - 40) / most;
  const parts = ['done', 'onTime', 'late'] as const;
  return (
    <figure className="review-chart">
      <svg role="img" aria-label={t('followUp.chartLabel')} viewBox={`0 0 ${WIDTH} ${byUnit.length * ROW + 8}`} width="100%">
        {byUnit.map((unit, row) => {
          let x = LABEL;
          return (
            <g key={unit.unit} transform={`translate(0 ${row * ROW + 4})`}>
              <text x={LABEL - 6} y={ROW / 2 + 4} textAnchor="end" fontSize="13">
                {unit.unit.length > 26 ? `${unit.unit.slice(0, 25)}…` : unit.unit}
              </text>
              {parts.map((part) => {
                const w = unit[part] * scale;
                const bar = w > 0 && (
                  <g key={part}>
                    <rect x={x} y={3} width={w} height={ROW - 8} fill={COLORS[part]} />
                    <text x={x + w / 2} y={ROW / 2 + 4} textAnchor="middle" fontSize="11" fill="#fff">
                      {unit[part]}
                    </text>
                  </g>
                );
                x += w;
                return bar;
              })}
            </g>
          );
        })}
      </svg>
      <figcaption>
        {parts.map((part) => (
          <span key={part} className="legend">
            <span className="swatch" style={{ background: COLORS[part] }} /> {t(`followUp.state.${part === 'onTime' ? 'on_time' : part}`)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

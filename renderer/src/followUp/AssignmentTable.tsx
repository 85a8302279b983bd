// Assignments as a table: unit, task, deadline, where each stands and by how many working days
// it is late. Shared by the review item and the follow-up tab.
import { useTranslation } from 'react-i18next';
import type { AssignmentView } from '../../../main/api/contract';
import { formatDay, languageOf } from '../format';

export function AssignmentTable({ items, action }: { items: AssignmentView[]; action?: (item: AssignmentView) => React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const language = languageOf(i18n.language);
  if (!items.length) return <p className="muted">{t('followUp.none')}</p>;
  return (
    <table className="assignments" data-testid="assignments">
      <thead>
        <tr>
          <th>{t('followUp.unit')}</th>
          <th>{t('followUp.task')}</th>
          <th>{t('followUp.deadline')}</th>
          <th>{t('followUp.result')}</th>
          {action && <th />}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const last = item.progress.at(-1);
          return (
            <tr key={item.id} data-state={item.state}>
              <td>{item.point ?? item.unit}</td>
              <td>
                {item.task}
                {last && (
                  <div className="muted">
                    {last.note} {last.document ? `(${last.document.name})` : ''}
                  </div>
                )}
              </td>
              <td>{item.deadline ? formatDay(item.deadline, language) : '—'}</td>
              <td className={`state-${item.state}`}>
                {t(`followUp.state.${item.state}`)}
                {item.lateWorkingDays > 0 && ` ${t('followUp.lateBy', { count: item.lateWorkingDays })}`}
                {item.state !== 'done' && last && ` (${last.percent}%)`}
              </td>
              {action && <td>{action(item)}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

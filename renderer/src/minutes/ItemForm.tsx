// One agenda item of the minutes: proceedings, speakers, votes, the chair's conclusions and the
// assignments as rows (unit, task, deadline) so they can be followed up.
import { useTranslation } from 'react-i18next';
import type { Minutes } from '../../../main/api/contract';

type Item = Minutes['items'][number];

interface Props {
  item: Item;
  itemIndex: number;
  onChange: (item: Item) => void;
  onFocusField: (field: string) => void;
}

interface RowsProps<R> {
  legend: string;
  rows: R[];
  blank: R;
  columns: { key: keyof R & string; label: string; type?: 'text' | 'number' | 'date' | 'textarea' }[];
  onChange: (rows: R[]) => void;
  field: string;
  onFocusField: (field: string) => void;
}

function Rows<R extends Record<string, string | number>>({ legend, rows, blank, columns, onChange, field, onFocusField }: RowsProps<R>) {
  const { t } = useTranslation();
  const update = (index: number, key: keyof R, value: string) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, [key]: typeof blank[key] === 'number' ? Math.max(0, Number(value) || 0) : value } : row)));
  return (
    <fieldset className="minutes-rows" data-rows={field}>
      <legend>{legend}</legend>
      {rows.map((row, index) => (
        <div className="minutes-row" key={index}>
          {columns.map((c) => (
            <label key={c.key}>
              {c.label}
              {c.type === 'textarea' ? (
                <textarea value={String(row[c.key])} onFocus={() => onFocusField(field)} onChange={(e) => update(index, c.key, e.target.value)} rows={2} />
              ) : (
                <input
                  type={c.type ?? 'text'}
                  min={c.type === 'number' ? 0 : undefined}
                  value={String(row[c.key])}
                  onFocus={() => onFocusField(field)}
                  onChange={(e) => update(index, c.key, e.target.value)}
                />
              )}
            </label>
          ))}
          <button type="button" className="link" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            {t('minutes.removeRow')}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { ...blank }])}>
        {t('minutes.addRow', { what: legend.toLowerCase() })}
      </button>
    </fieldset>
  );
}

export function ItemForm({ item, itemIndex, onChange, onFocusField }: Props) {
  const { t } = useTranslation();
  const text = (field: 'proceedings' | 'conclusions', rows: number) => (
    <label className="minutes-field">
      {t(`minutes.${field}`)}
      <textarea
        data-field={field}
        data-item={itemIndex}
        rows={rows}
        value={item[field]}
        onFocus={() => onFocusField(field)}
        onChange={(e) => onChange({ ...item, [field]: e.target.value })}
      />
    </label>
  );
  return (
    <div className="minutes-item">
      {text('proceedings', 6)}
      <Rows
        legend={t('minutes.speakers')}
        field="speakers"
        rows={item.speakers}
        blank={{ name: '', unit: '', summary: '' }}
        columns={[
          { key: 'name', label: t('minutes.speakerName') },
          { key: 'unit', label: t('minutes.unit') },
          { key: 'summary', label: t('minutes.summary'), type: 'textarea' },
        ]}
        onChange={(speakers) => onChange({ ...item, speakers })}
        onFocusField={onFocusField}
      />
      <Rows
        legend={t('minutes.votes')}
        field="votes"
        rows={item.votes}
        blank={{ question: '', yes: 0, no: 0, abstain: 0 }}
        columns={[
          { key: 'question', label: t('minutes.question') },
          { key: 'yes', label: t('minutes.yes'), type: 'number' },
          { key: 'no', label: t('minutes.no'), type: 'number' },
          { key: 'abstain', label: t('minutes.abstain'), type: 'number' },
        ]}
        onChange={(votes) => onChange({ ...item, votes })}
        onFocusField={onFocusField}
      />
      {text('conclusions', 4)}
      <Rows
        legend={t('minutes.assignments')}
        field="assignments"
        rows={item.assignments}
        blank={{ unit: '', task: '', deadline: '' }}
        columns={[
          { key: 'unit', label: t('minutes.unit') },
          { key: 'task', label: t('minutes.task'), type: 'textarea' },
          { key: 'deadline', label: t('minutes.deadline'), type: 'date' },
        ]}
        onChange={(assignments) => onChange({ ...item, assignments })}
        onFocusField={onFocusField}
      />
    </div>
  );
}

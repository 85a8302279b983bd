// One search box over every briefing, agenda item and document page on this PC; typing
// without diacritics finds text with them.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../main/api/contract';
import { desktop } from '../desktop';

export function SearchView() {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (!query.trim()) return setHits([]);
      desktop.searchLocal({ query }).then(setHits, () => setHits([]));
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <main className="search">
      <input type="search" aria-label={t('search.label')} placeholder={t('search.placeholder')} value={query} onChange={(e) => setQuery(e.target.value)} />
      {query.trim() && hits.length === 0 && <p className="muted">{t('search.none')}</p>}
      <ul className="search-results">
        {hits.map((hit) => (
          <li key={`${hit.kind}:${hit.ref}`} data-testid="search-hit">
            <span className="badge">{t(`search.kind.${hit.kind}`)}</span> <strong>{hit.title}</strong>
            <div className="muted">{hit.snippet}</div>
          </li>
        ))}
      </ul>
    </main>
  );
}

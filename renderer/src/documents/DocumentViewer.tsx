// Shows one page of a PDF on a canvas. The page and zoom are the parent's, so the same viewer
// serves browsing alone and following the presenter.
import type { RenderTask } from 'pdfjs-dist';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadPdf } from './pdf';

interface Props {
  sha256: string;
  name: string;
  page: number;
  zoom: number;
  onNavigate: (page: number, zoom: number) => void;
}

export function DocumentViewer({ sha256, name, page, zoom, onNavigate }: Props) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [pageCount, setPageCount] = useState(0);
  const [renderedPage, setRenderedPage] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // pdf.js cannot draw two pages on one canvas at once: each render waits for the one before,
  // and a render already overtaken by a newer page is skipped.
  const previous = useRef<Promise<unknown>>(Promise.resolve());

  useEffect(() => {
    let cancelled = false;
    // Asked afresh after each wait: the page may have changed meanwhile.
    const live = () => !cancelled;
    let task: RenderTask | undefined;
    setError(null);
    const run = previous.current
      .then(() => (cancelled ? undefined : loadPdf(sha256)))
      .then(async (pdf) => {
        if (!pdf) return;
        if (cancelled) return;
        setPageCount(pdf.numPages);
        const pdfPage = await pdf.getPage(Math.min(Math.max(1, page), pdf.numPages));
        const viewport = pdfPage.getViewport({ scale: zoom * 1.4 });
        const target = canvas.current;
        if (!live() || !target) return;
        target.width = Math.floor(viewport.width);
        target.height = Math.floor(viewport.height);
        task = pdfPage.render({ canvas: target, viewport });
        await task.promise;
        if (live()) setRenderedPage(pdfPage.pageNumber);
      })
      .catch((e: unknown) => {
        const name = e instanceof Error ? e.name : '';
        if (!cancelled && name !== 'RenderingCancelledException') setError(t('documents.cannotOpen', { detail: e instanceof Error ? e.message : String(e) }));
      });
    previous.current = run;
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [sha256, page, zoom, t]);

  const go = (next: number) => onNavigate(Math.min(Math.max(1, next), pageCount || 1), zoom);
  return (
    <section className="viewer" aria-label={name} data-testid="viewer" data-document={sha256} data-page={page} data-rendered-page={renderedPage}>
      <div className="viewer-toolbar">
        <strong className="viewer-name">{name}</strong>
        <button type="button" onClick={() => go(page - 1)} disabled={page <= 1}>
          {t('documents.previous')}
        </button>
        <span className="page-indicator">{t('documents.pageOf', { page, count: pageCount || '…' })}</span>
        <button type="button" onClick={() => go(page + 1)} disabled={pageCount === 0 || page >= pageCount}>
          {t('documents.next')}
        </button>
        <button type="button" aria-label={t('documents.zoomOut')} onClick={() => onNavigate(page, Math.max(0.5, +(zoom - 0.25).toFixed(2)))}>
          −
        </button>
        <span>{Math.round(zoom * 100)}%</span>
        <button type="button" aria-label={t('documents.zoomIn')} onClick={() => onNavigate(page, Math.min(3, +(zoom + 0.25).toFixed(2)))}>
          +
        </button>
      </div>
      {error ? <p className="error">{error}</p> : <canvas ref={canvas} className="viewer-canvas" />}
    </section>
  );
}

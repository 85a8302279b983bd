// pdf.js for the viewer. Documents come from the local store through the desktop API, never
// from the network, so they open with the server unreachable.
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { desktop } from '../desktop';

GlobalWorkerOptions.workerSrc = workerUrl;

const open = new Map<string, Promise<PDFDocumentProxy>>();

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function loadPdf(sha256: string): Promise<PDFDocumentProxy> {
  let loading = open.get(sha256);
  if (!loading) {
    loading = desktop
      .readDocument({ sha256 })
      .then(({ dataBase64 }) => getDocument({ data: base64ToBytes(dataBase64), isEvalSupported: false }).promise);
    loading.catch(() => open.delete(sha256));
    open.set(sha256, loading);
  }
  return loading;
}

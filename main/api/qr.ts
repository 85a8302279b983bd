// QR codes of invitations and enrolment sheets, drawn by us from the `qrcode` library's module
// matrix: one SVG path on screen, rectangles in a PDF, with no HTML injected anywhere.
import QRCode from 'qrcode';

export interface QrSymbol {
  /** Modules per side, the quiet zone not included. */
  size: number;
  dark(row: number, column: number): boolean;
}

/** Level M: a printed sheet that is creased or slightly stained still reads. */
export function qrSymbol(text: string): QrSymbol {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, dark: (row, column) => modules.get(row, column) === 1 };
}

/** The dark modules as one SVG path in module units, offset by a quiet zone of 4 modules. */
export function qrSvgPath(symbol: QrSymbol, quietZone = 4): string {
  const parts: string[] = [];
  for (let row = 0; row < symbol.size; row++) {
    for (let column = 0; column < symbol.size; column++) {
      if (symbol.dark(row, column)) parts.push(`M${column + quietZone} ${row + quietZone}h1v1h-1z`);
    }
  }
  return parts.join('');
}

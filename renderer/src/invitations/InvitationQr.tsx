// An invitation's QR code (its giaoban://join link), to print or to show on a phone: the commune's
// operator holds it up to the meeting point's camera on the pre-join screen.
import { useMemo } from 'react';
import { qrSvgPath, qrSymbol } from '../../../main/api/qr';

export function InvitationQr({ link, label, size = 220 }: { link: string; label: string; size?: number }) {
  const symbol = useMemo(() => qrSymbol(link), [link]);
  const side = symbol.size + 8;
  return (
    <svg className="qr" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${side} ${side}`} shapeRendering="crispEdges">
      <rect width={side} height={side} fill="#fff" />
      <path d={qrSvgPath(symbol)} fill="#000" />
    </svg>
  );
}

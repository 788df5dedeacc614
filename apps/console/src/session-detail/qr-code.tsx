import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * A QR string drawn locally onto a canvas (the `qrcode` package; no image request, no data:
 * URL, so it needs nothing from the page's Content-Security-Policy). The raw value stays on the
 * element as `data-qr` for tools that read it.
 */
export function QrCode({ value, label }: { value: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!canvas.current) return;
    QRCode.toCanvas(canvas.current, value, { width: 264, margin: 2, errorCorrectionLevel: 'L', color: { dark: '#000000', light: '#ffffff' } })
      .then(() => setFailed(false))
      .catch(() => setFailed(true));
  }, [value]);
  if (failed) return <p class="notice notice-bad">This QR value cannot be drawn. Use a pairing code instead.</p>;
  return <canvas ref={canvas} class="qr" role="img" aria-label={label} data-qr={value} />;
}

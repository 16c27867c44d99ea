/**
 * The join link as a QR code, drawn as one SVG path React renders inline: no image request, no
 * data: URL and no script, so it sits inside the Content-Security-Policy as it is.
 */
import QRCode from "qrcode";

export interface QrMatrix {
  /** Modules per side, including the quiet zone. */
  size: number;
  /** Dark modules as one SVG path, one unit per module. */
  path: string;
}

/** Four modules of light margin: what scanners expect around a code. */
const QUIET = 4;

export function qrMatrix(text: string): QrMatrix {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const parts: string[] = [];
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (qr.modules.get(y, x)) parts.push(`M${x + QUIET} ${y + QUIET}h1v1h-1z`);
    }
  }
  return { size: n + QUIET * 2, path: parts.join("") };
}

/** Where guests join: the public origin when one is configured, else the one the request came to. */
export function joinUrl(publicOrigins: string[], requestUrl: string, formattedCode: string): string {
  const origin = publicOrigins[0] ?? new URL(requestUrl).origin;
  return `${origin}/join?code=${encodeURIComponent(formattedCode)}`;
}

import { Injectable } from '@nestjs/common';
import QRCode from 'qrcode';

/** Renders WhatsApp's QR strings as images for clients that cannot draw QR codes themselves. */
@Injectable()
export class QrImageRenderer {
  png(qr: string): Promise<Buffer> {
    return QRCode.toBuffer(qr, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 320 });
  }

  async pngDataUrl(qr: string): Promise<string> {
    return `data:image/png;base64,${(await this.png(qr)).toString('base64')}`;
  }

  svg(qr: string): Promise<string> {
    return QRCode.toString(qr, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }
}

import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { pnJid, type CompanionDevice } from '../accounts/phone.model';
import { LinkedDeviceView, PairingCodeDto, ScanQrDto } from './pairing.dto';
import { PairingCodeService } from './pairing-code.service';
import { PairingService } from './pairing.service';

@ApiTags('pairing')
@Controller('pairing')
export class PairingController {
  constructor(
    private readonly pairing: PairingService,
    private readonly pairingCode: PairingCodeService,
  ) {}

  @Post('qr')
  @HttpCode(200)
  @ApiOperation({ summary: "The account's phone scans a companion's QR: links it, sends pair-success, then 515" })
  @ApiResponse({ status: 200, type: LinkedDeviceView })
  async scanQr(@Body() body: ScanQrDto): Promise<LinkedDeviceView> {
    return view(await this.pairing.scanQr(body.phoneNumber, body.qr));
  }

  @Post('code')
  @HttpCode(200)
  @ApiOperation({ summary: 'The phone enters the pairing code a companion requested; resolves when linked' })
  @ApiResponse({ status: 200, type: LinkedDeviceView })
  async completeCode(@Body() body: PairingCodeDto): Promise<LinkedDeviceView> {
    return view(await this.pairingCode.complete(body.phoneNumber, body.code.toUpperCase()));
  }
}

const view = (device: CompanionDevice): LinkedDeviceView => ({
  phoneNumber: device.phoneNumber,
  deviceId: device.deviceId,
  jid: pnJid(device.phoneNumber, device.deviceId),
});

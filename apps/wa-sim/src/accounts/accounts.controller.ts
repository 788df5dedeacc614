import { Body, Controller, Delete, Get, Param, ParseIntPipe, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ConnectionRegistry } from '../server/connection-registry.service';
import { PrivacyTokensLedger } from '../session/privacy-tokens.ledger';
import { CreatePhoneDto, PhoneView, ReceiptModeDto } from './accounts.dto';
import { DeviceLinksService } from './device-links.service';
import { lidJid, pnJid, type Phone, type PhoneRole } from './phone.model';
import { PhoneRegistry } from './phone-registry.service';

@ApiTags('accounts')
@Controller()
export class AccountsController {
  constructor(
    private readonly phones: PhoneRegistry,
    private readonly connections: ConnectionRegistry,
    private readonly links: DeviceLinksService,
    private readonly privacyTokens: PrivacyTokensLedger,
  ) {}

  @Post('accounts')
  @ApiOperation({ summary: 'Create a simulated phone whose account companions link to' })
  @ApiResponse({ status: 201, type: PhoneView })
  createAccount(@Body() body: CreatePhoneDto): PhoneView {
    return this.view(this.phones.create({ ...body, role: 'account' }));
  }

  @Get('accounts')
  @ApiOperation({ summary: 'Accounts with their linked companions and live/max connection counts' })
  @ApiResponse({ status: 200, type: [PhoneView] })
  listAccounts(): PhoneView[] {
    return this.list('account');
  }

  @Post('contacts')
  @ApiOperation({ summary: 'Create a simulated contact phone (messages accounts; numbers first used by a companion appear automatically)' })
  @ApiResponse({ status: 201, type: PhoneView })
  createContact(@Body() body: CreatePhoneDto): PhoneView {
    return this.view(this.phones.create({ ...body, role: 'contact' }));
  }

  @Get('contacts')
  @ApiResponse({ status: 200, type: [PhoneView] })
  listContacts(): PhoneView[] {
    return this.list('contact');
  }

  @Get('phones/:phoneNumber')
  @ApiOperation({ summary: 'One phone (account or contact)' })
  @ApiResponse({ status: 200, type: PhoneView })
  getPhone(@Param('phoneNumber') phoneNumber: string): PhoneView {
    return this.view(this.phones.get(phoneNumber));
  }

  @Put('phones/:phoneNumber/receipt-mode')
  @ApiOperation({ summary: 'How this phone answers messages it receives: read, delivered or none' })
  @ApiResponse({ status: 200, type: PhoneView })
  setReceiptMode(@Param('phoneNumber') phoneNumber: string, @Body() body: ReceiptModeDto): PhoneView {
    return this.view(this.phones.setReceiptMode(phoneNumber, body.receiptMode));
  }

  @Delete('accounts/:phoneNumber/devices/:deviceId')
  @ApiOperation({ summary: 'Unlink a companion: a live socket gets stream error 401 (Baileys: loggedOut); later logins get 401' })
  @ApiResponse({ status: 200, description: '`{ unlinked: true, deviceId }`' })
  unlink(@Param('phoneNumber') phoneNumber: string, @Param('deviceId', ParseIntPipe) deviceId: number): { unlinked: true; deviceId: number } {
    this.links.unlink(phoneNumber, deviceId);
    return { unlinked: true, deviceId };
  }

  private list(role: PhoneRole): PhoneView[] {
    return this.phones.list(role).map((phone) => this.view(phone));
  }

  private view(phone: Phone): PhoneView {
    return {
      phoneNumber: phone.phoneNumber,
      jid: pnJid(phone.phoneNumber),
      lid: lidJid(phone.lid),
      name: phone.name,
      role: phone.role,
      receiptMode: phone.receiptMode,
      devices: [...phone.devices.values()].map((device) => ({
        deviceId: device.deviceId,
        jid: pnJid(phone.phoneNumber, device.deviceId),
        lid: lidJid(phone.lid, device.deviceId),
        platform: device.platform,
        linkedAt: device.linkedAt,
        connected: this.connections.find(phone.phoneNumber, device.deviceId)?.isOpen ?? false,
        queued: device.pending.length,
      })),
      connections: this.connections.stats(phone.phoneNumber),
      privacyTokensIssued: this.privacyTokens.issuedCount(phone.phoneNumber),
    };
  }
}

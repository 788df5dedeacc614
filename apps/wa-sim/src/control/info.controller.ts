import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { Request } from 'express';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { MediaHostServer } from '../media/media-host.server';
import { MediaIdentityService } from '../media/media-identity.service';
import { ServerIdentityService } from '../persistence/server-identity.service';
import { ConnectionRegistry } from '../server/connection-registry.service';
import { WS_PATH } from '../server/websocket-server';

export class InfoView {
  @ApiProperty({ example: 'ws://127.0.0.1:7010/ws/chat', description: "Baileys' waWebSocketUrl (WA_WS_URL)" }) wsUrl!: string;
  @ApiProperty({ description: 'Hex Curve25519 root key to assign to WA_CERT_DETAILS.PUBLIC_KEY (WA_TRUSTED_ROOT_PUBLIC_KEY)' })
  rootPublicKey!: string;
  @ApiProperty({ example: 'https://127.0.0.1:7011', description: 'HTTPS media host (announced to companions in media_conn)' })
  mediaUrl!: string;
  @ApiProperty({ description: "Absolute path of the media host's CA certificate (PEM): set NODE_EXTRA_CA_CERTS to it" })
  caCertificatePath!: string;
}

export class AccountConnectionsView {
  @ApiProperty() phoneNumber!: string;
  @ApiProperty() live!: number;
  @ApiProperty() max!: number;
}

export class ConnectionsView {
  @ApiProperty({ description: 'Open sockets, logged in or not' }) open!: number;
  @ApiProperty({ description: 'Logged-in companion sockets' }) authenticated!: number;
  @ApiProperty({ type: [AccountConnectionsView] }) accounts!: AccountConnectionsView[];
}

export class ResetMaxDto {
  @ApiPropertyOptional({ description: 'One account; all when absent' })
  @IsOptional()
  @Matches(/^\d{6,15}$/)
  phoneNumber?: string;
}

@ApiTags('info')
@Controller()
export class InfoController {
  constructor(
    private readonly identity: ServerIdentityService,
    private readonly connections: ConnectionRegistry,
    private readonly phones: PhoneRegistry,
    private readonly mediaHost: MediaHostServer,
    private readonly mediaIdentity: MediaIdentityService,
  ) {}

  @Get('info')
  @ApiOperation({ summary: 'Where clients connect and which root key they must trust' })
  @ApiResponse({ status: 200, type: InfoView })
  info(@Req() request: Request): InfoView {
    return {
      wsUrl: `ws://${request.headers.host}${WS_PATH}`,
      rootPublicKey: this.identity.rootPublicKeyHex,
      mediaUrl: this.mediaHost.baseUrl,
      caCertificatePath: this.mediaIdentity.caCertificatePath,
    };
  }

  @Get('connections')
  @ApiOperation({ summary: 'Live and maximum connection counts per account' })
  @ApiResponse({ status: 200, type: ConnectionsView })
  connectionStats(): ConnectionsView {
    return {
      open: this.connections.openCount,
      authenticated: this.connections.authenticatedCount,
      accounts: this.phones.list('account').map((phone) => ({
        phoneNumber: phone.phoneNumber,
        ...this.connections.stats(phone.phoneNumber),
      })),
    };
  }

  @Post('connections/reset-max')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restart the maximum from the current live count' })
  @ApiResponse({ status: 200, type: ConnectionsView })
  resetMax(@Body() body: ResetMaxDto): ConnectionsView {
    this.connections.resetMax(body.phoneNumber);
    return this.connectionStats();
  }
}

import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, ReadOnlySafe, SessionScoped } from '../credentials/auth.decorators';
import type { Principal } from '../credentials/principal';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { TraceId } from '../http/trace-id.decorator';
import { CreateSessionDto } from './dto/create-session.dto';
import {
  CheckPhoneRequestDto,
  CheckPhoneResultDto,
  CleanupRequestDto,
  CleanupResultDto,
  ListSessionsQueryDto,
  PairingCodeDto,
  PairingCodeRequestDto,
  QrQueryDto,
} from './dto/session-requests.dto';
import { DeleteSessionResultDto, QrResponseDto, QrStringDto, SessionDto } from './dto/session-view.dto';
import { QrImageRenderer } from './qr-image.renderer';
import { QR_WAIT_MS, SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'SESSION_NOT_FOUND' })
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly qrImages: QrImageRenderer,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create or update a session (seed 003) and start it',
    description: 'Waits up to 60 s for the first QR when the session is not linked yet, and includes it.',
  })
  @ApiCreatedResponse({ type: SessionDto })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateSessionDto, @TraceId() traceId: string): Promise<SessionDto> {
    return this.sessions.create(principal, body, traceId);
  }

  @Get()
  @ApiOperation({ summary: 'List sessions', description: "Your sessions (admins: everyone's, or one user's). `status=connected` lists connected ones." })
  @ApiOkResponse({ type: SessionDto, isArray: true })
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListSessionsQueryDto, @TraceId() traceId: string): Promise<SessionDto[]> {
    const records = await this.sessions.list(principal, query);
    return Promise.all(records.map((record) => this.sessions.view(record, traceId)));
  }

  @Post('check-phone')
  @HttpCode(200)
  @ReadOnlySafe()
  @ApiOperation({ summary: 'Whether a phone number is already linked to an active session (seed 001)' })
  @ApiOkResponse({ type: CheckPhoneResultDto })
  checkPhone(@CurrentPrincipal() principal: Principal, @Body() body: CheckPhoneRequestDto): Promise<CheckPhoneResultDto> {
    return this.sessions.checkPhone(principal, body.phoneNumber);
  }

  @Post('cleanup')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove your sessions not connected for the given number of hours (seed 001)' })
  @ApiOkResponse({ type: CleanupResultDto })
  async cleanup(@CurrentPrincipal() principal: Principal, @Body() body: CleanupRequestDto, @TraceId() traceId: string): Promise<CleanupResultDto> {
    return { removed: await this.sessions.cleanup(principal, body.hours, traceId) };
  }

  @Get(':id')
  @SessionScoped()
  @ApiOperation({ summary: 'Session record joined with its live state' })
  @ApiOkResponse({ type: SessionDto })
  get(@Param('id') id: string, @TraceId() traceId: string): Promise<SessionDto> {
    return this.sessions.get(id, traceId);
  }

  @Delete(':id')
  @SessionScoped('id', { allowMissing: true })
  @ApiOperation({ summary: 'Log out, wipe auth state and remove the session', description: '200 with `deleted: false` when it did not exist.' })
  @ApiOkResponse({ type: DeleteSessionResultDto })
  delete(@Param('id') id: string, @TraceId() traceId: string): Promise<DeleteSessionResultDto> {
    return this.sessions.delete(id, traceId);
  }

  @Post(':id/reconnect')
  @HttpCode(200)
  @SessionScoped()
  @ApiOperation({ summary: 'Drop the connection and connect again (keeps the link; a new QR if not linked)' })
  @ApiOkResponse({ type: SessionDto })
  reconnect(@Param('id') id: string, @TraceId() traceId: string): Promise<SessionDto> {
    return this.sessions.reconnect(id, traceId);
  }

  @Post(':id/logout')
  @HttpCode(200)
  @SessionScoped()
  @ApiOperation({ summary: 'Unlink the device from WhatsApp and keep the record; it never reconnects by itself' })
  @ApiOkResponse({ type: SessionDto })
  logout(@Param('id') id: string, @TraceId() traceId: string): Promise<SessionDto> {
    return this.sessions.logout(id, traceId);
  }

  @Post(':id/wipe')
  @HttpCode(200)
  @SessionScoped()
  @ApiOperation({ summary: 'Cancel any connection or pairing and wipe the credentials (seed 002 cancel-and-wipe)' })
  @ApiOkResponse({ type: SessionDto })
  wipe(@Param('id') id: string, @TraceId() traceId: string): Promise<SessionDto> {
    return this.sessions.wipe(id, traceId);
  }

  @Post(':id/qr')
  @HttpCode(200)
  @SessionScoped()
  @ApiOperation({ summary: 'The QR to link the session, as a PNG (seed 003); waits up to 60 s for it' })
  @ApiOkResponse({ type: QrResponseDto })
  @ApiConflictResponse({ type: ErrorEnvelopeDto, description: 'CONFLICT: the session is linked already' })
  async qrPng(@Param('id') id: string, @TraceId() traceId: string): Promise<QrResponseDto> {
    return this.sessions.qrImage(await this.sessions.qr(id, QR_WAIT_MS, traceId));
  }

  @Get(':id/qr')
  @SessionScoped()
  @ApiOperation({
    summary: 'The QR as raw string, PNG or SVG (seed 002)',
    description: 'PNG comes as a data URL in JSON, or as the image itself with `Accept: image/png`.',
  })
  @ApiProduces('application/json', 'image/png', 'image/svg+xml')
  @ApiOkResponse({ type: QrStringDto })
  async qr(
    @Param('id') id: string,
    @Query() query: QrQueryDto,
    @Headers('accept') accept: string | undefined,
    @TraceId() traceId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<QrStringDto | Buffer | string> {
    const state = await this.sessions.qr(id, (query.wait ?? 10) * 1000, traceId);
    switch (query.format ?? 'png') {
      case 'raw':
        return state;
      case 'svg':
        res.type('image/svg+xml');
        return this.qrImages.svg(state.qr);
      case 'png':
        if (accept?.includes('image/png')) {
          res.type('image/png');
          return this.qrImages.png(state.qr);
        }
        return { qr: await this.qrImages.pngDataUrl(state.qr), qrUpdatedAt: state.qrUpdatedAt };
    }
  }

  @Post(':id/pairing-code')
  @HttpCode(200)
  @SessionScoped()
  @ApiOperation({ summary: 'Link by pairing code instead of QR (refused when already registered)' })
  @ApiOkResponse({ type: PairingCodeDto })
  pairingCode(@Param('id') id: string, @Body() body: PairingCodeRequestDto, @TraceId() traceId: string): Promise<PairingCodeDto> {
    return this.sessions.pairingCode(id, body.phone, traceId);
  }
}

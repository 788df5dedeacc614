import { Body, Controller, Param, Post, Res, UploadedFile } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { SessionRecord } from '@app/db';
import { AcceptsSessionToken, ScopedSession, SessionScoped } from '../credentials/auth.decorators';
import { TraceId } from '../http/trace-id.decorator';
import { IdempotencyKey, Idempotent } from '../idempotency/idempotent.decorator';
import type { UploadedMediaFile } from '../media/media-intake.types';
import { MediaUpload } from '../media/media-upload.interceptor';
import { SendMediaDto, SendResultDto, SendTextDto } from './dto/send-message.dto';
import { MessagesService } from './messages.service';
import { respondWithDelivery, SendResponses } from './send-response';

/**
 * Seed 003's send routes. The session's api key (Bearer) or a session token may call them, as
 * may the owner's credentials. 201 once the message is handed to WhatsApp, 202 while it is still
 * queued (paced by the rate limit): it is sent either way, never twice for one Idempotency-Key.
 */
@ApiTags('messages')
@Controller('agents/:id')
@SessionScoped()
@AcceptsSessionToken()
export class AgentMessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post('messages')
  @Idempotent()
  @ApiOperation({ summary: 'Send a text (quoted reply and mentions optional)' })
  @SendResponses()
  async sendText(
    @Param('id') sessionId: string,
    @ScopedSession() session: SessionRecord,
    @Body() body: SendTextDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @TraceId() traceId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SendResultDto> {
    this.messages.assertConnected(session);
    const content = { kind: 'text' as const, text: body.message, quotedMessageId: body.quotedMessageId, mentions: this.messages.mentions(body.mentions) };
    return respondWithDelivery(res, await this.messages.send({ sessionId, to: body.to, content, idempotencyKey, traceId }));
  }

  @Post('media')
  @Idempotent()
  @MediaUpload()
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiOperation({
    summary: 'Send an image, video, audio or document from base64, a URL or an upload, with caption and file name',
    description: 'JSON with `data`/`base64` or `url`, or multipart/form-data with the bytes in a `file` part and the other fields as parts.',
  })
  @SendResponses()
  async sendMedia(
    @Param('id') sessionId: string,
    @ScopedSession() session: SessionRecord,
    @Body() body: SendMediaDto,
    @UploadedFile() file: UploadedMediaFile | undefined,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @TraceId() traceId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SendResultDto> {
    this.messages.assertConnected(session);
    const { content, previewPath } = await this.messages.mediaContent(sessionId, body, file);
    const result = await this.messages.send({ sessionId, to: body.to, content, idempotencyKey, traceId });
    return respondWithDelivery(res, previewPath ? { ...result, previewPath } : result);
  }
}

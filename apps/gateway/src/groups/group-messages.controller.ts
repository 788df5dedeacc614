import { Body, Controller, Param, Post, Res, UploadedFile } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AcceptsSessionToken, SessionScoped } from '../credentials/auth.decorators';
import { TraceId } from '../http/trace-id.decorator';
import { IdempotencyKey, Idempotent } from '../idempotency/idempotent.decorator';
import type { UploadedMediaFile } from '../media/media-intake.types';
import { MediaUpload } from '../media/media-upload.interceptor';
import { SendResultDto } from '../messages/dto/send-message.dto';
import { respondWithDelivery, SendResponses } from '../messages/send-response';
import { GroupMediaDto, GroupMentionDto, GroupTextDto } from './dto/group-requests.dto';
import { GroupJidPipe } from './group-jid.pipe';
import { NeedsConnectedSession, OnGroup } from './group-route.decorators';
import { GroupsService } from './groups.service';

/**
 * Seed 002 sends to a group: ordinary sends through the session's outbox, so pacing, retries,
 * delivery status and Idempotency-Key work as for contacts. 201 once handed to WhatsApp, 202
 * while still queued.
 */
@ApiTags('groups')
@Controller('sessions/:id/groups/:groupId')
@SessionScoped()
@AcceptsSessionToken()
@NeedsConnectedSession()
export class GroupMessagesController {
  constructor(private readonly groups: GroupsService) {}

  @Post('messages')
  @Idempotent()
  @OnGroup()
  @ApiOperation({ summary: 'Send a text to the group (quoted reply and mentions optional)' })
  @SendResponses()
  async sendText(
    @Param('id') sessionId: string,
    @Param('groupId', GroupJidPipe) groupJid: string,
    @Body() body: GroupTextDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @TraceId() traceId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SendResultDto> {
    return respondWithDelivery(res, await this.groups.sendText({ sessionId, groupJid, idempotencyKey, traceId }, body));
  }

  @Post('mention-message')
  @Idempotent()
  @OnGroup()
  @ApiOperation({
    summary: 'Send a text mentioning members, with `{m1}` `{mention1}` `{mention[0]}` `{mentions}` placeholders (seed 002)',
    description: 'The placeholders become `@<number>` in the text, and every listed person is mentioned, so WhatsApp highlights them.',
  })
  @SendResponses()
  async sendMention(
    @Param('id') sessionId: string,
    @Param('groupId', GroupJidPipe) groupJid: string,
    @Body() body: GroupMentionDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @TraceId() traceId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SendResultDto> {
    return respondWithDelivery(res, await this.groups.sendMention({ sessionId, groupJid, idempotencyKey, traceId }, body));
  }

  @Post('media')
  @Idempotent()
  @MediaUpload()
  @OnGroup()
  @ApiOperation({
    summary: 'Send an image, video, audio or document to the group from base64, a URL or an upload, with caption and file name',
    description: 'The same body as `POST /agents/{id}/media` without `to`: JSON with `data`/`base64` or `url`, or multipart/form-data with a `file` part.',
  })
  @SendResponses()
  async sendMedia(
    @Param('id') sessionId: string,
    @Param('groupId', GroupJidPipe) groupJid: string,
    @Body() body: GroupMediaDto,
    @UploadedFile() file: UploadedMediaFile | undefined,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @TraceId() traceId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SendResultDto> {
    return respondWithDelivery(res, await this.groups.sendMedia({ sessionId, groupJid, idempotencyKey, traceId }, body, file));
  }
}

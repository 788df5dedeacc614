import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SessionRecord } from '@app/db';
import { AcceptsSessionToken, ScopedSession, SessionScoped } from '../credentials/auth.decorators';
import { TraceId } from '../http/trace-id.decorator';
import { IdempotencyKey, Idempotent } from '../idempotency/idempotent.decorator';
import { BulkTextDto, QueueClearedDto, QueueStatusDto, SendResultDto } from './dto/send-message.dto';
import { MessagesService } from './messages.service';

/** Seed 002's default pause between bulk messages: a random 2-5 s. */
const defaultDelayMs = () => 2_000 + Math.random() * 3_000;

@ApiTags('messages')
@Controller('sessions/:id')
@SessionScoped()
export class SessionMessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post('messages/bulk')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'Send up to 50 texts one after another, with a pause between them (seed 002 bulk send)',
    description: 'Answers when every message is settled or its wait ended. For more messages, or to not wait, use a bulk job.',
  })
  @ApiOkResponse({ type: SendResultDto, isArray: true })
  async sendBulk(
    @Param('id') sessionId: string,
    @ScopedSession() session: SessionRecord,
    @Body() body: BulkTextDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @TraceId() traceId: string,
  ): Promise<SendResultDto[]> {
    this.messages.assertConnected(session);
    const recipients = body.messages.map((item) => this.messages.recipient(item.to));
    const results: SendResultDto[] = [];
    for (const [index, item] of body.messages.entries()) {
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, body.delay !== undefined ? body.delay * 1000 : defaultDelayMs()));
      const content = { kind: 'text' as const, text: item.message, quotedMessageId: item.quotedMessageId, mentions: this.messages.mentions(item.mentions) };
      const key = idempotencyKey ? `${idempotencyKey}#${index}` : undefined;
      results.push(await this.messages.send({ sessionId, to: recipients[index], content, idempotencyKey: key, traceId }));
    }
    return results;
  }

  @Get('messages/:messageId')
  @AcceptsSessionToken()
  @ApiOperation({ summary: 'Delivery status of an accepted message (queued, sending, sent, delivered, read, failed, cancelled)' })
  @ApiOkResponse({ type: SendResultDto })
  status(@Param('id') sessionId: string, @Param('messageId') messageId: string): Promise<SendResultDto> {
    return this.messages.status(sessionId, messageId);
  }

  @Get('queue')
  @ApiOperation({ summary: 'Message queue of the session (seed 001 queue-status)' })
  @ApiOkResponse({ type: QueueStatusDto })
  queue(@Param('id') sessionId: string): Promise<QueueStatusDto> {
    return this.messages.queue(sessionId);
  }

  @Delete('queue')
  @ApiOperation({ summary: 'Cancel every message of the session not sent yet (seed 001 clear-queue)' })
  @ApiOkResponse({ type: QueueClearedDto })
  async clearQueue(@Param('id') sessionId: string): Promise<QueueClearedDto> {
    return { cleared: await this.messages.clearQueue(sessionId) };
  }
}

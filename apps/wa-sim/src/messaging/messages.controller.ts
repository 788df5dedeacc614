import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { proto } from '@whiskeysockets/baileys';
import { pnJid } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { SimError } from '../common/sim-error';
import { InboundMediaService } from '../media/inbound-media.service';
import { DeliveryService } from './delivery.service';
import { MessageLog, type InboundMessageRecord, type SentMessageRecord, type SentWaitResult } from './message-log.service';
import { DeliveryResultView, EmitReceiptDto, InboundMessagesQuery, InboundTextDto, SentMessagesQuery, SentWaitQuery } from './messages.dto';
import { ReceiptsService } from './receipts.service';

@ApiTags('messages')
@Controller('messages')
export class MessagesController {
  constructor(
    private readonly phones: PhoneRegistry,
    private readonly delivery: DeliveryService,
    private readonly log: MessageLog,
    private readonly receipts: ReceiptsService,
    private readonly media: InboundMediaService,
  ) {}

  @Post('inbound')
  @ApiOperation({
    summary: "A phone sends a text or a media file to an account's companions (first pkmsg, then msg; queued while offline)",
  })
  @ApiResponse({ status: 201, type: DeliveryResultView })
  async deliverText(@Body() body: InboundTextDto): Promise<DeliveryResultView> {
    if (body.media && body.text !== undefined) {
      throw new SimError('INVALID_PAYLOAD', 'give either text or media (with media.caption), not both', 400);
    }
    const to = this.phones.get(body.to);
    const from = this.phones.getOrCreateContact(body.from);
    const message = body.media ? await this.media.message(body.media) : textMessage(body, pnJid(to.phoneNumber));
    return this.delivery.deliver({ from, to, message });
  }

  @Get('sent')
  @ApiOperation({ summary: 'What companions sent, decrypted by the recipient phone (one record per stanza, so duplicates show)' })
  listSent(@Query() query: SentMessagesQuery): SentMessageRecord[] {
    return this.log.listSent(query);
  }

  @Get('sent/wait')
  @ApiOperation({
    summary: 'Long poll: answers once `count` sent records match the filter (or at `timeoutMs`, default 30 s) with the count and the latest record',
  })
  waitForSent(@Query() query: SentWaitQuery): Promise<SentWaitResult> {
    const { count, timeoutMs = 30_000, ...filter } = query;
    return this.log.waitForSent(filter, count, timeoutMs);
  }

  @Get('inbound')
  @ApiOperation({ summary: 'What phones delivered to companions, with per-device status from their receipts' })
  listInbound(@Query() query: InboundMessagesQuery): InboundMessageRecord[] {
    return this.log.listInbound(query.account);
  }

  @Post('sent/:messageId/receipts')
  @HttpCode(200)
  @ApiOperation({ summary: "Send a delivery or read receipt from the recipient phone to the sender's companion" })
  emitReceipt(@Param('messageId') messageId: string, @Body() body: EmitReceiptDto): SentMessageRecord {
    return this.receipts.emit(messageId, body.type);
  }

  @Delete()
  @ApiOperation({ summary: 'Forget the message log' })
  clear(): { cleared: true } {
    this.log.clear();
    return { cleared: true };
  }
}

function textMessage(body: InboundTextDto, accountJid: string): proto.IMessage {
  const mentions = (body.mentions ?? []).map((mention) => (mention.includes('@') ? mention : pnJid(mention)));
  if (!body.quotedMessageId && mentions.length === 0) return { conversation: body.text };
  return {
    extendedTextMessage: {
      text: body.text,
      contextInfo: {
        ...(body.quotedMessageId ? { stanzaId: body.quotedMessageId, participant: accountJid } : {}),
        ...(mentions.length ? { mentionedJid: mentions } : {}),
      },
    },
  };
}

import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { proto } from '@whiskeysockets/baileys';
import { pnJid } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { newMessageId, type DeliveryResult } from '../messaging/delivery.service';
import { describeMessage } from '../messaging/message-content';
import { DeliveryResultView } from '../messaging/messages.dto';
import { HistoryEntryView, PhoneTextDto, SeededHistoryView, SeedHistoryDto } from './history.dto';
import { PhoneHistoryStore, type HistoryEntry } from './phone-history.store';
import { PhoneMessagesService } from './phone-messages.service';

const MINUTE_S = 60;

@ApiTags('history')
@Controller('accounts/:phoneNumber')
export class HistoryController {
  constructor(
    private readonly phones: PhoneRegistry,
    private readonly history: PhoneHistoryStore,
    private readonly messages: PhoneMessagesService,
  ) {}

  @Post('history')
  @ApiOperation({
    summary: 'Put past messages into a chat on the phone (before companions link)',
    description:
      'A companion linked later gets the newest of them in its initial history sync (WA_SIM_HISTORY_SYNC_MESSAGES per chat) and the older ones on demand.',
  })
  @ApiResponse({ status: 201, type: SeededHistoryView })
  seed(@Param('phoneNumber') phoneNumber: string, @Body() body: SeedHistoryDto): SeededHistoryView {
    const phone = this.phones.get(phoneNumber);
    const chat = body.chat.includes('@') ? body.chat : pnJid(body.chat);
    const now = Math.floor(Date.now() / 1000);
    const messageIds = body.messages.map((message, index) => {
      const entry: HistoryEntry = {
        id: newMessageId(),
        chat,
        fromMe: message.fromMe ?? false,
        ...(message.from && !message.fromMe ? { participant: pnJid(message.from) } : {}),
        message: Buffer.from(proto.Message.encode({ conversation: message.text }).finish()).toString('base64'),
        timestamp: message.at ? Math.floor(Date.parse(message.at) / 1000) : now - (body.messages.length - index) * MINUTE_S,
        ...(message.fromMe ? {} : { pushName: this.phones.find(message.from ?? body.chat)?.name }),
      };
      this.history.add(phone.phoneNumber, entry);
      return entry.id;
    });
    return { chat, messageIds };
  }

  @Get('history')
  @ApiOperation({ summary: "The phone's chat history, oldest first (one chat with `chat`)" })
  @ApiQuery({ name: 'chat', required: false, description: 'A PN JID or group JID' })
  @ApiResponse({ status: 200, type: [HistoryEntryView] })
  list(@Param('phoneNumber') phoneNumber: string, @Query('chat') chat?: string): HistoryEntryView[] {
    const phone = this.phones.get(phoneNumber);
    const entries = chat ? this.history.entries(phone.phoneNumber, chat) : this.history.chats(phone.phoneNumber).flatMap((each) => each.entries);
    return entries.map(({ id, chat: of, fromMe, participant, message, timestamp }) => ({
      id,
      chat: of,
      fromMe,
      ...(participant ? { participant } : {}),
      text: describeMessage(proto.Message.decode(Buffer.from(message, 'base64'))).text,
      timestamp,
    }));
  }

  @Post('messages')
  @ApiOperation({
    summary: "The phone's owner types a text to a contact on the handset",
    description: "The account's companions receive it as their own message (fromMe); for a group, use POST /groups/{id}/messages with `from` = this account.",
  })
  @ApiResponse({ status: 201, type: DeliveryResultView })
  send(@Param('phoneNumber') phoneNumber: string, @Body() body: PhoneTextDto): Promise<DeliveryResult> {
    return this.messages.send(this.phones.get(phoneNumber), body.to, { conversation: body.text });
  }
}

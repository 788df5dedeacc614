import { applyDecorators } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppError, HANDED_OVER } from '@app/contracts';
import { SendResultDto } from './dto/send-message.dto';

/** Documents the two answers respondWithDelivery gives. */
export const SendResponses = () =>
  applyDecorators(
    ApiCreatedResponse({ type: SendResultDto, description: 'Handed to WhatsApp' }),
    ApiAcceptedResponse({ type: SendResultDto, description: 'Accepted and queued; it will be sent' }),
  );

/** 201 when handed to WhatsApp, 202 while queued; a message that failed for good is a 502. */
export function respondWithDelivery(res: Response, result: SendResultDto): SendResultDto {
  if (result.status === 'failed') {
    throw new AppError('BAD_GATEWAY', `WhatsApp did not take message ${result.messageId}: ${result.error ?? 'unknown error'}`, {
      messageId: result.messageId,
      waMessageId: result.waMessageId,
    });
  }
  res.status(HANDED_OVER.includes(result.status) ? 201 : 202);
  return result;
}

import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiParam } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';

/** Documents `{groupId}` and the errors every route on one group can answer. */
export const OnGroup = () =>
  applyDecorators(
    ApiParam({ name: 'groupId', example: '120363041234567890@g.us', description: 'Group JID (…@g.us; `@` may be sent as %40)' }),
    ApiBadRequestResponse({ type: ErrorEnvelopeDto, description: 'INVALID_PAYLOAD: an invalid field or path parameter, named in details.fields' }),
    ApiForbiddenResponse({ type: ErrorEnvelopeDto, description: "FORBIDDEN: the session's account is not a member, or not an admin for changes" }),
    ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'SESSION_NOT_FOUND, or NOT_FOUND: no such group' }),
  );

/** Documents `{participant}`. */
export const ParticipantParam = () =>
  ApiParam({ name: 'participant', example: '6281234567890', description: 'Number (+62…, 62…, 0…) or user JID (…@s.whatsapp.net, …@lid)' });

/** Every group route needs the session connected. */
export const NeedsConnectedSession = () =>
  ApiConflictResponse({ type: ErrorEnvelopeDto, description: 'SESSION_NOT_CONNECTED: the session is not linked, logged out or failed' });

import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { AppError } from '@app/contracts';
import { normalizeRecipient } from '@app/recipients';

/** 400 naming the field, in the shape the validation pipe uses (`details.fields`). */
function invalidField(field: string, input: string, problem: string): AppError {
  const shown = input.length > 64 ? `${input.slice(0, 64)}…` : input;
  return new AppError('INVALID_PAYLOAD', `${field} "${shown}" ${problem}`, { fields: [{ field, problems: [problem] }] });
}

function reasonOf(error: unknown): string {
  if (error instanceof AppError && typeof error.details?.reason === 'string') return error.details.reason;
  return error instanceof Error ? error.message : String(error);
}

/**
 * `120363…@g.us` → the group JID; anything else is a 400 naming `field`. A bare id is refused:
 * it cannot be told apart from a phone number.
 */
export function groupJidOf(input: string, field = 'groupId'): string {
  const notGroup = () => invalidField(field, input, 'is not a group id: group JIDs end in @g.us');
  if (!input.includes('@')) throw notGroup();
  let recipient;
  try {
    recipient = normalizeRecipient(input, '');
  } catch (error) {
    throw invalidField(field, input, `is not a group id: ${reasonOf(error)}`);
  }
  if (recipient.kind !== 'group') throw notGroup();
  return recipient.jid;
}

/** A person as a number (+62…, 62…, 0…) or a user JID (`@s.whatsapp.net`, `@lid`) → their JID. */
export function participantJidOf(input: string, defaultCountryCode: string, field: string): string {
  let recipient;
  try {
    recipient = normalizeRecipient(input, defaultCountryCode);
  } catch (error) {
    throw invalidField(field, input, `is not a phone number or user JID: ${reasonOf(error)}`);
  }
  if (recipient.kind !== 'user') throw invalidField(field, input, 'is a group; only people can be participants');
  return recipient.jid;
}

/** Validates a `{groupId}` path parameter into the group JID. */
@Injectable()
export class GroupJidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    return groupJidOf(value, metadata.data ?? 'groupId');
  }
}

import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SendingConfig } from '@app/config';
import { AppError, type OutboundContent } from '@app/contracts';
import { normalizeRecipient } from '@app/recipients';
import { MediaIntakeService } from '../media/media-intake.service';
import { mediaContentOf, type AcceptedMedia } from '../media/media-intake.types';
import type { MessageFieldsDto } from './dto/message-fields.dto';

/** A field and what is wrong with it, as in the API's validation errors (`details.fields`). */
export interface FieldProblem {
  field: string;
  problems: string[];
}

/** One request's accepted media by source, so a job sending one picture to 500 numbers stores it once. */
export type MediaCache = Map<string, Promise<AcceptedMedia>>;

export function invalidFields(problems: FieldProblem[]): AppError {
  const summary = problems.map((problem) => `${problem.field}: ${problem.problems.join('; ')}`).join('; ');
  return new AppError('INVALID_PAYLOAD', summary, { fields: problems });
}

/**
 * Turns seed 002 message fields into what the outbox sends: the recipient's JID and the content,
 * with media taken in (size, type, SSRF checks) and stored. Checks that need no I/O come first,
 * so a request with a bad item anywhere is refused before anything is fetched or stored.
 */
@Injectable()
export class MessageContentBuilder {
  constructor(
    private readonly config: SendingConfig,
    private readonly media: MediaIntakeService,
  ) {}

  /** What is wrong with the message at `path` (e.g. `items[3]`, '' for the body); empty when nothing is. */
  problemsOf(fields: MessageFieldsDto, path: string): FieldProblem[] {
    const problems: FieldProblem[] = [];
    const field = path || 'message';
    const check = (name: string, value: string) => {
      try {
        normalizeRecipient(value, this.config.DEFAULT_COUNTRY_CODE);
      } catch (error) {
        problems.push({ field: path ? `${path}.${name}` : name, problems: [(error as Error).message] });
      }
    };
    check('to', fields.to);
    fields.mentions?.forEach((mention, index) => check(`mentions[${index}]`, mention));
    const sources = [fields.url, fields.base64].filter((source) => source !== undefined && source !== '').length;
    if (fields.message !== undefined && sources > 0) {
      problems.push({ field, problems: ['give either `message` (text) or `url`/`base64` (media, with `caption`), not both'] });
    } else if (fields.message === undefined && sources === 0) {
      problems.push({ field, problems: ['give `message` for a text, or `url` or `base64` for media'] });
    } else if (sources > 1) {
      problems.push({ field, problems: ['give the media either as `url` or as `base64`'] });
    }
    return problems;
  }

  recipient(to: string): string {
    return normalizeRecipient(to, this.config.DEFAULT_COUNTRY_CODE).jid;
  }

  /** The content to send; media are accepted now (errors name the path). Call problemsOf first. */
  async content(sessionId: string, fields: MessageFieldsDto, path: string, cache: MediaCache): Promise<OutboundContent> {
    const mentions = fields.mentions?.map((mention) => this.recipient(mention));
    if (fields.message !== undefined) {
      return { kind: 'text', text: fields.message, ...(mentions?.length ? { mentions } : {}) };
    }
    const accepted = await this.accept(sessionId, fields, cache).catch((error: unknown) => {
      if (!path || !(error instanceof AppError)) throw error;
      throw new AppError(error.code, `${path}: ${error.message}`, { ...error.details, field: path });
    });
    return mediaContentOf(accepted, { caption: fields.caption, mentions });
  }

  private accept(sessionId: string, fields: MessageFieldsDto, cache: MediaCache): Promise<AcceptedMedia> {
    const source =
      fields.url !== undefined && fields.url !== '' ? { type: 'url' as const, url: fields.url } : { type: 'base64' as const, data: fields.base64! };
    const origin = source.type === 'url' ? source.url : createHash('sha256').update(source.data).digest('hex');
    const key = JSON.stringify([source.type, origin, fields.mediaType, fields.mimetype, fields.fileName]);
    let accepted = cache.get(key);
    if (!accepted) {
      // Jobs and schedules run later: no preview file for them.
      accepted = this.media.accept({ sessionId, source, kind: fields.mediaType, mimeType: fields.mimetype, fileName: fields.fileName, saveToTemp: false });
      cache.set(key, accepted);
    }
    return accepted;
  }
}

import { ArrayNotEmpty, IsBoolean, IsInt, IsString, Matches, Max, Min, registerDecorator, type ValidationArguments } from 'class-validator';
import { CoreConfig } from './core.config';
import { ToBoolean, ToList, ToNumber } from './env-transforms';

/** The numeric setting must not be below another one (e.g. a max below its min). */
function NotBelow(other: string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notBelow',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [other],
      options: { message: `must not be below ${other}` },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => typeof value === 'number' && value >= (args.object as Record<string, number>)[other],
      },
    });
}

/** WhatsApp's long-standing media limit (seed 002); seed 003 used 10 MB. */
const SIXTEEN_MIB = 16 * 1024 * 1024;

/**
 * What a gateway should accept as media: seed 002's upload list plus voice notes, web images and
 * Office formats that WhatsApp users send every day. `type/*` entries allow a whole type.
 */
const DEFAULT_MEDIA_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'video/mp4',
  'video/3gpp',
  'video/quicktime',
  'video/avi',
  'video/x-msvideo',
  'audio/ogg',
  'audio/mpeg',
  'audio/mp4',
  'audio/aac',
  'audio/amr',
  'application/pdf',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'text/plain',
  'text/csv',
  'application/zip',
];

/**
 * Settings of sending messages, needed both where sends are accepted (gateway) and where they
 * are performed (session workers), so both read the same values.
 */
export class SendingConfig extends CoreConfig {
  /** Country code assumed for national numbers such as 0812… (seed 002: Indonesia). */
  @Matches(/^[1-9]\d{0,3}$/, { message: 'must be a country calling code without +, e.g. 62' })
  DEFAULT_COUNTRY_CODE = '62';

  // ---- media intake

  /** Largest media accepted from base64, URL or upload, in bytes. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(100 * 1024 * 1024)
  MEDIA_MAX_BYTES = SIXTEEN_MIB;

  /** Mime types accepted as media (`type/*` allows a whole type). */
  @ToList()
  @ArrayNotEmpty()
  @IsString({ each: true })
  @Matches(/^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/i, { each: true, message: 'each entry must look like type/subtype or type/*' })
  MEDIA_ALLOWED_MIME_TYPES: string[] = [...DEFAULT_MEDIA_TYPES];

  /** Whole budget of a media URL download: HEAD, GET and every redirect. */
  @ToNumber()
  @IsInt()
  @Min(100)
  MEDIA_FETCH_TIMEOUT_MS = 30_000;

  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(20)
  MEDIA_FETCH_MAX_REDIRECTS = 5;

  /**
   * Destinations outbound URL fetches may reach although they are private, loopback or
   * link-local: CIDRs, single addresses or exact host names. Empty = public addresses only.
   */
  @ToList()
  @IsString({ each: true })
  URL_FETCH_ALLOWLIST: string[] = [];

  /** Media preview directory (seed 003); the scheduler's cleanup job keeps it small. */
  @IsString()
  TEMP_DIR = './tmp';

  /** Whether a media preview is written to TEMP_DIR when the request does not say (`save_to_temp`). */
  @ToBoolean()
  @IsBoolean()
  MEDIA_SAVE_PREVIEW = true;

  // ---- per-session pacing of single sends (send routes, AI replies): seed 003's token bucket

  /** Token bucket refill per minute; 0 turns the bucket off. */
  @ToNumber()
  @IsInt()
  @Min(0)
  SEND_RATE_PER_MINUTE = 100;

  /** Token bucket size: sends allowed back to back after a quiet period. */
  @ToNumber()
  @IsInt()
  @Min(1)
  SEND_BURST = 100;

  /** Accepted but unsent messages per session before sends answer 429 RATE_LIMITED; 0 = unbounded. */
  @ToNumber()
  @IsInt()
  @Min(0)
  SEND_QUEUE_MAX = 500;

  /*
   * Seed 001's anti-ban pacing for single sends, off by default: it would hold a session to about
   * 12 messages a minute and break seed 003's 100/min contract. Bulk jobs and schedules have it on
   * (BULK_SEND_* below).
   */

  /** Random pause between two sends of one session, lower bound (ms; 0 with max 0 = off). */
  @ToNumber()
  @IsInt()
  @Min(0)
  SEND_DELAY_MIN_MS = 0;

  @ToNumber()
  @IsInt()
  @Min(0)
  @NotBelow('SEND_DELAY_MIN_MS')
  SEND_DELAY_MAX_MS = 0;

  /** Sends per session in any 60 s window; 0 = no cap. */
  @ToNumber()
  @IsInt()
  @Min(0)
  SEND_MAX_PER_MINUTE = 0;

  /** Sends per session in any hour; 0 = no cap. */
  @ToNumber()
  @IsInt()
  @Min(0)
  SEND_MAX_PER_HOUR = 0;

  /** Sends per session to one recipient in any hour; 0 = no cap. */
  @ToNumber()
  @IsInt()
  @Min(0)
  SEND_MAX_PER_RECIPIENT_PER_HOUR = 0;

  /** A send that would have to wait longer than this is refused with its retry time instead (0 = always wait). */
  @ToNumber()
  @IsInt()
  @Min(0)
  SEND_MAX_WAIT_MS = 60_000;

  /** Attempts per message (first one included) before it is marked failed. */
  @ToNumber()
  @IsInt()
  @Min(1)
  MAX_SEND_ATTEMPTS = 3;

  // ---- pacing of bulk job items and scheduled messages: seed 001's anti-spam queue profile

  /** Token bucket for bulk sends (refill per minute; 0 = none, the caps below pace them). */
  @ToNumber()
  @IsInt()
  @Min(0)
  BULK_SEND_RATE_PER_MINUTE = 0;

  @ToNumber()
  @IsInt()
  @Min(1)
  BULK_SEND_BURST = 1;

  /** Random pause after the session's previous send (seed 001 MESSAGE_DELAY_MIN / _MAX, ms). */
  @ToNumber()
  @IsInt()
  @Min(0)
  BULK_SEND_DELAY_MIN_MS = 3_000;

  @ToNumber()
  @IsInt()
  @Min(0)
  @NotBelow('BULK_SEND_DELAY_MIN_MS')
  BULK_SEND_DELAY_MAX_MS = 7_000;

  /** Seed 001 MAX_MESSAGES_PER_MINUTE. */
  @ToNumber()
  @IsInt()
  @Min(0)
  BULK_SEND_MAX_PER_MINUTE = 20;

  /** Seed 001 MAX_MESSAGES_PER_HOUR. */
  @ToNumber()
  @IsInt()
  @Min(0)
  BULK_SEND_MAX_PER_HOUR = 500;

  /** Seed 001 MAX_MESSAGES_PER_RECIPIENT (per hour). */
  @ToNumber()
  @IsInt()
  @Min(0)
  BULK_SEND_MAX_PER_RECIPIENT_PER_HOUR = 10;

  /** Seed 001 MAX_RETRY_ATTEMPTS. */
  @ToNumber()
  @IsInt()
  @Min(1)
  BULK_MAX_SEND_ATTEMPTS = 3;

  /** First retry delay of a failed send; each further retry doubles it (with jitter). */
  @ToNumber()
  @IsInt()
  @Min(1)
  SEND_RETRY_BASE_MS = 2_000;

  @ToNumber()
  @IsInt()
  @Min(1)
  @NotBelow('SEND_RETRY_BASE_MS')
  SEND_RETRY_MAX_MS = 60_000;

  // ---- idempotency

  /** How long an Idempotency-Key's answer is replayed. */
  @ToNumber()
  @IsInt()
  @Min(1)
  IDEMPOTENCY_TTL_HOURS = 24;

  /** A request holding a key for longer than this is presumed dead; a retry may take the key over. */
  @ToNumber()
  @IsInt()
  @Min(1_000)
  IDEMPOTENCY_LOCK_TIMEOUT_MS = 60_000;
}

/** Narrows the app's config to SendingConfig, naming the app config that forgot to extend it. */
export function sendingConfigOf(config: CoreConfig): SendingConfig {
  if (!(config instanceof SendingConfig)) {
    throw new Error(`${config.constructor.name} does not extend SendingConfig, which sending components need`);
  }
  return config;
}

import type { Type } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import type { IssuedCredentialRecord } from '@app/db';

/** What every issued credential is listed with: never the secret, only its first characters. */
export interface IssuedCredentialFields {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const issuedCredentialFields = (record: IssuedCredentialRecord): IssuedCredentialFields => ({
  id: record.id,
  name: record.name,
  prefix: record.prefix,
  createdAt: record.createdAt.toISOString(),
  lastUsedAt: record.lastUsedAt?.toISOString() ?? null,
  revokedAt: record.revokedAt?.toISOString() ?? null,
});

const FIELD_ORDER: (keyof IssuedCredentialFields)[] = ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'];

/** How one kind documents its listing: the noun ("key", "token"), examples, and the fields only it has. */
export interface IssuedCredentialDocs {
  noun: string;
  examples: { id: string; name: string; prefix: string };
  /** Each listed right after the common field it names. */
  ownFields: Record<string, { after: keyof IssuedCredentialFields; options: ApiPropertyOptions }>;
}

/**
 * The base of a kind's listing DTO: the common fields, documented in one order for every kind
 * with the kind's own fields in their places (the OpenAPI schema lists them in this order).
 */
export function IssuedCredentialDto(docs: IssuedCredentialDocs): Type<IssuedCredentialFields> {
  class Listed {}
  const common: Record<keyof IssuedCredentialFields, ApiPropertyOptions> = {
    id: { type: String, example: docs.examples.id },
    name: { type: String, example: docs.examples.name },
    prefix: { type: String, example: docs.examples.prefix, description: `First characters of the ${docs.noun}, to tell ${docs.noun}s apart` },
    createdAt: { type: String, example: '2026-11-21T08:00:00.000Z' },
    lastUsedAt: { example: '2026-11-21T09:30:00.000Z', nullable: true, type: String },
    revokedAt: { example: null, nullable: true, type: String, description: `Set once the ${docs.noun} is revoked` },
  };
  for (const field of FIELD_ORDER) {
    ApiProperty(common[field])(Listed.prototype, field);
    for (const [own, { after, options }] of Object.entries(docs.ownFields)) if (after === field) ApiProperty(options)(Listed.prototype, own);
  }
  return Listed as Type<IssuedCredentialFields>;
}

/**
 * The answer to issuing a credential: its listing plus the secret under `property` (the noun),
 * which no later answer shows again.
 */
export function ShownOnceDto<TListed, K extends string>(
  Listed: Type<TListed>,
  property: K,
  docs: { example: string; sendAs: string },
): Type<TListed & Record<K, string>> {
  class Created extends (Listed as Type<object>) {}
  ApiProperty({ type: String, example: docs.example, description: `The ${property} itself, shown only in this response: send it as ${docs.sendAs}` })(
    Created.prototype,
    property,
  );
  return Created as Type<TListed & Record<K, string>>;
}

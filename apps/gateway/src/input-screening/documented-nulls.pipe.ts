import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { AppError } from '@app/contracts';

/**
 * class-validator's @IsOptional() lets `null` through as well as an absent field, so a body with
 * `"field": null` would reach a service that only expects a value or nothing. Runs after the
 * ValidationPipe: a null is accepted only where the DTO documents the field `nullable` (which is
 * what the API reference promises), in nested DTOs too.
 */
@Injectable()
export class DocumentedNullsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body') {
      const field = firstUndocumentedNull(value, '');
      if (field) throw new AppError('INVALID_PAYLOAD', `${field} must not be null`, { fields: [{ field, problems: ['must not be null'] }] });
    }
    return value;
  }
}

function isNullable(instance: object, property: string): boolean {
  const documented = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, Object.getPrototypeOf(instance) as object, property) as
    { nullable?: boolean } | undefined;
  return documented?.nullable === true;
}

/** DTO instances only: plain objects (free-form JSON fields such as AI `parameters`) are the DTO's business. */
const isDto = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype;

function firstUndocumentedNull(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = firstUndocumentedNull(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isDto(value)) return undefined;
  for (const [property, child] of Object.entries(value)) {
    const field = path ? `${path}.${property}` : property;
    if (child === null && !isNullable(value, property)) return field;
    const found = firstUndocumentedNull(child, field);
    if (found) return found;
  }
  return undefined;
}

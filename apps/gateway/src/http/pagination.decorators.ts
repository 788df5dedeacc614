import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Stacked } from './stacked.decorator';

interface QueryIntegerRange {
  default: number;
  minimum: number;
  maximum?: number;
  /** Shown in the docs; absent where a route never had one. */
  example?: number;
  description?: string;
}

/**
 * An optional whole number in a list route's query string (`limit`, `offset`, `page`, …): the
 * text converted to a number, checked against the range the docs state.
 */
export function QueryInteger({ default: fallback, minimum, maximum, example, description }: QueryIntegerRange): PropertyDecorator {
  return Stacked(
    ApiPropertyOptional({
      ...(example === undefined ? {} : { example }),
      ...(description === undefined ? {} : { description }),
      default: fallback,
      minimum,
      ...(maximum === undefined ? {} : { maximum }),
    }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(minimum),
    ...(maximum === undefined ? [] : [Max(maximum)]),
  );
}

/** How many rows one page of a list holds: 1 to `maximum`, `default` when absent. */
export const PageLimit = (range: { default: number; maximum: number; example?: number }): PropertyDecorator => QueryInteger({ ...range, minimum: 1 });

/** How many rows of a list to skip before the page (0 when absent). */
export const PageOffset = (example?: number): PropertyDecorator => QueryInteger({ default: 0, minimum: 0, example });

import { applyDecorators } from '@nestjs/common';

/**
 * Combines property decorators as if they stood stacked above the property in this order.
 * TypeScript applies stacked decorators bottom-up, and class-validator reports a field's failed
 * rules in the order they were applied: a combined field keeps the error messages it had.
 */
export const Stacked = (...decorators: PropertyDecorator[]): PropertyDecorator => applyDecorators(...[...decorators].reverse());

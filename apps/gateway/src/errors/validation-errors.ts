import type { ValidationError } from 'class-validator';
import { AppError } from '@app/contracts';

interface FieldProblem {
  field: string;
  problems: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {});
    const nested = flatten(error.children ?? [], field);
    return own.length > 0 ? [{ field, problems: own }, ...nested] : nested;
  });
}

/** ValidationPipe's exceptionFactory: every invalid field named, in the API's own error. */
export function invalidPayload(errors: ValidationError[]): AppError {
  const fields = flatten(errors);
  const summary = fields.map((f) => f.problems.join('; ')).join('; ');
  return new AppError('INVALID_PAYLOAD', summary || 'Invalid request payload', { fields });
}

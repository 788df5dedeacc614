import { Transform } from 'class-transformer';

/** Parses an env string as a number; a non-number stays NaN so validation names the variable. */
export const ToNumber = (): PropertyDecorator => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? Number(value) : value));

export const ToBoolean = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    if (/^(1|true|yes|on)$/i.test(value)) return true;
    if (/^(0|false|no|off)$/i.test(value)) return false;
    return value;
  });

/** Comma-separated list, trimmed, blanks dropped. */
export const ToList = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : value,
  );

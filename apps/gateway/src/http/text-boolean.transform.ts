/** Query strings and multipart fields arrive as text: `'true'` and `'false'` become booleans, anything else is left to the validator. */
export const toBoolean = ({ value }: { value: unknown }): unknown => (value === 'true' ? true : value === 'false' ? false : value);

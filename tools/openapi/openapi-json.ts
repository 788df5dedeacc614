/** How openapi.json is written: two-space JSON and a final newline, so diffs stay readable. */
export const openApiJson = (document: object): string => `${JSON.stringify(document, null, 2)}\n`;

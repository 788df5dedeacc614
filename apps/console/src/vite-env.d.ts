/** The Vite variables the console reads (Vite types the rest of `import.meta.env` as `any`). */
interface ImportMetaEnv {
  /** The gateway `npm run console:dev` talks to. */
  readonly VITE_GATEWAY_URL?: string;
}

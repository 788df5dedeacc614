import { render } from 'preact';
import { apiBaseFromLocation } from './api/api-base';
import { App } from './app';
import './styles.css';

// Served by the gateway: the API is on the same origin. From `npm run console:dev` (Vite on
// :5173), the gateway named by VITE_GATEWAY_URL (its ALLOWED_ORIGINS must include the dev origin).
const baseUrl = import.meta.env.DEV ? (import.meta.env.VITE_GATEWAY_URL ?? 'http://localhost:3000') : apiBaseFromLocation(location.href);

render(<App baseUrl={baseUrl} />, document.getElementById('app')!);

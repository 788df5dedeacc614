import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { startSandbox, type RunningSandbox } from '../support/sandbox-launcher';
import { eventually } from '../support/suite-harness';
import type { UntypedJson } from '../support/untyped-json';

/** Debian's chromium, never a downloaded browser (`apt-get install chromium`; .ci/run installs it). */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The test run keeps the README's and docs' screenshots current. */
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'console');

// Numbers no other test file links: the run's files share one database, where a phone stays linked to one session.
const ACCOUNT = '6281900000012';
const CONTACT = '6281900000034';
const ADMIN = { email: 'ops@example.com', password: 'a long passphrase', name: 'Ops' };

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`SKIPPED the console's browser test: ${CHROMIUM} is missing. Install Debian's chromium (apt-get install -y chromium) to run it; .ci/run does.`);
}
const describeInBrowser = hasChromium ? describe : describe.skip;

/**
 * The console in a real browser against `npm run sandbox`: sign in, create a session, the QR
 * appears, the simulated phone scans it, the status turns connected without a reload, a text
 * goes out and shows delivered then read, the session logs out, and the user signs out.
 */
describeInBrowser('the web console in a browser, against npm run sandbox', () => {
  let sandbox: RunningSandbox;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const apiRequests: string[] = [];

  const call = async (url: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') => {
    const response = await fetch(url, {
      method,
      headers: { 'x-api-key': sandbox.adminKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as UntypedJson };
  };
  const shot = (name: string, fullPage = true) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
  const statusBadge = () => page.locator('.session-status .badge');

  beforeAll(async () => {
    sandbox = await startSandbox('console');
    expect((await call(`${sandbox.gateway}/users`, { ...ADMIN, role: 'admin' })).status).toBe(201);
    expect((await call(`${sandbox.simulator}/accounts`, { phoneNumber: ACCOUNT, name: 'Shop phone' })).status).toBe(201);
    // The contact confirms delivery, then reads what it receives (the simulator's default receipts).
    expect((await call(`${sandbox.simulator}/contacts`, { phoneNumber: CONTACT, name: 'Siti' })).status).toBe(201);
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    // A CSP refusal or a script error shows up here; the console must have none.
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request: Request) => {
      const url = new URL(request.url());
      if (!url.pathname.startsWith('/console')) apiRequests.push(`${request.method()} ${url.pathname}`);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  it('signs in, links a phone by QR, sends a text that is delivered and read, logs the session out and signs out', async () => {
    await page.goto(`${sandbox.gateway}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    await page.getByLabel('Email', { exact: true }).fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await shot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
    await page.locator('.stream-live').waitFor();
    // The list is loaded (earlier test files of the same run may have left sessions in it).
    await page.getByRole('heading', { name: /^All sessions \(\d+\)$/ }).waitFor();
    expect(await page.evaluate('Object.keys(sessionStorage)')).toEqual(['wagw.console.credential']);

    // Create a session: the console opens its page, and the first QR arrives over the live events.
    await page.getByLabel('Session id', { exact: true }).fill('shop');
    await page.getByLabel('Display name', { exact: true }).fill('Shop');
    await page.getByRole('button', { name: 'Create and link' }).click();
    await page.waitForURL(/#\/sessions\/shop$/);
    const qr = page.getByRole('img', { name: 'QR code to link session Shop' });
    await qr.waitFor({ timeout: 30_000 });
    const shown = (await qr.getAttribute('data-qr'))!;
    const current = await call(`${sandbox.gateway}/sessions/shop/qr?format=raw&wait=0`);
    expect(shown).toBe(current.body.qr);
    // Drawn for real: a QR's share of dark modules, not a blank canvas.
    const darkShare = await page.evaluate<number>(`(() => {
      const canvas = document.querySelector('canvas.qr');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark += 1;
      return dark / (data.length / 4);
    })()`);
    expect(darkShare).toBeGreaterThan(0.25);
    expect(darkShare).toBeLessThan(0.75);
    await expect(statusBadge().textContent()).resolves.toBe('Waiting for QR scan');
    await shot('session-qr');

    // The phone scans it: the page turns connected from the live event alone (no reload, no request).
    await page.evaluate('window.__sameDocument = true');
    const requestsBeforeScan = apiRequests.length;
    expect((await call(`${sandbox.simulator}/pairing/qr`, { phoneNumber: ACCOUNT, qr: shown })).status).toBe(200);
    await page.locator('.session-status .badge', { hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(apiRequests.slice(requestsBeforeScan)).toEqual([]);
    await page.getByRole('heading', { name: 'Link a phone' }).waitFor({ state: 'detached' });
    await expect(page.locator('.facts').textContent()).resolves.toContain(`+${ACCOUNT}`);

    // Send a text: the contact decrypts it; its status moves to delivered, then read when the contact reads it.
    await page.getByLabel('To', { exact: true }).fill('081900000034');
    await page.getByLabel('Message', { exact: true }).fill('Halo dari console!');
    await page.evaluate(`(() => {
      window.__deliveryStatuses = [];
      const record = () => {
        const badge = document.querySelector('.messages .message .badge');
        const status = badge && badge.lastChild ? badge.lastChild.textContent : null;
        if (status && window.__deliveryStatuses.at(-1) !== status) window.__deliveryStatuses.push(status);
      };
      new MutationObserver(record).observe(document.querySelector('main'), { subtree: true, childList: true, characterData: true });
    })()`);
    await page.getByRole('button', { name: 'Send text' }).click();
    const sent = page.locator('.message', { hasText: 'Halo dari console!' });
    await sent.waitFor();
    await eventually(
      async () => {
        const records = (await call(`${sandbox.simulator}/messages/sent?to=${CONTACT}`)).body as Array<{ text: string; messageId: string }>;
        return records.find((record) => record.text === 'Halo dari console!');
      },
      20_000,
      'the text at the simulated contact',
    );
    await sent.locator('.badge', { hasText: 'Read' }).waitFor({ timeout: 20_000 });
    // Every status the badge showed, in order: receipts move it forward only (a delivery receipt
    // may be merged into the read one, as test/e2e/live-events.e2e-spec.ts explains).
    expect([
      ['Sent', 'Delivered', 'Read'],
      ['Sent', 'Read'],
    ]).toContainEqual(await page.evaluate('window.__deliveryStatuses'));
    await shot('session-connected');

    // The session list shows it live too, with its phone and worker.
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    const row = page.locator('tr[data-session-id="shop"]');
    await row.waitFor();
    const { workerId } = (await call(`${sandbox.gateway}/sessions/shop`)).body as { workerId: string };
    expect(workerId).toBeTruthy();
    const cell = (label: string) => row.locator(`[data-label="${label}"]`).textContent();
    expect(await Promise.all(['Status', 'Owner', 'Phone', 'Worker', 'Last error'].map(cell))).toEqual(['Connected', 'you', `+${ACCOUNT}`, workerId, '—']);
    await shot('sessions');

    // Log the session out (after confirming): it turns logged out and the phone loses the device.
    await row.getByRole('link', { name: 'Shop' }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    const dialog = page.getByRole('dialog', { name: 'Log out session Shop?' });
    await dialog.getByRole('button', { name: 'Log out' }).click();
    await page.locator('.session-status .badge', { hasText: 'Logged out' }).waitFor({ timeout: 20_000 });
    await eventually(
      async () => {
        const phone = (await call(`${sandbox.simulator}/phones/${ACCOUNT}`)).body as { devices: unknown[] };
        return phone.devices.length === 0 ? true : undefined;
      },
      20_000,
      'the device unlinked at the phone',
    );

    // Sign out: back at the sign-in form, nothing left in session storage.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate('Object.keys(sessionStorage)')).toEqual([]);
    expect(problems).toEqual([]);
  }, 180_000);

  it('shows the admin pages: workers, and users with an API key shown once and revoked', async () => {
    await page.getByRole('radio', { name: 'API key' }).check();
    await page.locator('#api-key').fill(sandbox.adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Workers' }).click();
    const worker = page.locator('tbody tr').first();
    await worker.waitFor();
    await expect(worker.textContent()).resolves.toMatch(/Active/);
    await shot('workers');

    await page.getByRole('link', { name: 'Users' }).click();
    const user = page.locator('.user-list > li', { hasText: ADMIN.email });
    await user.getByRole('button', { name: 'API keys' }).click();
    await user.getByLabel('Key name', { exact: true }).fill('deploy-scripts');
    await user.getByRole('button', { name: 'Create key' }).click();
    const key = await user.getByLabel('Key', { exact: true }).inputValue();
    expect((await fetch(`${sandbox.gateway}/auth/me`, { headers: { 'x-api-key': key } })).status).toBe(200);
    await shot('users');
    await user.getByRole('button', { name: 'I have copied it' }).click();
    await user.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke key “deploy-scripts”?' }).getByRole('button', { name: 'Revoke key' }).click();
    await user.locator('.badge', { hasText: 'Revoked' }).waitFor();
    expect((await fetch(`${sandbox.gateway}/auth/me`, { headers: { 'x-api-key': key } })).status).toBe(401);
    expect(problems).toEqual([]);
  }, 60_000);

  it("fits a phone's width and shows the API's errors with their trace id", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    await page.locator('tr[data-session-id="shop"]').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // The phone's first screen: a full page at this width is tens of thousands of pixels tall.
    await shot('phone', false);

    await page.goto(`${sandbox.gateway}/console/#/sessions/nobody-has-this`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/Session nobody-has-this does not exist.*SESSION_NOT_FOUND.*HTTP 404.*Trace id [0-9a-f-]{36}/);
    problems.splice(0, problems.length, ...problems.filter((problem) => !/status of 404/.test(problem)));
    expect(problems).toEqual([]);
  }, 60_000);
});

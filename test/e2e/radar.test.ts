/**
 * The radar page in Chromium against the real server (default models, SQLite file): two calm days are stored
 * through the pipeline in 6-hour chunks (an import: the chunks must not close the rest of the two days with
 * zeros, or the calm would look like a spike), then a surge of complaints arrives now. The page shows the brand's stream with its
 * expected band and the alert marked, lists the alert, opens its detail (the sentence, the mentions behind it)
 * and acknowledges it. On the settings view an admin (sign-in is off) tunes and mutes rules and adds, tests,
 * edits and deletes channels (a webhook against a local recorder, Slack, e-mail), with secrets masked; German
 * labels come from the catalog.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchBrowser, SKIP_BROWSER, startServer, type LaunchedBrowser, type TestServer } from './browser.ts';
import { createWorkspace } from './replay.ts';
import { createSource } from '../../src/sources/source.service.ts';
import { BUCKET, DAY, calmItems, surgeItems } from '../radar/synthetic.ts';
import { startRecorder, type Recorder } from '../radar/recorder.ts';

describe('radar page in Chromium', { skip: SKIP_BROWSER, timeout: 120_000 }, () => {
  let server: TestServer;
  let chrome: LaunchedBrowser;
  let page: Page;
  let ws: number;
  let hook: Recorder;
  const pageErrors: string[] = [];
  const apiGet = async <T>(path: string): Promise<T> => (await (await fetch(`${server.url}/api/workspaces/${ws}${path}`)).json()) as T;

  before(async () => {
    hook = await startRecorder();
    // SMTP settings let e-mail channels be created; nothing is sent to that address in this test.
    server = await startServer({ FETCH_ALLOW_PRIVATE: 'loopback', RUN_SOURCES: 'false', SMTP_HOST: '127.0.0.1', SMTP_PORT: '2', SMTP_FROM: 'radar@earshot.test' });
    let brandIds: Record<string, number>;
    ({ ws, brandIds } = await createWorkspace(server.url, 'Radar E2E', [{ name: 'Skyways', kind: 'own', query: 'skyways' }]));
    const ctx = server.app.ctx;
    const source = await createSource(ctx, ws, { kind: 'webhook', name: 'replay', settings: {}, brandId: brandIds.Skyways! });
    const pctx = { workspaceId: ws, sourceId: source.id, sourceKind: 'webhook', fixedBrandId: brandIds.Skyways! };
    const now = Math.floor(Date.now() / BUCKET) * BUCKET;
    const start = now - 2 * DAY;
    for (let h = start; h < now; h += 6 * 3_600_000) await ctx.pipeline.process(pctx, { items: calmItems(h, Math.min(now, h + 6 * 3_600_000)), cursor: null });
    await ctx.pipeline.process(pctx, { items: surgeItems(now, 60).map((m) => ({ ...m, publishedAt: Math.min(Date.now(), m.publishedAt as number) })), cursor: null });
    await ctx.radar.idle();
    chrome = await launchBrowser();
    page = await chrome.browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400 && !(r.status() === 404 && r.url().endsWith('/api/auth/me'))) pageErrors.push(`${r.status()} ${r.url()}`);
    });
  });

  after(async () => {
    await chrome?.close();
    await server?.close();
    await hook?.close();
  });

  it('shows the stream with its band and the alert marked, and the alert in the list', async () => {
    await page.goto(`${server.url}/w/${ws}/radar`);
    const chart = page.getByTestId('radar-chart');
    await chart.waitFor();
    assert.ok(Number(await chart.getAttribute('data-total')) > 100);
    assert.equal(await chart.getAttribute('data-alerts'), '1');
    await page.getByTestId('alert-list').getByText('Volume spike: Skyways').first().waitFor();
  });

  it('opens an alert with its explanation and the mentions behind it, and acknowledges it', async () => {
    await page.getByRole('button', { name: /Open alert: Volume spike: Skyways/ }).click();
    const detail = page.getByTestId('alert-detail');
    await detail.waitFor();
    assert.match(await page.getByTestId('alert-summary').innerText(), /Mentions of Skyways: \d+ in 5 minutes .* expected/);
    const behind = await page.getByTestId('alert-mentions').locator('li').count();
    assert.ok(behind >= 60, `mentions behind the alert: ${behind}`);
    assert.match(page.url(), /alert=\d+/);
    await detail.getByRole('button', { name: 'Acknowledge' }).click();
    await detail.getByText('Acknowledged').waitFor();
    assert.deepEqual(pageErrors, []);
  });

  it('tunes and mutes alert rules on the settings view', async () => {
    await page.getByRole('link', { name: 'Rules & notifications' }).click();
    const rules = page.getByTestId('alert-rules');
    await rules.waitFor();
    assert.match(page.url(), /view=settings/);
    assert.equal(await rules.locator('tbody tr').count(), 5);
    const volume = rules.locator('tr[data-rule="volume_spike"]');
    await volume.getByLabel('Severity: Volume spike').selectOption('critical');
    await volume.getByLabel('Cool-down (minutes): Volume spike').fill('120');
    await volume.getByLabel('Threshold: Volume spike').fill('0.6');
    await volume.getByRole('button', { name: 'Save' }).click();
    await volume.getByText('Saved').waitFor();
    type Rule = { kind: string; severity: string; cooldownMs: number; threshold: number; muted: boolean; mutedUntil: number | null };
    const rule = async (kind: string) => (await apiGet<{ items: Rule[] }>('/alerts/rules')).items.find((r) => r.kind === kind)!;
    assert.deepEqual(await rule('volume_spike').then((r) => [r.severity, r.cooldownMs, r.threshold]), ['critical', 120 * 60_000, 0.6]);

    const negative = rules.locator('tr[data-rule="negativity_spike"]');
    await negative.getByLabel('Mute Negativity spike for').selectOption('forever');
    await negative.getByRole('button', { name: 'Mute', exact: true }).click();
    await negative.getByTestId('rule-status').getByText('Muted', { exact: true }).waitFor();
    assert.deepEqual(await rule('negativity_spike').then((r) => [r.muted, r.mutedUntil]), [true, null]);
    await negative.getByRole('button', { name: 'Unmute' }).click();
    await negative.getByTestId('rule-status').getByText('Active').waitFor();
    assert.equal((await rule('negativity_spike')).muted, false);

    const topic = rules.locator('tr[data-rule="topic_surge"]');
    await topic.getByRole('button', { name: 'Mute', exact: true }).click();
    await topic.getByTestId('rule-status').getByText(/Muted until/).waitFor();
    const until = (await rule('topic_surge')).mutedUntil!;
    assert.ok(until > Date.now() + 23 * 3_600_000 && until <= Date.now() + 24 * 3_600_000, 'muted for the default 24 hours');
  });

  it('adds a webhook channel (secret shown once, then masked), tests and edits it', async () => {
    await page.getByRole('button', { name: 'Add channel' }).click();
    const form = page.getByTestId('channel-form');
    await form.getByLabel('Name').fill('Ops hook');
    await form.getByLabel('URL').fill(`${hook.url}/radar`);
    await form.getByLabel('From severity').selectOption('info');
    await form.getByRole('button', { name: 'Save' }).click();
    const secret = await page.getByTestId('channel-secret').locator('code').innerText();
    assert.match(secret, /^whsec_/);
    const row = page.locator('tr[data-channel="Ops hook"]');
    await row.waitFor();
    const listed = await row.innerText();
    assert.ok(listed.includes(`${hook.url}/radar`) && listed.includes(`secret ${secret.slice(0, 10)}…`), listed);
    assert.ok(!listed.includes(secret), 'the list shows the secret masked');

    await row.getByRole('button', { name: 'Send test' }).click();
    await row.getByTestId('channel-test').getByText('Test delivered (answer 200)').waitFor();
    assert.equal(hook.received.length, 1);
    assert.equal(hook.received[0]!.path, '/radar');
    assert.match(String(hook.received[0]!.headers['webhook-signature']), /^v1,/);

    await row.getByRole('button', { name: 'Edit' }).click();
    await form.getByLabel('Name').fill('Ops webhook');
    await form.getByLabel('From severity').selectOption('critical');
    await form.getByRole('button', { name: 'Save' }).click();
    const edited = page.locator('tr[data-channel="Ops webhook"]');
    await edited.getByText('Critical').waitFor();
    type Channel = { name: string; kind: string; minSeverity: string; config: { url?: string; secret?: string; to?: string[] } };
    const channels = await apiGet<{ items: Channel[] }>('/alerts/channels');
    assert.deepEqual(channels.items.map((c) => [c.name, c.minSeverity, c.config.url]), [['Ops webhook', 'critical', `${hook.url}/radar`]]);
    await page.getByTestId('channel-secret').waitFor({ state: 'detached' });
  });

  it('adds Slack and e-mail channels (the Slack URL masked), edits recipients and deletes a channel', async () => {
    const form = page.getByTestId('channel-form');
    await page.getByRole('button', { name: 'Add channel' }).click();
    await form.getByLabel('Kind').selectOption('slack');
    await form.getByLabel('Name').fill('Team Slack');
    await form.getByLabel('URL').fill(`${hook.url}/services/T0/B0/SECRETTOKEN`);
    await form.getByRole('button', { name: 'Save' }).click();
    const slack = page.locator('tr[data-channel="Team Slack"]');
    await slack.waitFor();
    assert.ok(!(await slack.innerText()).includes('SECRETTOKEN'), 'a Slack URL is not shown whole');
    assert.match(await slack.innerText(), /\/services\/…/);

    await page.getByRole('button', { name: 'Add channel' }).click();
    await form.getByLabel('Kind').selectOption('email');
    await form.getByLabel('Name').fill('PR mail');
    await form.getByLabel('Recipients (comma-separated)').fill('pr@example.com, ops@example.com');
    await form.getByRole('button', { name: 'Save' }).click();
    const mail = page.locator('tr[data-channel="PR mail"]');
    await mail.getByText('pr@example.com, ops@example.com').waitFor();
    await mail.getByRole('button', { name: 'Edit' }).click();
    await form.getByLabel('Recipients (comma-separated)').fill('crisis@example.com');
    await form.getByRole('button', { name: 'Save' }).click();
    await mail.getByText('crisis@example.com').waitFor();

    // Renaming a Slack channel keeps its (masked) URL: the empty URL field means "unchanged".
    await slack.getByRole('button', { name: 'Edit' }).click();
    await form.getByLabel('Name').fill('Team Slack #alerts');
    await form.getByRole('button', { name: 'Save' }).click();
    const renamed = page.locator('tr[data-channel="Team Slack #alerts"]');
    await renamed.getByRole('button', { name: 'Send test' }).click();
    await renamed.getByTestId('channel-test').getByText('Test delivered (answer 200)').waitFor();
    assert.equal(hook.received[hook.received.length - 1]!.path, '/services/T0/B0/SECRETTOKEN');

    page.once('dialog', (d) => void d.accept());
    await mail.getByRole('button', { name: 'Delete' }).click();
    await mail.waitFor({ state: 'detached' });
    const names = (await apiGet<{ items: { name: string }[] }>('/alerts/channels')).items.map((c) => c.name);
    assert.deepEqual(names, ['Ops webhook', 'Team Slack #alerts']);
    assert.deepEqual(pageErrors, []);
  });

  it('speaks German', async () => {
    await page.locator('header select').last().selectOption('de');
    await page.getByRole('heading', { name: 'Regeln & Benachrichtigungen' }).waitFor();
    await page.getByRole('heading', { name: 'Alarmregeln' }).waitFor();
    await page.getByRole('link', { name: 'Zurück zum Radar' }).click();
    await page.getByRole('heading', { name: 'Radar' }).waitFor();
    await page.getByText('Alarme', { exact: true }).waitFor();
  });
});

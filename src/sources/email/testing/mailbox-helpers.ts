/**
 * Test helpers around a DovecotServer: a second IMAP client that delivers messages (APPEND, as an MTA's
 * delivery would), fixture messages, and settings for the source under test. Only tests import this.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { emailSettings, type EmailSettings } from '../email-settings.ts';
import type { DovecotServer } from './dovecot.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../../../../test/fixtures/email');

export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, name));
}

/** A plain customer message with a given Message-ID local part (`<id@customer.example>`). */
export function customerMail(id: string, text: string, headers: Record<string, string> = {}): string {
  const lines = [
    `From: Customer ${id} <${id}@customer.example>`,
    'To: support@example.test',
    `Subject: Complaint ${id}`,
    'Date: Mon, 09 Nov 2026 10:00:00 +0000',
    `Message-ID: <${id}@customer.example>`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '',
  ];
  return lines.join('\r\n');
}

/** An IMAP client logged in as the test user, for delivering messages and changing mailboxes. */
export async function deliveryClient(server: DovecotServer): Promise<ImapFlow> {
  const client = new ImapFlow({ host: server.host, port: server.port, secure: false, doSTARTTLS: false, auth: { user: server.user, pass: server.password }, logger: false });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** APPENDs the messages in order (so their UIDs ascend in that order). */
export async function deliver(client: ImapFlow, mailbox: string, messages: (string | Buffer)[]): Promise<void> {
  for (const m of messages) await client.append(mailbox, m);
}

/** Deletes the mailbox if it exists and creates it again: a new UIDVALIDITY, as after a server migration. */
export async function recreateMailbox(client: ImapFlow, mailbox: string): Promise<void> {
  await client.mailboxDelete(mailbox).catch(() => undefined);
  await client.mailboxCreate(mailbox);
}

/** Validated settings for the source under test (plain IMAP on loopback, polling unless overridden). */
export function settingsFor(server: DovecotServer, mailbox: string, overrides: Record<string, unknown> = {}): EmailSettings {
  return emailSettings.parse({
    host: server.host,
    port: server.port,
    secure: false,
    starttls: 'off',
    user: server.user,
    password: server.password,
    mailbox,
    idle: false,
    timeoutSeconds: 5,
    ...overrides,
  });
}

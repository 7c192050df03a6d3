/**
 * An SMTP transport (nodemailer) for the operator's SMTP_* settings, shared by alert e-mails and SLA notices.
 * nodemailer is imported on first use: a process that never sends e-mail does not hold it in memory.
 */
import type { Transporter } from 'nodemailer';
import type { SmtpConfig } from '../../config.ts';

export async function createSmtpTransport(smtp: SmtpConfig): Promise<Transporter> {
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    host: smtp.host, port: smtp.port, secure: smtp.secure,
    connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
  });
}

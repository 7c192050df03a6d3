/**
 * A private Dovecot IMAP server for tests: its own config, users file and maildir in a temp directory,
 * listening on a free loopback port, started in the foreground and stopped by its PID. Nothing outside
 * the temp directory is touched (no system service, no /etc/dovecot).
 *
 * CI installs Debian's `dovecot-imapd` (see .ci/run). Where it is missing, `findDovecot()` returns null and
 * the IMAP tests are skipped with a message saying so; everything else still runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CANDIDATES = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];

/** Path of the dovecot binary, or null when Dovecot is not installed. */
export function findDovecot(): string | null {
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

export interface DovecotServer {
  host: string;
  port: number;
  /** Implicit-TLS port (a self-signed certificate for 127.0.0.1; STARTTLS is offered on `port` too), or
   *  null when openssl is not installed to make the certificate. */
  tlsPort: number | null;
  user: string;
  password: string;
  /** Dovecot's log so far (logins say ", TLS," when the session was encrypted). */
  log(): string;
  /** Stops the server (SIGTERM to its PID, SIGKILL if it lingers) and removes the temp directory. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Start Dovecot for one user (`support@example.test` / a random password). `capability` replaces the
 * CAPABILITY list the server announces (a server without IDLE, say).
 * @throws Error with the tail of Dovecot's log when it does not answer within 15 s.
 */
export async function startDovecot(binary: string, options: { capability?: string } = {}): Promise<DovecotServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-dovecot-'));
  const user = 'support@example.test';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const port = await freePort();
  const tlsPort = makeCertificate(dir) ? await freePort() : null;
  const owner = writeConfig(dir, { port, tlsPort, user, password, ...options });
  const child = spawn(binary, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await waitForGreeting(port, child);
  } catch (err) {
    await stopChild(child);
    const log = readTail(path.join(dir, 'dovecot.log'));
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`dovecot did not start (${(err as Error).message}) as ${owner}:\n${output}${log}`);
  }
  return {
    host: '127.0.0.1',
    port,
    tlsPort,
    user,
    password,
    log: () => readTail(path.join(dir, 'dovecot.log'), Infinity),
    async stop() {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface ConfigInput {
  port: number;
  tlsPort: number | null;
  user: string;
  password: string;
  /** Replaces the CAPABILITY list (e.g. one without IDLE); Dovecot's own list when absent. */
  capability?: string;
}

/**
 * Writes dovecot.conf and the users file. As root, Dovecot drops privileges (login processes refuse to
 * run as root), so the mail is owned by the `dovecot` user; as anyone else, everything runs as that user.
 * @returns the system user that owns the mail, for messages.
 */
function writeConfig(dir: string, c: ConfigInput): string {
  const root = process.getuid?.() === 0;
  const me = os.userInfo();
  const users = root ? { login: 'dovenull', internal: 'dovecot', group: 'dovecot' } : { login: me.username, internal: me.username, group: String(me.gid) };
  for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  fs.writeFileSync(path.join(dir, 'users'), `${c.user}:{PLAIN}${c.password}\n`);
  if (root) {
    const { uid, gid } = systemUser(users.internal);
    fs.chownSync(path.join(dir, 'mail'), uid, gid);
    fs.chmodSync(dir, 0o755);
  }
  fs.writeFileSync(path.join(dir, 'dovecot.conf'), configText(dir, c, users));
  return root ? 'root (mail owned by dovecot)' : me.username;
}

function configText(dir: string, c: ConfigInput, users: { login: string; internal: string; group: string }): string {
  const ssl = c.tlsPort ? `ssl = yes\nssl_cert = <${dir}/cert.pem\nssl_key = <${dir}/key.pem` : 'ssl = no';
  return `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
${ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
# Tests try a wrong password on purpose; the default 2 s penalty only slows them down.
auth_failure_delay = 0
mail_location = maildir:${dir}/mail/%u
${c.capability ? `imap_capability = ${c.capability}` : ''}
default_login_user = ${users.login}
default_internal_user = ${users.internal}
default_internal_group = ${users.group}
first_valid_uid = 1
first_valid_gid = 1
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${c.port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${c.tlsPort ?? 0}
  }
}
service anvil {
  chroot =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${users.internal} gid=${users.group} home=${dir}/mail/%u
}
`;
}

/** A throw-away self-signed certificate for 127.0.0.1 in `dir`. @returns false when openssl is missing. */
function makeCertificate(dir: string): boolean {
  const openssl = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => fs.existsSync(p));
  if (!openssl) return false;
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost'];
  args.push('-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'));
  return spawnSync(openssl, args, { stdio: 'ignore' }).status === 0;
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`system user ${name} not found (is dovecot-core installed?)`);
  return { uid: Number(uid), gid: Number(gid) };
}

/** Polls the port until the IMAP greeting arrives; fails early if the process exits. */
async function waitForGreeting(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with code ${child.exitCode}`);
    if (await greets(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no IMAP greeting within 15 s');
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('data', (d) => done(d.toString().startsWith('* OK')));
    socket.once('error', () => done(false));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function readTail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

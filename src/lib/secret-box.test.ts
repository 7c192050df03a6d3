import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { configureSecretKey, isSealed, open, openSecrets, parseSecretKey, seal, sealSecrets, secretKeySource } from './secret-box.ts';

const KEY = crypto.randomBytes(32);

describe('secret box', () => {
  afterEach(() => configureSecretKey({ kind: 'ephemeral' }));

  it('seals and opens, binding the value to its field', () => {
    const sealed = seal(KEY, 'clientSecret', 'hunter2 — ünïcode');
    assert.ok(isSealed(sealed));
    assert.doesNotMatch(sealed, /hunter2/);
    assert.equal(open(KEY, 'clientSecret', sealed), 'hunter2 — ünïcode');
    assert.notEqual(seal(KEY, 'clientSecret', 'x'), seal(KEY, 'clientSecret', 'x'), 'a fresh IV every time');
    assert.throws(() => open(KEY, 'password', sealed), 'another field');
    assert.throws(() => open(crypto.randomBytes(32), 'clientSecret', sealed), 'another key');
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    assert.throws(() => open(KEY, 'clientSecret', tampered), 'altered');
  });

  it('reads 32-byte keys as hex or base64 and refuses anything else', () => {
    assert.deepEqual(parseSecretKey(KEY.toString('hex')), KEY);
    assert.deepEqual(parseSecretKey(KEY.toString('base64')), KEY);
    assert.deepEqual(parseSecretKey(KEY.toString('base64url')), KEY);
    assert.equal(parseSecretKey('too-short'), null);
    assert.equal(parseSecretKey(crypto.randomBytes(16).toString('hex')), null);
  });

  it('picks the key source: SECRET_KEY, a key file next to SQLite, per-process for tests, none for PostgreSQL', () => {
    assert.equal(secretKeySource(KEY.toString('base64'), null, false).kind, 'key');
    assert.deepEqual(secretKeySource(undefined, 'data/earshot.db', false), { kind: 'file', path: path.resolve('data/secret.key') });
    assert.equal(secretKeySource(undefined, ':memory:', false).kind, 'ephemeral');
    assert.equal(secretKeySource(undefined, 'data/earshot.db', true).kind, 'ephemeral');
    assert.equal(secretKeySource(undefined, null, false).kind, 'none');
  });

  it('seals only the listed fields and opens every sealed value; plaintext rows still read', () => {
    configureSecretKey({ kind: 'key', key: KEY });
    const stored = sealSecrets({ clientId: 'abc', clientSecret: 's3cret', limit: 5 }, ['clientSecret', 'missing']);
    assert.equal(stored.clientId, 'abc');
    assert.ok(isSealed(stored.clientSecret));
    assert.deepEqual(sealSecrets(stored, ['clientSecret']), stored, 'sealing twice is a no-op');
    assert.deepEqual(openSecrets(stored), { clientId: 'abc', clientSecret: 's3cret', limit: 5 });
    assert.deepEqual(openSecrets({ clientSecret: 'legacy-plain' }), { clientSecret: 'legacy-plain' });
  });

  it('fails clearly without a key, and with the wrong key', () => {
    configureSecretKey({ kind: 'key', key: KEY });
    const stored = sealSecrets({ token: 't' }, ['token']);
    configureSecretKey({ kind: 'none' });
    assert.throws(() => sealSecrets({ token: 't' }, ['token']), /SECRET_KEY is not set/);
    assert.throws(() => openSecrets(stored), /SECRET_KEY is not set/);
    configureSecretKey({ kind: 'key', key: crypto.randomBytes(32) });
    assert.throws(() => openSecrets(stored), /"token" cannot be decrypted/);
  });

  it('creates the SQLite quick-start key file once (mode 0600) and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-key-'));
    const file = path.join(dir, 'data', 'secret.key');
    try {
      configureSecretKey({ kind: 'file', path: file });
      assert.deepEqual(openSecrets({ a: 'plain' }), { a: 'plain' }, 'reading never creates the file');
      assert.equal(fs.existsSync(file), false);
      const stored = sealSecrets({ token: 't' }, ['token']);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      configureSecretKey({ kind: 'file', path: file });
      assert.deepEqual(openSecrets(stored), { token: 't' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

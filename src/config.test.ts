import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('has working defaults: SQLite file, port 8080, private networks refused', () => {
    const c = loadConfig({});
    assert.deepEqual(c.database, { kind: 'sqlite', path: './data/earshot.db' });
    assert.equal(c.port, 8080);
    assert.deepEqual(c.fetch.allowPrivate, []);
    assert.ok(Object.isFrozen(c));
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/earshot', DATABASE_SCHEMA: 'tenant_a' });
    assert.deepEqual(c.database, { kind: 'postgres', url: 'postgres://u@db:5432/earshot', schema: 'tenant_a' });
  });

  it('names every bad variable in one error', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', FETCH_ALLOW_PRIVATE: 'loopback,everything', LOG_LEVEL: 'loud' });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const text = err.message;
      for (const name of ['PORT', 'DATABASE_URL', 'FETCH_ALLOW_PRIVATE', 'LOG_LEVEL']) assert.match(text, new RegExp(name));
      assert.equal(err.problems.length, 4);
    }
  });

  it('lets command-line overrides win over the environment', () => {
    assert.equal(loadConfig({ PORT: '9000' }, { PORT: '9100' }).port, 9100);
    assert.deepEqual(loadConfig({ FETCH_ALLOW_PRIVATE: 'loopback, private' }).fetch.allowPrivate, ['loopback', 'private']);
  });
});

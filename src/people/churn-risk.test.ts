import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { churnRisk, repeatComplainer } from './churn-risk.ts';
import { identityKey } from './person.service.ts';
import { pickVariant, renderTemplate } from '../inbox/reply-template.ts';

const DAY = 86_400_000;
const now = 100 * DAY;

describe('people flags', () => {
  it('flags the third complaint in 21 days, not older ones', () => {
    assert.equal(repeatComplainer({ caseOpenedAt: [now - DAY, now - 5 * DAY, now - 20 * DAY], mentions: [] }, now), '3rd complaint in 21 days');
    assert.equal(repeatComplainer({ caseOpenedAt: [now - DAY, now - 5 * DAY, now - 22 * DAY], mentions: [] }, now), null);
  });

  it('rates churn risk from stated threats, repetition and negativity, with reasons', () => {
    const calm = churnRisk({ caseOpenedAt: [now - DAY], mentions: [{ at: now - DAY, sentiment: 'neutral', intents: ['question'] }] }, now);
    assert.deepEqual([calm.level, calm.reasons], ['low', []]);
    const angry = churnRisk({ caseOpenedAt: [now - DAY, now - 2 * DAY, now - 3 * DAY], mentions: [{ at: now - DAY, sentiment: 'negative', intents: ['churn_threat'] }, { at: now - 2 * DAY, sentiment: 'negative', intents: ['complaint'] }] }, now);
    assert.equal(angry.level, 'high');
    assert.deepEqual(angry.reasons, ['1 churn threat in 90 days', '3 cases in 21 days', '100 % of recent mentions negative']);
  });

  it('links identities by e-mail address only', () => {
    assert.equal(identityKey(' Jon@Customer.TEST '), 'email:jon@customer.test');
    assert.equal(identityKey('mailto:jon@customer.test'), 'email:jon@customer.test');
    assert.equal(identityKey('@jon'), null);
    assert.equal(identityKey('jon.bsky.social'), null);
  });
});

describe('saved replies', () => {
  it('fills known variables, leaves unknown ones visible, and picks the language variant', () => {
    assert.equal(renderTemplate('Hi {{ customer.name }}, {{agent.name}} here ({{unknown}})', { 'customer.name': 'Jon', 'agent.name': 'Bo' }), 'Hi Jon, Bo here ({{unknown}})');
    assert.equal(renderTemplate('Hi {{customer.name}}', { 'customer.name': '' }), 'Hi {{customer.name}}');
    assert.deepEqual(pickVariant({ en: 'Hi', es: 'Hola' }, 'es'), { lang: 'es', text: 'Hola' });
    assert.deepEqual(pickVariant({ en: 'Hi', es: 'Hola' }, 'fr'), { lang: 'en', text: 'Hi' });
    assert.deepEqual(pickVariant({ de: 'Hallo' }, null), { lang: 'de', text: 'Hallo' });
  });
});

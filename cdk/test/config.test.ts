// lib/config.ts: the deployment's settings from CDK context, their defaults, and refusals
// that say how to fix the setting.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { CONTEXT_KEYS, DEFAULTS, configFromContext } from '../lib/config';
import { REPOSITORY_ROOT } from './support';

const from = (context: Record<string, unknown>) => configFromContext((key) => context[key]);

describe('configuration', () => {
  test('has a default for every setting but the accounts: dry-run, LinkedIn-Version 202610, UTC, training Mondays', () => {
    const config = from({ accounts: ['500000001'] });
    assert.deepEqual(config, {
      accounts: ['500000001'],
      collectSchedule: 'rate(6 hours)',
      optimizeSchedule: 'cron(0 6 * * ? *)',
      trainSchedule: 'cron(0 3 ? * MON *)',
      scheduleTimeZone: 'UTC',
      mode: 'dry-run',
      notificationEmail: undefined,
      linkedinVersion: '202610',
      policyKey: undefined,
      athenaBytesScannedCutoffPerQuery: 1024 ** 3,
    });
    assert.equal(DEFAULTS.mode, 'dry-run');
  });

  test('reads command-line values, which arrive as text: a comma-separated list, a number', () => {
    const config = from({
      accounts: '500000001, 500000002',
      athenaBytesScannedCutoffPerQuery: '104857600',
      mode: 'approve',
      scheduleTimeZone: 'Europe/Berlin',
      optimizeSchedule: 'cron(30 5 ? * MON-FRI *)',
      trainSchedule: ' rate(7 days) ',
      notificationEmail: 'ops@example.com',
      policyKey: 'policies/seed-rules.toml',
    });
    assert.deepEqual(config.accounts, ['500000001', '500000002']);
    assert.equal(config.athenaBytesScannedCutoffPerQuery, 104857600);
    assert.equal(config.mode, 'approve');
    assert.equal(config.scheduleTimeZone, 'Europe/Berlin');
    assert.equal(config.trainSchedule, 'rate(7 days)');
    assert.equal(config.policyKey, 'policies/seed-rules.toml');
  });

  test('accepts account ids given as JSON numbers and treats an empty value as unset', () => {
    const config = from({ accounts: [500000001], notificationEmail: '', policyKey: '' });
    assert.deepEqual(config.accounts, ['500000001']);
    assert.equal(config.notificationEmail, undefined);
    assert.equal(config.policyKey, undefined);
  });

  test('refuses a deployment without accounts, naming where to set them', () => {
    for (const accounts of [undefined, [], '']) {
      assert.throws(() => from({ accounts }), /no ad accounts configured: set "accounts" in cdk\.json's "context"/);
    }
  });

  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ['an account id that is not digits', { accounts: ['12a'] }, /account id must be digits \(got "12a"\)/],
    ['an account listed twice', { accounts: ['1', '1'] }, /account 1 is listed twice/],
    ['an unknown mode', { mode: 'yolo' }, /mode must be one of dry-run, approve, auto \(got 'yolo'\)/],
    ['a schedule that is not an expression', { collectSchedule: 'every 6 hours' }, /collectSchedule must be an EventBridge Scheduler expression/],
    [
      'a train schedule that is not an expression, naming its default as the example',
      { trainSchedule: 'weekly' },
      /trainSchedule must be an EventBridge Scheduler expression, rate\(\.\.\.\), cron\(\.\.\.\) or at\(\.\.\.\), such as its default 'cron\(0 3 \? \* MON \*\)' \(got 'weekly'\)/,
    ],
    ['a train schedule that is not text', { trainSchedule: 7 }, /trainSchedule must be text \(got 7\)/],
    ['an unknown time zone', { scheduleTimeZone: 'Mars/Olympus' }, /scheduleTimeZone must be an IANA time zone/],
    ['a LinkedIn version not YYYYMM', { linkedinVersion: '2026-10' }, /linkedinVersion must be YYYYMM, e\.g\. 202610/],
    ['a policy outside policies/', { policyKey: 'config/policy.toml' }, /policyKey must be a store key under policies\//],
    ['a policy key that is a folder', { policyKey: 'policies/' }, /policyKey must be a store key under policies\//],
    ['a scan cutoff under Athena\'s minimum', { athenaBytesScannedCutoffPerQuery: 1000 }, /at least 10485760/],
    ['a scan cutoff that is not a number', { athenaBytesScannedCutoffPerQuery: '1 GB' }, /athenaBytesScannedCutoffPerQuery must be a whole number/],
    ['an e-mail without @', { notificationEmail: 'ops' }, /notificationEmail must be an e-mail address/],
  ];
  for (const [what, context, message] of refusals) {
    test(`refuses ${what}`, () => {
      assert.throws(() => from({ accounts: ['500000001'], ...context }), message);
    });
  }

  test('reads exactly the context keys CONTEXT_KEYS lists, in that order, and cdk/README.md documents them so', () => {
    const read: string[] = [];
    configFromContext((key) => {
      if (!read.includes(key)) read.push(key);
      return key === 'accounts' ? ['500000001'] : undefined;
    });
    assert.deepEqual(read, [...CONTEXT_KEYS]);
    const readme = fs.readFileSync(path.join(REPOSITORY_ROOT, 'cdk', 'README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| `(\w+)` \|/gm)].map((match) => match[1]);
    assert.deepEqual(documented, [...CONTEXT_KEYS, 'lambdaAssets']);
  });

  test('lists every invalid setting at once', () => {
    assert.throws(
      () => from({ accounts: [], mode: 'x', linkedinVersion: 'y' }),
      (error: Error) => {
        assert.match(error.message, /^invalid configuration \(cdk\.json "context", or -c key=value\):/);
        assert.equal(error.message.split('\n- ').length - 1, 3);
        return true;
      },
    );
  });
});

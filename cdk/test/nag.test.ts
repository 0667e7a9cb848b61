// cdk-nag's AwsSolutions checks, applied to the app as bin/app.ts applies them: no finding
// is left unacknowledged, and every acknowledgement says why.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { synth } from './support';

describe('cdk-nag AwsSolutions', () => {
  const { stack, json } = synth();

  test('reports no unacknowledged error', () => {
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    assert.deepEqual(errors.map((e) => `${e.id}: ${String(e.entry.data).split('\n')[0]}`), []);
  });

  test('reports no unacknowledged warning', () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    assert.deepEqual(warnings.map((w) => `${w.id}: ${String(w.entry.data).split('\n')[0]}`), []);
  });

  test('every acknowledgement names the rule and finding it covers and gives a reason of its own', () => {
    const suppressions = Object.values(json.Resources).flatMap(
      (resource: any) => resource.Metadata?.cdk_nag?.rules_to_suppress ?? [],
    );
    assert.ok(suppressions.length > 0);
    for (const suppression of suppressions) {
      assert.match(suppression.id, /^AwsSolutions-[A-Z]+\d+$/);
      assert.ok(suppression.reason.length >= 60, `too short a reason for ${suppression.id}: ${suppression.reason}`);
      if (suppression.id === 'AwsSolutions-IAM5') {
        assert.ok(suppression.applies_to?.length > 0, 'an IAM5 acknowledgement names the exact resource');
      }
    }
    const rules = new Set(suppressions.map((s: any) => s.id));
    assert.deepEqual([...rules].sort(), ['AwsSolutions-IAM5', 'AwsSolutions-S1', 'AwsSolutions-SMG4']);
  });
});

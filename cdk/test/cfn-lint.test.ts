// cfn-lint (PyPI, installed by tests/setup.sh) over the synthesized template: no error and
// no warning but W3005, the redundant DependsOn CDK writes beside a GetAtt (harmless).
// cfn-lint missing is a failure naming tests/setup.sh, never a silent skip.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { STACK_ID } from '../lib/app';
import { synth } from './support';

/** The version tests/setup.sh installs. */
const CFN_LINT = '1.58.0';

test('cfn-lint finds nothing wrong in the synthesized template', () => {
  const template = path.join(synth().outdir, `${STACK_ID}.template.json`);
  const python = process.env.PYTHON ?? 'python3';
  const run = (args: string[]) =>
    spawnSync(python, ['-c', 'import sys; from cfnlint.runner import main; sys.argv[0] = "cfn-lint"; sys.exit(main())', ...args], {
      encoding: 'utf8',
    });
  const version = run(['--version']);
  assert.equal(
    version.status,
    0,
    `cfn-lint is not installed for ${python}: run tests/setup.sh (pip install cfn-lint==${CFN_LINT})\n${version.stderr}`,
  );
  assert.match(version.stdout, new RegExp(`cfn-lint ${CFN_LINT.replace(/\./g, '\\.')}`), `run tests/setup.sh for cfn-lint ${CFN_LINT}`);
  const lint = run(['--ignore-checks', 'W3005', '--', template]);
  assert.equal(lint.status, 0, `cfn-lint (exit ${lint.status}):\n${lint.stdout}${lint.stderr}`);
});

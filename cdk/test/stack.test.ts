// The synthesized template: the functions, their IAM, the bucket and secret, the three state
// machines (collect, optimize, train) against statemachines/*.asl.json, the Glue catalog against athena/tables, the
// schedules, the failure rule, the alarms. Synthesized with placeholder Lambda assets.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { defineApp } from '../lib/app';
import { readCatalog } from '../lib/ddl';
import { STEPS, StepName } from '../lib/functions';
import { CONTEXT, REPOSITORY_ROOT, resolveCfn, resources, synth } from './support';

const { stack, json } = synth();
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** Stand-in ARNs and names for the stack's resources, so resolved values read plainly. */
const SYMBOLS = new Map<string, (attribute: string) => string>([
  [logicalId(stack.storage.bucket), (a) => (a === 'Arn' ? 'arn:aws:s3:::data-bucket' : 'data-bucket')],
  [logicalId(stack.storage.secret), () => `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:linkedin-AbCdEf`],
  [logicalId(stack.notifications.topic), () => `arn:aws:sns:${REGION}:${ACCOUNT}:reports`],
  [logicalId(stack.notifications.key), () => `arn:aws:kms:${REGION}:${ACCOUNT}:key/reports`],
  [logicalId(stack.orchestration.collect), () => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:collect`],
  [logicalId(stack.orchestration.optimize), () => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:optimize`],
  [logicalId(stack.orchestration.train), () => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:train`],
  ...STEPS.map(
    (step) =>
      [logicalId(stack.functions.byStep[step.name]), () => functionArn(step.name)] as [string, () => string],
  ),
]);

function functionArn(step: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${step}`;
}

function resolve(value: unknown): any {
  return resolveCfn(value, (id, attribute) => SYMBOLS.get(id)?.(attribute) ?? `${id}.${attribute}`);
}

const BUCKET_ARN = 'arn:aws:s3:::data-bucket';
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:linkedin-AbCdEf`;
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:reports`;

interface Statement {
  Effect: string;
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function normalized(statement: Record<string, unknown>): Statement {
  const resolved = resolve(statement);
  return {
    Effect: resolved.Effect,
    Action: asArray(resolved.Action),
    Resource: asArray(resolved.Resource),
    Condition: resolved.Condition,
  };
}

/** Every statement of every identity policy attached to the role with logical id `roleId`. */
function roleStatements(roleId: string): Statement[] {
  const statements: Statement[] = [];
  for (const [, policy] of resources(json, 'AWS::IAM::Policy')) {
    if (asArray(policy.Roles).some((role: any) => role.Ref === roleId)) {
      statements.push(...policy.PolicyDocument.Statement.map(normalized));
    }
  }
  const role = json.Resources[roleId].Properties ?? {};
  for (const inline of asArray(role.Policies as any[])) statements.push(...inline.PolicyDocument.Statement.map(normalized));
  assert.equal(asArray(role.ManagedPolicyArns).length, 0, `${roleId} has managed policies`);
  return statements;
}

function stepStatements(step: StepName): Statement[] {
  return roleStatements(logicalId(stack.functions.byStep[step].role!));
}

/** The resources a step's statements grant `action` on. */
function granted(step: StepName, action: string): string[] {
  return stepStatements(step)
    .filter((statement) => statement.Effect === 'Allow' && statement.Action.includes(action))
    .flatMap((statement) => statement.Resource);
}

/** Every identity-policy statement in the template. */
function allIdentityStatements(): { roleId: string; statement: Statement }[] {
  return resources(json, 'AWS::IAM::Role').flatMap(([roleId]) =>
    roleStatements(roleId).map((statement) => ({ roleId, statement })),
  );
}

function functionProps(step: StepName): Record<string, any> {
  return json.Resources[logicalId(stack.functions.byStep[step])].Properties!;
}

/** Every Task of an ASL definition, Map and Parallel branches included. */
function tasks(block: any): any[] {
  return Object.values(block.States ?? {}).flatMap((state: any) => [
    ...(state.Type === 'Task' ? [state] : []),
    ...[state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].filter(Boolean).flatMap(tasks),
  ]);
}

/** The state machines, as statemachines/ names them. */
const MACHINES = ['collect', 'optimize', 'train'] as const;

const definitionText = (name: string) =>
  fs.readFileSync(path.join(REPOSITORY_ROOT, 'statemachines', `${name}.asl.json`), 'utf8');

describe('the step functions', () => {
  test('run every step on provided.al2023, arm64, from its bootstrap, with JSON logs kept a month', () => {
    const functions = resources(json, 'AWS::Lambda::Function');
    assert.equal(functions.length, STEPS.length);
    for (const [, props] of functions) {
      assert.equal(props.Runtime, 'provided.al2023');
      assert.deepEqual(props.Architectures, ['arm64']);
      assert.equal(props.Handler, 'bootstrap');
      assert.equal(props.LoggingConfig.LogFormat, 'JSON');
      const logGroup = json.Resources[props.LoggingConfig.LogGroup.Ref];
      assert.equal(logGroup.Type, 'AWS::Logs::LogGroup');
      assert.equal(logGroup.Properties!.RetentionInDays, 30);
    }
  });

  test('give each step its memory and a timeout within the TimeoutSeconds of every Task running it', () => {
    const memory: Record<StepName, number> = {
      'fetch-token': 128, collect: 256, 'start-athena-query': 128, 'poll-results': 128,
      decide: 256, apply: 128, report: 128, train: 1024,
    };
    const timeout: Record<StepName, number> = {
      'fetch-token': 60, collect: 900, 'start-athena-query': 60, 'poll-results': 60,
      decide: 300, apply: 900, report: 300, train: 600,
    };
    for (const step of STEPS) {
      assert.equal(functionProps(step.name).MemorySize, memory[step.name], step.name);
      assert.equal(functionProps(step.name).Timeout, timeout[step.name], step.name);
    }
    let checked = 0;
    for (const name of MACHINES) {
      for (const task of tasks(JSON.parse(definitionText(name)))) {
        const placeholder = /^\$\{(\w+)\}$/.exec(task.Parameters?.FunctionName ?? task.Resource)?.[1];
        const step = STEPS.find((s) => s.placeholder === placeholder);
        assert.ok(step, `${name}: a Task runs ${task.Resource}, which is no step`);
        assert.ok(
          functionProps(step.name).Timeout <= task.TimeoutSeconds,
          `${step.name}'s timeout exceeds a ${name} Task's TimeoutSeconds ${task.TimeoutSeconds}`,
        );
        checked++;
      }
    }
    assert.ok(checked >= 13);
  });

  test('set exactly the environment each main.rs reads', () => {
    const expected: Record<StepName, Record<string, string>> = {
      'fetch-token': { LINKEDIN_SECRET_NAME: 'linkedin', LINKEDIN_VERSION: '202610' },
      collect: { BUCKET: 'data-bucket', LINKEDIN_SECRET_NAME: 'linkedin', LINKEDIN_VERSION: '202610' },
      'start-athena-query': { ATHENA_WORKGROUP: 'linkedin-ads', ATHENA_DATABASE: 'linkedin_ads' },
      'poll-results': { ATHENA_WORKGROUP: 'linkedin-ads', ATHENA_DATABASE: 'linkedin_ads', BUCKET: 'data-bucket' },
      decide: { BUCKET: 'data-bucket' },
      apply: { BUCKET: 'data-bucket', LINKEDIN_SECRET_NAME: 'linkedin', LINKEDIN_VERSION: '202610' },
      report: { BUCKET: 'data-bucket', REPORT_TOPIC_ARN: TOPIC_ARN, LINKEDIN_SECRET_NAME: 'linkedin' },
      train: { BUCKET: 'data-bucket' },
    };
    for (const step of STEPS) {
      assert.deepEqual(resolve(functionProps(step.name).Environment.Variables), expected[step.name], step.name);
    }
  });
});

describe('IAM', () => {
  test('no identity policy allows a wildcard action', () => {
    for (const { roleId, statement } of allIdentityStatements()) {
      for (const action of statement.Action) assert.ok(!action.includes('*'), `${roleId} allows ${action}`);
    }
  });

  test('Resource "*" only for collect\'s PutMetricData (LinkedInAds namespace) and the state machines\' logs and X-Ray', () => {
    const machineRoles = MACHINES.map((name) => logicalId(stack.orchestration[name].role));
    const noResourceLevel = /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/;
    const collectRole = logicalId(stack.functions.byStep.collect.role!);
    let metrics = 0;
    for (const { roleId, statement } of allIdentityStatements()) {
      if (!statement.Resource.includes('*')) continue;
      if (statement.Action.includes('cloudwatch:PutMetricData')) {
        assert.equal(roleId, collectRole);
        assert.deepEqual(statement.Action, ['cloudwatch:PutMetricData']);
        assert.deepEqual(statement.Condition, { StringEquals: { 'cloudwatch:namespace': 'LinkedInAds' } });
        metrics++;
      } else {
        assert.ok(machineRoles.includes(roleId), `${roleId} has Resource "*" for ${statement.Action}`);
        for (const action of statement.Action) assert.match(action, noResourceLevel);
      }
    }
    assert.equal(metrics, 1);
  });

  test('only fetch-token may write the secret; fetch-token, collect, apply and report may read it', () => {
    const writers = allIdentityStatements().filter(({ statement }) =>
      statement.Action.some((action) => /^secretsmanager:(Put|Update|Create|Delete|Rotate|Restore|Tag)/.test(action)),
    );
    assert.deepEqual(
      writers.map(({ roleId }) => roleId),
      [logicalId(stack.functions.byStep['fetch-token'].role!)],
    );
    assert.deepEqual(writers[0].statement.Resource, [SECRET_ARN]);
    for (const step of STEPS) {
      const reads = granted(step.name, 'secretsmanager:GetSecretValue');
      const expected = ['fetch-token', 'collect', 'apply', 'report'].includes(step.name) ? [SECRET_ARN] : [];
      assert.deepEqual(reads, expected, step.name);
    }
    const secretActions = allIdentityStatements()
      .filter(({ statement }) => statement.Action.some((action) => action.startsWith('secretsmanager:')))
      .flatMap(({ statement }) => statement.Action);
    assert.deepEqual([...new Set(secretActions)].sort(), ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']);
  });

  test('each step reads and writes only its own prefixes of the data bucket', () => {
    const prefixes = (step: StepName, action: string) =>
      granted(step, action).map((resource) => {
        assert.ok(resource.startsWith(`${BUCKET_ARN}/`) && resource.endsWith('*'), `${step} ${action} on ${resource}`);
        return resource.slice(BUCKET_ARN.length + 1, -1);
      });
    const expected: Record<StepName, { read: string[]; write: string[] }> = {
      'fetch-token': { read: [], write: [] },
      collect: { read: ['processed/'], write: ['raw/', 'processed/'] },
      'start-athena-query': { read: ['processed/', 'query-results/'], write: ['query-results/'] },
      'poll-results': { read: ['processed/', 'query-results/'], write: ['query-results/'] },
      decide: {
        read: ['query-results/', 'processed/creatives/', 'logs/optimizer_actions/', 'policies/', 'models/creative_scoring/'],
        write: ['decisions/'],
      },
      apply: {
        read: ['decisions/', 'policies/', 'processed/', 'logs/optimizer_actions/'],
        write: ['logs/optimizer_actions/'],
      },
      report: { read: ['decisions/', 'query-results/', 'logs/', 'processed/creatives/'], write: ['reports/'] },
      train: { read: ['query-results/', 'models/creative_scoring/'], write: ['models/creative_scoring/'] },
    };
    for (const step of STEPS) {
      assert.deepEqual(
        { read: prefixes(step.name, 's3:GetObject'), write: prefixes(step.name, 's3:PutObject') },
        expected[step.name],
        step.name,
      );
      // Listing (for 404s on missing keys) names no prefix but the step's own.
      const listing = stepStatements(step.name).filter((s) => s.Action.includes('s3:ListBucket'));
      if (expected[step.name].read.length === 0) {
        assert.equal(listing.length, 0, step.name);
      } else {
        assert.deepEqual(listing.map((s) => s.Resource), [[BUCKET_ARN]]);
        assert.deepEqual(listing[0].Condition, {
          StringLikeIfExists: { 's3:prefix': expected[step.name].read.map((prefix) => `${prefix}*`) },
        });
      }
    }
    // No other S3 action than the ones Athena needs for its results.
    const s3Actions = STEPS.flatMap((step) => stepStatements(step.name))
      .flatMap((statement) => statement.Action)
      .filter((action) => action.startsWith('s3:'));
    assert.deepEqual([...new Set(s3Actions)].sort(), [
      's3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket',
      's3:ListBucketMultipartUploads', 's3:ListMultipartUploadParts', 's3:PutObject',
    ]);
    for (const step of ['start-athena-query', 'poll-results'] as StepName[]) {
      assert.deepEqual(granted(step, 's3:AbortMultipartUpload'), [`${BUCKET_ARN}/query-results/*`]);
    }
  });

  test('only the query steps use Athena (on the workgroup) and Glue (on the linkedin_ads catalog)', () => {
    const workgroup = `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/linkedin-ads`;
    const tables = readCatalog(path.join(REPOSITORY_ROOT, 'athena', 'tables')).tables.map((t) => t.name);
    const glue = [
      `arn:aws:glue:${REGION}:${ACCOUNT}:catalog`,
      `arn:aws:glue:${REGION}:${ACCOUNT}:database/linkedin_ads`,
      ...tables.map((table) => `arn:aws:glue:${REGION}:${ACCOUNT}:table/linkedin_ads/${table}`),
    ];
    for (const step of STEPS) {
      const query = step.name === 'start-athena-query' || step.name === 'poll-results';
      for (const action of ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults']) {
        assert.deepEqual(granted(step.name, action), query ? [workgroup] : [], `${step.name} ${action}`);
      }
      for (const action of ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions']) {
        assert.deepEqual(granted(step.name, action), query ? glue : [], `${step.name} ${action}`);
      }
      const other = stepStatements(step.name)
        .flatMap((s) => s.Action)
        .filter((a) => /^(athena|glue):/.test(a) && !/^(athena:(Start|GetQuery)|glue:Get(Database|Table|Partitions)$)/.test(a));
      assert.deepEqual(other, []);
    }
  });

  test('only collect puts metrics, only report publishes to the topic (with its key, through SNS)', () => {
    for (const step of STEPS) {
      assert.equal(granted(step.name, 'cloudwatch:PutMetricData').length, step.name === 'collect' ? 1 : 0, step.name);
      assert.deepEqual(granted(step.name, 'sns:Publish'), step.name === 'report' ? [TOPIC_ARN] : [], step.name);
    }
    const kms = stepStatements('report').find((s) => s.Action.includes('kms:GenerateDataKey'))!;
    assert.deepEqual(kms.Action, ['kms:GenerateDataKey', 'kms:Decrypt']);
    assert.deepEqual(kms.Resource, [`arn:aws:kms:${REGION}:${ACCOUNT}:key/reports`]);
    assert.deepEqual(kms.Condition, { StringEquals: { 'kms:ViaService': `sns.${REGION}.amazonaws.com` } });
  });

  test('each step writes logs only to its own log group', () => {
    for (const step of STEPS) {
      const logGroup = functionProps(step.name).LoggingConfig.LogGroup.Ref;
      assert.deepEqual(granted(step.name, 'logs:PutLogEvents'), [`${logGroup}.Arn`]);
    }
  });

  test('each state machine may invoke exactly the steps its definition names', () => {
    const invoked = (machine: (typeof MACHINES)[number]) =>
      roleStatements(logicalId(stack.orchestration[machine].role))
        .filter((s) => s.Action.some((a) => a.startsWith('lambda:')))
        .flatMap((s) => {
          assert.deepEqual(s.Action, ['lambda:InvokeFunction']);
          return s.Resource;
        });
    assert.deepEqual(invoked('collect'), ['fetch-token', 'collect', 'report'].map(functionArn));
    assert.deepEqual(
      invoked('optimize'),
      ['fetch-token', 'start-athena-query', 'poll-results', 'decide', 'apply', 'report'].map(functionArn),
    );
    assert.deepEqual(invoked('train'), ['start-athena-query', 'poll-results', 'train'].map(functionArn));
  });

  test('train reads query results, lists and reads the model versions, writes only under models/creative_scoring/', () => {
    assert.deepEqual(granted('train', 's3:GetObject'), [
      `${BUCKET_ARN}/query-results/*`,
      `${BUCKET_ARN}/models/creative_scoring/*`,
    ]);
    assert.deepEqual(granted('train', 's3:PutObject'), [`${BUCKET_ARN}/models/creative_scoring/*`]);
    const listing = stepStatements('train').filter((s) => s.Action.includes('s3:ListBucket'));
    assert.deepEqual(listing.map((s) => [s.Resource, s.Condition]), [
      [[BUCKET_ARN], { StringLikeIfExists: { 's3:prefix': ['query-results/*', 'models/creative_scoring/*'] } }],
    ]);
    // Nothing else: no secret, Athena, Glue, metrics, topic; no delete (versions are kept).
    const actions = stepStatements('train').flatMap((s) => s.Action).filter((a) => !a.startsWith('logs:'));
    assert.deepEqual([...new Set(actions)].sort(), ['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
  });

  test('decide may list and read the creative scorer\'s versions, never write them', () => {
    assert.ok(granted('decide', 's3:GetObject').includes(`${BUCKET_ARN}/models/creative_scoring/*`));
    const listing = stepStatements('decide').find((s) => s.Action.includes('s3:ListBucket'))!;
    assert.ok((listing.Condition!.StringLikeIfExists['s3:prefix'] as string[]).includes('models/creative_scoring/*'));
    assert.deepEqual(granted('decide', 's3:PutObject'), [`${BUCKET_ARN}/decisions/*`]);
    for (const step of STEPS) {
      const writesModels = granted(step.name, 's3:PutObject').some((r) => r.startsWith(`${BUCKET_ARN}/models/`));
      assert.equal(writesModels, step.name === 'train', step.name);
    }
  });
});

describe('storage', () => {
  const [[bucketId, bucket]] = resources(json, 'AWS::S3::Bucket');

  test('the data bucket is versioned, encrypted and closed to the public', () => {
    assert.equal(bucket.VersioningConfiguration.Status, 'Enabled');
    assert.equal(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
      'AES256',
    );
    assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    assert.equal((json.Resources[bucketId] as any).DeletionPolicy, 'Retain');
  });

  test('the bucket policy refuses every request without TLS', () => {
    const policies = resources(json, 'AWS::S3::BucketPolicy');
    assert.equal(policies.length, 1);
    const statements = policies[0][1].PolicyDocument.Statement.map(normalized);
    const tlsOnly = statements.find((s: Statement) => s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
    assert.ok(tlsOnly);
    assert.equal(tlsOnly.Effect, 'Deny');
    assert.deepEqual(tlsOnly.Action, ['s3:*']);
    assert.deepEqual(tlsOnly.Resource, [BUCKET_ARN, `${BUCKET_ARN}/*`]);
    assert.ok(statements.every((s: Statement) => s.Effect === 'Deny'), 'the bucket policy allows nothing');
  });

  test('raw/ expires at 90 days, processed/ moves to IA at 30 and Glacier at 90, query-results/ expires at 7', () => {
    const rules = bucket.LifecycleConfiguration.Rules as any[];
    const rule = (prefix: string) => rules.find((r) => r.Prefix === prefix);
    assert.equal(rule('raw/').ExpirationInDays, 90);
    assert.deepEqual(rule('processed/').Transitions, [
      { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
      { StorageClass: 'GLACIER', TransitionInDays: 90 },
    ]);
    assert.equal(rule('processed/').ExpirationInDays, undefined);
    assert.equal(rule('query-results/').ExpirationInDays, 7);
    assert.ok(rules.every((r) => r.Status === 'Enabled'));
    assert.ok(rules.some((r) => r.NoncurrentVersionExpiration?.NoncurrentDays === 30 && r.Prefix === undefined));
  });

  test('the credentials secret is named linkedin and the template holds no value for it', () => {
    const secrets = resources(json, 'AWS::SecretsManager::Secret');
    assert.equal(secrets.length, 1);
    const [, secret] = secrets[0];
    assert.equal(secret.Name, 'linkedin');
    assert.equal(secret.SecretString, undefined);
    assert.equal(secret.GenerateSecretString?.SecretStringTemplate, undefined);
  });
});

describe('analytics', () => {
  const catalog = readCatalog(path.join(REPOSITORY_ROOT, 'athena', 'tables'));

  test('the Glue tables are the athena/tables DDL: same names, columns, partition keys and locations', () => {
    const databases = resources(json, 'AWS::Glue::Database');
    assert.deepEqual(databases.map(([, d]) => d.DatabaseInput.Name), ['linkedin_ads']);
    const tables = resources(json, 'AWS::Glue::Table').map(([, t]) => resolve(t));
    assert.deepEqual(tables.map((t) => t.TableInput.Name).sort(), catalog.tables.map((t) => t.name).sort());
    for (const definition of catalog.tables) {
      const table = tables.find((t) => t.TableInput.Name === definition.name).TableInput;
      assert.deepEqual(
        table.StorageDescriptor.Columns,
        definition.columns.map((c) => ({ Name: c.name, Type: c.type.toLowerCase() })),
      );
      assert.deepEqual(
        table.PartitionKeys,
        definition.partitionKeys.map((c) => ({ Name: c.name, Type: c.type.toLowerCase() })),
      );
      assert.equal(table.StorageDescriptor.Location, `s3://data-bucket/${definition.prefix}`);
      for (const [key, value] of Object.entries(definition.properties)) {
        assert.equal(table.Parameters[key], value.replace('${bucket}', 'data-bucket'), `${definition.name} ${key}`);
      }
    }
  });

  test('the workgroup enforces results in query-results/, encrypted, and a scan cutoff per query', () => {
    const [[, workgroup]] = resources(json, 'AWS::Athena::WorkGroup');
    const configuration = resolve(workgroup.WorkGroupConfiguration);
    assert.equal(workgroup.Name, 'linkedin-ads');
    assert.equal(configuration.EnforceWorkGroupConfiguration, true);
    assert.equal(configuration.BytesScannedCutoffPerQuery, 1024 ** 3);
    assert.equal(configuration.ResultConfiguration.OutputLocation, 's3://data-bucket/query-results/');
    assert.equal(configuration.ResultConfiguration.EncryptionConfiguration.EncryptionOption, 'SSE_S3');
  });
});

describe('orchestration', () => {
  const machines = () =>
    MACHINES.map((name) => ({
      name,
      props: json.Resources[logicalId(stack.orchestration[name])].Properties!,
    }));

  test('the state machines are statemachines/*.asl.json as they are, every placeholder its step\'s ARN', () => {
    for (const { name, props } of machines()) {
      const deployed = JSON.parse(
        Object.entries(resolve(props.DefinitionSubstitutions ?? {}) as Record<string, string>).reduce(
          (text, [placeholder, arn]) => text.split('${' + placeholder + '}').join(arn),
          resolve(props.DefinitionString) as string,
        ),
      );
      const expected = JSON.parse(
        STEPS.reduce(
          (text, step) => text.split('${' + step.placeholder + '}').join(functionArn(step.name)),
          definitionText(name),
        ),
      );
      assert.deepEqual(deployed, expected, name);
      assert.doesNotMatch(JSON.stringify(deployed), /\$\{\w+FunctionArn\}/, `${name} keeps a placeholder`);
      // Inlined text, not an S3 asset (DefinitionBody.fromString).
      assert.equal(props.DefinitionS3Location, undefined);
    }
  });

  test('the state machines are STANDARD, log ALL events with execution data, and trace with X-Ray', () => {
    for (const { name, props } of machines()) {
      assert.equal(props.StateMachineType, 'STANDARD', name);
      assert.equal(props.LoggingConfiguration.Level, 'ALL', name);
      assert.equal(props.LoggingConfiguration.IncludeExecutionData, true, name);
      assert.equal(props.TracingConfiguration.Enabled, true, name);
      const logGroupId = props.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
      assert.equal(resolve(json.Resources[logGroupId].Properties!.LogGroupName), `/aws/vendedlogs/states/LinkedInAds-${name}`);
    }
  });

  test('train is statemachines/train.asl.json, its three placeholders start-athena-query, poll-results and train', () => {
    const props = json.Resources[logicalId(stack.orchestration.train)].Properties!;
    assert.deepEqual(resolve(props.DefinitionSubstitutions), {
      StartAthenaQueryFunctionArn: functionArn('start-athena-query'),
      PollResultsFunctionArn: functionArn('poll-results'),
      TrainFunctionArn: functionArn('train'),
    });
    assert.equal(resolve(props.DefinitionString), definitionText('train'));
    const resources = tasks(JSON.parse(definitionText('train'))).map((task) => task.Resource);
    assert.deepEqual(
      [...new Set(resources)].sort(),
      ['${PollResultsFunctionArn}', '${StartAthenaQueryFunctionArn}', '${TrainFunctionArn}'],
    );
    const outputs = json.Outputs as Record<string, { Value: unknown }>;
    assert.equal(resolve(outputs.TrainStateMachineArn.Value), `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:train`);
  });

  test('train runs weekly (Monday 03:00 UTC by default), once for all the configured accounts', () => {
    const schedules = resources(json, 'AWS::Scheduler::Schedule').map(([, s]) => resolve(s));
    const train = schedules.filter((s) => s.Target.Arn.endsWith(':stateMachine:train'));
    assert.equal(train.length, 1);
    assert.equal(train[0].ScheduleExpression, 'cron(0 3 ? * MON *)');
    assert.equal(train[0].ScheduleExpressionTimezone, 'UTC');
    assert.equal(train[0].State, 'ENABLED');
    assert.deepEqual(JSON.parse(train[0].Target.Input), { accounts: CONTEXT.accounts });
    assert.deepEqual(train[0].Target.RetryPolicy, { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 3 });
  });

  test('collect runs on its schedule with the configured accounts', () => {
    const schedules = resources(json, 'AWS::Scheduler::Schedule').map(([, s]) => resolve(s));
    const collect = schedules.filter((s) => s.Target.Arn.endsWith(':stateMachine:collect'));
    assert.equal(collect.length, 1);
    assert.equal(collect[0].ScheduleExpression, 'rate(6 hours)');
    assert.equal(collect[0].ScheduleExpressionTimezone, 'UTC');
    assert.deepEqual(JSON.parse(collect[0].Target.Input), { accounts: CONTEXT.accounts });
  });

  test('optimize runs daily once per account, with its accountId, the mode and the policy', () => {
    const schedules = resources(json, 'AWS::Scheduler::Schedule').map(([, s]) => resolve(s));
    const optimize = schedules.filter((s) => s.Target.Arn.endsWith(':stateMachine:optimize'));
    assert.deepEqual(
      optimize.map((s) => JSON.parse(s.Target.Input)),
      CONTEXT.accounts.map((accountId) => ({ accountId, mode: 'dry-run', policyKey: 'policies/policy.toml' })),
    );
    for (const schedule of optimize) assert.equal(schedule.ScheduleExpression, 'cron(0 6 * * ? *)');
    // Each schedule's role may start only its own state machine.
    for (const schedule of schedules) {
      const statements = roleStatements(schedule.Target.RoleArn.replace(/\.Arn$/, ''));
      assert.deepEqual(statements.map((s) => [s.Action, s.Resource]), [[['states:StartExecution'], [schedule.Target.Arn]]]);
    }
  });

  test('optimize executions ending FAILED, TIMED_OUT or ABORTED go to report as the event itself', () => {
    const rules = resources(json, 'AWS::Events::Rule').map(([, rule]) => resolve(rule));
    assert.equal(rules.length, 1);
    const [rule] = rules;
    assert.deepEqual(rule.EventPattern, {
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: {
        status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
        stateMachineArn: [`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:optimize`],
      },
    });
    assert.equal(rule.Targets.length, 1);
    assert.equal(rule.Targets[0].Arn, functionArn('report'));
    for (const transform of ['Input', 'InputPath', 'InputTransformer']) assert.equal(rule.Targets[0][transform], undefined);
    const permissions = resources(json, 'AWS::Lambda::Permission').map(([, p]) => resolve(p));
    assert.deepEqual(
      permissions.map((p) => [p.FunctionName, p.Principal, p.Action]),
      [[functionArn('report'), 'events.amazonaws.com', 'lambda:InvokeFunction']],
    );
  });
});

describe('monitoring', () => {
  const alarms = () => resources(json, 'AWS::CloudWatch::Alarm').map(([, alarm]) => resolve(alarm));
  const metricOf = (alarm: any) => alarm.Metrics?.[0].MetricStat ?? alarm;

  test('an alarm per state machine on ExecutionsFailed', () => {
    const failed = alarms().filter((a) => a.MetricName === 'ExecutionsFailed');
    assert.deepEqual(
      failed.map((a) => a.Dimensions[0].Value).sort(),
      MACHINES.map((n) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${n}`),
    );
    for (const alarm of failed) {
      assert.equal(alarm.Namespace, 'AWS/States');
      assert.equal(alarm.Statistic, 'Sum');
      assert.equal(alarm.ComparisonOperator, 'GreaterThanOrEqualToThreshold');
      assert.equal(alarm.Threshold, 1);
    }
  });

  test('a failed training (Model.TooLittleData included) alarms at the first failed execution and notifies the report topic', () => {
    const train = alarms().filter(
      (a) => a.MetricName === 'ExecutionsFailed' && a.Dimensions[0].Value === `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:train`,
    );
    assert.equal(train.length, 1);
    const [alarm] = train;
    assert.deepEqual(alarm.Dimensions, [
      { Name: 'StateMachineArn', Value: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:train` },
    ]);
    assert.equal(alarm.Threshold, 1);
    assert.equal(alarm.EvaluationPeriods, 1);
    assert.equal(alarm.TreatMissingData, 'notBreaching');
    assert.deepEqual(alarm.AlarmActions, [TOPIC_ARN]);
    assert.match(alarm.AlarmDescription, /train state machine failed.*Model\.TooLittleData.*decide keeps using the previous one/);
  });

  test('per account: CollectionFailure summed at least 1, and fewer than 1 RowsWritten in 24 hours (missing data breaches)', () => {
    for (const account of CONTEXT.accounts) {
      const mine = alarms().filter((a) => metricOf(a).Metric?.Dimensions?.[0]?.Value === account);
      const failure = mine.find((a) => metricOf(a).Metric.MetricName === 'CollectionFailure');
      const rows = mine.find((a) => metricOf(a).Metric.MetricName === 'RowsWritten');
      assert.ok(failure && rows, account);
      for (const alarm of [failure, rows]) {
        assert.equal(metricOf(alarm).Metric.Namespace, 'LinkedInAds');
        assert.deepEqual(metricOf(alarm).Metric.Dimensions, [{ Name: 'AccountId', Value: account }]);
        assert.equal(metricOf(alarm).Stat, 'Sum');
      }
      assert.equal(failure.ComparisonOperator, 'GreaterThanOrEqualToThreshold');
      assert.equal(failure.Threshold, 1);
      assert.equal(metricOf(rows).Period, 86400);
      assert.equal(rows.ComparisonOperator, 'LessThanThreshold');
      assert.equal(rows.Threshold, 1);
      assert.equal(rows.TreatMissingData, 'breaching');
    }
  });

  test('every alarm notifies the report topic', () => {
    assert.equal(alarms().length, MACHINES.length + 2 * CONTEXT.accounts.length);
    for (const alarm of alarms()) assert.deepEqual(alarm.AlarmActions, [TOPIC_ARN]);
  });

  test('the report topic is encrypted with a rotating key CloudWatch may use, TLS-only, e-mail subscribed', () => {
    const [[, topic]] = resources(json, 'AWS::SNS::Topic');
    const keyId = topic.KmsMasterKeyId['Fn::GetAtt'][0];
    assert.equal(json.Resources[keyId].Type, 'AWS::KMS::Key');
    assert.equal(json.Resources[keyId].Properties!.EnableKeyRotation, true);
    const forAlarms = json.Resources[keyId].Properties!.KeyPolicy.Statement.find(
      (s: any) => s.Principal?.Service === 'cloudwatch.amazonaws.com',
    );
    assert.deepEqual(forAlarms.Action, ['kms:Decrypt', 'kms:GenerateDataKey']);
    const [[, topicPolicy]] = resources(json, 'AWS::SNS::TopicPolicy');
    const topicStatements = topicPolicy.PolicyDocument.Statement.map(normalized);
    assert.ok(topicStatements.some((s: Statement) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'));
    const subscriptions = resources(json, 'AWS::SNS::Subscription').map(([, s]) => resolve(s));
    assert.deepEqual(subscriptions.map((s) => [s.Protocol, s.Endpoint, s.TopicArn]), [['email', CONTEXT.notificationEmail, TOPIC_ARN]]);
  });

  test('a dashboard shows the alarms, the three machines\' executions, rows and failures per account, step errors', () => {
    const dashboards = resources(json, 'AWS::CloudWatch::Dashboard');
    assert.equal(dashboards.length, 1);
    const body = JSON.parse(resolve(dashboards[0][1].DashboardBody));
    const titles = body.widgets.map((widget: any) => widget.properties.title);
    assert.deepEqual(titles, [
      'Alarms', 'collect executions', 'optimize executions', 'train executions', 'Rows written per account (6 h)',
      'Collection failures per account (6 h)', 'Step errors (1 h)', 'Step duration, max (1 h)',
    ]);
  });
});

describe('configuration reaches the stack', () => {
  test('one account in auto mode, no e-mail and no policy, training on Sundays in Berlin: one optimize schedule, no subscription', () => {
    const other = synth({
      accounts: '42', mode: 'auto', notificationEmail: '', policyKey: '', linkedinVersion: '202607',
      trainSchedule: 'cron(30 2 ? * SUN *)', scheduleTimeZone: 'Europe/Berlin',
    });
    const schedules = resources(other.json, 'AWS::Scheduler::Schedule').map(([, s]) => resolve(s));
    const inputs = (machine: string) =>
      schedules.filter((s) => s.Target.Arn.endsWith(`:stateMachine:${machine}`)).map((s) => JSON.parse(s.Target.Input));
    assert.equal(schedules.length, 3);
    assert.deepEqual(inputs('collect'), [{ accounts: ['42'] }]);
    assert.deepEqual(inputs('optimize'), [{ accountId: '42', mode: 'auto' }]);
    assert.deepEqual(inputs('train'), [{ accounts: ['42'] }]);
    const train = schedules.find((s) => s.Target.Arn.endsWith(':stateMachine:train'));
    assert.equal(train.ScheduleExpression, 'cron(30 2 ? * SUN *)');
    for (const schedule of schedules) assert.equal(schedule.ScheduleExpressionTimezone, 'Europe/Berlin');
    assert.equal(resources(other.json, 'AWS::SNS::Subscription').length, 0);
    const versions = resources(other.json, 'AWS::Lambda::Function')
      .map(([, f]) => f.Environment.Variables.LINKEDIN_VERSION)
      .filter(Boolean);
    assert.deepEqual(versions, ['202607', '202607', '202607']);
  });

  test('without the Lambda builds the app refuses to synthesize, naming the build command', () => {
    const app = new App({ context: { ...CONTEXT, lambdaAssets: path.join(REPOSITORY_ROOT, 'no-such-folder') } });
    assert.throws(() => defineApp(app), /fetch-token\/bootstrap is missing: build the Lambdas first \(from the repository root: cargo lambda build --release --arm64\)/);
  });
});

/**
 * The eight step functions (steps/<step>), one Lambda each: the prebuilt `bootstrap` from
 * `cargo lambda build --release --arm64` (target/lambda/<step>/), provided.al2023 on arm64,
 * JSON logs kept a month, the environment its main.rs reads, and a role of its own that
 * may touch exactly what the step touches — the table `ACCESS` below, read top to bottom.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { Config } from './config';
import { acknowledgeWildcardResources } from './nag';
import { SECRET_NAME } from './storage';

/** The step names, as `steps/` and `target/lambda/` name them. */
export type StepName =
  | 'fetch-token'
  | 'collect'
  | 'start-athena-query'
  | 'poll-results'
  | 'decide'
  | 'apply'
  | 'report'
  | 'train';

/** A step's Lambda: its ASL placeholder, memory and timeout. Each timeout is at most the
 * `TimeoutSeconds` of every Task that runs the step (statemachines/README.md), so a Task
 * never gives up on an invocation Lambda would still let run. */
export interface StepSpec {
  readonly name: StepName;
  /** The `${...}` placeholder in statemachines/*.asl.json that stands for its ARN. */
  readonly placeholder: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly description: string;
}

export const STEPS: readonly StepSpec[] = [
  { name: 'fetch-token', placeholder: 'FetchTokenFunctionArn', memoryMb: 128, timeoutSeconds: 60,
    description: 'Refreshes the LinkedIn access token inside the credentials secret; returns metadata only.' },
  { name: 'collect', placeholder: 'CollectFunctionArn', memoryMb: 256, timeoutSeconds: 900,
    description: "Collects an account's creative analytics and ad copy: raw responses, then curated Parquet." },
  { name: 'start-athena-query', placeholder: 'StartAthenaQueryFunctionArn', memoryMb: 128, timeoutSeconds: 60,
    description: 'Starts a named athena/queries query with validated parameters.' },
  { name: 'poll-results', placeholder: 'PollResultsFunctionArn', memoryMb: 128, timeoutSeconds: 60,
    description: 'Reports where a started query stands, and its result key when done.' },
  { name: 'decide', placeholder: 'DecideFunctionArn', memoryMb: 256, timeoutSeconds: 300,
    description: 'Decides which creatives to pause or vary and which bids and budgets to move.' },
  { name: 'apply', placeholder: 'ApplyFunctionArn', memoryMb: 128, timeoutSeconds: 900,
    description: 'Applies decided actions to LinkedIn (dry-run, approve or auto), logging every outcome.' },
  { name: 'report', placeholder: 'ReportFunctionArn', memoryMb: 128, timeoutSeconds: 300,
    description: 'Writes and sends the daily report, failure reports and approval requests.' },
  // A 100-tree random forest over every account's creatives: memory is also CPU on Lambda.
  { name: 'train', placeholder: 'TrainFunctionArn', memoryMb: 1024, timeoutSeconds: 600,
    description: 'Trains the creative scorer on every account\'s query result and stores it as the next model version.' },
];

/** What a step may touch: S3 prefixes of the data bucket, the secret, Athena, metrics, SNS. */
interface Access {
  /** Prefixes it reads (s3:GetObject on `<prefix>*`). */
  readonly read?: readonly string[];
  /** Prefixes it writes (s3:PutObject on `<prefix>*`). */
  readonly write?: readonly string[];
  readonly secret?: 'read' | 'read-write';
  /** Runs Athena queries: the workgroup, the Glue catalog, and S3 as Athena needs it. */
  readonly athena?: boolean;
  /** Puts metrics in the LinkedInAds namespace. */
  readonly metrics?: boolean;
  /** Publishes to the report topic. */
  readonly publish?: boolean;
}

/** The queries read the curated tables (processed/) and Athena writes their results. */
const QUERY_ACCESS: Access = { read: ['processed/', 'query-results/'], write: ['query-results/'], athena: true };

/** Each step's access, from what its lib.rs reads and writes (DESIGN.md, "Store layout"). */
export const ACCESS: Readonly<Record<StepName, Access>> = {
  // Refreshes the token in place, so it writes the secret; no other step may.
  'fetch-token': { secret: 'read-write' },
  // Raw responses, then curated partitions; reads the stored partitions and ad copy back.
  collect: { read: ['processed/'], write: ['raw/', 'processed/'], secret: 'read', metrics: true },
  'start-athena-query': QUERY_ACCESS,
  'poll-results': QUERY_ACCESS,
  // The query result, ad copy (for variations), the action log (cool-downs), the policy,
  // the latest creative scorer (listing its versions, reading model and metadata).
  decide: {
    read: ['query-results/', 'processed/creatives/', 'logs/optimizer_actions/', 'policies/', 'models/creative_scoring/'],
    write: ['decisions/'],
  },
  // The decisions, the policy, this month's spend (processed/), the action log it appends to.
  apply: {
    read: ['decisions/', 'policies/', 'processed/', 'logs/optimizer_actions/'],
    write: ['logs/optimizer_actions/'],
    secret: 'read',
  },
  // The decisions, the series, the action log and the creatives' names; the secret for
  // its optional notifyWebhookUrl.
  report: {
    read: ['decisions/', 'query-results/', 'logs/', 'processed/creatives/'],
    write: ['reports/'],
    secret: 'read',
    publish: true,
  },
  // Every account's creative_training result; the model versions it lists to number the
  // next one, and writes (scoring's artifact.rs: models/creative_scoring/v<N>/).
  train: { read: ['query-results/', 'models/creative_scoring/'], write: ['models/creative_scoring/'] },
};

export interface FunctionsProps {
  readonly config: Config;
  /** Holds `<step>/bootstrap` for every step (normally the repository's target/lambda). */
  readonly assetsDir: string;
  readonly bucket: s3.IBucket;
  readonly secret: secretsmanager.ISecret;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
  readonly athena: {
    readonly workGroupName: string;
    readonly workGroupArn: string;
    readonly databaseName: string;
    readonly glueArns: readonly string[];
  };
}

export class Functions extends Construct {
  /** The functions by step name. */
  readonly byStep: Readonly<Record<StepName, lambda.Function>>;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { bucket, config } = props;
    const shared = {
      BUCKET: bucket.bucketName,
      // The name, not the ARN CDK would parse it from: the steps look the secret up by name.
      LINKEDIN_SECRET_NAME: SECRET_NAME,
      LINKEDIN_VERSION: config.linkedinVersion,
      ATHENA_WORKGROUP: props.athena.workGroupName,
      ATHENA_DATABASE: props.athena.databaseName,
      REPORT_TOPIC_ARN: props.topic.topicArn,
    };
    type Variable = keyof typeof shared;
    /** Exactly the variables each main.rs reads. */
    const environment: Record<StepName, readonly Variable[]> = {
      'fetch-token': ['LINKEDIN_SECRET_NAME', 'LINKEDIN_VERSION'],
      collect: ['BUCKET', 'LINKEDIN_SECRET_NAME', 'LINKEDIN_VERSION'],
      'start-athena-query': ['ATHENA_WORKGROUP', 'ATHENA_DATABASE'],
      'poll-results': ['ATHENA_WORKGROUP', 'ATHENA_DATABASE', 'BUCKET'],
      decide: ['BUCKET'],
      apply: ['BUCKET', 'LINKEDIN_SECRET_NAME', 'LINKEDIN_VERSION'],
      report: ['BUCKET', 'REPORT_TOPIC_ARN', 'LINKEDIN_SECRET_NAME'],
      train: ['BUCKET'],
    };

    const byStep: Partial<Record<StepName, lambda.Function>> = {};
    for (const step of STEPS) {
      const code = path.join(props.assetsDir, step.name);
      if (!fs.existsSync(path.join(code, 'bootstrap'))) {
        throw new Error(
          `${path.join(code, 'bootstrap')} is missing: build the Lambdas first ` +
            '(from the repository root: cargo lambda build --release --arm64), ' +
            'or point -c lambdaAssets=DIR at a folder holding <step>/bootstrap for every step',
        );
      }
      const logGroup = new logs.LogGroup(this, `${step.name}-logs`, {
        retention: logs.RetentionDays.ONE_MONTH,
      });
      const role = new iam.Role(this, `${step.name}-role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `The ${step.name} step: its logs and exactly what it reads and writes.`,
      });
      logGroup.grantWrite(role);
      const statements = this.statements(ACCESS[step.name], props);
      for (const statement of statements) role.addToPrincipalPolicy(statement);
      this.suppressWildcards(step.name, role, statements);

      byStep[step.name] = new lambda.Function(this, step.name, {
        description: step.description,
        runtime: lambda.Runtime.PROVIDED_AL2023,
        architecture: lambda.Architecture.ARM_64,
        handler: 'bootstrap',
        code: lambda.Code.fromAsset(code),
        memorySize: step.memoryMb,
        timeout: Duration.seconds(step.timeoutSeconds),
        role,
        logGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
        environment: Object.fromEntries(environment[step.name].map((name) => [name, shared[name]])),
      });
    }
    this.byStep = byStep as Record<StepName, lambda.Function>;
  }

  /** The IAM statements `access` stands for. */
  private statements(access: Access, props: FunctionsProps): iam.PolicyStatement[] {
    const { bucket } = props;
    const objects = (prefixes: readonly string[]) => prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
    const statements: iam.PolicyStatement[] = [];
    if (access.read?.length) {
      statements.push(
        new iam.PolicyStatement({ sid: 'ReadOwnPrefixes', actions: ['s3:GetObject'], resources: objects(access.read) }),
        // Listing is what makes S3 answer a missing key with 404 (which the steps read as
        // "not there yet") rather than 403 (AWS: GetObject, "Permissions"). IfExists: that
        // check carries no prefix; a listing that names one must name the step's own.
        new iam.PolicyStatement({
          sid: 'ListOwnPrefixes',
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLikeIfExists: { 's3:prefix': access.read.map((prefix) => `${prefix}*`) } },
        }),
      );
    }
    if (access.write?.length) {
      statements.push(
        new iam.PolicyStatement({ sid: 'WriteOwnPrefixes', actions: ['s3:PutObject'], resources: objects(access.write) }),
      );
    }
    if (access.secret) {
      statements.push(
        new iam.PolicyStatement({
          sid: access.secret === 'read' ? 'ReadCredentials' : 'ReadAndRefreshCredentials',
          actions:
            access.secret === 'read'
              ? ['secretsmanager:GetSecretValue']
              : ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
          resources: [props.secret.secretArn],
        }),
      );
    }
    if (access.athena) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'RunQueries',
          actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
          resources: [props.athena.workGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadCatalog',
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
          resources: [...props.athena.glueArns],
        }),
        // What Athena needs, on the caller's behalf, to write results (AWS: "Access to
        // Amazon S3" in the Athena user guide).
        new iam.PolicyStatement({
          sid: 'AthenaBucketAccess',
          actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
          resources: [bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'AthenaResultUploads',
          actions: ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: objects(['query-results/']),
        }),
      );
    }
    if (access.metrics) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'PutLinkedInAdsMetrics',
          actions: ['cloudwatch:PutMetricData'],
          // PutMetricData has no resource-level permissions; the namespace condition scopes it.
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': 'LinkedInAds' } },
        }),
      );
    }
    if (access.publish) {
      statements.push(
        new iam.PolicyStatement({ sid: 'PublishReports', actions: ['sns:Publish'], resources: [props.topic.topicArn] }),
        // The topic is encrypted: SNS encrypts the message with a data key of this key.
        new iam.PolicyStatement({
          sid: 'EncryptReports',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.topicKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `sns.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
    return statements;
  }

  /** cdk-nag's IAM5 flags every `*` in a resource. Each one here is a prefix of the store
   * or the one action without resource-level permissions, acknowledged one by one. */
  private suppressWildcards(step: StepName, role: iam.Role, statements: iam.PolicyStatement[]): void {
    acknowledgeWildcardResources(role, statements, (resource) =>
      resource === '*'
        ? 'cloudwatch:PutMetricData supports no resource-level permissions (AWS: "Actions, resources, and ' +
          'condition keys for Amazon CloudWatch"); the cloudwatch:namespace condition limits it to LinkedInAds.'
        : `${step} reads or writes objects whose keys are made per day, account and run under this prefix ` +
          '(DESIGN.md, "Store layout"), so it is granted the prefix, never the whole bucket.',
    );
  }
}

/**
 * The one stack: storage (data bucket, credentials secret), the report topic, analytics
 * (Glue tables from athena/tables, the Athena workgroup), the eight step functions, the three
 * state machines with their schedules and failure rule, and the alarms and dashboard — each
 * concern in its own construct file, composed here in the order they depend on each other.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Analytics } from './analytics';
import { Config } from './config';
import { Functions } from './functions';
import { Monitoring, Notifications } from './monitoring';
import { Orchestration } from './orchestration';
import { Storage } from './storage';

export interface LinkedInAdsStackProps extends StackProps {
  readonly config: Config;
  /** The repository checkout: its statemachines/ and athena/tables/ are read at synth. */
  readonly repositoryRoot: string;
  /** A folder holding `<step>/bootstrap` for every step (normally target/lambda). */
  readonly lambdaAssetsDir: string;
}

export class LinkedInAdsStack extends Stack {
  readonly storage: Storage;
  readonly notifications: Notifications;
  readonly analytics: Analytics;
  readonly functions: Functions;
  readonly orchestration: Orchestration;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: LinkedInAdsStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.storage = new Storage(this, 'Storage');
    this.notifications = new Notifications(this, 'Notifications', { email: config.notificationEmail });
    this.analytics = new Analytics(this, 'Analytics', {
      bucket: this.storage.bucket,
      tablesDir: path.join(props.repositoryRoot, 'athena', 'tables'),
      bytesScannedCutoffPerQuery: config.athenaBytesScannedCutoffPerQuery,
    });
    this.functions = new Functions(this, 'Steps', {
      config,
      assetsDir: props.lambdaAssetsDir,
      bucket: this.storage.bucket,
      secret: this.storage.secret,
      topic: this.notifications.topic,
      topicKey: this.notifications.key,
      athena: this.analytics,
    });
    this.orchestration = new Orchestration(this, 'Orchestration', {
      config,
      statemachinesDir: path.join(props.repositoryRoot, 'statemachines'),
      functions: this.functions.byStep,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      accounts: config.accounts,
      topic: this.notifications.topic,
      stateMachines: {
        collect: this.orchestration.collect,
        optimize: this.orchestration.optimize,
        train: this.orchestration.train,
      },
      functions: this.functions.byStep,
    });

    // What adsctl --aws and an operator need (README: ADSCTL_*_STATE_MACHINE_ARN).
    new CfnOutput(this, 'DataBucketName', { value: this.storage.bucket.bucketName });
    new CfnOutput(this, 'CredentialsSecretName', { value: this.storage.secret.secretName });
    new CfnOutput(this, 'CollectStateMachineArn', { value: this.orchestration.collect.stateMachineArn });
    new CfnOutput(this, 'OptimizeStateMachineArn', { value: this.orchestration.optimize.stateMachineArn });
    // To train by hand (e.g. before the first weekly run): start it with {"accounts": [...]}.
    new CfnOutput(this, 'TrainStateMachineArn', { value: this.orchestration.train.stateMachineArn });
    new CfnOutput(this, 'ReportTopicArn', { value: this.notifications.topic.topicArn });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.analytics.workGroupName });
  }
}

/** The repository's root: the nearest folder above `from` holding statemachines/ and
 * athena/ (the compiled app runs from cdk/dist/). */
export function findRepositoryRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'statemachines')) && fs.existsSync(path.join(dir, 'athena', 'tables'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no repository root (with statemachines/ and athena/tables/) above ${from}`);
    }
  }
}

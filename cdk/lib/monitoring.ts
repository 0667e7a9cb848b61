/**
 * Monitoring: the report topic (reports, approval requests and alarms reach a person
 * through it), the alarms — an execution of a state machine failed (collect, optimize or
 * train), an account's collection failed, no new rows for a day — and a dashboard of the same.
 */

import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** The namespace collect's metrics are in (steps/collect/src/main.rs). */
export const METRICS_NAMESPACE = 'LinkedInAds';

/** What a failed execution means, for machines whose failure no report step announces: the
 * alarm is then the only notice (train has no Catch; statemachines/train.asl.json). */
const FAILURE_MEANS: Readonly<Record<string, string>> = {
  train:
    ' No model version was stored (Model.TooLittleData, Query.Failed, ...): decide keeps using the previous one.',
};

export interface NotificationsProps {
  /** Subscribed by e-mail when given (the address must confirm the subscription). */
  readonly email?: string;
}

/** The report topic, encrypted with a key of its own: CloudWatch alarms cannot publish to a
 * topic encrypted with the AWS-managed SNS key (AWS: "Using Amazon SNS for alarm
 * notifications"), so the key's policy lets CloudWatch use it. */
export class Notifications extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the LinkedIn Ads report topic.',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'], // in a key policy, "*" is this key
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'LinkedIn Ads reports',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (props.email) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
  }
}

export interface MonitoringProps {
  readonly accounts: readonly string[];
  readonly topic: sns.ITopic;
  readonly stateMachines: Readonly<Record<string, sfn.IStateMachine>>;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
}

export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.topic);
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, alarmProps);
      created.addAlarmAction(notify);
      this.alarms.push(created);
      return created;
    };

    for (const [name, machine] of Object.entries(props.stateMachines)) {
      alarm(`${name}-execution-failed`, {
        alarmDescription:
          `An execution of the ${name} state machine failed (after its failure report, if any).` +
          (FAILURE_MEANS[name] ?? ''),
        metric: machine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    for (const account of props.accounts) {
      alarm(`collection-failure-${account}`, {
        alarmDescription: `Collecting ad account ${account} failed (collect's CollectionFailure metric).`,
        metric: collectMetric('CollectionFailure', account, Duration.hours(1)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm(`no-new-data-${account}`, {
        alarmDescription:
          `No rows written for ad account ${account} in 24 hours: collection is not running or finds nothing.`,
        metric: collectMetric('RowsWritten', account, Duration.hours(24)),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // No datapoint at all is the very thing this alarm is for.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
    const machines = Object.entries(props.stateMachines);
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }),
    );
    dashboard.addWidgets(
      ...machines.map(
        ([name, machine]) =>
          new cloudwatch.GraphWidget({
            title: `${name} executions`,
            width: 12,
            left: [
              machine.metricStarted({ period: Duration.hours(1), statistic: 'Sum' }),
              machine.metricSucceeded({ period: Duration.hours(1), statistic: 'Sum' }),
              machine.metricFailed({ period: Duration.hours(1), statistic: 'Sum' }),
            ],
          }),
      ),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Rows written per account (6 h)',
        width: 12,
        left: props.accounts.map((account) => collectMetric('RowsWritten', account, Duration.hours(6))),
      }),
      new cloudwatch.GraphWidget({
        title: 'Collection failures per account (6 h)',
        width: 12,
        left: props.accounts.map((account) => collectMetric('CollectionFailure', account, Duration.hours(6))),
      }),
    );
    const functions = Object.entries(props.functions);
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Step errors (1 h)',
        width: 12,
        left: functions.map(([name, fn]) => fn.metricErrors({ period: Duration.hours(1), statistic: 'Sum', label: name })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Step duration, max (1 h)',
        width: 12,
        left: functions.map(([name, fn]) => fn.metricDuration({ period: Duration.hours(1), statistic: 'Maximum', label: name })),
      }),
    );
  }
}

/** One of collect's metrics for one account (dimension AccountId), summed over `period`. */
function collectMetric(name: string, account: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { AccountId: account },
    statistic: 'Sum',
    period,
    label: account,
  });
}

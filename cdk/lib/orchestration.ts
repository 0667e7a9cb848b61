/**
 * Orchestration: the three state machines — collect, optimize, and the weekly train that
 * retrains the creative scorer decide uses — deployed from `statemachines/*.asl.json` as they
 * are (the same files the local executor runs) with each `${...FunctionArn}` filled in by
 * `definitionSubstitutions`; the schedules that start them; and the rule that sends a
 * failed optimize execution's status event to the report step — the failure report for an
 * apply that fails without a Catch (statemachines/README.md, "Re-running").
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { Config } from './config';
import { STEPS, StepName, StepSpec } from './functions';

/** The optimize statuses no Catch reports: a failure at a state without one (apply), a
 * time-out of the whole execution, a stop by hand. */
export const UNREPORTED_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'];

export interface OrchestrationProps {
  readonly config: Config;
  /** The repository's `statemachines/` directory. */
  readonly statemachinesDir: string;
  readonly functions: Readonly<Record<StepName, lambda.IFunction>>;
}

/** The state machines, as `statemachines/<name>.asl.json` names them. */
export type StateMachineName = 'collect' | 'optimize' | 'train';

export class Orchestration extends Construct {
  readonly collect: sfn.StateMachine;
  readonly optimize: sfn.StateMachine;
  readonly train: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: OrchestrationProps) {
    super(scope, id);
    const { config, functions } = props;

    this.collect = this.stateMachine('collect', props);
    this.optimize = this.stateMachine('optimize', props);
    this.train = this.stateMachine('train', props);

    const timeZone = TimeZone.of(config.scheduleTimeZone);
    const retries = { retryAttempts: 3, maxEventAge: Duration.hours(1) };
    new scheduler.Schedule(this, 'collect-schedule', {
      description: `Collects ad accounts ${config.accounts.join(', ')}.`,
      schedule: scheduler.ScheduleExpression.expression(config.collectSchedule, timeZone),
      target: new schedulerTargets.StepFunctionsStartExecution(this.collect, {
        input: scheduler.ScheduleTargetInput.fromObject({ accounts: config.accounts }),
        ...retries,
      }),
    });
    for (const account of config.accounts) {
      new scheduler.Schedule(this, `optimize-schedule-${account}`, {
        description: `Optimizes ad account ${account} (${config.mode}).`,
        schedule: scheduler.ScheduleExpression.expression(config.optimizeSchedule, timeZone),
        target: new schedulerTargets.StepFunctionsStartExecution(this.optimize, {
          input: scheduler.ScheduleTargetInput.fromObject(optimizeInput(config, account)),
          ...retries,
        }),
      });
    }
    // One training over all accounts: the scorer learns from every account's creatives.
    new scheduler.Schedule(this, 'train-schedule', {
      description: `Trains the creative scorer on ad accounts ${config.accounts.join(', ')}.`,
      schedule: scheduler.ScheduleExpression.expression(config.trainSchedule, timeZone),
      target: new schedulerTargets.StepFunctionsStartExecution(this.train, {
        input: scheduler.ScheduleTargetInput.fromObject({ accounts: config.accounts }),
        ...retries,
      }),
    });

    new events.Rule(this, 'optimize-unreported-failure', {
      description:
        'An optimize execution ended FAILED, TIMED_OUT or ABORTED: the report step sends the failure report from the event.',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: UNREPORTED_STATUSES,
          stateMachineArn: [this.optimize.stateMachineArn],
        },
      },
      targets: [
        new eventsTargets.LambdaFunction(functions.report, { retryAttempts: 4, maxEventAge: Duration.hours(6) }),
      ],
    });
  }

  /** `statemachines/<name>.asl.json`, inlined, with a role that may invoke exactly the steps
   * its placeholders name. */
  private stateMachine(name: StateMachineName, props: OrchestrationProps): sfn.StateMachine {
    const file = path.join(props.statemachinesDir, `${name}.asl.json`);
    const definition = fs.readFileSync(file, 'utf8');
    const steps = stepsReferencedBy(definition, file);

    const invoke = new iam.PolicyStatement({
      sid: 'InvokeItsSteps',
      actions: ['lambda:InvokeFunction'],
      resources: steps.map((step) => props.functions[step.name].functionArn),
    });
    const role = new iam.Role(this, `${name}-role`, {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: `The ${name} state machine: invokes ${steps.map((step) => step.name).join(', ')}; logs and traces.`,
    });
    role.addToPrincipalPolicy(invoke);

    const logGroup = new logs.LogGroup(this, `${name}-logs`, {
      // Step Functions' recommended prefix: it keeps the account's CloudWatch Logs resource
      // policy from growing with every log group (AWS: "Logging using CloudWatch Logs").
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-${name}`,
      retention: logs.RetentionDays.ONE_MONTH,
    });

    const machine = new sfn.StateMachine(this, name, {
      // fromString, not fromFile: the text is inlined as it is, not uploaded as an asset.
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: Object.fromEntries(
        steps.map((step) => [step.placeholder, props.functions[step.name].functionArn]),
      ),
      stateMachineType: sfn.StateMachineType.STANDARD,
      role,
      // Execution data included: by design the payloads are small and hold keys, counts and
      // dates, never data or secrets (DESIGN.md, "Contracts"); with it a failed execution
      // can be read from its logs alone, which is the point of keeping them. The approval's
      // task token is logged too; answering with it still takes states:SendTaskSuccess.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });

    // CDK adds the log-delivery and X-Ray statements `logs` and `tracingEnabled` need.
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Step Functions log delivery (logs:CreateLogDelivery and the others CDK adds for logging ALL) and X-Ray ' +
            '(xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) support no ' +
            'resource-level permissions (AWS Step Functions guide: "Logging using CloudWatch Logs", "AWS X-Ray").',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
    return machine;
  }
}

/** The scheduled optimize input: the account, the configured mode and policy. asOf and the
 * query window are not in it — a schedule can only pass constant JSON and its scheduled
 * time, never a date computed from it — so the state machine derives them. */
export function optimizeInput(config: Config, account: string): Record<string, string> {
  return {
    accountId: account,
    mode: config.mode,
    ...(config.policyKey === undefined ? {} : { policyKey: config.policyKey }),
  };
}

/** The steps whose `${...}` placeholders `definition` uses, in STEPS order; an unknown
 * placeholder fails the synth rather than the deploy. */
export function stepsReferencedBy(definition: string, source: string): StepSpec[] {
  const used = new Set([...definition.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1]));
  const known = new Set(STEPS.map((step) => step.placeholder));
  const unknown = [...used].filter((placeholder) => !known.has(placeholder));
  if (unknown.length > 0) {
    throw new Error(
      `${source}: unknown placeholder(s) ${unknown.map((p) => '${' + p + '}').join(', ')}; ` +
        `the steps' are ${[...known].join(', ')}`,
    );
  }
  return STEPS.filter((step) => used.has(step.placeholder));
}

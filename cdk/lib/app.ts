/**
 * The app's wiring, shared by bin/app.ts and the tests so both synthesize the very same
 * thing: configuration from context, the stack, and cdk-nag's AwsSolutions checks.
 */

import * as path from 'node:path';
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from './config';
import { LinkedInAdsStack, findRepositoryRoot } from './stack';

/** The stack's id (and CloudFormation stack name). */
export const STACK_ID = 'LinkedInAds';

/**
 * Adds the stack to `app`. Context `lambdaAssets` names a folder holding `<step>/bootstrap`
 * for every step; by default the repository's `target/lambda` (cargo lambda's output).
 */
export function defineApp(app: App): LinkedInAdsStack {
  const config = configFromContext((key) => app.node.tryGetContext(key));
  const repositoryRoot = findRepositoryRoot();
  const assets = app.node.tryGetContext('lambdaAssets') as string | undefined;
  const stack = new LinkedInAdsStack(app, STACK_ID, {
    description: 'LinkedIn Ads optimizer: collection, Athena analytics, decisions, apply and reports.',
    config,
    repositoryRoot,
    lambdaAssetsDir: assets ? path.resolve(assets) : path.join(repositoryRoot, 'target', 'lambda'),
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return stack;
}

/**
 * What the tests share: a synthesized stack with placeholder Lambda assets (a temp folder
 * with a dummy `bootstrap` per step, so no `cargo lambda build` is needed), the repository's
 * paths, and a resolver for the CloudFormation intrinsics the template uses.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defineApp } from '../lib/app';
import { STEPS } from '../lib/functions';
import { LinkedInAdsStack, findRepositoryRoot } from '../lib/stack';

export const REPOSITORY_ROOT = findRepositoryRoot();

/** Two accounts, an e-mail and a policy, so every optional part of the stack is there. */
export const CONTEXT = {
  accounts: ['500000001', '500000002'],
  notificationEmail: 'ads-ops@example.com',
  policyKey: 'policies/policy.toml',
};

/** The temporary folders this process made, removed when it exits. */
const scratch: string[] = [];
process.on('exit', () => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

function temporaryFolder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** A folder holding `<step>/bootstrap` (a dummy) for every step. */
export function placeholderAssets(): string {
  const dir = temporaryFolder('linkedin-ads-lambda-');
  for (const step of STEPS) {
    fs.mkdirSync(path.join(dir, step.name));
    fs.writeFileSync(path.join(dir, step.name, 'bootstrap'), '#!/bin/sh\n# placeholder: tests never run it\n', {
      mode: 0o755,
    });
  }
  return dir;
}

export interface Synthesized {
  readonly app: App;
  readonly stack: LinkedInAdsStack;
  readonly template: Template;
  /** The template as JSON. */
  readonly json: CfnTemplate;
  /** The cloud assembly's folder (the template file is `<outdir>/LinkedInAds.template.json`). */
  readonly outdir: string;
}

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, any>; Metadata?: unknown }>;
  [key: string]: unknown;
}

const cache = new Map<string, Synthesized>();

/** The app synthesized with `context` over CONTEXT (memoized: synthesis takes seconds). */
export function synth(context: Record<string, unknown> = {}): Synthesized {
  const key = JSON.stringify(context);
  const cached = cache.get(key);
  if (cached) return cached;
  const outdir = temporaryFolder('linkedin-ads-cdk-out-');
  const app = new App({ outdir, context: { ...CONTEXT, lambdaAssets: placeholderAssets(), ...context } });
  const stack = defineApp(app);
  app.synth();
  const template = Template.fromStack(stack);
  const synthesized = { app, stack, template, json: template.toJSON() as CfnTemplate, outdir };
  cache.set(key, synthesized);
  return synthesized;
}

/** The resources of `type`, by logical id. */
export function resources(json: CfnTemplate, type: string): [string, Record<string, any>][] {
  return Object.entries(json.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, resource.Properties ?? {}]);
}

/**
 * `value` with the intrinsics resolved: `Ref` and `Fn::GetAtt` through `lookup` (given the
 * logical id and attribute, `Ref` for a Ref), pseudo parameters as a fixed account and
 * region, `Fn::Join` and `Fn::Sub` (without a variable map) rendered.
 */
export function resolveCfn(value: unknown, lookup: (id: string, attribute: string) => string): any {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': 'us-east-1',
    'AWS::AccountId': '123456789012',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'LinkedInAds',
  };
  const ref = (name: string) => pseudo[name] ?? lookup(name, 'Ref');
  if (Array.isArray(value)) return value.map((item) => resolveCfn(item, lookup));
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    if (keys.length === 1 && keys[0] === 'Ref') return ref(object.Ref as string);
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const [id, attribute] = object['Fn::GetAtt'] as [string, string];
      return lookup(id, attribute);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => resolveCfn(part, lookup)).join(separator);
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub' && typeof object['Fn::Sub'] === 'string') {
      return (object['Fn::Sub'] as string).replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
        const [id, attribute] = name.split('.');
        return attribute === undefined ? ref(id) : lookup(id, attribute);
      });
    }
    return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, resolveCfn(item, lookup)]));
  }
  return value;
}

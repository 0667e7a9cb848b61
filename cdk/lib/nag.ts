/**
 * cdk-nag (AwsSolutions) acknowledgements that are computed rather than written one by one:
 * IAM5 reports every `*` in a policy resource as its own finding, so each is acknowledged
 * by its exact rendering with the reason that resource needs a wildcard.
 */

import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagSuppressions } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * Acknowledges AwsSolutions-IAM5 on `principal` (a role; its default policy included) for
 * each wildcard resource of `statements`, with `reason(rendered)` as the reason. Resources
 * without a `*` are left for cdk-nag to check.
 */
export function acknowledgeWildcardResources(
  principal: IConstruct,
  statements: readonly iam.PolicyStatement[],
  reason: (rendered: string) => string,
): void {
  const stack = Stack.of(principal);
  const seen = new Set<string>();
  const suppressions = [];
  for (const statement of statements) {
    for (const resource of statement.resources) {
      const rendered = renderForNag(stack.resolve(resource));
      if (!rendered.includes('*') || seen.has(rendered)) continue;
      seen.add(rendered);
      suppressions.push({ id: 'AwsSolutions-IAM5', reason: reason(rendered), appliesTo: [`Resource::${rendered}`] });
    }
  }
  if (suppressions.length > 0) NagSuppressions.addResourceSuppressions(principal, suppressions, true);
}

/** A resolved CloudFormation value as cdk-nag renders it in a finding: `Fn::GetAtt` as
 * `<LogicalId.Attribute>`, `Ref` as `<LogicalId>`, `Fn::Join` joined. */
export function renderForNag(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(renderForNag).join(separator);
    }
    if ('Fn::GetAtt' in object) {
      const [id, attribute] = object['Fn::GetAtt'] as [string, string];
      return `<${id}.${attribute}>`;
    }
    if ('Ref' in object) return `<${String(object.Ref)}>`;
  }
  return JSON.stringify(value);
}

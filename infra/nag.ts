/**
 * AwsSolutions checks with cspulse's wildcard findings acknowledged by rule, not one by one.
 *
 * Tenant isolation needs object ARNs that end in `<client prefix>*`, and cdk-nag reports each such ARN as
 * an IAM5 finding whose id contains the rendered cross-stack reference, so acknowledging them by exact id
 * would tie the code to CloudFormation export names. Instead each finding is matched against the patterns
 * below, which only accept wildcards that sit after the finding's OWN client's prefix: a statement that
 * named another client's prefix, a bare `*` or a bucket-wide `/*` stays a finding and fails the build.
 * Every other acknowledgement is made with `Validations.of(construct).acknowledge` next to the construct.
 */
import { Stack, type CfnResource } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagRuleCompliance, type IApplyRule, type NagRuleResult } from 'cdk-nag';

/** The client a stack belongs to, from its tag; undefined for the data stack. */
export const CLIENT_TAG = 'cspulse:client';

export interface PatternAcknowledgement {
  rule: string;
  /** the finding text after `Rule[`, tested with the client id of the resource's stack */
  matches: (finding: string, clientId: string) => boolean;
  reason: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const PATTERN_ACKNOWLEDGEMENTS: readonly PatternAcknowledgement[] = [
  {
    rule: 'AwsSolutions-IAM5',
    matches: (finding, id) =>
      new RegExp(
        `^Resource::[^*]+/(?:(?:contacts|surveys|manifests|coverage|deliveries)/)?client_id=${escape(id)}/(?:[a-z0-9_-]+/)?\\*$`,
      ).test(finding),
    reason:
      "Object ARN ending in this client's own prefix followed by '*': the objects under that prefix are the " +
      "client's data and nothing else. Listing is conditioned on the same prefix.",
  },
  {
    rule: 'AwsSolutions-IAM5',
    matches: (finding, id) =>
      new RegExp(`^Resource::arn:<AWS::Partition>:secretsmanager:[^*]+:secret:cspulse/${escape(id)}/[^*]+-\\?\\?\\?\\?\\?\\?$`).test(
        finding,
      ),
    reason:
      "Secret ARN of this client's own collector secret; '-??????' is the random suffix Secrets Manager appends " +
      'to every secret name, so the pattern matches that one secret.',
  },
  {
    rule: 'AwsSolutions-IAM5',
    matches: (finding) => /^Resource::<[A-Za-z0-9]+Function[A-Za-z0-9]+\.Arn>:\*$/.test(finding),
    reason:
      "The Scheduler target role may invoke versions and aliases of this stack's own function (ARN ':*'); " +
      'it is created by the LambdaInvoke target and can invoke nothing else.',
  },
];

export interface AcknowledgedFinding {
  path: string;
  finding: string;
  reason: string;
}

export class CsPulseChecks extends AwsSolutionsChecks {
  /** every finding acknowledged by pattern, for the audit in tests */
  readonly acknowledged: AcknowledgedFinding[] = [];

  protected override applyRule(params: IApplyRule): void {
    const ruleId = `AwsSolutions-${params.ruleSuffixOverride ?? params.rule.name}`;
    const patterns = PATTERN_ACKNOWLEDGEMENTS.filter((p) => p.rule === ruleId);
    if (patterns.length === 0) {
      super.applyRule(params);
      return;
    }
    const original = params.rule.bind(params);
    const acknowledged = this.acknowledged;
    const filtered = (node: CfnResource): NagRuleResult => {
      const result = original(node);
      if (!Array.isArray(result)) return result;
      const clientId = Stack.of(node).tags.tagValues()[CLIENT_TAG];
      const left = result.filter((finding) => {
        const match = clientId === undefined ? undefined : patterns.find((p) => p.matches(finding, clientId));
        if (match) acknowledged.push({ path: node.node.path, finding, reason: match.reason });
        return !match;
      });
      return left.length > 0 ? left : NagRuleCompliance.COMPLIANT;
    };
    Object.defineProperty(filtered, 'name', { value: params.rule.name });
    super.applyRule({ ...params, rule: filtered });
  }
}

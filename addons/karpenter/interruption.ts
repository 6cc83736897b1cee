/**
 * Karpenter's interruption handling as data: the EventBridge rules that feed its SQS queue and the
 * queue's resource policy, as in the CloudFormation template of the Karpenter getting-started guide
 * (the queue policy is narrower than the template's: see `interruptionQueuePolicy`).
 *
 * Source: aws/karpenter-provider-aws, tag v1.14.1 (commit bde00654cd316fddb3dccfba3f5ac07039865429),
 * website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml,
 * resources `KarpenterInterruptionQueue` (MessageRetentionPeriod 300, SqsManagedSseEnabled),
 * `KarpenterInterruptionQueuePolicy`, `ScheduledChangeRule`, `SpotInterruptionRule`, `RebalanceRule`,
 * `InstanceStateChangeRule` and `CapacityReservationInterruptionRule`.
 */
import type { PolicyDocument } from "../../modules/irsa/policy-document";

/** Seconds a message stays in the queue (the template's `MessageRetentionPeriod`). */
export const INTERRUPTION_QUEUE_RETENTION_SECONDS = 300;

/** An EventBridge event pattern. */
export interface EventPattern {
  readonly source: readonly string[];
  readonly "detail-type": readonly string[];
}

/**
 * The events Karpenter reacts to, by stable key (the key is part of the rule's name and construct
 * id): AWS Health scheduled changes, Spot interruption warnings, rebalance recommendations, instance
 * state changes and capacity-reservation interruption warnings.
 */
export const INTERRUPTION_EVENT_PATTERNS: Readonly<Record<string, EventPattern>> = {
  "scheduled-change": { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
  "spot-interruption": { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
  rebalance: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
  "instance-state-change": { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
  "capacity-reservation-interruption": {
    source: ["aws.ec2"],
    "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"],
  },
};

/**
 * The queue's policy: EventBridge may send messages only on behalf of the given rules (the
 * queue's own), and every request without TLS is denied.
 *
 * Karpenter's template (above) and terraform-aws-eks `modules/karpenter` (v21.19.0, main.tf,
 * `data.aws_iam_policy_document.queue`) allow `events.amazonaws.com` and `sqs.amazonaws.com`
 * without a condition, so any EventBridge rule of any account could feed the queue fake
 * interruptions. Here only `events.amazonaws.com` is allowed, with `aws:SourceArn` equal to one of
 * the queue's rules, as the EventBridge User Guide writes an SQS target's policy ("Using
 * resource-based policies for Amazon EventBridge", section "Amazon SQS permissions": `ArnEquals`
 * `aws:SourceArn` = the rule ARN). `sqs.amazonaws.com` sends nothing to this queue and is dropped.
 *
 * @throws Error when no rule ARN is given (the queue would accept nothing)
 */
export function interruptionQueuePolicy(queueArn: string, ruleArns: readonly string[]): PolicyDocument {
  if (ruleArns.length === 0) throw new Error("the interruption queue policy needs the ARNs of the EventBridge rules that feed it");
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowEventBridgeToSend",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["sqs:SendMessage"],
        Resource: [queueArn],
        Condition: { ArnEquals: { "aws:SourceArn": [...ruleArns] } },
      },
      {
        Sid: "DenyHTTP",
        Effect: "Deny",
        Principal: "*",
        Action: ["sqs:*"],
        Resource: [queueArn],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

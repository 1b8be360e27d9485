/**
 * Alarms that fire on the first event: a metric whose sum (or maximum) reaches 1 in one period alarms the
 * operations topic, and a period without data is not a breach. Every per-client alarm of cspulse but the
 * missing-data one has this shape; the client stack states only what each one watches.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { CsPulseFunction } from './cspulse-function.ts';

export class FirstEventAlarms {
  constructor(
    private readonly scope: Construct,
    /** the operations topic every alarm notifies */
    readonly action: cwActions.SnsAction,
    /** "cspulse <client>": the start of every description */
    private readonly label: string,
  ) {}

  /** Alarms when `metric` reaches 1 in one of its periods. */
  on(metric: cloudwatch.Metric, id: string, description: string, scope: Construct = this.scope): cloudwatch.Alarm {
    const alarm = metric.createAlarm(scope, id, {
      alarmDescription: `${this.label}: ${description}`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }

  /** The first message visible in a queue (a dead-letter queue, a failed-deliveries queue). */
  onFirstMessage(queue: sqs.IQueue, id: string, description: string): cloudwatch.Alarm {
    return this.on(queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }), id, description);
  }

  /** A function's first error (Lambda's Errors metric), as `<function>/ErrorsAlarm`. */
  onErrors(fn: CsPulseFunction, what: string): cloudwatch.Alarm {
    return this.on(fn.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }), 'ErrorsAlarm', `the ${what} function failed`, fn);
  }

  /** The first count in an hour of a metric the handlers publish (EMF) or AWS publishes. */
  onCount(namespace: string, metricName: string, dimensionsMap: Record<string, string>, id: string, description: string): cloudwatch.Alarm {
    return this.on(new cloudwatch.Metric({ namespace, metricName, dimensionsMap, period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }), id, description);
  }
}

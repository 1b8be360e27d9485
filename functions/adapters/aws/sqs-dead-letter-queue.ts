/**
 * Sends a message that can never be processed to a dead-letter queue by hand, the way SQS itself would after
 * maxReceiveCount receives, with the reason as a message attribute. For a FIFO queue, SendMessage needs a
 * message group id and, unless the queue deduplicates by content, a deduplication id
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html): the
 * original group, so a redrive keeps the client's order, and the original message id, so a retry of the same
 * send within SQS's five-minute deduplication interval is stored once.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterQueue } from '../../handlers/dead-letter-queue.ts';

export const REASON_ATTRIBUTE = 'cspulse-reason';
export const SOURCE_MESSAGE_ATTRIBUTE = 'cspulse-source-message-id';
/** A reason is for people; an attribute value counts towards the message's size limit. */
const REASON_LIMIT = 1_000;

/** Characters SQS accepts in a message (#x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF). */
const notAllowed = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function createSqsDeadLetterQueue(options: { client: SQSClient; queueUrl: string; defaultGroupId: string }): DeadLetterQueue {
  const fifo = options.queueUrl.endsWith('.fifo');
  return {
    async send(message, reason) {
      const text = reason.replace(notAllowed, '?');
      await options.client.send(
        new SendMessageCommand({
          QueueUrl: options.queueUrl,
          MessageBody: message.body,
          MessageAttributes: {
            [REASON_ATTRIBUTE]: { DataType: 'String', StringValue: text.length > REASON_LIMIT ? `${text.slice(0, REASON_LIMIT - 1)}…` : text },
            [SOURCE_MESSAGE_ATTRIBUTE]: { DataType: 'String', StringValue: message.messageId },
          },
          ...(fifo
            ? { MessageGroupId: message.messageGroupId ?? options.defaultGroupId, MessageDeduplicationId: message.messageId }
            : {}),
        }),
      );
    },
  };
}

import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqsDeadLetterQueue } from '../../../functions/adapters/aws/sqs-dead-letter-queue.ts';

const client = new SQSClient({ region: 'ap-northeast-2' });
const sqs = mockClient(client);
afterEach(() => sqs.reset());

const FIFO_URL = 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/CsPulse-Client-shop-IngestDlq1A2B3C4D-abcdef.fifo';

describe('SQS dead-letter queue', () => {
  it('sends the body as it came, with the reason, group and deduplication id a FIFO queue requires', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
    const dlq = createSqsDeadLetterQueue({ client, queueUrl: FIFO_URL, defaultGroupId: 'shop' });
    await dlq.send({ body: '{"truncated":', messageId: '059f36b4-87a3-44ab-83d2-661975830a7d', messageGroupId: 'shop' }, 'the message body is not JSON (13 characters)');
    expect(sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([
      {
        QueueUrl: FIFO_URL,
        MessageBody: '{"truncated":',
        MessageAttributes: {
          'cspulse-reason': { DataType: 'String', StringValue: 'the message body is not JSON (13 characters)' },
          'cspulse-source-message-id': { DataType: 'String', StringValue: '059f36b4-87a3-44ab-83d2-661975830a7d' },
        },
        MessageGroupId: 'shop',
        MessageDeduplicationId: '059f36b4-87a3-44ab-83d2-661975830a7d',
      },
    ]);
  });

  it("uses the client's group when the message had none, and sends no FIFO fields to a standard queue", async () => {
    sqs.on(SendMessageCommand).resolves({});
    await createSqsDeadLetterQueue({ client, queueUrl: FIFO_URL, defaultGroupId: 'shop' }).send({ body: 'x', messageId: 'm1' }, 'r');
    await createSqsDeadLetterQueue({ client, queueUrl: 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/plain', defaultGroupId: 'shop' }).send(
      { body: 'x', messageId: 'm2', messageGroupId: 'shop' },
      'r',
    );
    const [fifo, standard] = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(fifo).toMatchObject({ MessageGroupId: 'shop', MessageDeduplicationId: 'm1' });
    expect(standard).not.toHaveProperty('MessageGroupId');
    expect(standard).not.toHaveProperty('MessageDeduplicationId');
  });

  it('keeps the reason to 1,000 characters SQS accepts', async () => {
    sqs.on(SendMessageCommand).resolves({});
    const dlq = createSqsDeadLetterQueue({ client, queueUrl: FIFO_URL, defaultGroupId: 'shop' });
    // U+0000 and U+FFFF are outside the characters SQS allows in a message
    await dlq.send({ body: 'x', messageId: 'm3' }, `bad\u0000key\uFFFF ${'x'.repeat(2000)}`);
    const reason = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageAttributes!['cspulse-reason']!.StringValue!;
    expect(reason.startsWith('bad?key? xxx')).toBe(true);
    expect(reason).toHaveLength(1000);
    expect(reason.endsWith('…')).toBe(true);
  });

  it('lets a failed send fail the caller', async () => {
    sqs.on(SendMessageCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    const dlq = createSqsDeadLetterQueue({ client, queueUrl: FIFO_URL, defaultGroupId: 'shop' });
    await expect(dlq.send({ body: 'x', messageId: 'm4' }, 'r')).rejects.toThrow('Service unavailable');
  });
});

/**
 * Where a handler puts a message that can never be processed, with the reason: for ingest, the ingest
 * queue's dead-letter queue (adapters/aws/sqs-dead-letter-queue.ts).
 */
export interface DeadLetterQueue {
  /** @throws whatever the queue throws; the caller then lets the message fail, so it comes back */
  send(message: { body: string; messageId: string; messageGroupId?: string }, reason: string): Promise<void>;
}

// A stand-in for Lambda's Node.js runtime interface: loads the bundle's index.mjs from LAMBDA_TASK_ROOT once
// (a cold start), then runs one invocation per IPC message with a Lambda context whose remaining time counts
// down from the function's timeout. Logs go to stdout as Lambda's log pipeline takes them; after each
// invocation a marker line says where its output ends.
import { pathToFileURL } from 'node:url';

const root = process.env.LAMBDA_TASK_ROOT;
const [file, exported] = (process.env._HANDLER ?? 'index.handler').split('.');
const mod = await import(pathToFileURL(`${root}/${file}.mjs`).href);
const handler = mod[exported];

const send = (message) => new Promise((resolve) => process.send(message, resolve));
const marker = (id) => new Promise((resolve) => process.stdout.write(`\u0000END ${id}\n`, resolve));

process.on('message', async ({ id, event, timeoutMs }) => {
  const deadline = Date.now() + timeoutMs;
  const context = {
    awsRequestId: id,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    logStreamName: 'stand-in',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const result = await handler(event, context);
    await marker(id);
    await send({ id, ok: true, result: result ?? null });
  } catch (error) {
    await marker(id);
    await send({ id, ok: false, error: { name: error?.name ?? 'Error', message: String(error?.message ?? error) } });
  }
});
await send({ ready: true, node: process.version });

import { App, Duration, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { CsPulseFunction, environmentBytes, LAMBDA_ENVIRONMENT_BYTES } from '../../infra/constructs/cspulse-function.ts';

const FIXTURE_HANDLER = join(import.meta.dirname, 'fixtures', 'handler.ts');

describe('environmentBytes', () => {
  it('counts keys and values as Lambda does, a token at its longest', () => {
    const stack = new Stack(new App(), 'S');
    const queue = new sqs.Queue(stack, 'Q');
    // 'A' + 'bc' = 3 bytes; 'K' + '가' = 1 + 3 bytes; 'URL' + a token counted as 140
    expect(environmentBytes({ A: 'bc', K: '가', URL: queue.queueUrl })).toBe(3 + 4 + 3 + 140);
  });

  it("stops synthesis when a function's environment could pass Lambda's 4 KB", () => {
    const stack = new Stack(new App(), 'S');
    // the construct adds no variable of its own; 'BIG' is 3 bytes: 4,096 - 3 = 4,093 fit exactly
    const props = { entry: FIXTURE_HANDLER, description: 'fixture', timeout: Duration.seconds(3), memorySize: 128 };
    expect(() => new CsPulseFunction(stack, 'Fits', { ...props, environment: { BIG: 'x'.repeat(4093) } })).not.toThrow();
    expect(() => new CsPulseFunction(stack, 'TooBig', { ...props, environment: { BIG: 'x'.repeat(4094) } })).toThrow(
      `S/TooBig: the environment takes up to ${LAMBDA_ENVIRONMENT_BYTES + 1} bytes; Lambda allows 4096`,
    );
  });
});

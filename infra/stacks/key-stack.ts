/**
 * `CsPulse-Key-<id>`: the client's customer-key (HMAC) secret, alone in a stack of its own.
 *
 * The key must outlive every deployment of the client stack: a new key would split each customer's history
 * in two (repeat rate, FCR). If the client stack created it, `cdk destroy CsPulse-Client-<id>` would leave the
 * retained secret behind and the next deploy would fail creating a secret of the same name; CloudFormation's
 * automatic import (`--import-existing-resources`) cannot adopt it either, because a Secrets Manager secret's
 * primary identifier is its ARN, a read-only property. In its own stack, with termination protection, the key
 * is created once and the client stack can be destroyed and deployed again as often as needed. `cdk deploy
 * CsPulse-Client-<id>` deploys this stack first (it is a dependency), so adding a client is still one command.
 */
import { RemovalPolicy, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

import { piiKeySecretName } from '../../functions/core/runtime-env.ts';
import { CLIENT_TAG } from '../nag.ts';

export const keyStackName = (clientId: string) => `CsPulse-Key-${clientId}`;

export interface KeyStackProps extends StackProps {
  clientId: string;
}

export class KeyStack extends Stack {
  readonly piiKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: KeyStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const { clientId } = props;
    Tags.of(this).add(CLIENT_TAG, clientId);

    this.piiKey = new secretsmanager.Secret(this, 'PiiKey', {
      secretName: piiKeySecretName(clientId),
      description: `HMAC key for customer_key of client ${clientId}`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      // Deleting the stack on purpose (to erase a client) still keeps the key until it is deleted by hand.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.piiKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key links contacts of one customer across days (repeat rate, FCR); rotating it would split ' +
        "every customer in two. It is never shown to anyone and is read only by this client's ingest function.",
    });
  }
}

/** The settings every cspulse bucket shares: private, TLS only, encrypted, retained, logged. */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface SecureBucketProps {
  versioned: boolean;
  lifecycleRules: s3.LifecycleRule[];
  accessLogs?: { bucket: s3.IBucket; prefix: string };
  eventBridgeEnabled?: boolean;
}

export function secureBucket(scope: Construct, id: string, props: SecureBucketProps): s3.Bucket {
  return new s3.Bucket(scope, id, {
    // SSE-S3: Athena, the Lambdas and S3 access logging all work with it without key grants, and a
    // client's access is decided by the prefix statements of its own roles, not by a key policy.
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: props.versioned,
    lifecycleRules: props.lifecycleRules,
    removalPolicy: RemovalPolicy.RETAIN,
    serverAccessLogsBucket: props.accessLogs?.bucket,
    serverAccessLogsPrefix: props.accessLogs?.prefix,
    eventBridgeEnabled: props.eventBridgeEnabled,
  });
}

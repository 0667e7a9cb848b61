/**
 * Storage: the data bucket every step reads and writes (the store layout of DESIGN.md), and
 * the LinkedIn credentials secret. The secret's value never appears here: it is put into
 * Secrets Manager after the deploy (cdk/README.md), and fetch-token keeps it fresh.
 */

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/** The credentials secret's name; the steps' default `LINKEDIN_SECRET_NAME` too. */
export const SECRET_NAME = 'linkedin';

export class Storage extends Construct {
  /** The data bucket: raw/, processed/, query-results/, decisions/, logs/, reports/, policies/,
   * models/. */
  readonly bucket: s3.Bucket;
  /** The LinkedIn credentials (clientId, clientSecret, tokens; optional notifyWebhookUrl). */
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.bucket = new s3.Bucket(this, 'DataBucket', {
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // The history is the product: the data outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'raw-expires',
          prefix: 'raw/',
          expiration: Duration.days(90),
        },
        {
          id: 'processed-ages',
          prefix: 'processed/',
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
            { storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(90) },
          ],
        },
        {
          id: 'query-results-expire',
          prefix: 'query-results/',
          expiration: Duration.days(7),
        },
        {
          // collect rewrites the last 14 days' partitions every run; without this, each
          // rewrite would keep the old version forever.
          id: 'old-versions-expire',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    NagSuppressions.addResourceSuppressions(this.bucket, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'Only this stack\'s eight Lambda roles and Athena (on their behalf) touch the bucket, each on its own prefixes; ' +
          'object-level auditing, when wanted, is CloudTrail data events rather than a second bucket of access logs.',
      },
    ]);

    this.secret = new secretsmanager.Secret(this, 'LinkedInCredentials', {
      secretName: SECRET_NAME,
      description:
        'LinkedIn Marketing API credentials (JSON: clientId, clientSecret, accessToken, accessTokenExpiresAt, ' +
        'refreshToken, refreshTokenExpiresAt; optional notifyWebhookUrl). Put the value after deploying; ' +
        'fetch-token refreshes the access token in place.',
      // Losing it means re-authorizing with LinkedIn by hand.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.secret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'The fetch-token step rotates the access token itself (OAuth refresh, every run of collect and optimize); ' +
          "the refresh token can only be renewed by a person re-authorizing with LinkedIn, which no rotation Lambda can do.",
      },
    ]);
  }
}

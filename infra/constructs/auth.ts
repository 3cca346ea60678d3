import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface StaffDirectoryProps {
  /** One Cognito group is created per role; a token's `cognito:groups` claim carries the caller's roles. */
  readonly roles: readonly string[];
}

/**
 * The staff user pool: administrators create accounts (no self sign-up), users sign in with their e-mail address,
 * passwords are long and mixed, TOTP MFA is available, and the Plus feature plan's threat protection blocks
 * compromised credentials and challenges risky sign-ins. The pool outlives the stack so accounts are never lost to a
 * `cdk destroy`.
 */
export class StaffDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly groups: Map<string, cognito.CfnUserPoolGroup>;

  constructor(scope: Construct, id: string, props: StaffDirectoryProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is OPTIONAL (TOTP only, no SMS) rather than REQUIRED: ' +
        'accounts are created by an administrator for staff, ' +
        'the Plus-tier threat protection in full-function mode blocks sign-ins with compromised credentials and ' +
        'challenges risky ones, and ops scripts obtain tokens with ADMIN_USER_PASSWORD_AUTH under IAM credentials. ' +
        'Staff with admin, hr or accounting roles are expected to enrol TOTP (docs/deploy.md).',
    });
    this.groups = new Map(
      props.roles.map((role) => [
        role,
        new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
          userPoolId: this.userPool.userPoolId,
          groupName: role,
          description: `Back Office role ${role}`,
        }),
      ]),
    );
    this.client = this.userPool.addClient('ApiClient', {
      authFlows: { userSrp: true, adminUserPassword: true },
      generateSecret: false,
      disableOAuth: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
      enableTokenRevocation: true,
    });
  }
}

/**
 * The From address of a client's reports. One rule for every place that needs it: the CDK stack (the SES
 * `ses:FromAddress` condition of the report role, and the address it hands the report function), the report
 * function, and `cspulse config check`.
 */

/**
 * The address of a client whose config names no `sender`, when the deployment sets no default of its own
 * (`CSPULSE_DEFAULT_SENDER` when `cdk synth` runs). It is a placeholder on a domain reserved for examples,
 * which nobody can verify in SES: a real deployment sets one of the two.
 */
export const DEFAULT_SENDER = 'reports@cspulse.example.com';

/** The sender a client's reports go out from. */
export function resolveSender(config: { sender?: string | undefined }, deploymentDefault: string = DEFAULT_SENDER): string {
  return config.sender ?? deploymentDefault;
}

/**
 * Domains reserved for documentation and testing (RFC 2606 §2-3; RFC 6761 §6; `.local` is mDNS, RFC 6762).
 * Nobody can publish DNS records for them, so SES can never verify an address there.
 */
const RESERVED_DOMAIN = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost|local)$/i;

export function isReservedDomain(domain: string): boolean {
  return RESERVED_DOMAIN.test(domain);
}

/** Why a client's reports would not leave SES as configured, or undefined when its sender looks deliverable. */
export function senderWarning(config: { sender?: string | undefined }): string | undefined {
  if (config.sender === undefined) {
    return (
      `no sender: reports go out from the deployment's default (CSPULSE_DEFAULT_SENDER at cdk synth, else ` +
      `${DEFAULT_SENDER}); set sender to an address of a domain verified in SES`
    );
  }
  const domain = config.sender.slice(config.sender.lastIndexOf('@') + 1);
  if (isReservedDomain(domain)) {
    return `sender ${config.sender} is on ${domain}, a reserved domain (RFC 2606, RFC 6761) that SES cannot verify; use an address of your own verified domain`;
  }
  return undefined;
}

/** The From address of a client's mail: its sender, else the one default above (on AWS the stack sets it). */
export const senderOf = (config: { sender?: string | undefined }): string => resolveSender(config);

/** Where notices that are not for the client go: the operator, else the account manager, else the sender. */
export const operatorOf = (config: { sender?: string | undefined; recipients: { operator?: string | undefined; reply_to?: string | undefined } }): string =>
  config.recipients.operator ?? config.recipients.reply_to ?? senderOf(config);

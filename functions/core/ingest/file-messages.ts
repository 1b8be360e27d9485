/**
 * File-level rejection reasons reach manifests, the command line and Lambda logs, where no value from a file
 * may appear (raw values live only in the raw and quarantine stores). A header row is shown only as names:
 * a cell that looks like data — it has a digit or an @, or is long — is masked. (A file declared with a header
 * whose first row is in fact data would otherwise print a customer's number.)
 */
export const maskedHeader = (header: readonly string[]): string =>
  header.map((h) => (/[0-9@]/.test(h) || h.length > 40 ? '…' : h)).join(' | ');

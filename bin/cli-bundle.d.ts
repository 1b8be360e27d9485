/** The fingerprint of the sources the bundle is built from, in the checkout at `root` (default this one). */
export function sourceFingerprint(root?: string): string;
/** Builds the bundle of a fingerprint (default the checkout's) and returns its entry file. */
export function buildBundle(fingerprint?: string): Promise<string>;
/** The entry file of the bundle of the checkout as it is now, built first when there is none. */
export function currentBundle(): Promise<string>;

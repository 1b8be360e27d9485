/**
 * The ports the core talks through. Each adapter (folder / S3, DuckDB / Athena, outbox / SMTP / SES) implements
 * one of these and passes the same contract test suite. Errors named here are the only ones a caller handles.
 */

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string, options?: { cause?: unknown }) {
    super(`object not found: ${key}`, options);
    this.name = 'ObjectNotFoundError';
  }
}

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

export type ObjectBody = Uint8Array | string | AsyncIterable<Uint8Array>;

/**
 * A flat key space like S3. Keys use `/` separators and never start with `/`.
 * A put is atomic: readers see the old object or the whole new one, never a part.
 */
export interface ObjectStore {
  /** @throws ObjectNotFoundError when the key does not exist */
  get(key: string): Promise<Uint8Array>;
  /** Streams the object. @throws ObjectNotFoundError when the key does not exist */
  getStream(key: string): Promise<AsyncIterable<Uint8Array>>;
  /** Creates or replaces the object atomically. */
  put(key: string, body: ObjectBody, options?: { contentType?: string }): Promise<void>;
  /**
   * Creates the object only if no object has that key; returns false when one exists. Used for claims that
   * must succeed exactly once (S3: `If-None-Match: *`).
   */
  putIfAbsent(key: string, body: ObjectBody, options?: { contentType?: string }): Promise<boolean>;
  /**
   * Copies an object within the store without sending its bytes through the caller (S3 CopyObject; a hard link
   * locally); the new object replaces any at `to` atomically. @throws ObjectNotFoundError when `from` is missing
   */
  copy(from: string, to: string): Promise<void>;
  /** @returns undefined when the key does not exist */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Every object whose key starts with the prefix, in key order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** A value as every query engine adapter returns it: no BigInt, no engine-specific objects. */
export type SqlValue = string | number | boolean | null;
/**
 * Parameters are positional (`?` in the SQL text). Strings are bound as varchar; a JS Date is bound as a
 * timestamp; callers cast dates explicitly in SQL (`cast(? as date)`), which both engines accept.
 */
export type SqlParam = string | number | boolean | Date;

export interface QueryColumn {
  name: string;
  /** engine type name, lower case (varchar, bigint, double, boolean, date, timestamp...) */
  type: string;
}

export interface QueryResult {
  columns: QueryColumn[];
  /**
   * Rows keyed by column name. Integers and decimals are numbers, dates are `YYYY-MM-DD`, instants (the lake's
   * `*_at` columns) are ISO 8601 UTC strings (`2026-03-01T09:00:00.000Z`), booleans are booleans. A zone-less
   * timestamp a query computed (a local wall clock, such as the views' `*_local` columns) is ISO 8601 without a
   * zone (`2026-03-01T18:00:00.000`) on the local engine; Athena's adapter cannot tell the two apart and reads
   * every timestamp as UTC, which is what the KPI queries return.
   */
  rows: Record<string, SqlValue>[];
  stats: { engine: 'duckdb' | 'athena' | 'recording'; elapsedMs: number; bytesScanned?: number; queryId?: string };
}

export class QueryError extends Error {
  constructor(message: string, readonly sql?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueryError';
  }
}

export interface QueryEngine {
  /** @throws QueryError with the engine's own reason */
  query(sql: string, params?: readonly SqlParam[]): Promise<QueryResult>;
  close(): Promise<void>;
}

export interface OutgoingEmail {
  from: string;
  to: string[];
  cc?: string[];
  /** the complete RFC 5322 message, as built by the core */
  raw: Uint8Array;
  /** for logs and the outbox file name */
  subject: string;
  /** tags passed to SES (configuration set events) */
  tags?: Record<string, string>;
}

export class MailerError extends Error {
  /**
   * true when the failure came after the message was handed over (the server took the data and then did not
   * answer, a timeout on the request): it may have been delivered, so it must not be sent again automatically
   */
  readonly handedOver: boolean;
  constructor(message: string, readonly retryable: boolean, options?: { cause?: unknown; handedOver?: boolean }) {
    super(message, options);
    this.name = 'MailerError';
    this.handedOver = options?.handedOver ?? false;
  }
}

/** A recipient the mail server refused while it took the message for the others (SMTP 5xx/4xx at RCPT). */
export interface RefusedRecipient {
  address: string;
  /** the server's answer, e.g. "550 5.1.1 mailbox unavailable" */
  reason: string;
}

export interface Mailer {
  /**
   * Hands the message over for every recipient the server accepts. `refused` lists those it would not take
   * (the message went to the others); a server that refuses them all throws.
   * @throws MailerError; retryable is true for throttling and transient failures before the message left,
   * handedOver when the message may have left. Any other error counts as handed over.
   */
  send(email: OutgoingEmail): Promise<{ messageId: string; refused?: RefusedRecipient[] }>;
}

/** A value the ingest workspace binds to a `?`/`$name` placeholder: a Uint8Array is bound as a BLOB. */
export type WorkspaceParam = string | number | boolean | Date | Uint8Array | null;

export class WorkspaceError extends Error {
  constructor(message: string, readonly sql?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkspaceError';
  }
}

/**
 * An embedded SQL engine over files in a local working folder (DuckDB dialect), which ingest uses to read,
 * type and write a file's rows column by column. One workspace serves one input file: it holds that file's
 * scratch tables in bounded memory and spills to its folder beyond that. The core writes the SQL; an adapter
 * runs it in-process.
 */
export interface SqlWorkspace {
  /** @throws WorkspaceError with the engine's own reason */
  run(sql: string, params?: readonly WorkspaceParam[]): Promise<void>;
  /** For small results only (counts, rejected rows, a few distinct values). @throws WorkspaceError */
  query(sql: string, params?: readonly WorkspaceParam[]): Promise<Record<string, SqlValue>[]>;
  /** Appends rows to an existing table whose columns are all VARCHAR. @throws WorkspaceError */
  appendText(table: string, rows: readonly (readonly (string | null)[])[]): Promise<void>;
  close(): Promise<void>;
}

export interface SqlWorkspaceOptions {
  /** folder for the engine's spill files; it must exist and belong to this workspace */
  spillDir: string;
  /** memory the engine may hold before spilling */
  memoryLimitMb: number;
  threads?: number;
}

export type OpenSqlWorkspace = (options: SqlWorkspaceOptions) => Promise<SqlWorkspace>;

/**
 * Mutual exclusion between ingest runs of one client, by name (a file, a business date). The local runtime
 * uses lock files; on AWS one FIFO message group per client already runs a client's files one at a time.
 */
export interface Locks {
  /**
   * Waits until every named lock is held (taken in sorted order, so two runs cannot deadlock) and returns
   * the function that releases them. @throws LockTimeoutError
   */
  acquire(names: readonly string[]): Promise<() => Promise<void>>;
}

export class LockTimeoutError extends Error {
  constructor(readonly name_: string, readonly holder: string) {
    super(`lock ${name_} is still held by ${holder}`);
    this.name = 'LockTimeoutError';
  }
}

export interface Clock {
  now(): Date;
}

export class SecretNotFoundError extends Error {
  constructor(readonly secretName: string, options?: { cause?: unknown }) {
    super(`secret not found: ${secretName}`, options);
    this.name = 'SecretNotFoundError';
  }
}

export interface Secrets {
  /** @throws SecretNotFoundError */
  get(name: string): Promise<string>;
}

export const systemClock: Clock = { now: () => new Date() };

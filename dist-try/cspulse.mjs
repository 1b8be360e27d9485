#!/usr/bin/env node

// functions/cli/main.ts
import { Command, CommanderError } from "commander";

// functions/core/config/errors.ts
var ConfigError = class extends Error {
  constructor(message, file, issues = [], options) {
    super(message, options);
    this.file = file;
    this.issues = issues;
    this.name = "ConfigError";
  }
  file;
  issues;
};

// functions/cli/commands/config-check.ts
import { createReadStream as createReadStream3 } from "node:fs";
import { tmpdir } from "node:os";
import { basename as basename2, join as join5 } from "node:path";

// functions/adapters/local/duckdb-workspace.ts
import { blobValue, DuckDBInstance as DuckDBInstance2, timestampValue as timestampValue2 } from "@duckdb/node-api";

// functions/core/ports.ts
var ObjectNotFoundError = class extends Error {
  constructor(key, options) {
    super(`object not found: ${key}`, options);
    this.key = key;
    this.name = "ObjectNotFoundError";
  }
  key;
};
var QueryError = class extends Error {
  constructor(message, sql, options) {
    super(message, options);
    this.sql = sql;
    this.name = "QueryError";
  }
  sql;
};
var MailerError = class extends Error {
  constructor(message, retryable, options) {
    super(message, options);
    this.retryable = retryable;
    this.name = "MailerError";
    this.handedOver = options?.handedOver ?? false;
  }
  retryable;
  /**
   * true when the failure came after the message was handed over (the server took the data and then did not
   * answer, a timeout on the request): it may have been delivered, so it must not be sent again automatically
   */
  handedOver;
};
var WorkspaceError = class extends Error {
  constructor(message, sql, options) {
    super(message, options);
    this.sql = sql;
    this.name = "WorkspaceError";
  }
  sql;
};
var LockTimeoutError = class extends Error {
  constructor(name_, holder) {
    super(`lock ${name_} is still held by ${holder}`);
    this.name_ = name_;
    this.holder = holder;
    this.name = "LockTimeoutError";
  }
  name_;
  holder;
};
var SecretNotFoundError = class extends Error {
  constructor(secretName, options) {
    super(`secret not found: ${secretName}`, options);
    this.secretName = secretName;
    this.name = "SecretNotFoundError";
  }
  secretName;
};
var systemClock = { now: () => /* @__PURE__ */ new Date() };

// functions/adapters/local/duckdb-engine.ts
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import {
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  timestampValue
} from "@duckdb/node-api";

// functions/core/tables.ts
var col = (name, type, nullable, comment) => ({
  name,
  type,
  nullable,
  comment
});
var partitionKeys = [
  col("client_id", "string", false, "client the row belongs to"),
  col("dt", "string", false, "local business date YYYY-MM-DD in the client's time zone")
];
var CHANNELS = ["phone", "chat", "board", "email"];
var DIRECTIONS = ["inbound", "outbound"];
var OUTCOMES = ["answered", "abandoned", "callback_requested", "self_service", "excluded"];
var SURVEY_TYPES = ["csat", "nps", "ces"];
var TEXT_LENGTH_LIMITS = {
  contact_id: 256,
  survey_id: 256,
  queue: 200,
  category: 200,
  subcategory: 200,
  agent_id: 200,
  comment: 2e3
};
var contactsTable = {
  name: "contacts",
  comment: "one row per contact: a call, a chat or a board post/ticket",
  partitionKeys,
  columns: [
    col("contact_id", "string", false, "id of the contact in the source system"),
    col("channel", "string", false, "phone | chat | board | email"),
    col("direction", "string", false, "inbound | outbound"),
    col("queue", "string", true, "queue or skill group"),
    col("category", "string", true, "\uC0C1\uB2F4\uC720\uD615: contact reason"),
    col("subcategory", "string", true, "finer contact reason"),
    col("customer_key", "string", true, "HMAC-SHA256 of the normalized phone, e-mail or user id; null when hidden"),
    col("agent_id", "string", true, "agent who handled the contact"),
    col("arrived_at", "timestamp", false, "UTC: contact entered the system"),
    col("answered_at", "timestamp", true, "UTC: agent answered / first response"),
    col("ended_at", "timestamp", true, "UTC: contact ended"),
    col("ivr_seconds", "double", true, "time in IVR / bot before the queue"),
    col("wait_seconds", "double", true, "queue time until answer or abandon; first-response time for chat/board"),
    col("talk_seconds", "double", true, "talk / chat time with an agent"),
    col("hold_seconds", "double", true, "customer on hold"),
    col("acw_seconds", "double", true, "after-contact work"),
    col("handle_seconds", "double", true, "talk + hold + acw; null only when all three are missing"),
    col("outcome", "string", false, "answered | abandoned | callback_requested | self_service | excluded"),
    col("is_transferred", "boolean", false, "transferred to another agent or queue"),
    col("is_resolved", "boolean", true, "resolved according to the source, when it says"),
    col("local_hour", "int", false, "hour 0-23 of arrived_at in the client's time zone"),
    col("source", "string", false, "source id from the client config"),
    col("source_file", "string", false, "name of the export file the row came from"),
    col("ingested_at", "timestamp", false, "UTC: when the row was written to the lake"),
    col("updated_at", "timestamp", true, "UTC: the source's last update of the record, when it says (Connect's LastUpdateTimestamp)"),
    col("delivered_at", "timestamp", true, "UTC: when the export holding this version of the contact arrived")
  ]
};
var surveysTable = {
  name: "surveys",
  comment: "one row per survey response (CSAT, NPS, CES)",
  partitionKeys,
  columns: [
    col("survey_id", "string", false, "id of the response in the source system"),
    col("contact_id", "string", true, "contact the survey was about"),
    col("channel", "string", true, "channel of that contact"),
    col("agent_id", "string", true, "agent of that contact"),
    col("survey_type", "string", false, "csat | nps | ces"),
    col("score", "double", false, "score as given"),
    col("scale_min", "int", false, "lowest possible score"),
    col("scale_max", "int", false, "highest possible score"),
    col("comment", "string", true, "free-text comment"),
    col("responded_at", "timestamp", false, "UTC: when the customer answered"),
    col("source", "string", false, "source id from the client config"),
    col("source_file", "string", false, "name of the export file the row came from"),
    col("ingested_at", "timestamp", false, "UTC: when the row was written to the lake"),
    col("delivered_at", "timestamp", true, "UTC: when the export holding this version of the response arrived")
  ]
};
var lakeTables = { contacts: contactsTable, surveys: surveysTable };

// functions/adapters/local/duckdb-dialect.ts
var DUCKDB_TRINO_SHIMS = [
  // Trino: seconds since the epoch as a double. DuckDB: epoch().
  `create or replace temp macro to_unixtime(ts) as epoch(ts)`,
  `create or replace temp macro from_unixtime(seconds) as make_timestamp(cast(round(seconds * 1000000) as bigint))`,
  // Athena's approx_percentile is a q-digest estimate; on the small groups the tests use it returns a value
  // of the group, which quantile_disc returns exactly.
  `create or replace temp macro approx_percentile(x, p) as quantile_disc(x, p)`,
  // Trino: date_add(unit, value, timestamp). DuckDB's own date_add(date, interval) stays available.
  `create or replace temp macro date_add(a, b) as a + b,
     (unit, amount, ts) as ts + (case lower(unit)
        when 'millisecond' then to_milliseconds(amount)
        when 'second' then to_seconds(amount)
        when 'minute' then to_minutes(amount)
        when 'hour' then to_hours(amount)
        when 'day' then to_days(amount)
        when 'week' then to_days(amount * 7)
        when 'month' then to_months(amount)
        when 'year' then to_years(amount)
      end)`,
  // No date_diff shim: Trino counts whole units elapsed, DuckDB counts boundaries crossed, and a same-named
  // macro would hide DuckDB's own. The SQL compares to_unixtime() differences instead.
  // Trino: ISO day of week, Monday = 1.
  `create or replace temp macro day_of_week(d) as isodow(d)`,
  `create or replace temp macro to_iso8601(ts) as strftime(cast(ts as timestamp), '%Y-%m-%dT%H:%M:%S.%g') || 'Z'`
];

// functions/adapters/local/duckdb-engine.ts
var duckType = {
  string: "varchar",
  timestamp: "timestamp",
  double: "double",
  int: "integer",
  boolean: "boolean"
};
var sqlString = (text3) => `'${text3.replace(/'/g, "''")}'`;
async function hasParquet(dir, depth) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith(".parquet") && depth === 0) return true;
    if (e.isDirectory() && depth > 0 && await hasParquet(join(dir, e.name), depth - 1)) return true;
  }
  return false;
}
function lakeViewSql(table2, lakeRoot, hasFiles) {
  const dataColumns = table2.columns.map((c) => `cast(${c.name} as ${duckType[c.type]}) as ${c.name}`);
  const keys = table2.partitionKeys.map((k) => k.name);
  if (!hasFiles) {
    const nulls = [...table2.columns.map((c) => `cast(null as ${duckType[c.type]}) as ${c.name}`), ...keys.map((k) => `cast(null as varchar) as ${k}`)];
    return `create or replace temp view ${table2.name} as select ${nulls.join(", ")} where false`;
  }
  const glob = join(lakeRoot, table2.name, `${keys.map((k) => `${k}=*`).join("/")}`, "*.parquet");
  const hiveTypes = keys.map((k) => `'${k}': varchar`).join(", ");
  return `create or replace temp view ${table2.name} as select ${[...dataColumns, ...keys].join(", ")} from read_parquet(${sqlString(glob)}, hive_partitioning = true, hive_types = {${hiveTypes}})`;
}
function toDuckValue(param) {
  if (param instanceof Date) return timestampValue(BigInt(param.getTime()) * 1000n);
  return param;
}
var isoFromMicros = (micros) => new Date(Number(micros / 1000n)).toISOString();
function fromDuckValue(value, type) {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return Boolean(value);
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return Number(value);
    case DuckDBTypeId.DECIMAL:
      return value instanceof DuckDBDecimalValue ? value.toDouble() : Number(String(value));
    case DuckDBTypeId.DATE:
      return value instanceof DuckDBDateValue ? value.toString() : String(value);
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) return isoFromMicros(value.micros);
      return String(value);
    case DuckDBTypeId.TIMESTAMP_MS:
      return value instanceof DuckDBTimestampMillisecondsValue ? new Date(Number(value.millis)).toISOString() : String(value);
    case DuckDBTypeId.TIMESTAMP_S:
      return value instanceof DuckDBTimestampSecondsValue ? new Date(Number(value.seconds) * 1e3).toISOString() : String(value);
    case DuckDBTypeId.TIMESTAMP_NS:
      return value instanceof DuckDBTimestampNanosecondsValue ? isoFromMicros(value.nanos / 1000n) : String(value);
    case DuckDBTypeId.VARCHAR:
      return String(value);
    default:
      return typeof value === "bigint" ? Number(value) : String(value);
  }
}
async function createDuckDbEngine(options) {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  for (const shim of DUCKDB_TRINO_SHIMS) await connection.run(shim);
  const viewHasFiles = /* @__PURE__ */ new Map();
  const refreshViews = async () => {
    for (const name of Object.keys(lakeTables)) {
      if (viewHasFiles.get(name) === true) continue;
      const hasFiles = await hasParquet(join(options.lakeRoot, name), 2);
      if (viewHasFiles.get(name) === hasFiles) continue;
      await connection.run(lakeViewSql(lakeTables[name], options.lakeRoot, hasFiles));
      viewHasFiles.set(name, hasFiles);
    }
  };
  let queue = Promise.resolve();
  const serial = (work) => {
    const next = queue.then(work, work);
    queue = next.catch(() => void 0);
    return next;
  };
  const run = (sql, params) => serial(async () => {
    await refreshViews();
    try {
      return await connection.runAndReadAll(sql, params.map(toDuckValue));
    } catch (cause) {
      throw new QueryError(`DuckDB: ${cause instanceof Error ? cause.message : String(cause)}`, sql, { cause });
    }
  });
  return {
    async query(sql, params = []) {
      const started = performance.now();
      const reader = await run(sql, params);
      const names = reader.columnNames();
      const types = reader.columnTypes();
      const rows = reader.getRows().map((raw) => {
        const row2 = {};
        names.forEach((name, i) => {
          row2[name] = fromDuckValue(raw[i] ?? null, types[i]);
        });
        return row2;
      });
      return {
        columns: names.map((name, i) => ({ name, type: types[i].toString().toLowerCase() })),
        rows,
        stats: { engine: "duckdb", elapsedMs: performance.now() - started }
      };
    },
    async explainAnalyze(sql, params = []) {
      const reader = await run(`explain analyze ${sql}`, params);
      return reader.getRows().map((r) => String(r[1] ?? "")).join("\n");
    },
    async close() {
      await serial(async () => {
        connection.closeSync();
        instance.closeSync();
      });
    }
  };
}

// functions/adapters/local/duckdb-workspace.ts
function toDuckValue2(param) {
  if (param instanceof Date) return timestampValue2(BigInt(param.getTime()) * 1000n);
  if (param instanceof Uint8Array) return blobValue(param);
  return param;
}
var reason = (cause) => cause instanceof Error ? cause.message : String(cause);
var openDuckDbWorkspace = async (options) => {
  const instance = await DuckDBInstance2.create(":memory:", {
    memory_limit: `${options.memoryLimitMb}MB`,
    temp_directory: options.spillDir,
    threads: String(options.threads ?? 2),
    // Row order is carried by explicit columns (the source line); not keeping it lets scans run in parallel.
    preserve_insertion_order: "false",
    // Ingest reads and writes local files only: no extension is ever downloaded or loaded on demand.
    autoinstall_known_extensions: "false",
    // A partitioned COPY buffers this many rows per thread before writing them out; the default (524,288)
    // holds a whole million-row export in memory, outside the memory limit.
    partitioned_write_flush_threshold: "32768",
    // Give freed memory back to the system after each task above this, so the process stays small.
    allocator_flush_threshold: "32MB",
    autoload_known_extensions: "false"
  });
  const connection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  const workspace = {
    async run(sql, params = []) {
      try {
        await connection.run(sql, params.map(toDuckValue2));
      } catch (cause) {
        throw new WorkspaceError(`DuckDB: ${reason(cause)}`, sql, { cause });
      }
    },
    async query(sql, params = []) {
      try {
        const reader = await connection.runAndReadAll(sql, params.map(toDuckValue2));
        const names = reader.columnNames();
        const types = reader.columnTypes();
        return reader.getRows().map((raw) => {
          const row2 = {};
          names.forEach((name, i) => {
            row2[name] = fromDuckValue(raw[i] ?? null, types[i]);
          });
          return row2;
        });
      } catch (cause) {
        throw new WorkspaceError(`DuckDB: ${reason(cause)}`, sql, { cause });
      }
    },
    async appendText(table2, rows) {
      try {
        const appender = await connection.createAppender(table2);
        for (const row2 of rows) {
          for (const value of row2) {
            if (value === null) appender.appendNull();
            else appender.appendVarchar(value);
          }
          appender.endRow();
        }
        appender.closeSync();
      } catch (cause) {
        throw new WorkspaceError(`DuckDB: appending to ${table2}: ${reason(cause)}`, void 0, { cause });
      }
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
    }
  };
  return workspace;
};

// functions/core/config/load-configs.ts
import { readdir as readdir2, readFile } from "node:fs/promises";
import { join as join2 } from "node:path";

// functions/core/config/parse-config.ts
import { parse as parseYaml } from "yaml";

// functions/core/config/client-config.ts
import { z } from "zod";
import { isSupportedCountry as isSupportedCountry2 } from "libphonenumber-js/max";

// functions/core/ingest/records/text-decoding.ts
import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import iconv from "iconv-lite";

// functions/core/ingest/types.ts
var FileRejectedError = class extends Error {
  constructor(file, reason2, options) {
    super(`${file}: ${reason2}`, options);
    this.file = file;
    this.name = "FileRejectedError";
  }
  file;
};

// functions/core/ingest/records/text-decoding.ts
var TEXT_ENCODINGS = ["utf-8", "cp949", "euc-kr", "utf-16le", "windows-1251", "windows-1252", "latin1"];
var GZIP_MAGIC = [31, 139];
var REPLACEMENT = Buffer.from([239, 191, 189]);
var BINARY_NUL_SHARE = 0.01;
async function* gunzipIfNeeded(chunks, file, maxBytes = Number.POSITIVE_INFINITY) {
  const iterator = chunks[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  async function* all() {
    yield head;
    while (true) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    yield* all();
    return;
  }
  const gunzip = Readable.from(all()).pipe(createGunzip());
  let total = 0;
  try {
    for await (const chunk of gunzip) {
      total += chunk.length;
      if (total > maxBytes) {
        gunzip.destroy();
        throw new FileRejectedError(file, `decompresses to more than ${maxBytes.toLocaleString("en")} bytes, the limit for one export`);
      }
      yield chunk;
    }
  } catch (cause) {
    if (cause instanceof FileRejectedError) throw cause;
    throw new FileRejectedError(file, `corrupt gzip data: ${cause.message}`, { cause });
  }
}
function utf8Boundary(bytes) {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back];
    if (b < 128) return n;
    if (b >= 192) {
      const need = b >= 240 ? 4 : b >= 224 ? 3 : 2;
      return back >= need ? n : n - back;
    }
  }
  return n;
}
function repairUtf8(bytes) {
  const out = [];
  const replaced = [];
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    let need = -1;
    if (b < 128) need = 0;
    else if (b >= 194 && b <= 223) need = 1;
    else if (b >= 224 && b <= 239) need = 2;
    else if (b >= 240 && b <= 244) need = 3;
    let ok = need >= 0 && i + need < n;
    for (let k = 1; ok && k <= need; k++) ok = (bytes[i + k] & 192) === 128;
    if (ok && need === 2) {
      const c1 = bytes[i + 1];
      ok = !(b === 224 && c1 < 160) && !(b === 237 && c1 >= 160);
    } else if (ok && need === 3) {
      const c1 = bytes[i + 1];
      ok = !(b === 240 && c1 < 144) && !(b === 244 && c1 >= 144);
    }
    if (ok) {
      for (let k = 0; k <= need; k++) out.push(bytes[i + k]);
      i += need + 1;
    } else {
      replaced.push(out.length);
      out.push(239, 191, 189);
      i++;
    }
  }
  return { bytes: Buffer.from(out), replaced };
}
var cp949Table;
var singleByteTables = /* @__PURE__ */ new Map();
function pack(text3) {
  if (text3.length === 0 || text3 === "\uFFFD") return 0;
  const utf82 = Buffer.from(text3, "utf8");
  if (utf82.length > 3 || [...text3].length !== 1) return 0;
  let packed = utf82.length << 24;
  for (let i = 0; i < utf82.length; i++) packed |= utf82[i] << 8 * (2 - i);
  return packed;
}
function cp949Pairs() {
  if (cp949Table) return cp949Table;
  const table2 = new Uint32Array(1 << 16);
  const pair = Buffer.alloc(2);
  for (let lead = 129; lead <= 254; lead++) {
    for (let trail = 65; trail <= 254; trail++) {
      pair[0] = lead;
      pair[1] = trail;
      table2[lead << 8 | trail] = pack(iconv.decode(pair, "cp949"));
    }
  }
  cp949Table = table2;
  return table2;
}
function singleByteTable(encoding) {
  let table2 = singleByteTables.get(encoding);
  if (!table2) {
    table2 = Array.from({ length: 256 }, (_, b) => Buffer.from(iconv.decode(Buffer.from([b]), encoding), "utf8"));
    singleByteTables.set(encoding, table2);
  }
  return table2;
}
function hangulUtf8Sequences(bytes) {
  let count2 = 0;
  for (let i = 0; i + 2 < bytes.length; i++) {
    const b = bytes[i];
    if (b >= 234 && b <= 237 && (bytes[i + 1] & 192) === 128 && (bytes[i + 2] & 192) === 128) {
      count2++;
      i += 2;
    }
  }
  return count2;
}
function cp949Transcoder() {
  const table2 = cp949Pairs();
  let carry = -1;
  return {
    write(chunk, final) {
      const out = Buffer.allocUnsafe(chunk.length * 2 + 8);
      const replaced = [];
      let o = 0;
      let i = 0;
      const n = chunk.length;
      const emit = (packed) => {
        const length = packed >>> 24;
        out[o++] = packed >>> 16 & 255;
        if (length > 1) out[o++] = packed >>> 8 & 255;
        if (length > 2) out[o++] = packed & 255;
      };
      const bad = () => {
        replaced.push(o);
        REPLACEMENT.copy(out, o);
        o += 3;
      };
      if (carry >= 0 && n > 0) {
        const packed = table2[carry << 8 | chunk[0]];
        if (packed !== 0) {
          emit(packed);
          i = 1;
        } else bad();
        carry = -1;
      }
      while (i < n) {
        const b = chunk[i];
        if (b < 128) {
          out[o++] = b;
          i++;
          continue;
        }
        if (i + 1 === n) {
          carry = b;
          i++;
          break;
        }
        const packed = table2[b << 8 | chunk[i + 1]];
        if (packed === 0) {
          bad();
          i++;
          continue;
        }
        emit(packed);
        i += 2;
      }
      if (final && carry >= 0) {
        bad();
        carry = -1;
      }
      return { bytes: out.subarray(0, o), replaced };
    }
  };
}
function nulStripper(file) {
  let seen = 0;
  let nulsSeen = 0;
  return (chunk) => {
    seen += chunk.bytes.length;
    if (chunk.bytes.indexOf(0) === -1) return chunk;
    let nuls = 0;
    for (let i = 0; i < chunk.bytes.length; i++) if (chunk.bytes[i] === 0) nuls++;
    nulsSeen += nuls;
    if (nulsSeen > Math.max(8, seen * BINARY_NUL_SHARE)) {
      throw new FileRejectedError(file, "contains binary data (NUL bytes), not text: is it UTF-16, a spreadsheet or an archive?");
    }
    return withoutNuls(chunk, nuls);
  };
}
function withoutNuls(chunk, nuls) {
  const bytes = chunk.bytes;
  const out = Buffer.allocUnsafe(bytes.length - nuls);
  const replaced = [];
  let o = 0;
  let r = 0;
  for (let i = 0; i < bytes.length; i++) {
    while (r < chunk.replaced.length && chunk.replaced[r] === i) {
      replaced.push(o);
      r++;
    }
    if (bytes[i] !== 0) out[o++] = bytes[i];
  }
  return { bytes: out, replaced };
}
function binaryFormatOf(head) {
  if (head[0] === 80 && head[1] === 75 && head[2] === 3 && head[3] === 4) return "a ZIP archive (an XLSX workbook is one: use an xlsx source)";
  if (head[0] === 208 && head[1] === 207 && head[2] === 17 && head[3] === 224) return "a legacy Excel/Office file (save it as CSV or XLSX)";
  if (head[0] === 37 && head[1] === 80 && head[2] === 68 && head[3] === 70) return "a PDF document";
  if (head[0] === 80 && head[1] === 65 && head[2] === 82 && head[3] === 49) return "a Parquet file";
  return void 0;
}
async function* decodeToUtf8(chunks, encoding, file, limits) {
  let total = 0;
  let first = true;
  const check = (chunk) => {
    total += chunk.length;
    if (total > limits.maxBytes) {
      throw new FileRejectedError(file, `is larger than ${limits.maxBytes.toLocaleString("en")} bytes, the limit for one export`);
    }
    if (limits.deadline !== void 0 && Date.now() > limits.deadline) {
      throw new FileRejectedError(file, "took longer to read than the time allowed for one export");
    }
    if (first) {
      first = false;
      const binary = binaryFormatOf(chunk);
      if (binary !== void 0) throw new FileRejectedError(file, `is ${binary}, not a text export`);
    }
  };
  const bytes = gunzipIfNeeded(chunks, file, limits.maxBytes);
  const stripNuls = nulStripper(file);
  if (encoding === "utf-16le") {
    const decoder = new TextDecoder("utf-16le", { fatal: true });
    let offset = 0;
    const fail = (cause) => {
      throw new FileRejectedError(file, `is not valid UTF-16LE (near byte ${offset.toLocaleString("en")}); check the source's encoding`, { cause });
    };
    for await (const chunk of bytes) {
      check(chunk);
      let text3 = "";
      try {
        text3 = decoder.decode(chunk, { stream: true });
      } catch (cause) {
        fail(cause);
      }
      offset += chunk.length;
      if (text3.length > 0) yield stripNuls({ bytes: Buffer.from(text3, "utf8"), replaced: [] });
    }
    let tail = "";
    try {
      tail = decoder.decode();
    } catch (cause) {
      fail(cause);
    }
    if (tail.length > 0) yield stripNuls({ bytes: Buffer.from(tail, "utf8"), replaced: [] });
    return;
  }
  if (encoding === "utf-8") {
    let carry;
    let atStart = true;
    for await (const raw of bytes) {
      check(raw);
      let chunk = carry ? Buffer.concat([carry, raw]) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      carry = void 0;
      if (atStart && chunk.length >= 3) {
        atStart = false;
        if (chunk[0] === 239 && chunk[1] === 187 && chunk[2] === 191) chunk = chunk.subarray(3);
      } else if (atStart) {
        carry = chunk;
        continue;
      }
      const end = utf8Boundary(chunk);
      if (end < chunk.length) carry = Buffer.from(chunk.subarray(end));
      const whole = chunk.subarray(0, end);
      if (whole.length === 0) continue;
      yield stripNuls(isUtf8(whole) ? { bytes: whole, replaced: [] } : repairUtf8(Buffer.from(whole)));
    }
    if (carry && carry.length > 0) {
      const rest = atStart && carry[0] === 239 && carry[1] === 187 && carry[2] === 191 ? carry.subarray(3) : carry;
      if (rest.length > 0) yield stripNuls(isUtf8(rest) ? { bytes: rest, replaced: [] } : repairUtf8(rest));
    }
    return;
  }
  if (encoding === "cp949" || encoding === "euc-kr") {
    const transcoder = cp949Transcoder();
    let pending;
    for await (const raw of bytes) {
      check(raw);
      if (total === raw.length && raw[0] === 239 && raw[1] === 187 && raw[2] === 191) {
        throw new FileRejectedError(file, `declared ${encoding} but the file starts with a UTF-8 byte order mark; set "encoding: utf-8" on the source`);
      }
      const end = utf8Boundary(raw);
      const whole = raw.subarray(0, end);
      if (whole.length >= 1024 && isUtf8(whole) && hangulUtf8Sequences(whole) >= 16) {
        throw new FileRejectedError(
          file,
          `declared ${encoding} but the bytes from offset ${(total - raw.length).toLocaleString("en")} are UTF-8 Korean text; set "encoding: utf-8" on the source`
        );
      }
      if (pending) yield stripNuls(transcoder.write(pending, false));
      pending = raw;
    }
    if (pending) yield stripNuls(transcoder.write(pending, true));
    return;
  }
  const table2 = singleByteTable(encoding);
  for await (const raw of bytes) {
    check(raw);
    const out = Buffer.allocUnsafe(raw.length * 3);
    let o = 0;
    for (let i = 0; i < raw.length; i++) {
      const b = raw[i];
      if (b < 128) out[o++] = b;
      else {
        const utf82 = table2[b];
        for (let k = 0; k < utf82.length; k++) out[o++] = utf82[k];
      }
    }
    yield stripNuls({ bytes: out.subarray(0, o), replaced: [] });
  }
}

// functions/core/config/phone-region.ts
import { isSupportedCountry } from "libphonenumber-js/max";
var ZONES_BY_COUNTRY = {
  AD: "Europe/Andorra",
  AE: "Asia/Dubai",
  AF: "Asia/Kabul",
  AG: "America/Antigua",
  AI: "America/Anguilla",
  AL: "Europe/Tirane",
  AM: "Asia/Yerevan",
  AO: "Africa/Luanda",
  AR: "America/Argentina/Buenos_Aires America/Argentina/Cordoba America/Argentina/Salta America/Argentina/Jujuy America/Argentina/Tucuman America/Argentina/Catamarca America/Argentina/La_Rioja America/Argentina/San_Juan America/Argentina/Mendoza America/Argentina/San_Luis America/Argentina/Rio_Gallegos America/Argentina/Ushuaia",
  AS: "Pacific/Pago_Pago",
  AT: "Europe/Vienna",
  AU: "Australia/Lord_Howe Antarctica/Macquarie Australia/Hobart Australia/Melbourne Australia/Sydney Australia/Broken_Hill Australia/Brisbane Australia/Lindeman Australia/Adelaide Australia/Darwin Australia/Perth Australia/Eucla",
  AW: "America/Aruba",
  AX: "Europe/Mariehamn",
  AZ: "Asia/Baku",
  BA: "Europe/Sarajevo",
  BB: "America/Barbados",
  BD: "Asia/Dhaka",
  BE: "Europe/Brussels",
  BF: "Africa/Ouagadougou",
  BG: "Europe/Sofia",
  BH: "Asia/Bahrain",
  BI: "Africa/Bujumbura",
  BJ: "Africa/Porto-Novo",
  BL: "America/St_Barthelemy",
  BM: "Atlantic/Bermuda",
  BN: "Asia/Brunei",
  BO: "America/La_Paz",
  BQ: "America/Kralendijk",
  BR: "America/Noronha America/Belem America/Fortaleza America/Recife America/Araguaina America/Maceio America/Bahia America/Sao_Paulo America/Campo_Grande America/Cuiaba America/Santarem America/Porto_Velho America/Boa_Vista America/Manaus America/Eirunepe America/Rio_Branco",
  BS: "America/Nassau",
  BT: "Asia/Thimphu",
  BW: "Africa/Gaborone",
  BY: "Europe/Minsk",
  BZ: "America/Belize",
  CA: "America/St_Johns America/Halifax America/Glace_Bay America/Moncton America/Goose_Bay America/Blanc-Sablon America/Toronto America/Iqaluit America/Atikokan America/Winnipeg America/Resolute America/Rankin_Inlet America/Regina America/Swift_Current America/Edmonton America/Cambridge_Bay America/Inuvik America/Creston America/Dawson_Creek America/Fort_Nelson America/Whitehorse America/Dawson America/Vancouver",
  CC: "Indian/Cocos",
  CD: "Africa/Kinshasa Africa/Lubumbashi",
  CF: "Africa/Bangui",
  CG: "Africa/Brazzaville",
  CH: "Europe/Zurich",
  CI: "Africa/Abidjan",
  CK: "Pacific/Rarotonga",
  CL: "America/Santiago America/Coyhaique America/Punta_Arenas Pacific/Easter",
  CM: "Africa/Douala",
  CN: "Asia/Shanghai Asia/Urumqi",
  CO: "America/Bogota",
  CR: "America/Costa_Rica",
  CU: "America/Havana",
  CV: "Atlantic/Cape_Verde",
  CW: "America/Curacao",
  CX: "Indian/Christmas",
  CY: "Asia/Nicosia Asia/Famagusta",
  CZ: "Europe/Prague",
  DE: "Europe/Berlin Europe/Busingen",
  DJ: "Africa/Djibouti",
  DK: "Europe/Copenhagen",
  DM: "America/Dominica",
  DO: "America/Santo_Domingo",
  DZ: "Africa/Algiers",
  EC: "America/Guayaquil Pacific/Galapagos",
  EE: "Europe/Tallinn",
  EG: "Africa/Cairo",
  EH: "Africa/El_Aaiun",
  ER: "Africa/Asmara",
  ES: "Europe/Madrid Africa/Ceuta Atlantic/Canary",
  ET: "Africa/Addis_Ababa",
  FI: "Europe/Helsinki",
  FJ: "Pacific/Fiji",
  FK: "Atlantic/Stanley",
  FM: "Pacific/Chuuk Pacific/Pohnpei Pacific/Kosrae",
  FO: "Atlantic/Faroe",
  FR: "Europe/Paris",
  GA: "Africa/Libreville",
  GB: "Europe/London",
  GD: "America/Grenada",
  GE: "Asia/Tbilisi",
  GF: "America/Cayenne",
  GG: "Europe/Guernsey",
  GH: "Africa/Accra",
  GI: "Europe/Gibraltar",
  GL: "America/Nuuk America/Danmarkshavn America/Scoresbysund America/Thule",
  GM: "Africa/Banjul",
  GN: "Africa/Conakry",
  GP: "America/Guadeloupe",
  GQ: "Africa/Malabo",
  GR: "Europe/Athens",
  GT: "America/Guatemala",
  GU: "Pacific/Guam",
  GW: "Africa/Bissau",
  GY: "America/Guyana",
  HK: "Asia/Hong_Kong",
  HN: "America/Tegucigalpa",
  HR: "Europe/Zagreb",
  HT: "America/Port-au-Prince",
  HU: "Europe/Budapest",
  ID: "Asia/Jakarta Asia/Pontianak Asia/Makassar Asia/Jayapura",
  IE: "Europe/Dublin",
  IL: "Asia/Jerusalem",
  IM: "Europe/Isle_of_Man",
  IN: "Asia/Kolkata",
  IO: "Indian/Chagos",
  IQ: "Asia/Baghdad",
  IR: "Asia/Tehran",
  IS: "Atlantic/Reykjavik",
  IT: "Europe/Rome",
  JE: "Europe/Jersey",
  JM: "America/Jamaica",
  JO: "Asia/Amman",
  JP: "Asia/Tokyo",
  KE: "Africa/Nairobi",
  KG: "Asia/Bishkek",
  KH: "Asia/Phnom_Penh",
  KI: "Pacific/Tarawa Pacific/Kanton Pacific/Kiritimati",
  KM: "Indian/Comoro",
  KN: "America/St_Kitts",
  KP: "Asia/Pyongyang",
  KR: "Asia/Seoul",
  KW: "Asia/Kuwait",
  KY: "America/Cayman",
  KZ: "Asia/Almaty Asia/Qyzylorda Asia/Qostanay Asia/Aqtobe Asia/Aqtau Asia/Atyrau Asia/Oral",
  LA: "Asia/Vientiane",
  LB: "Asia/Beirut",
  LC: "America/St_Lucia",
  LI: "Europe/Vaduz",
  LK: "Asia/Colombo",
  LR: "Africa/Monrovia",
  LS: "Africa/Maseru",
  LT: "Europe/Vilnius",
  LU: "Europe/Luxembourg",
  LV: "Europe/Riga",
  LY: "Africa/Tripoli",
  MA: "Africa/Casablanca",
  MC: "Europe/Monaco",
  MD: "Europe/Chisinau",
  ME: "Europe/Podgorica",
  MF: "America/Marigot",
  MG: "Indian/Antananarivo",
  MH: "Pacific/Majuro Pacific/Kwajalein",
  MK: "Europe/Skopje",
  ML: "Africa/Bamako",
  MM: "Asia/Yangon",
  MN: "Asia/Ulaanbaatar Asia/Hovd",
  MO: "Asia/Macau",
  MP: "Pacific/Saipan",
  MQ: "America/Martinique",
  MR: "Africa/Nouakchott",
  MS: "America/Montserrat",
  MT: "Europe/Malta",
  MU: "Indian/Mauritius",
  MV: "Indian/Maldives",
  MW: "Africa/Blantyre",
  MX: "America/Mexico_City America/Cancun America/Merida America/Monterrey America/Matamoros America/Chihuahua America/Ciudad_Juarez America/Ojinaga America/Mazatlan America/Bahia_Banderas America/Hermosillo America/Tijuana",
  MY: "Asia/Kuala_Lumpur Asia/Kuching",
  MZ: "Africa/Maputo",
  NA: "Africa/Windhoek",
  NC: "Pacific/Noumea",
  NE: "Africa/Niamey",
  NF: "Pacific/Norfolk",
  NG: "Africa/Lagos",
  NI: "America/Managua",
  NL: "Europe/Amsterdam",
  NO: "Europe/Oslo",
  NP: "Asia/Kathmandu",
  NR: "Pacific/Nauru",
  NU: "Pacific/Niue",
  NZ: "Pacific/Auckland Pacific/Chatham",
  OM: "Asia/Muscat",
  PA: "America/Panama",
  PE: "America/Lima",
  PF: "Pacific/Tahiti Pacific/Marquesas Pacific/Gambier",
  PG: "Pacific/Port_Moresby Pacific/Bougainville",
  PH: "Asia/Manila",
  PK: "Asia/Karachi",
  PL: "Europe/Warsaw",
  PM: "America/Miquelon",
  PR: "America/Puerto_Rico",
  PS: "Asia/Gaza Asia/Hebron",
  PT: "Europe/Lisbon Atlantic/Madeira Atlantic/Azores",
  PW: "Pacific/Palau",
  PY: "America/Asuncion",
  QA: "Asia/Qatar",
  RE: "Indian/Reunion",
  RO: "Europe/Bucharest",
  RS: "Europe/Belgrade",
  RU: "Europe/Kaliningrad Europe/Moscow Europe/Kirov Europe/Volgograd Europe/Astrakhan Europe/Saratov Europe/Ulyanovsk Europe/Samara Asia/Yekaterinburg Asia/Omsk Asia/Novosibirsk Asia/Barnaul Asia/Tomsk Asia/Novokuznetsk Asia/Krasnoyarsk Asia/Irkutsk Asia/Chita Asia/Yakutsk Asia/Khandyga Asia/Vladivostok Asia/Ust-Nera Asia/Magadan Asia/Sakhalin Asia/Srednekolymsk Asia/Kamchatka Asia/Anadyr",
  RW: "Africa/Kigali",
  SA: "Asia/Riyadh",
  SB: "Pacific/Guadalcanal",
  SC: "Indian/Mahe",
  SD: "Africa/Khartoum",
  SE: "Europe/Stockholm",
  SG: "Asia/Singapore",
  SH: "Atlantic/St_Helena",
  SI: "Europe/Ljubljana",
  SJ: "Arctic/Longyearbyen",
  SK: "Europe/Bratislava",
  SL: "Africa/Freetown",
  SM: "Europe/San_Marino",
  SN: "Africa/Dakar",
  SO: "Africa/Mogadishu",
  SR: "America/Paramaribo",
  SS: "Africa/Juba",
  ST: "Africa/Sao_Tome",
  SV: "America/El_Salvador",
  SX: "America/Lower_Princes",
  SY: "Asia/Damascus",
  SZ: "Africa/Mbabane",
  TC: "America/Grand_Turk",
  TD: "Africa/Ndjamena",
  TG: "Africa/Lome",
  TH: "Asia/Bangkok",
  TJ: "Asia/Dushanbe",
  TK: "Pacific/Fakaofo",
  TL: "Asia/Dili",
  TM: "Asia/Ashgabat",
  TN: "Africa/Tunis",
  TO: "Pacific/Tongatapu",
  TR: "Europe/Istanbul",
  TT: "America/Port_of_Spain",
  TV: "Pacific/Funafuti",
  TW: "Asia/Taipei",
  TZ: "Africa/Dar_es_Salaam",
  UA: "Europe/Simferopol Europe/Kyiv",
  UG: "Africa/Kampala",
  US: "America/New_York America/Detroit America/Kentucky/Louisville America/Kentucky/Monticello America/Indiana/Indianapolis America/Indiana/Vincennes America/Indiana/Winamac America/Indiana/Marengo America/Indiana/Petersburg America/Indiana/Vevay America/Chicago America/Indiana/Tell_City America/Indiana/Knox America/Menominee America/North_Dakota/Center America/North_Dakota/New_Salem America/North_Dakota/Beulah America/Denver America/Boise America/Phoenix America/Los_Angeles America/Anchorage America/Juneau America/Sitka America/Metlakatla America/Yakutat America/Nome America/Adak Pacific/Honolulu",
  UY: "America/Montevideo",
  UZ: "Asia/Samarkand Asia/Tashkent",
  VA: "Europe/Vatican",
  VC: "America/St_Vincent",
  VE: "America/Caracas",
  VG: "America/Tortola",
  VI: "America/St_Thomas",
  VN: "Asia/Ho_Chi_Minh",
  VU: "Pacific/Efate",
  WF: "Pacific/Wallis",
  WS: "Pacific/Apia",
  YE: "Asia/Aden",
  YT: "Indian/Mayotte",
  ZA: "Africa/Johannesburg",
  ZM: "Africa/Lusaka",
  ZW: "Africa/Harare"
};
var COUNTRY_OF_ZONE = new Map(
  Object.entries(ZONES_BY_COUNTRY).flatMap(
    ([country, zones]) => isSupportedCountry(country) ? zones.split(" ").map((zone) => [zone, country]) : []
  )
);
function countryOfZone(zone) {
  return COUNTRY_OF_ZONE.get(zone);
}
function phoneRegionOf(config) {
  const explicit = config.phone_region;
  if (explicit !== void 0) return isSupportedCountry(explicit) ? explicit : void 0;
  return countryOfZone(config.timezone);
}

// presets/asterisk-cdr.json
var asterisk_cdr_default = {
  description: "Asterisk cdr_csv Master.csv with loguniqueid, loguserfield and newcdrcolumns on (21 columns, no header): one row per call leg, grouped by linkedid",
  format: "mapped-csv",
  header: false,
  invalid_bytes: "replace",
  channel: "phone",
  fields: {
    contact_id: 19,
    customer: { column: 1, null_values: [""] },
    arrived_at: { column: 9, format: "YYYY-MM-DD HH:mm:ss" },
    answered_at: {
      column: 10,
      format: "YYYY-MM-DD HH:mm:ss",
      null_values: [""],
      when: [{ column: 14, equals: "ANSWERED" }, { column: 6, empty: false }]
    },
    ended_at: { column: 11, format: "YYYY-MM-DD HH:mm:ss" },
    wait_seconds: {
      between: ["arrived_at", "answered_at"],
      fallback: [{ column: 12, when: [{ column: 6, empty: false }] }]
    },
    talk_seconds: { column: 13, when: [{ column: 14, equals: "ANSWERED" }, { column: 6, empty: false }] },
    agent_id: { column: 6, null_values: [""], extract: "^(.+)-[0-9a-f]+(;[0-9]+)?$" }
  },
  outcome_rules: [
    { when: [{ column: 6, empty: false }, { column: 14, equals: "ANSWERED" }], then: "answered" },
    { when: [{ column: 6, empty: false }], then: "abandoned" },
    { when: [{ column: 6, empty: true }], then: "self_service" }
  ],
  legs: {
    key: 19,
    answered: [{ column: 14, equals: "ANSWERED" }, { column: 6, empty: false }],
    fields: { answered_at: "earliest", wait_seconds: "max", talk_seconds: "sum" }
  }
};

// presets/freeswitch-cdr.json
var freeswitch_cdr_default = {
  description: "FreeSWITCH mod_cdr_csv with the default example template (15 columns, no header), legs a or ab: the B leg joins the A leg whose bleg_uuid it is",
  format: "mapped-csv",
  header: false,
  channel: "phone",
  fields: {
    contact_id: 10,
    customer: { column: 1, null_values: [""] },
    queue: { column: 2, null_values: [""] },
    arrived_at: { column: 4, format: "YYYY-MM-DD HH:mm:ss" },
    answered_at: { column: 5, format: "YYYY-MM-DD HH:mm:ss", null_values: [""] },
    ended_at: { column: 6, format: "YYYY-MM-DD HH:mm:ss" },
    wait_seconds: { between: ["arrived_at", "answered_at"], fallback: [{ column: 7 }] },
    talk_seconds: { column: 8, when: [{ column: 5, empty: false }] },
    agent_id: { column: 2, when: [{ column: 11, empty: true }] }
  },
  outcome_rules: [
    { when: [{ column: 3, equals: "default" }], then: "excluded" },
    { when: [{ column: 5, empty: true }], then: "abandoned" },
    { when: [{ column: 11, empty: true }], then: "self_service" },
    { when: [{ column: 11, empty: false }], then: "answered" }
  ],
  legs: {
    key: { column: 10, parent: 11 },
    answered: [{ column: 5, empty: false }],
    prefer: [{ column: 11, empty: true }],
    outcome: "first",
    fields: { arrived_at: "first" }
  }
};

// presets/zendesk-support-tickets.json
var zendesk_support_tickets_default = {
  description: "Zendesk Support ticket export (CSV, Zendesk's column names): one ticket is one e-mail contact; wait is the first reply time in business minutes",
  format: "mapped-csv",
  channel: "email",
  user_id_namespace: "zendesk",
  customer_kind: "user_id",
  fields: {
    contact_id: "Id",
    customer: { column: "Requester id", null_values: [""] },
    queue: { column: "Group", null_values: ["", "-"] },
    direction: { column: "Via", map: { OutBound: "outbound" }, default: "inbound" },
    arrived_at: { column: "Created at", format: "YYYY-MM-DD HH:mm:ss" },
    ended_at: { column: "Solved at", format: "YYYY-MM-DD HH:mm:ss", null_values: ["", "1900-01-01 00:00:00"] },
    updated_at: { column: "Updated at", format: "YYYY-MM-DD HH:mm:ss", null_values: [""] },
    wait_seconds: { column: "First reply time in minutes within business hours", unit: "minutes", null_values: [""] },
    is_resolved: {
      column: "Status",
      map: { New: false, Open: false, Pending: false, Hold: false, Solved: true, Closed: true }
    }
  },
  outcome_rules: [
    { when: [{ column: "Replies", equals: "0" }, { column: "Via", equals: "OutBound" }], then: "excluded" },
    { when: [{ column: "Replies", equals: "0" }, { column: "Status", in: ["Solved", "Closed"] }], then: "excluded" },
    { when: [{ column: "Replies", equals: "0" }], then: "abandoned" },
    { when: [{ column: "Replies", empty: false }], then: "answered" }
  ]
};

// functions/core/config/presets.ts
var PRESETS = {
  "asterisk-cdr": asterisk_cdr_default,
  "freeswitch-cdr": freeswitch_cdr_default,
  "zendesk-support-tickets": zendesk_support_tickets_default
};
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function expandPreset(source) {
  if (!isObject(source) || typeof source.preset !== "string" || !(source.preset in PRESETS)) return source;
  const { preset: name, ...own } = source;
  const preset = structuredClone(PRESETS[name]);
  delete preset.description;
  const merged = { ...preset, ...own };
  if (isObject(preset.fields) && isObject(own.fields)) merged.fields = { ...preset.fields, ...own.fields };
  if (isObject(preset.legs) && isObject(own.legs)) {
    const legs = { ...preset.legs, ...own.legs };
    if (isObject(preset.legs.fields) && isObject(own.legs.fields)) legs.fields = { ...preset.legs.fields, ...own.legs.fields };
    merged.legs = legs;
  }
  if (own.description === void 0 && typeof PRESETS[name].description === "string") merged.description = `${name}: ${String(PRESETS[name].description)}`;
  return merged;
}

// functions/core/config/client-config.ts
var isIanaZone = (zone) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};
var clientIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'must be 3-40 characters of a-z, 0-9 and "-", used in S3 keys and stack names');
var isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");
var hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a local time HH:MM");
var channel = z.enum(CHANNELS);
var outcome = z.enum(OUTCOMES);
var email = z.email();
var columnRef = z.union([z.string().min(1), z.number().int().nonnegative()]);
var timeFormat = z.string().min(1);
var isRegex = (pattern) => {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
};
var regex = z.string().min(1).refine(isRegex, "must be a valid regular expression");
var condition = z.object({
  column: columnRef,
  equals: z.string().optional(),
  in: z.array(z.string()).optional(),
  /** true: the raw value is empty or one of the field's null values */
  empty: z.boolean().optional()
}).strict();
var TIMESTAMP_FIELDS = ["arrived_at", "answered_at", "ended_at", "updated_at"];
var durationUnit = z.enum(["seconds", "milliseconds", "minutes", "hms", "dhms", "days"]);
var fieldMappingObject = z.object({
  column: columnRef.optional(),
  /** several columns joined with `separator` (default "-"), for ids unique only in combination */
  columns: z.array(columnRef).min(2).optional(),
  separator: z.string().optional(),
  constant: z.union([z.string(), z.number(), z.boolean()]).optional(),
  /** raw values that mean "no value", e.g. `0` for an unknown customer or `0:00:00` for "did not happen" */
  null_values: z.array(z.string()).optional(),
  /**
   * value map, e.g. {전화: phone}; raw values not in the map are an error unless `default` is given. On a
   * number or duration the map replaces the raw values it lists (`"-": null`, `"N/A": 0`) and every other
   * value is read as a number.
   */
  map: z.record(z.string(), z.union([z.string(), z.boolean(), z.number(), z.null()])).optional(),
  default: z.union([z.string(), z.boolean(), z.number(), z.null()]).optional(),
  /**
   * durations: `seconds` (default), `milliseconds`, `minutes`, `hms` (H:MM:SS), `dhms` (`1d 2h 3m 4s`, parts
   * optional: 채널톡 writes `0h 5m 23s`) or `days` (a spreadsheet's time)
   */
  unit: durationUnit.optional(),
  /** for timestamps: one column with a format, or `date` + `time` in two columns */
  format: timeFormat.optional(),
  date: z.object({ column: columnRef, format: timeFormat }).optional(),
  time: z.object({ column: columnRef, format: timeFormat }).optional(),
  /** a negative duration becomes null instead of rejecting the row (some CTI exports write clock skew) */
  negative_as_null: z.boolean().optional(),
  /** regular expression the raw value must match, else the row is quarantined (e.g. a corrupted id) */
  pattern: regex.optional(),
  /** raw values matching this regular expression mean "no value", like null_values */
  null_pattern: regex.optional(),
  /** added to the year of a date, to undo a known wrong year (e.g. -11 when a spreadsheet made 1999 into 2010) */
  year_offset: z.number().int().optional(),
  /** the part of the raw value a regular expression picks: its first capture group, or the whole match */
  extract: regex.optional(),
  /** the mapping gives a value only on rows where every condition holds (else no value: fallbacks are tried) */
  when: z.array(condition).min(1).optional(),
  /**
   * durations: seconds from the first timestamp field to the second, e.g. [arrived_at, answered_at] for a
   * wait; computed on the contact as assembled (after call legs are grouped)
   */
  between: z.tuple([z.enum(TIMESTAMP_FIELDS), z.enum(TIMESTAMP_FIELDS)]).optional(),
  /** durations: this column minus another duration column in the same unit (`duration` − `billsec`) */
  minus: columnRef.optional(),
  /** timestamps: plus a duration column, in seconds unless a unit is given (`start` + `duration`) */
  plus: z.union([columnRef, z.object({ column: columnRef, unit: durationUnit.optional() }).strict()]).optional()
}).strict();
var fieldMapping = z.union([
  columnRef.transform((column) => ({ column })),
  fieldMappingObject.extend({
    /** tried in order when this mapping gives no value (e.g. end of service, else end of queue) */
    fallback: z.array(fieldMappingObject).min(1).optional()
  })
]);
var outcomeRule = z.object({ when: z.array(condition).min(1), then: outcome }).strict();
var LEG_RULES = ["first", "last", "earliest", "latest", "min", "max", "sum", "any", "all", "answering"];
var legsSchema = z.object({
  /**
   * a column whose value every leg of a call shares (Asterisk `linkedid`), or `{ column, parent }`: a row whose
   * `column` value is another row's `parent` value belongs to that row's contact (FreeSWITCH `uuid`/`bleg_uuid`)
   */
  key: z.union([columnRef, z.object({ column: columnRef, parent: columnRef }).strict()]),
  /** a leg that answered the call (every condition holds); default: the leg's own outcome is answered */
  answered: z.array(condition).min(1).optional(),
  /** of several answered legs, those matching these conditions answer first; then the longest talk, the earliest answer */
  prefer: z.array(condition).min(1).optional(),
  /**
   * the contact's outcome: `{ priority: [...] }` the first of these outcomes any leg has (default: answered,
   * callback_requested, abandoned, self_service, excluded), or `first`: the first leg's
   */
  outcome: z.union([z.literal("first"), z.object({ priority: z.array(outcome).min(1) }).strict()]).optional(),
  /** per-field rule, e.g. `{ talk_seconds: sum }` */
  fields: z.record(z.string(), z.enum(LEG_RULES)).default({})
}).strict();
var csvOptions = {
  delimiter: z.string().min(1).max(2).refine((d) => !/["\r\n]/.test(d), "cannot be a quote or a line break").default(","),
  encoding: z.enum(TEXT_ENCODINGS).default("utf-8"),
  /**
   * `replace`: bytes that are not valid in the encoding, in a column the mapping does not read, are kept as
   * U+FFFD instead of rejecting the file (a mapped column that cannot be decoded still rejects it)
   */
  invalid_bytes: z.enum(["reject", "replace"]).default("reject"),
  header: z.boolean().default(true),
  /** zone of local timestamps in the file when they carry no offset: an IANA zone or a fixed offset like +09:00 */
  timezone: z.string().optional()
};
var contactMappingFields = z.object({
  contact_id: fieldMapping,
  channel: fieldMapping.optional(),
  direction: fieldMapping.optional(),
  queue: fieldMapping.optional(),
  category: fieldMapping.optional(),
  subcategory: fieldMapping.optional(),
  customer: fieldMapping.optional(),
  agent_id: fieldMapping.optional(),
  arrived_at: fieldMapping,
  answered_at: fieldMapping.optional(),
  ended_at: fieldMapping.optional(),
  ivr_seconds: fieldMapping.optional(),
  wait_seconds: fieldMapping.optional(),
  talk_seconds: fieldMapping.optional(),
  hold_seconds: fieldMapping.optional(),
  acw_seconds: fieldMapping.optional(),
  handle_seconds: fieldMapping.optional(),
  outcome: fieldMapping.optional(),
  is_transferred: fieldMapping.optional(),
  is_resolved: fieldMapping.optional(),
  /** the source's last update of the record: of several copies of a contact, the newest wins */
  updated_at: fieldMapping.optional()
}).strict();
var contactMapping = {
  channel: channel.optional(),
  fields: contactMappingFields,
  outcome_rules: z.array(outcomeRule).default([]),
  legs: legsSchema.optional()
};
var surveyMappingFields = z.object({
  survey_id: fieldMapping,
  contact_id: fieldMapping.optional(),
  channel: fieldMapping.optional(),
  agent_id: fieldMapping.optional(),
  survey_type: fieldMapping,
  score: fieldMapping,
  scale_min: fieldMapping.optional(),
  scale_max: fieldMapping.optional(),
  comment: fieldMapping.optional(),
  responded_at: fieldMapping
}).strict();
var pullSchema = z.object({
  /** HTTPS export endpoint; `{date}` is replaced by the business date being collected (YYYY-MM-DD) */
  url: z.url({ protocol: /^https?$/ }),
  /** Secrets Manager secret holding {"username","password"} or {"token"} */
  secret_name: z.string().min(1),
  /** local time the collector runs each day, for the previous day */
  at: hhmm.default("03:00")
}).strict();
var completenessSchema = z.object({
  /**
   * `daily-file`: one export per local business date; `continuous`: records stream in (Connect via Firehose);
   * `sporadic`: records come only when something happens (survey answers), so a day without a delivery is a
   * quiet day, not missing data (the default for survey sources)
   */
  expect: z.enum(["daily-file", "continuous", "sporadic"]).optional(),
  /** the date a daily file is the export of, read from its name: first capture group of pattern, in format */
  file_date: z.object({ pattern: regex, format: timeFormat }).strict().optional(),
  /** continuous sources: minutes after a day ends before it counts as received */
  grace_minutes: z.number().int().nonnegative().optional(),
  /**
   * a delivery that quarantines more than this share of its rows did not deliver the day: its days count as
   * failed in reports and `cspulse ingest` exits 1 with status `partial` (default 0.5)
   */
  max_quarantined_share: z.number().min(0).max(1).optional()
}).strict();
var sourceBase = {
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be lowercase letters, digits, "-" or "_"'),
  /**
   * how reports name the source to the client ("전화", "상담톡"); default the name of its channel (or "설문" for
   * survey sources), never the id
   */
  label: z.string().min(1).max(40).optional(),
  description: z.string().optional(),
  /** pulled by a collector Lambda; without it the vendor or client uploads to the raw prefix */
  pull: pullSchema.optional(),
  completeness: completenessSchema.optional(),
  /**
   * The user ids in this source's customer field are its own (a chat platform's member numbers): they are
   * keyed within this namespace, so `user_8841` here is not `user_8841` of another source. Sources that share
   * one id space name the same namespace. Phone numbers and e-mails are never namespaced: they identify the
   * customer in every channel. Without it a user id is the same customer in every source.
   */
  user_id_namespace: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be lowercase letters, digits, "-" or "_" (for example the source id)').optional(),
  /**
   * What the customer field holds. `auto` (the default) tells phone numbers, e-mail addresses and user ids
   * apart by their spelling. `user_id`: every value is the source's user id as written, even all digits (a
   * Zendesk requester id) or with an `@`, so no id is ever read as a phone number and joined to a caller.
   */
  customer_kind: z.enum(["auto", "user_id"]).optional()
};
var sourceSchema = z.discriminatedUnion("format", [
  z.object({
    ...sourceBase,
    format: z.literal("cspulse-csv"),
    table: z.enum(["contacts", "surveys"]).default("contacts"),
    /** channel for every row when the file has no channel column */
    channel: channel.optional(),
    ...csvOptions
  }).strict(),
  z.object({
    ...sourceBase,
    format: z.literal("amazon-connect-ctr"),
    table: z.literal("contacts").default("contacts"),
    /** Connect contact attribute that carries the 상담유형 category */
    category_attribute: z.string().default("category"),
    subcategory_attribute: z.string().default("subcategory"),
    /** attribute with the customer's e-mail or user id, for contacts without a phone endpoint (chat) */
    customer_attribute: z.string().optional(),
    /**
     * false when the instance's flows set a disconnect flow (a post-call survey): NextContactId then does not
     * mean the agent transferred the contact (amazon-connect-ctr.ts, "Transfers")
     */
    next_contact_is_transfer: z.boolean().default(true)
  }).strict(),
  z.object({
    ...sourceBase,
    format: z.literal("mapped-csv"),
    table: z.literal("contacts").default("contacts"),
    ...csvOptions,
    ...contactMapping
  }).strict(),
  z.object({
    ...sourceBase,
    format: z.literal("mapped-xlsx"),
    table: z.literal("contacts").default("contacts"),
    /** the worksheet to read, by its tab name; default the workbook's first sheet */
    sheet: z.string().min(1).optional(),
    /**
     * other sheets whose columns the mapping reads as `<sheet>.<column>`, from the row whose `key` column
     * equals this row's `by` column (채널톡: `{ sheet: User data, key: id, by: userId }`)
     */
    lookups: z.array(z.object({ sheet: z.string().min(1), key: z.string().min(1), by: z.string().min(1) }).strict()).default([]),
    header: z.boolean().default(true),
    timezone: csvOptions.timezone,
    ...contactMapping
  }).strict(),
  z.object({
    ...sourceBase,
    format: z.literal("mapped-json"),
    table: z.literal("contacts").default("contacts"),
    /**
     * where the records are when the file is one JSON document: a field path to an array (`data.chats`);
     * without it the file is an array of records, or records one per line (NDJSON) or concatenated
     */
    records: z.string().min(1).optional(),
    timezone: csvOptions.timezone,
    ...contactMapping
  }).strict(),
  z.object({
    ...sourceBase,
    format: z.literal("mapped-survey-csv"),
    table: z.literal("surveys").default("surveys"),
    ...csvOptions,
    fields: surveyMappingFields,
    /** scale per survey type, when the file does not say */
    scales: z.partialRecord(z.enum(SURVEY_TYPES), z.object({ min: z.number().int(), max: z.number().int() })).default({})
  }).strict()
]);
var sourceEntrySchema = z.preprocess((raw, ctx) => {
  const preset = raw?.preset;
  if (preset !== void 0 && (typeof preset !== "string" || !(preset in PRESETS))) {
    ctx.addIssue({ code: "custom", path: ["preset"], message: `unknown preset ${JSON.stringify(preset)} (presets: ${Object.keys(PRESETS).join(", ")})` });
    return z.NEVER;
  }
  return expandPreset(raw);
}, sourceSchema);
var SERVICE_LEVEL_FORMULAS = [
  /** answered within T / (offered − short abandons) */
  "answered_within_over_offered_less_short",
  /** answered within T / answered */
  "answered_within_over_answered",
  /** (answered, abandoned or callback requested within T) / offered — Amazon Connect's "Service level X seconds" */
  "connect_within_over_offered"
];
var channelParametersSchema = z.object({
  service_level_seconds: z.number().positive().optional(),
  short_abandon_seconds: z.number().nonnegative().optional(),
  service_level_formula: z.enum(SERVICE_LEVEL_FORMULAS).optional()
}).strict();
var TARGET_KPIS = [
  "answer_rate",
  "abandon_rate",
  "service_level",
  "asa_seconds",
  "aht_seconds",
  "fcr",
  "repeat_rate",
  "csat_avg",
  "csat_satisfied_rate",
  "nps",
  "ces_avg",
  "cost_per_contact",
  "transfer_rate",
  "self_service_rate"
];
var targetSchema = z.object({
  kpi: z.enum(TARGET_KPIS),
  channel: channel.optional(),
  op: z.enum([">=", "<="]),
  value: z.number(),
  label: z.string().optional()
}).strict();
var contractVersionSchema = z.object({
  /** first local date these terms apply to */
  effective_from: isoDate,
  service_level_formula: z.enum(SERVICE_LEVEL_FORMULAS).default("answered_within_over_offered_less_short"),
  repeat_window_hours: z.number().positive().default(24),
  fcr_window_hours: z.number().positive().default(72),
  retry_window_minutes: z.number().positive().default(60),
  csat_satisfied_min: z.number().default(4),
  ces_low_effort_min: z.number().default(5),
  channels: z.partialRecord(channel, channelParametersSchema).default({}),
  targets: z.array(targetSchema).default([]),
  /** monthly cost of the service in the client's currency */
  monthly_cost: z.number().nonnegative().optional(),
  note: z.string().optional()
}).strict();
var REPORT_KINDS = ["daily", "weekly", "monthly"];
var LOCALES = ["ko", "en"];
var recipientSchema = z.union([
  email.transform((address) => ({ address })),
  z.object({
    address: email,
    /** the report kinds this person gets (a CEO may want monthly only); default all the client gets */
    kinds: z.array(z.enum(REPORT_KINDS)).min(1).optional(),
    /** the language of this person's e-mail; default the client's locale */
    locale: z.enum(LOCALES).optional()
  }).strict()
]);
var reportsSchema = z.object({
  daily: z.boolean().default(true),
  weekly: z.boolean().default(true),
  monthly: z.boolean().default(true),
  send_at: hhmm.default("08:00"),
  /** give up waiting for late data and send marked incomplete after this many minutes */
  freshness_deadline_minutes: z.number().int().positive().default(180),
  /** KPI drawn as the line in the daily trend chart */
  trend_line: z.enum(["answer_rate", "service_level"]).default("service_level"),
  /**
   * A period without any data from any source: `notify-operator` (default) mails a short notice to
   * recipients.operator instead of the client, `send` sends the client a report that says so, `skip` sends nothing
   * (Metabase's "don't send if empty")
   */
  when_no_data: z.enum(["notify-operator", "send", "skip"]).default("notify-operator"),
  /** a figure from fewer responses or contacts than this shows its n and is not coloured better or worse */
  min_sample: z.number().int().positive().default(30),
  /** attachments with the daily and hourly figures: CSV keeps raw fractions for machines, XLSX is formatted */
  attachments: z.array(z.enum(["csv", "xlsx"])).default(["csv", "xlsx"])
}).strict();
var clientConfigSchema = z.object({
  id: clientIdSchema,
  name: z.string().min(1),
  timezone: z.string().refine(isIanaZone, "must be an IANA time zone such as Asia/Seoul"),
  /**
   * ISO 3166-1 alpha-2 country whose national spelling the exports use for phone numbers (`010-…` is KR,
   * `(415) 555-…` is US). Default: the country of `timezone` (phone-region.ts); required when the zone names
   * no single country.
   */
  phone_region: z.string().refine(isSupportedCountry2, "must be an ISO 3166-1 alpha-2 country code with a numbering plan, in capitals, such as KR or US").optional(),
  locale: z.enum(LOCALES).default("ko"),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as KRW").default("KRW"),
  sources: z.array(sourceEntrySchema).min(1).refine((s) => new Set(s.map((x) => x.id)).size === s.length, "source ids must be unique"),
  contract: z.array(contractVersionSchema).min(1).refine(
    (v) => v.every((x, i) => i === 0 || x.effective_from > v[i - 1].effective_from),
    "contract versions must be in ascending effective_from order"
  ),
  recipients: z.object({
    to: z.array(recipientSchema).min(1),
    cc: z.array(recipientSchema).default([]),
    /** the account manager: Reply-To of every report, and where List-Unsubscribe requests go */
    reply_to: email.optional(),
    /** the operator's address for notices that are not for the client (no data received); default reply_to */
    operator: email.optional()
  }).strict(),
  sender: email.optional(),
  reports: reportsSchema.prefault({})
}).strict().superRefine((config, ctx) => {
  const zoneIsValid = typeof config.timezone === "string" && isIanaZone(config.timezone);
  if (zoneIsValid && config.phone_region === void 0 && countryOfZone(config.timezone) === void 0) {
    ctx.addIssue({
      code: "custom",
      path: ["phone_region"],
      message: `timezone ${config.timezone} is not the zone of one country, so national phone numbers cannot be read: set phone_region to the country whose spelling the exports use, such as KR or US`
    });
  }
  (Array.isArray(config.sources) ? config.sources : []).forEach((source, i) => {
    if (source?.user_id_namespace !== void 0 && source.table === "surveys") {
      ctx.addIssue({
        code: "custom",
        path: ["sources", i, "user_id_namespace"],
        message: "survey sources carry no customer to namespace"
      });
    }
    if (source?.customer_kind !== void 0 && source.table === "surveys") {
      ctx.addIssue({ code: "custom", path: ["sources", i, "customer_kind"], message: "survey sources carry no customer" });
    }
  });
});
var CHANNEL_DEFAULTS = {
  phone: { sl: 20, short: 5 },
  chat: { sl: 60, short: 0 },
  board: { sl: 86400, short: 0 },
  email: { sl: 86400, short: 0 }
};
function channelParameters(version, ch) {
  const own = version.channels[ch];
  return {
    serviceLevelSeconds: own?.service_level_seconds ?? CHANNEL_DEFAULTS[ch].sl,
    shortAbandonSeconds: own?.short_abandon_seconds ?? CHANNEL_DEFAULTS[ch].short,
    serviceLevelFormula: own?.service_level_formula ?? version.service_level_formula
  };
}
function contractInForce(config, localDate2) {
  let found;
  for (const version of config.contract) if (version.effective_from <= localDate2) found = version;
  return found;
}

// functions/core/config/parse-config.ts
function parseClientConfig(text3, file, options = {}) {
  let raw;
  try {
    raw = file.endsWith(".json") ? JSON.parse(text3) : parseYaml(text3);
  } catch (cause) {
    throw new ConfigError(`${file}: not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${String(cause)}`, file, [], {
      cause
    });
  }
  const result = clientConfigSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join(".") || "(root)",
      message: issue.message
    }));
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`).join("\n");
    throw new ConfigError(`${file}: invalid client config
${lines}`, file, issues, { cause: result.error });
  }
  const expected = file.split("/").pop().replace(/\.(ya?ml|json)$/, "");
  if (options.fromFile !== false && expected !== result.data.id) {
    throw new ConfigError(`${file}: id "${result.data.id}" must match the file name "${expected}"`, file, [
      { path: "id", message: `must match the file name "${expected}"` }
    ]);
  }
  return result.data;
}

// functions/core/config/load-configs.ts
var CONFIG_FILE = /\.(ya?ml|json)$/;
async function loadClientConfigs(dir) {
  const files = (await readdir2(dir)).filter((f) => CONFIG_FILE.test(f)).sort();
  const configs = [];
  const errors = [];
  for (const file of files) {
    try {
      configs.push(parseClientConfig(await readFile(join2(dir, file), "utf8"), join2(dir, file)));
    } catch (error) {
      if (error instanceof ConfigError) errors.push(error);
      else throw error;
    }
  }
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => e.message).join("\n"), dir, errors.flatMap((e) => e.issues));
  }
  const seen = /* @__PURE__ */ new Map();
  for (const c of configs) {
    if (seen.has(c.id)) throw new ConfigError(`client id "${c.id}" is used twice in ${dir}`, dir);
    seen.set(c.id, c.id);
  }
  return configs;
}
async function loadClientConfig(dir, clientId) {
  const all = await loadClientConfigs(dir);
  const found = all.find((c) => c.id === clientId);
  if (!found) {
    throw new ConfigError(
      `no client "${clientId}" in ${dir} (have: ${all.map((c) => c.id).join(", ") || "none"})`,
      dir
    );
  }
  return found;
}

// functions/core/config/sender.ts
var DEFAULT_SENDER = "reports@cspulse.example.com";
function resolveSender(config, deploymentDefault = DEFAULT_SENDER) {
  return config.sender ?? deploymentDefault;
}
var RESERVED_DOMAIN = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost|local)$/i;
function isReservedDomain(domain) {
  return RESERVED_DOMAIN.test(domain);
}
function senderWarning(config) {
  if (config.sender === void 0) {
    return `no sender: reports go out from the deployment's default (CSPULSE_DEFAULT_SENDER at cdk synth, else ${DEFAULT_SENDER}); set sender to an address of a domain verified in SES`;
  }
  const domain = config.sender.slice(config.sender.lastIndexOf("@") + 1);
  if (isReservedDomain(domain)) {
    return `sender ${config.sender} is on ${domain}, a reserved domain (RFC 2606, RFC 6761) that SES cannot verify; use an address of your own verified domain`;
  }
  return void 0;
}

// functions/core/ingest/mapping/columns-named.ts
function columnsNamed(value, into = /* @__PURE__ */ new Set()) {
  if (Array.isArray(value)) for (const v of value) columnsNamed(v, into);
  else if (typeof value === "object" && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if ((key === "column" || key === "minus" || key === "parent") && (typeof v === "string" || typeof v === "number")) into.add(v);
      else if (key === "plus" && (typeof v === "string" || typeof v === "number")) into.add(v);
      else if (key === "key" && (typeof v === "string" || typeof v === "number")) into.add(v);
      else if (key === "columns" && Array.isArray(v)) for (const c of v) into.add(c);
      else columnsNamed(v, into);
    }
  }
  return into;
}
var mappingParts = (source) => ({
  fields: source.fields,
  rules: source.outcome_rules ?? [],
  legs: source.legs ?? null
});

// functions/core/ingest/mapping/errors.ts
var MappingConfigError = class extends Error {
  constructor(source, field, reason2) {
    super(`source ${source}, field ${field}: ${reason2}`);
    this.source = source;
    this.field = field;
    this.name = "MappingConfigError";
  }
  source;
  field;
};
var InvalidFormatError = class extends Error {
  constructor(format, reason2) {
    super(`format "${format}": ${reason2}`);
    this.format = format;
    this.name = "InvalidFormatError";
  }
  format;
};

// functions/core/ingest/file-messages.ts
var maskedHeader = (header) => header.map((h) => /[0-9@]/.test(h) || h.length > 40 ? "\u2026" : h).join(" | ");

// functions/core/ingest/mapping/customer-key-sql.ts
import { createHash } from "node:crypto";
var customerDigitsSql = (v) => `CASE WHEN contains(${v}, ' ') OR contains(${v}, '(') OR contains(${v}, ')') OR contains(${v}, '.') THEN regexp_replace(${v}, '[^0-9]+', '', 'g') ELSE replace(replace(${v}, '-', ''), '+', '') END`;
function shortcutNormalizedSql(v, digits, scope) {
  if (scope.customerKind === "user_id") return "CAST(NULL AS VARCHAR)";
  const korean = scope.phoneRegion === "KR" ? `WHEN NOT starts_with(${v}, '+') AND starts_with(${digits}, '0') AND NOT starts_with(${digits}, '00') THEN 'tel:' || ${digits} ` : "";
  return `CASE WHEN NOT regexp_full_match(${v}, '[+]?[0-9 ().-]+') THEN NULL WHEN ltrim(${digits}, '0') = '' THEN '' WHEN starts_with(${v}, '+') AND regexp_matches(${digits}, '^820?(10|[2-9])') THEN 'tel:0' || regexp_replace(substr(${digits}, 3), '^0', '') WHEN starts_with(${v}, '+') AND length(${digits}) = 11 AND starts_with(${digits}, '1') AND substr(${digits}, 2, 1) >= '2' THEN 'tel:+' || ${digits} ${korean}ELSE NULL END`;
}
function hmacPads(secret) {
  let key = Buffer.from(secret, "utf8");
  if (key.length > 64) key = createHash("sha256").update(key).digest();
  const block = Buffer.alloc(64);
  key.copy(block);
  return { inner: block.map((b) => b ^ 54), outer: block.map((b) => b ^ 92) };
}
var hmacSql = (normalized, pads) => `sha256(${pads.outer} || unhex(sha256(${pads.inner} || encode(${normalized}))))`;

// functions/core/ingest/mapping/sql-text.ts
var sqlString2 = (text3) => `'${text3.replaceAll("'", "''")}'`;
function sqlNumber(value) {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return Number.isInteger(value) ? String(value) : `CAST(${String(value)} AS DOUBLE)`;
}
function sqlLiteral(value) {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") return sqlNumber(value);
  return sqlString2(value);
}
var expandTwoDigitYearSql = (yy) => `(CASE WHEN ${yy} >= 70 THEN 1900 + ${yy} ELSE 2000 + ${yy} END)`;
var SHOWN = 40;
var showSql = (v) => `CAST(to_json(CASE WHEN length(${v}) > ${SHOWN} THEN left(${v}, ${SHOWN}) || '\u2026' ELSE ${v} END) AS VARCHAR)`;
var jsNumberText = (v) => `CASE WHEN ${v} = floor(${v}) AND abs(${v}) < 1e15 THEN CAST(CAST(${v} AS BIGINT) AS VARCHAR) ELSE CAST(${v} AS VARCHAR) END`;

// functions/core/time/local-time.ts
var InvalidTimeZoneError = class extends Error {
  constructor(zone) {
    super(`"${zone}" is neither an IANA time zone (e.g. Asia/Seoul) nor a fixed offset (e.g. +09:00, -05:00, Z)`);
    this.zone = zone;
    this.name = "InvalidTimeZoneError";
  }
  zone;
};
var MS_PER_MINUTE = 6e4;
var MS_PER_HOUR = 36e5;
var MS_PER_DAY = 864e5;
function daysFromCivil(year, month, day) {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
function civilToMs(year, month, day, hour, minute, second, millisecond) {
  return daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * 1e3 + millisecond;
}
var FIXED_OFFSET = /^([+-])(\d{2}):?(\d{2})?$/;
function parseFixedOffset(zone) {
  if (zone === "Z" || zone === "z") return 0;
  const m = FIXED_OFFSET.exec(zone);
  if (!m) return void 0;
  const hours = Number(m[2]);
  const minutes = m[3] === void 0 ? 0 : Number(m[3]);
  if (hours > 18 || minutes > 59) return void 0;
  const offset = (hours * 60 + minutes) * MS_PER_MINUTE;
  return m[1] === "-" ? -offset : offset;
}
function offsetFinder(zone) {
  let format;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short"
    });
  } catch {
    throw new InvalidTimeZoneError(zone);
  }
  return (instantMs) => {
    const fields = {};
    for (const part of format.formatToParts(new Date(instantMs))) fields[part.type] = part.value;
    const yearInEra = Number(fields.year);
    const year = fields.era === "BC" || fields.era === "B" ? 1 - yearInEra : yearInEra;
    const wall = civilToMs(
      year,
      Number(fields.month),
      Number(fields.day),
      Number(fields.hour),
      Number(fields.minute),
      Number(fields.second),
      0
    );
    return wall - Math.floor(instantMs / 1e3) * 1e3;
  };
}
function resolveOffset(localMs, before, after, offsetAt) {
  if (before === after) return before;
  const beforeValid = offsetAt(localMs - before) === before;
  const afterValid = offsetAt(localMs - after) === after;
  if (beforeValid && afterValid) return Math.max(before, after);
  if (beforeValid) return before;
  if (afterValid) return after;
  return before;
}
function localToEpochMs(zone) {
  const fixed = parseFixedOffset(zone);
  if (fixed !== void 0) {
    return (y, mo, d, h, mi, s, ms2) => civilToMs(y, mo, d, h, mi, s, ms2) - fixed;
  }
  const offsetAt = offsetFinder(zone);
  const cache2 = /* @__PURE__ */ new Map();
  let lastHour = Number.NaN;
  let lastOffset = Number.NaN;
  const offsetForHour = (hourKey) => {
    const start = hourKey * MS_PER_HOUR;
    const before = offsetAt(start - MS_PER_DAY);
    const after = offsetAt(start + MS_PER_DAY);
    if (before === after) return before;
    const first = resolveOffset(start, before, after, offsetAt);
    const last = resolveOffset(start + MS_PER_HOUR - 1, before, after, offsetAt);
    return first === last ? first : Number.NaN;
  };
  return (y, mo, d, h, mi, s, ms2) => {
    const localMs = civilToMs(y, mo, d, h, mi, s, ms2);
    const hourKey = Math.floor(localMs / MS_PER_HOUR);
    let offset;
    if (hourKey === lastHour) {
      offset = lastOffset;
    } else {
      const cached = cache2.get(hourKey);
      offset = cached === void 0 ? offsetForHour(hourKey) : cached;
      if (cached === void 0) cache2.set(hourKey, offset);
      lastHour = hourKey;
      lastOffset = offset;
    }
    if (Number.isNaN(offset)) {
      offset = resolveOffset(localMs, offsetAt(localMs - MS_PER_DAY), offsetAt(localMs + MS_PER_DAY), offsetAt);
    }
    return localMs - offset;
  };
}
function localTimeConverter(zone) {
  const toMs = localToEpochMs(zone);
  return (y, mo, d, h, mi, s, ms2) => new Date(toMs(y, mo, d, h, mi, s, ms2));
}

// functions/core/time/zone-transitions.ts
var DAY = 864e5;
var STEP = 2 * DAY;
var cache = /* @__PURE__ */ new Map();
var HISTORY_FROM_MS = Date.UTC(1970, 0, 1);
var historyTo = () => Date.UTC((/* @__PURE__ */ new Date()).getUTCFullYear() + 3, 0, 1);
function zoneHistory(zone) {
  const fixed = parseFixedOffset(zone);
  if (fixed !== void 0) return { initial: fixed, transitions: [] };
  const cached = cache.get(zone);
  if (cached) return cached;
  const offsetAt = offsetFinder(zone);
  const transitions = [];
  const end = historyTo();
  let t = HISTORY_FROM_MS;
  let offset = offsetAt(t);
  const initial = offset;
  while (t < end) {
    const next = t + STEP;
    const nextOffset = offsetAt(next);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1e3) {
        const mid = lo + Math.floor((hi - lo) / 2e3) * 1e3;
        if (offsetAt(mid) === offset) lo = mid;
        else hi = mid;
      }
      transitions.push({ at: hi, before: offset, after: nextOffset });
      offset = nextOffset;
    }
    t = next;
  }
  const history = { initial, transitions };
  cache.set(zone, history);
  return history;
}
function localOffsetBoundaries(history) {
  return history.transitions.map((t) => ({ from: t.at + Math.max(t.before, t.after), offset: t.after }));
}

// functions/core/ingest/mapping/sql-values.ts
var SPACE_CLASS = "[\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]";
var trimmedCell = (column) => `CASE WHEN __trim THEN nullif(regexp_replace(${column}, '^${SPACE_CLASS}+|${SPACE_CLASS}+$', '', 'g'), '') ELSE ${column} END`;
var struct = (derive, v, regex2, names) => derive(`regexp_extract(${v}, '${regex2}', [${names.map((n) => `'${n}'`).join(", ")}])`);
var DECIMAL_RE = "^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:[.][0-9]+)?$";
var plainInteger = (v) => `CAST(TRY_CAST(${v} AS UBIGINT) AS VARCHAR) = ${v}`;
var decimalValue = (derive, v) => derive(
  `CASE WHEN ${plainInteger(v)} THEN CAST(TRY_CAST(${v} AS UBIGINT) AS DOUBLE) WHEN regexp_matches(${v}, '${DECIMAL_RE}') THEN TRY_CAST(replace(${v}, ',', '') AS DOUBLE) END`
);
var exactClock = (v) => `CASE WHEN strlen(${v}) BETWEEN 7 AND 8 AND CAST(TRY_CAST(${v} AS TIME) AS VARCHAR) = CASE WHEN strlen(${v}) = 7 THEN '0' || ${v} ELSE ${v} END THEN TRY_CAST(${v} AS TIME) END`;
var HMS_RE = "^(-?)([0-9]+):([0-5][0-9])(?::([0-5][0-9]))?([.][0-9]+)?$";
function hmsValue(derive, v) {
  const clock = derive(exactClock(v));
  const s = derive(`CASE WHEN ${clock} IS NULL THEN regexp_extract(${v}, '${HMS_RE}', ['sign', 'a', 'b', 'c', 'fraction']) END`);
  return derive(
    `CASE WHEN ${clock} IS NOT NULL THEN CAST(hour(${clock}) * 3600 + minute(${clock}) * 60 + second(${clock}) AS DOUBLE) WHEN ${s}.a <> '' THEN (CASE WHEN ${s}.sign = '-' THEN -1 ELSE 1 END) * (CASE WHEN ${s}.c = '' THEN TRY_CAST(${s}.a AS DOUBLE) * 60 + TRY_CAST(${s}.b AS DOUBLE) ELSE TRY_CAST(${s}.a AS DOUBLE) * 3600 + TRY_CAST(${s}.b AS DOUBLE) * 60 + TRY_CAST(${s}.c AS DOUBLE) END + CASE WHEN ${s}.fraction = '' THEN 0 ELSE TRY_CAST('0' || ${s}.fraction AS DOUBLE) END) END`
  );
}
var inTimestampRange = (ms2) => `CASE WHEN ${ms2} BETWEEN -62135596800000 AND 253402300799999 THEN ${ms2} END`;
var epochMsValue = (derive, v) => derive(inTimestampRange(`CASE WHEN regexp_matches(${v}, '^[+-]?[0-9]+$') THEN TRY_CAST(${v} AS BIGINT) END`));
var epochSecondsValue = (derive, v) => derive(inTimestampRange(`CASE WHEN regexp_matches(${v}, '^[+-]?[0-9]+(?:[.][0-9]+)?$') THEN TRY_CAST(round(TRY_CAST(${v} AS DOUBLE) * 1000) AS BIGINT) END`));
var TOKENS = [
  ["YYYY", "year4"],
  ["SSS", "fraction"],
  ["YY", "year2"],
  ["MM", "month"],
  ["DD", "day"],
  ["HH", "hour"],
  ["mm", "minute"],
  ["ss", "second"],
  ["SS", "second"],
  ["M", "month"],
  ["D", "day"],
  ["H", "hour"]
];
var escapeRegexChar = (ch) => /[\\^$.|?*+()[\]{}]/.test(ch) ? `\\${ch}` : ch === "'" ? "''" : ch;
function tokenRegex(format) {
  const raw = [];
  for (let i = 0; i < format.length; ) {
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      let part = token[1];
      const previous = raw[raw.length - 1];
      if (part === "month" && previous?.part === "literal" && previous.text === ":") part = "minute";
      raw.push({ part, text: token[0] });
      i += token[0].length;
    } else {
      raw.push({ part: "literal", text: format[i] });
      i++;
    }
  }
  const parts = [];
  const pieces = raw.map((r, index) => {
    if (r.part === "literal") return escapeRegexChar(r.text);
    if (parts.includes(r.part)) throw new InvalidFormatError(format, `has more than one ${r.part} field`);
    parts.push(r.part);
    if (r.part === "year4") return "([0-9]{4})";
    if (r.part === "year2") return "([0-9]{2})";
    if (r.part === "fraction") return "([0-9]{1,9})";
    const previous = raw[index - 1];
    const next = raw[index + 1];
    const delimited = (previous === void 0 || previous.part === "literal") && (next === void 0 || next.part === "literal");
    if (!delimited && r.text.length === 1) throw new InvalidFormatError(format, "a one-letter field must stand between separators");
    return delimited ? "([0-9]{1,2})" : "([0-9]{2})";
  });
  const has = (p) => parts.includes(p);
  const hasDate = has("year4") || has("year2") || has("month") || has("day");
  const hasTime = has("hour");
  if (hasDate && !((has("year4") || has("year2")) && has("month") && has("day"))) {
    throw new InvalidFormatError(format, "a date needs a year, a month and a day");
  }
  if (!hasDate && !hasTime) throw new InvalidFormatError(format, "has neither a date nor an hour");
  return { format, regex: `^${pieces.join("")}$`, parts, hasDate, hasTime };
}
function fixedDigits(pattern) {
  const body = pattern.regex.slice(1, -1);
  const widths = [...body.matchAll(/\(\[0-9\]\{(\d)\}\)/g)].map((m) => Number(m[1]));
  if (widths.length !== pattern.parts.length || widths.map((w) => `([0-9]{${w}})`).join("") !== body) return void 0;
  const offsets = /* @__PURE__ */ new Map();
  let at = 0;
  pattern.parts.forEach((part, i) => {
    offsets.set(part, [at, widths[i]]);
    at += widths[i];
  });
  return { width: at, offsets };
}
var isClockPattern = (pattern) => pattern.regex === "^([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})$" && pattern.parts.join() === "hour,minute,second";
function tokenFields(derive, v, pattern) {
  const slow = `regexp_extract(${v}, '${pattern.regex}', [${pattern.parts.map((n) => `'${n}'`).join(", ")}])`;
  const slowInt = (part) => `TRY_CAST(nullif((${slow}).${part}, '') AS BIGINT)`;
  let fast;
  let fastInt;
  const digits = fixedDigits(pattern);
  if (digits !== void 0) {
    fast = derive(
      `CASE WHEN strlen(${v}) = ${digits.width} AND (${plainInteger(v)} OR lpad(CAST(TRY_CAST(${v} AS UBIGINT) AS VARCHAR), ${digits.width}, '0') = ${v}) THEN TRY_CAST(${v} AS UBIGINT) END`
    );
    fastInt = (part) => {
      const [offset, width] = digits.offsets.get(part);
      return `CAST((${fast} // ${10 ** (digits.width - offset - width)}) % ${10 ** width} AS BIGINT)`;
    };
  } else if (isClockPattern(pattern)) {
    fast = derive(exactClock(v));
    fastInt = (part) => `CAST(${part === "hour" ? "hour" : part === "minute" ? "minute" : "second"}(${fast}) AS BIGINT)`;
  }
  const int = (part) => {
    if (!pattern.parts.includes(part)) return "0";
    return fast === void 0 ? slowInt(part) : `CASE WHEN ${fast} IS NOT NULL THEN ${fastInt(part)} ELSE ${slowInt(part)} END`;
  };
  const year = pattern.parts.includes("year4") ? int("year4") : pattern.parts.includes("year2") ? expandTwoDigitYearSql(int("year2")) : "1970";
  const first = pattern.parts[0];
  return {
    matched: fast === void 0 ? `((${slow}).${first} <> '')` : `(${fast} IS NOT NULL OR (${slow}).${first} <> '')`,
    year,
    month: pattern.parts.includes("month") ? int("month") : "1",
    day: pattern.parts.includes("day") ? int("day") : "1",
    hour: int("hour"),
    minute: int("minute"),
    second: int("second"),
    millisecond: pattern.parts.includes("fraction") ? `TRY_CAST(rpad(left((${slow}).fraction, 3), 3, '0') AS BIGINT)` : "0"
  };
}
var ISO_RE = "^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?)?$";
function isoFields(derive, v) {
  const s = struct(derive, v, ISO_RE, ["y", "mo", "d", "h", "mi", "s", "f", "z", "sign", "oh", "om"]);
  const int = (name, empty = "0") => `coalesce(TRY_CAST(nullif(${s}.${name}, '') AS BIGINT), ${empty})`;
  return {
    matched: `(${s}.y <> '')`,
    year: int("y"),
    month: int("mo"),
    day: int("d"),
    hour: int("h"),
    minute: int("mi"),
    second: int("s"),
    millisecond: `CASE WHEN ${s}.f = '' THEN 0 ELSE TRY_CAST(rpad(left(${s}.f, 3), 3, '0') AS BIGINT) END`,
    hasOffset: `(${s}.z <> '' OR ${s}.sign <> '')`,
    offsetMs: `CASE WHEN ${s}.sign = '' THEN 0 ELSE (CASE WHEN ${s}.sign = '-' THEN -1 ELSE 1 END) * (${int("oh")} * 60 + ${int("om")}) * 60000 END`,
    offsetValid: `(${s}.sign = '' OR (${int("oh")} <= 18 AND ${int("om")} <= 59))`
  };
}
var MS_PER_DAY2 = 864e5;
function civilDays(derive, year, month, day) {
  const [y, m, d] = [derive(year), derive(month), derive(day)];
  const leap = `(${y} % 4 = 0 AND (${y} % 100 <> 0 OR ${y} % 400 = 0))`;
  const daysInMonth2 = `CASE WHEN ${m} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
  return `CASE WHEN ${m} BETWEEN 1 AND 12 AND ${d} BETWEEN 1 AND ${daysInMonth2} THEN date_diff('day', DATE '1970-01-01', make_date(${y}, ${m}, ${d})) END`;
}
var validClock = (f) => `(${f.hour} <= 23 AND ${f.minute} <= 59 AND ${f.second} <= 59)`;
var civilMs = (days, f) => `(${days} * ${MS_PER_DAY2} + ${f.hour} * 3600000 + ${f.minute} * 60000 + ${f.second} * 1000 + ${f.millisecond})`;
function localToUtcMs(zone, civil) {
  const history = zoneHistory(zone);
  const boundaries = localOffsetBoundaries(history);
  if (boundaries.length === 0) return `(${civil} - ${history.initial})`;
  const branches = [...boundaries].reverse().map((b) => `WHEN ${civil} >= ${b.from} THEN ${b.offset}`);
  return `(${civil} - CASE ${branches.join(" ")} ELSE ${history.initial} END)`;
}
function utcToLocalMs(zone, utc) {
  const history = zoneHistory(zone);
  if (history.transitions.length === 0) return `(${utc} + ${history.initial})`;
  const branches = [...history.transitions].reverse().map((t) => `WHEN ${utc} >= ${t.at} THEN ${t.after}`);
  return `(${utc} + CASE ${branches.join(" ")} ELSE ${history.initial} END)`;
}

// functions/core/ingest/mapping/sql-mapping.ts
var CONTACT_DRAFT_COLUMNS = [
  "contact_id",
  "channel",
  "direction",
  "queue",
  "category",
  "subcategory",
  "customer_raw",
  "agent_id",
  "arrived_ms",
  "answered_ms",
  "ended_ms",
  "ivr_seconds",
  "wait_seconds",
  "talk_seconds",
  "hold_seconds",
  "acw_seconds",
  "handle_seconds",
  "outcome",
  "is_transferred",
  "is_resolved",
  "updated_ms"
];
var MS_COLUMN = { arrived_at: "arrived_ms", answered_at: "answered_ms", ended_at: "ended_ms", updated_at: "updated_ms" };
var spec = (mapping) => mapping;
var TWELVE_HOURS = 12 * 36e5;
var DAY2 = 864e5;
var Plan = class {
  constructor(sourceId, header, width, zone) {
    this.sourceId = sourceId;
    this.header = header;
    this.width = width;
    this.zone = zone;
    header?.forEach((name, index) => {
      const clean = (index === 0 ? name.replace(/^\uFEFF/, "") : name).trim();
      if (!this.byName.has(clean)) this.byName.set(clean, index);
    });
  }
  sourceId;
  header;
  width;
  zone;
  missing = [];
  /** null values declared for each column, for `empty` conditions */
  nullsByColumn = /* @__PURE__ */ new Map();
  cells = /* @__PURE__ */ new Map();
  derived = /* @__PURE__ */ new Map();
  levels = [];
  byName = /* @__PURE__ */ new Map();
  resolve(ref) {
    let index;
    if (typeof ref === "number") {
      index = ref >= this.width ? -1 : ref;
      const name = `#${ref} (the file has ${this.width} columns)`;
      if (index < 0 && !this.missing.includes(name)) this.missing.push(name);
    } else {
      index = this.byName.get(ref.trim()) ?? -1;
      if (index < 0 && !this.missing.includes(ref)) this.missing.push(ref);
    }
    return index;
  }
  /** The trimmed cell of a source column (a harmless NULL for a missing one: the file is rejected anyway). */
  cell(ref) {
    const index = this.resolve(ref);
    if (index < 0) return "CAST(NULL AS VARCHAR)";
    let name = this.cells.get(index);
    if (name === void 0) {
      name = `k${index}`;
      this.cells.set(index, name);
    }
    return name;
  }
  label(ref) {
    return typeof ref === "number" ? `#${ref}${this.header?.[ref] ? ` (${this.header[ref]})` : ""}` : ref;
  }
  noteNulls(ref, values, quietly = false) {
    const index = quietly ? typeof ref === "number" ? ref < this.width ? ref : -1 : this.byName.get(ref.trim()) ?? -1 : this.resolve(ref);
    if (!values || index < 0) return;
    let set = this.nullsByColumn.get(index);
    if (!set) this.nullsByColumn.set(index, set = /* @__PURE__ */ new Set());
    for (const v of values) set.add(v);
  }
  /** True when a cell is empty or one of the null values any field declares for its column. */
  emptyOf(ref) {
    const cell = this.cell(ref);
    const nulls = this.nullsByColumn.get(this.resolve(ref));
    return nulls?.size ? `(${cell} IS NULL OR ${cell} IN (${[...nulls].map(sqlString2).join(", ")}))` : `(${cell} IS NULL)`;
  }
  /** SQL that is true when every condition holds (outcome rules, `when`, legs' `answered` and `prefer`). */
  conditions(where, conds) {
    return conds.map((cond) => {
      if (cond.equals === void 0 && cond.in === void 0 && cond.empty === void 0) {
        throw this.configError(where, `the condition on ${this.label(cond.column)} needs equals, in or empty`);
      }
      const cell = this.cell(cond.column);
      const parts = [];
      if (cond.equals !== void 0) parts.push(`coalesce(${cell}, '') = ${sqlString2(cond.equals)}`);
      if (cond.in !== void 0) parts.push(`coalesce(${cell}, '') IN (${cond.in.map(sqlString2).join(", ")})`);
      if (cond.empty !== void 0) parts.push(cond.empty ? this.emptyOf(cond.column) : `NOT ${this.emptyOf(cond.column)}`);
      return parts.join(" AND ");
    }).map((c) => `(${c})`).join(" AND ");
  }
  /** Registers an expression as a column (one per distinct expression) and returns its name. */
  derive = (expression) => {
    const known = this.derived.get(expression);
    if (known) return known.name;
    let level = 1;
    for (const match of expression.matchAll(/\bd(\d+)\b/g)) {
      const dependency = this.levelOf.get(`d${match[1]}`);
      if (dependency !== void 0) level = Math.max(level, dependency + 1);
    }
    const name = `d${this.derived.size}`;
    this.derived.set(expression, { name, level });
    this.levelOf.set(name, level);
    (this.levels[level] ??= []).push({ name, expression });
    return name;
  };
  levelOf = /* @__PURE__ */ new Map();
  configError(field, reason2) {
    return new MappingConfigError(this.sourceId, field, reason2);
  }
  /**
   * The SELECT: `outputs` are expressions over the plan's columns, `fieldColumn` the derived column naming the
   * failing field; rejected rows also get their fields re-joined as `__raw`.
   */
  build(outputs, fieldColumn, delimiter, whenValid = [], rawAlways = false) {
    const cells = [...this.cells].map(([index, name]) => `${trimmedCell(`c${index}`)} AS ${name}`);
    const layers = [`l0 AS (SELECT *${cells.length ? `, ${cells.join(", ")}` : ""} FROM records)`];
    let last = "l0";
    for (let level = 1; level < this.levels.length; level++) {
      const columns = this.levels[level] ?? [];
      if (columns.length === 0) continue;
      const name = `l${level}`;
      layers.push(`${name} AS (SELECT *, ${columns.map((c) => `${c.expression} AS ${c.name}`).join(", ")} FROM ${last})`);
      last = name;
    }
    const raw = Array.from({ length: this.width }, (_, i) => `coalesce(c${i}, '')`);
    const rawRecord = this.width === 0 ? `''` : `concat_ws(${sqlString2(delimiter)}, ${raw.join(", ")})`;
    const select = [
      ...outputs.map(([name, expression]) => `${expression} AS ${name}`),
      ...whenValid.map(([name, expression]) => `CASE WHEN ${fieldColumn} IS NULL THEN ${expression} END AS ${name}`)
    ];
    const rawColumn = rawAlways ? `${rawRecord} AS __raw` : `CASE WHEN ${fieldColumn} IS NOT NULL THEN ${rawRecord} END AS __raw`;
    return `WITH ${layers.join(",\n")}
SELECT __line, ${select.join(", ")}, ${rawColumn} FROM ${last}`;
  }
};
function readCell(p, field, m, ref, mapHasEmpty) {
  const refs = Array.isArray(ref) ? ref : [ref];
  for (const r of refs) p.noteNulls(r, m.null_values);
  const label = Array.isArray(ref) ? `columns ${refs.map((r) => p.label(r)).join(" + ")}` : `column ${p.label(ref)}`;
  const separator = m.separator ?? "-";
  let text3 = refs.length === 1 ? p.cell(refs[0]) : p.derive(`nullif(${refs.map((r) => `coalesce(${p.cell(r)}, '')`).join(` || ${sqlString2(separator)} || `)}, '')`);
  if (mapHasEmpty) text3 = `coalesce(${text3}, '')`;
  const conditions = [];
  if (!mapHasEmpty) conditions.push(`${text3} IS NULL`);
  if (m.null_values?.length) conditions.push(`${text3} IN (${m.null_values.map(sqlString2).join(", ")})`);
  if (m.null_values?.includes("") && mapHasEmpty) conditions.push(`${text3} = ''`);
  if (m.null_pattern !== void 0) conditions.push(`regexp_matches(${text3}, ${sqlString2(m.null_pattern)})`);
  const isNull = conditions.length === 0 ? "FALSE" : p.derive(`coalesce(${conditions.join(" OR ")}, TRUE)`);
  const patternFail = m.pattern === void 0 ? null : p.derive(
    `CASE WHEN NOT ${isNull} AND NOT regexp_matches(${text3}, ${sqlString2(m.pattern)}) THEN ${sqlString2(`${label} value `)} || ${showSql(text3)} || ${sqlString2(` does not match the pattern ${m.pattern}`)} END`
  );
  if (m.extract === void 0) return { text: text3, isNull, fail: patternFail, label };
  const group = new RegExp(`${m.extract}|`, "u").exec("").length > 1 ? 1 : 0;
  const extractFail = p.derive(
    `CASE WHEN NOT ${isNull} AND NOT regexp_matches(${text3}, ${sqlString2(m.extract)}) THEN ${sqlString2(`${label} value `)} || ${showSql(text3)} || ${sqlString2(` does not match the extract pattern ${m.extract}`)} END`
  );
  const extracted = p.derive(`CASE WHEN NOT ${isNull} THEN nullif(regexp_extract(${text3}, ${sqlString2(m.extract)}, ${group}), '') END`);
  const fail = patternFail === null ? extractFail : p.derive(`coalesce(${patternFail}, ${extractFail})`);
  return { text: extracted, isNull: p.derive(`(${isNull} OR ${extracted} IS NULL)`), fail, label };
}
var sourceRef = (p, field, m) => {
  if (m.columns !== void 0) return m.columns;
  if (m.column !== void 0) return m.column;
  throw p.configError(field, "needs a column, columns, constant, or date and time");
};
function failWhen(cell, failed, reason2) {
  const own = `CASE WHEN ${failed} THEN ${reason2} END`;
  return cell.fail === null ? own : `coalesce(${cell.fail}, ${own})`;
}
function withFallbacks(p, field, m, buildRead) {
  const build = (m2) => {
    const read = buildRead(m2);
    if (m2.when === void 0) return read;
    const holds = p.derive(p.conditions(field, m2.when));
    return {
      value: p.derive(`CASE WHEN ${holds} THEN ${read.value} END`),
      fail: read.fail === null ? null : p.derive(`CASE WHEN ${holds} THEN ${read.fail} END`)
    };
  };
  const first = build(m);
  if (!m.fallback?.length) return first;
  const reads = [first, ...m.fallback.map((f) => build({ ...f, fallback: void 0 }))];
  const value = [];
  const fail = [];
  for (const r of reads) {
    if (r.fail !== null) {
      value.push(`WHEN ${r.fail} IS NOT NULL THEN NULL`);
      fail.push(`WHEN ${r.fail} IS NOT NULL THEN ${r.fail}`);
    }
    value.push(`WHEN ${r.value} IS NOT NULL THEN ${r.value}`);
    fail.push(`WHEN ${r.value} IS NOT NULL THEN NULL`);
  }
  const anyFail = reads.some((r) => r.fail !== null);
  return {
    value: p.derive(`CASE ${value.join(" ")} END`),
    fail: anyFail ? p.derive(`CASE ${fail.join(" ")} END`) : null
  };
}
function compileText(p, field, m, allowed) {
  const allowedSet = allowed ? new Set(allowed) : void 0;
  const check = (value, what) => {
    if (value === null) return null;
    if (typeof value === "boolean" || typeof value === "number" && allowedSet) {
      throw p.configError(field, `${what} ${String(value)} is not text`);
    }
    const text3 = String(value);
    if (allowedSet && !allowedSet.has(text3)) {
      throw p.configError(field, `${what} "${text3}" is not one of ${[...allowedSet].join(", ")}`);
    }
    return text3;
  };
  return withFallbacks(p, field, m, (m2) => {
    if (m2.constant !== void 0) return { value: sqlLiteral(check(m2.constant, "constant")), fail: null };
    const map = m2.map ? new Map(Object.entries(m2.map).map(([k, v]) => [k, check(v, `map value for "${k}"`)])) : void 0;
    const hasDefault = m2.default !== void 0;
    const fallbackValue = sqlLiteral(hasDefault ? check(m2.default, "default") : null);
    const cell = readCell(p, field, m2, sourceRef(p, field, m2), map?.has("") ?? false);
    const t = cell.text;
    if (map !== void 0) {
      const keys = [...map.keys()];
      const inMap = keys.length === 0 ? "FALSE" : `${t} IN (${keys.map(sqlString2).join(", ")})`;
      const lookup = keys.length === 0 ? "NULL" : `CASE ${t} ${keys.map((k) => `WHEN ${sqlString2(k)} THEN ${sqlLiteral(map.get(k))}`).join(" ")} END`;
      const mapKeys = keys.map((k) => JSON.stringify(k)).join(", ");
      const value2 = p.derive(
        `CAST(CASE WHEN ${cell.isNull} THEN ${fallbackValue} WHEN ${inMap} THEN ${lookup} ELSE ${hasDefault ? fallbackValue : "NULL"} END AS VARCHAR)`
      );
      const notInMap = `${sqlString2(`${cell.label} value `)} || ${showSql(t)} || ${sqlString2(` is not in the map (${mapKeys})`)}`;
      const fail2 = hasDefault ? cell.fail : p.derive(failWhen(cell, `NOT ${cell.isNull} AND NOT (${inMap})`, notInMap));
      return { value: cell.fail === null ? value2 : `CASE WHEN ${cell.fail} IS NULL THEN ${value2} END`, fail: fail2 };
    }
    const value = p.derive(`CAST(CASE WHEN ${cell.isNull} THEN ${fallbackValue} ELSE ${t} END AS VARCHAR)`);
    if (allowedSet === void 0) return { value: cell.fail === null ? value : `CASE WHEN ${cell.fail} IS NULL THEN ${value} END`, fail: cell.fail };
    const expected = [...allowedSet].join(", ");
    const notAllowed = `${sqlString2(`${cell.label} value `)} || ${showSql(t)} || ${sqlString2(` is not one of ${expected}`)}`;
    const fail = p.derive(failWhen(cell, `NOT ${cell.isNull} AND ${t} NOT IN (${[...allowedSet].map(sqlString2).join(", ")})`, notAllowed));
    return { value: `CASE WHEN ${fail} IS NULL THEN ${value} END`, fail };
  });
}
function compileLimitedText(p, field, m) {
  const read = compileText(p, field, spec(m));
  const limit = TEXT_LENGTH_LIMITS[field];
  const value = p.derive(read.value);
  const tooLong = p.derive(
    `CASE WHEN strlen(${value}) > ${limit} AND length(${value}) > ${limit} THEN ${sqlString2(`${describe(p, m)}: `)} || format('{:,}', length(${value})) || ${sqlString2(` characters, more than the ${limit.toLocaleString("en")} allowed for ${field}`)} END`
  );
  return { value, fail: read.fail === null ? tooLong : p.derive(`coalesce(${read.fail}, ${tooLong})`) };
}
var TRUE_WORDS = ["y", "yes", "true", "1", "t"];
var FALSE_WORDS = ["n", "no", "false", "0", "f"];
function compileBoolean(p, field, m) {
  const check = (value, what) => {
    if (value === null || typeof value === "boolean") return value;
    throw p.configError(field, `${what} ${JSON.stringify(value)} is not true, false or null`);
  };
  return withFallbacks(p, field, m, (m2) => {
    if (m2.constant !== void 0) return { value: sqlLiteral(check(m2.constant, "constant")), fail: null };
    const map = m2.map ? new Map(Object.entries(m2.map).map(([k, v]) => [k, check(v, `map value for "${k}"`)])) : void 0;
    const hasDefault = m2.default !== void 0;
    const fallbackValue = sqlLiteral(hasDefault ? check(m2.default, "default") : null);
    const cell = readCell(p, field, m2, sourceRef(p, field, m2), map?.has("") ?? false);
    const t = cell.text;
    let known;
    let lookup;
    if (map !== void 0) {
      const keys = [...map.keys()];
      known = keys.length === 0 ? "FALSE" : `${t} IN (${keys.map(sqlString2).join(", ")})`;
      lookup = keys.length === 0 ? "NULL" : `CASE ${t} ${keys.map((k) => `WHEN ${sqlString2(k)} THEN ${sqlLiteral(map.get(k))}`).join(" ")} END`;
    } else {
      const words = [...TRUE_WORDS, ...FALSE_WORDS].map(sqlString2).join(", ");
      known = `lower(${t}) IN (${words})`;
      lookup = `lower(${t}) IN (${TRUE_WORDS.map(sqlString2).join(", ")})`;
    }
    const value = p.derive(
      `CAST(CASE WHEN ${cell.isNull} THEN ${fallbackValue} WHEN ${known} THEN ${lookup} ELSE ${hasDefault ? fallbackValue : "NULL"} END AS BOOLEAN)`
    );
    const notYesNo = `${sqlString2(`${cell.label} value `)} || ${showSql(t)} || ${sqlString2(` is not a yes/no value${map ? " in the map" : ""}`)}`;
    const fail = hasDefault ? cell.fail : p.derive(failWhen(cell, `NOT ${cell.isNull} AND NOT (${known})`, notYesNo));
    return { value: fail === null ? value : `CASE WHEN ${fail} IS NULL THEN ${value} END`, fail };
  });
}
var UNIT_FACTOR = { seconds: 1, milliseconds: 1e-3, minutes: 60, hms: 1, dhms: 1, days: 86400 };
var DHMS_RE = "^(?:([0-9]+)d)? *(?:([0-9]+)h)? *(?:([0-9]+)m)? *(?:([0-9]+(?:[.][0-9]+)?)s)?$";
function dhmsValue(p, v) {
  const s = p.derive(`regexp_extract(${v}, '${DHMS_RE}', ['d', 'h', 'm', 's'])`);
  const part = (name) => `coalesce(TRY_CAST(nullif(${s}.${name}, '') AS DOUBLE), 0)`;
  return p.derive(
    `CASE WHEN regexp_matches(${v}, '${DHMS_RE}') AND ${v} <> '' THEN ${part("d")} * 86400 + ${part("h")} * 3600 + ${part("m")} * 60 + ${part("s")} END`
  );
}
function compileNumber(p, field, m, duration) {
  return withFallbacks(p, field, m, (m2) => {
    if (m2.between !== void 0) throw p.configError(field, "between is computed from timestamp fields: it cannot be combined here");
    if (m2.constant !== void 0) {
      if (typeof m2.constant !== "number") throw p.configError(field, `constant ${JSON.stringify(m2.constant)} is not a number`);
      return { value: `CAST(${sqlNumber(m2.constant)} AS DOUBLE)`, fail: null };
    }
    if (m2.default !== void 0 && m2.default !== null && typeof m2.default !== "number") {
      throw p.configError(field, `default ${JSON.stringify(m2.default)} is not a number`);
    }
    const own = readNumber(p, field, m2, duration);
    if (m2.minus === void 0) return own;
    if (!duration) throw p.configError(field, "minus applies to durations only");
    const other = readNumber(p, field, { column: m2.minus, unit: m2.unit, null_values: m2.null_values, null_pattern: m2.null_pattern, negative_as_null: true }, true);
    const ref = sourceRef(p, field, m2);
    const label = `columns ${Array.isArray(ref) ? ref.map((r) => p.label(r)).join(" + ") : p.label(ref)} \u2212 ${p.label(m2.minus)}`;
    const difference = p.derive(`CASE WHEN ${own.fail ?? "NULL"} IS NULL AND ${other.fail ?? "NULL"} IS NULL THEN ${own.value} - ${other.value} END`);
    const negative = m2.negative_as_null === true ? "NULL" : `CASE WHEN ${difference} < 0 THEN ${sqlString2(`${label}: `)} || ${jsNumberText(difference)} || ' s is a negative duration' END`;
    const fails = [own.fail, other.fail, negative].filter((f) => f !== null && f !== "NULL");
    return {
      value: p.derive(`CASE WHEN ${difference} >= 0 THEN ${difference} END`),
      fail: fails.length === 0 ? null : p.derive(fails.length === 1 ? fails[0] : `coalesce(${fails.join(", ")})`)
    };
  });
}
function readNumber(p, field, m, duration) {
  const fallbackValue = m.default === void 0 || m.default === null ? "NULL" : sqlNumber(m.default);
  const unit = m.unit ?? "seconds";
  if (!duration && m.unit !== void 0) throw p.configError(field, "unit applies to durations only");
  const map = /* @__PURE__ */ new Map();
  for (const [key, raw] of Object.entries(m.map ?? {})) {
    const value2 = raw === null ? null : typeof raw === "number" ? raw : typeof raw === "string" && /^[+-]?[0-9]+(?:[.][0-9]+)?$/.test(raw) ? Number(raw) : void 0;
    if (value2 === void 0) throw p.configError(field, `map value ${JSON.stringify(raw)} for "${key}" is not a number or null`);
    map.set(key, value2);
  }
  const factor = UNIT_FACTOR[unit];
  const hms = unit === "hms";
  const cell = readCell(p, field, m, sourceRef(p, field, m), map.has(""));
  const t = cell.text;
  const keys = [...map.keys()];
  const inMap = keys.length === 0 ? "FALSE" : p.derive(`coalesce(${t} IN (${keys.map(sqlString2).join(", ")}), FALSE)`);
  const mapped = keys.length === 0 ? "NULL" : `CASE ${t} ${keys.map((k) => `WHEN ${sqlString2(k)} THEN ${map.get(k) === null ? "NULL" : sqlNumber(map.get(k))}`).join(" ")} END`;
  const parsed = hms ? hmsValue(p.derive, t) : unit === "dhms" ? dhmsValue(p, t) : decimalValue(p.derive, t);
  const what = hms ? "a duration H:MM:SS" : unit === "dhms" ? "a duration like 1h 2m 3s" : duration ? `a number of ${unit}` : "a number";
  const shown3 = `${sqlString2(`${cell.label} value `)} || ${showSql(t)}`;
  const reasons = [`WHEN ${inMap} THEN NULL`, `WHEN ${cell.isNull} THEN NULL`, `WHEN ${parsed} IS NULL THEN ${shown3} || ${sqlString2(` is not ${what}`)}`];
  if (duration && m.negative_as_null !== true) reasons.push(`WHEN ${parsed} < 0 THEN ${shown3} || ${sqlString2(" is a negative duration")}`);
  const ownFail = `CASE ${reasons.join(" ")} END`;
  const fail = p.derive(cell.fail === null ? ownFail : `coalesce(${cell.fail}, ${ownFail})`);
  const scaled = unit === "days" ? `round(${parsed} * ${factor}, 3)` : factor === 1 ? parsed : `${parsed} * ${sqlNumber(factor)}`;
  const negative = duration ? `WHEN ${parsed} < 0 THEN NULL ` : "";
  const value = p.derive(
    `CAST(CASE WHEN ${fail} IS NOT NULL THEN NULL WHEN ${inMap} THEN ${mapped} WHEN ${cell.isNull} THEN ${fallbackValue} ${negative}ELSE ${scaled} END AS DOUBLE)`
  );
  return { value, fail };
}
function compileTimestamp(p, field, m, anchor) {
  const badFormat = (format, error) => p.configError(field, error instanceof InvalidFormatError ? error.message : `format "${format}" cannot be read`);
  const pattern = (format) => {
    try {
      return tokenRegex(format);
    } catch (error) {
      throw badFormat(format, error);
    }
  };
  const read = (m2) => {
    if (m2.between !== void 0 || m2.minus !== void 0) throw p.configError(field, "between and minus make durations, not timestamps");
    if (m2.constant !== void 0 || m2.map !== void 0) {
      throw p.configError(field, "a timestamp is read from columns, not a constant or a value map");
    }
    if (m2.default !== void 0 && m2.default !== null) throw p.configError(field, "a timestamp default can only be null");
    const yearOffset = m2.year_offset ?? 0;
    const withOffset = (year) => yearOffset === 0 ? year : `(${year} + ${yearOffset})`;
    if (m2.date !== void 0 || m2.time !== void 0) {
      if (m2.date === void 0 || m2.time === void 0) throw p.configError(field, "date and time go together");
      if (m2.format !== void 0 || m2.column !== void 0) {
        throw p.configError(field, "give either column + format or date + time, not both");
      }
      const datePattern = pattern(m2.date.format);
      const timePattern = pattern(m2.time.format);
      if (!datePattern.hasDate || datePattern.hasTime) throw p.configError(field, `date format "${m2.date.format}" is not a date`);
      if (!timePattern.hasTime || timePattern.hasDate) throw p.configError(field, `time format "${m2.time.format}" is not a time`);
      const dateCell = readCell(p, field, m2, m2.date.column, false);
      const timeCell = readCell(p, field, m2, m2.time.column, false);
      const d = tokenFields(p.derive, dateCell.text, datePattern);
      const t = tokenFields(p.derive, timeCell.text, timePattern);
      const days2 = p.derive(civilDays(p.derive, withOffset(d.year), d.month, d.day));
      const shifted = yearOffset === 0 ? "" : ` (year shifted by ${yearOffset})`;
      const dateShown = `${sqlString2(`${dateCell.label} value `)} || ${showSql(dateCell.text)}`;
      const timeShown = `${sqlString2(`${timeCell.label} value `)} || ${showSql(timeCell.text)}`;
      const reasons = [
        dateCell.fail && `WHEN ${dateCell.fail} IS NOT NULL THEN ${dateCell.fail}`,
        timeCell.fail && `WHEN ${timeCell.fail} IS NOT NULL THEN ${timeCell.fail}`,
        `WHEN ${dateCell.isNull} OR ${timeCell.isNull} THEN NULL`,
        `WHEN NOT ${d.matched} THEN ${dateShown} || ${sqlString2(` is not a date in format ${m2.date.format}`)}`,
        `WHEN NOT ${t.matched} OR NOT ${validClock(t)} THEN ${timeShown} || ${sqlString2(` is not a time in format ${m2.time.format}`)}`,
        `WHEN ${days2} IS NULL THEN ${dateShown} || ${sqlString2(` is not a date in format ${m2.date.format}${shifted}`)}`
      ].filter(Boolean);
      const fail2 = p.derive(`CASE ${reasons.join(" ")} END`);
      const civil2 = p.derive(`CASE WHEN ${fail2} IS NULL AND NOT (${dateCell.isNull} OR ${timeCell.isNull}) THEN ${civilMs(days2, t)} END`);
      const value2 = p.derive(`CAST(${localToUtcMs(p.zone, civil2)} AS BIGINT)`);
      if (anchor === void 0 || anchor.dateIndex < 0 || p.resolve(m2.date.column) !== anchor.dateIndex) return { value: value2, fail: fail2 };
      const nextDay = p.derive(`CAST(${localToUtcMs(p.zone, `(${civil2} + ${DAY2})`)} AS BIGINT)`);
      return { value: p.derive(`CASE WHEN ${value2} < ${anchor.value} - ${TWELVE_HOURS} THEN ${nextDay} ELSE ${value2} END`), fail: fail2 };
    }
    const format = m2.format ?? "iso";
    const cell = readCell(p, field, m2, sourceRef(p, field, m2), false);
    const v = cell.text;
    const shown3 = `${sqlString2(`${cell.label} value `)} || ${showSql(v)}`;
    if (format === "excel") {
      const serial = decimalValue(p.derive, v);
      const fail2 = p.derive(failWhen(cell, `NOT ${cell.isNull} AND (${serial} IS NULL OR ${serial} <= 0)`, `${shown3} || ' is not a spreadsheet date serial'`));
      const civil2 = p.derive(`CASE WHEN ${fail2} IS NULL AND NOT ${cell.isNull} THEN CAST(round((${serial} - 25569) * ${DAY2}) AS BIGINT) END`);
      return { value: p.derive(`CAST(${localToUtcMs(p.zone, civil2)} AS BIGINT)`), fail: fail2 };
    }
    if (format === "epoch_s" || format === "epoch_ms") {
      const ms2 = format === "epoch_s" ? epochSecondsValue(p.derive, v) : epochMsValue(p.derive, v);
      const what2 = `${format} (${format === "epoch_s" ? "seconds" : "milliseconds"} since 1970)`;
      const fail2 = p.derive(failWhen(cell, `NOT ${cell.isNull} AND ${ms2} IS NULL`, `${shown3} || ${sqlString2(` is not ${what2}`)}`));
      return { value: p.derive(`CASE WHEN ${fail2} IS NULL AND NOT ${cell.isNull} THEN ${ms2} END`), fail: fail2 };
    }
    let f;
    let hasOffset = "FALSE";
    let offsetMs = "0";
    let offsetValid = "TRUE";
    if (format === "iso") {
      const iso = isoFields(p.derive, v);
      f = iso;
      hasOffset = iso.hasOffset;
      offsetMs = iso.offsetMs;
      offsetValid = iso.offsetValid;
    } else {
      const tokens = pattern(format);
      if (!tokens.hasDate) throw p.configError(field, `format "${format}" has no date: use date + time`);
      f = tokenFields(p.derive, v, tokens);
    }
    const days = p.derive(civilDays(p.derive, withOffset(f.year), f.month, f.day));
    const what = format === "iso" ? "an ISO 8601 timestamp" : `a timestamp in format ${format}`;
    const bad = `NOT ${cell.isNull} AND (NOT ${f.matched} OR ${days} IS NULL OR NOT ${validClock(f)} OR NOT ${offsetValid})`;
    const fail = p.derive(failWhen(cell, bad, `${shown3} || ${sqlString2(` is not ${what}`)}`));
    const civil = p.derive(`CASE WHEN ${fail} IS NULL AND NOT ${cell.isNull} THEN ${civilMs(days, f)} END`);
    const value = p.derive(`CAST(CASE WHEN ${hasOffset} THEN ${civil} - (${offsetMs}) ELSE ${localToUtcMs(p.zone, civil)} END AS BIGINT)`);
    return { value, fail };
  };
  return withFallbacks(p, field, m, (m2) => addPlus(p, field, m2, read(m2)));
}
function addPlus(p, field, m, read) {
  if (m.plus === void 0) return read;
  const spec2 = typeof m.plus === "object" ? m.plus : { column: m.plus };
  const duration = readNumber(p, field, { column: spec2.column, unit: spec2.unit, negative_as_null: false }, true);
  const value = p.derive(`CASE WHEN ${read.value} IS NOT NULL AND ${duration.value} IS NOT NULL THEN ${read.value} + CAST(round(${duration.value} * 1000) AS BIGINT) END`);
  const fails = [read.fail, duration.fail].filter((f) => f !== null);
  return { value, fail: fails.length === 0 ? null : p.derive(fails.length === 1 ? fails[0] : `coalesce(${fails.join(", ")})`) };
}
var describe = (p, m) => {
  const x = spec(m);
  if (x.date !== void 0 && x.time !== void 0) return `columns ${p.label(x.date.column)} + ${p.label(x.time.column)}`;
  if (x.columns !== void 0) return `columns ${x.columns.map((r) => p.label(r)).join(" + ")}`;
  return x.column === void 0 ? "the constant" : `column ${p.label(x.column)}`;
};
function finish(p, file) {
  if (p.missing.length > 0) {
    const found = p.header === null ? "the file has no header row: refer to columns by 0-based position" : `the header has ${p.header.length} columns: ${maskedHeader(p.header)}`;
    throw new FileRejectedError(file, `source ${p.sourceId}: missing column${p.missing.length > 1 ? "s" : ""} ${p.missing.join(", ")}; ${found}`);
  }
}
function rejection(p, checks) {
  if (checks.length === 0) return { field: p.derive("CAST(NULL AS VARCHAR)"), reason: "CAST(NULL AS VARCHAR)" };
  return {
    field: p.derive(`CASE ${checks.map((c) => `WHEN ${c.fail} IS NOT NULL THEN ${sqlString2(c.field)}`).join(" ")} END`),
    reason: p.derive(`CASE ${checks.map((c) => `WHEN ${c.fail} IS NOT NULL THEN ${c.fail}`).join(" ")} END`)
  };
}
function timeChecks(field, read, latestMs) {
  const v = read.value;
  const iso = `strftime(epoch_ms(${v}), '%Y-%m-%dT%H:%M:%S.%gZ')`;
  const shown3 = `CASE WHEN ${v} BETWEEN -62135596800000 AND 253402300799999 THEN ${iso} ELSE 'a time outside the years 1-9999' END`;
  const future = latestMs === void 0 ? "" : `WHEN ${v} > ${latestMs} THEN ${shown3} || ' is in the future' `;
  return [{ field, fail: `CASE ${future}WHEN ${v} < 0 THEN ${shown3} || ' is before 1970: not a contact time (check the date format, or year_offset)' END` }];
}
var localDate = (zone, utc) => `strftime(epoch_ms(${utcToLocalMs(zone, utc)}), '%Y-%m-%d')`;
var localHour = (zone, utc) => `CAST(hour(epoch_ms(${utcToLocalMs(zone, utc)})) AS INTEGER)`;
var DURATION_FIELDS = ["ivr_seconds", "wait_seconds", "talk_seconds", "hold_seconds", "acw_seconds", "handle_seconds"];
function splitDerived(p, field, m) {
  const chain = [m, ...m.fallback ?? []].map((x) => ({ ...x, fallback: void 0 }));
  if (!chain.some((x) => x.between !== void 0)) return { columns: m, derived: void 0 };
  const derived = { field, before: [], after: [] };
  const columns = [];
  for (const x of chain) {
    if (x.between === void 0) {
      columns.push(x);
      continue;
    }
    const extra = Object.entries(x).filter(([k, v]) => v !== void 0 && !["between", "negative_as_null", "fallback"].includes(k));
    if (extra.length > 0) throw p.configError(field, `between takes no other option (found ${extra.map(([k]) => k).join(", ")})`);
    const [from, to] = x.between;
    if (from === to) throw p.configError(field, `between needs two different timestamp fields, not ${from} twice`);
    (columns.length === 0 ? derived.before : derived.after).push({ from, to, negativeAsNull: x.negative_as_null === true });
  }
  const [first, ...rest] = columns;
  return { columns: first === void 0 ? void 0 : { ...first, fallback: rest.length ? rest : void 0 }, derived };
}
var isoText = (ms2) => `strftime(epoch_ms(${ms2}), '%Y-%m-%dT%H:%M:%SZ')`;
function finishContactsSql(relation, derived, clientZone, customerScope) {
  const diff = (b) => `(CAST(${MS_COLUMN[b.to]} - ${MS_COLUMN[b.from]} AS DOUBLE) / 1000)`;
  const usable = (b) => `${MS_COLUMN[b.from]} IS NOT NULL AND ${MS_COLUMN[b.to]} IS NOT NULL${b.negativeAsNull ? ` AND ${MS_COLUMN[b.to]} >= ${MS_COLUMN[b.from]}` : ""}`;
  const replaced = [];
  const checks = [];
  for (const d of derived) {
    const alternatives = [...d.before.map((b) => ({ b })), { b: void 0 }, ...d.after.map((b) => ({ b }))];
    const value = alternatives.map(({ b }) => b === void 0 ? `WHEN ${d.field} IS NOT NULL THEN ${d.field}` : `WHEN ${usable(b)} THEN ${diff(b)}`);
    replaced.push(`CAST(CASE ${value.join(" ")} END AS DOUBLE) AS ${d.field}`);
    const fail = alternatives.map(
      ({ b }) => b === void 0 ? `WHEN ${d.field} IS NOT NULL THEN NULL` : `WHEN ${usable(b)} THEN ` + (b.negativeAsNull ? "NULL" : `CASE WHEN ${MS_COLUMN[b.to]} < ${MS_COLUMN[b.from]} THEN ${sqlString2(`${b.to} `)} || ${isoText(MS_COLUMN[b.to])} || ${sqlString2(` is before ${b.from} `)} || ${isoText(MS_COLUMN[b.from])} || ${sqlString2(`: ${d.field} between them would be negative`)} END`)
    );
    if (alternatives.some(({ b }) => b !== void 0 && !b.negativeAsNull)) checks.push({ field: d.field, fail: `CASE ${fail.join(" ")} END` });
  }
  const f1 = replaced.length === 0 ? relation : `(SELECT * REPLACE (${replaced.join(", ")}) FROM ${relation})`;
  const handle = `coalesce(handle_seconds, CASE WHEN talk_seconds IS NULL AND hold_seconds IS NULL AND acw_seconds IS NULL THEN NULL ELSE coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(acw_seconds, 0) END)`;
  const checkField = checks.length === 0 ? "NULL" : `CASE ${checks.map((c) => `WHEN ${c.fail} IS NOT NULL THEN ${sqlString2(c.field)}`).join(" ")} END`;
  const checkReason = checks.length === 0 ? "NULL" : `CASE ${checks.map((c) => `WHEN ${c.fail} IS NOT NULL THEN ${c.fail}`).join(" ")} END`;
  const f2 = `(SELECT * REPLACE (CAST(${handle} AS DOUBLE) AS handle_seconds, CAST(coalesce(__field, ${checkField}) AS VARCHAR) AS __field, CAST(CASE WHEN __field IS NOT NULL THEN __reason ELSE ${checkReason} END AS VARCHAR) AS __reason) FROM ${f1})`;
  const f3 = customerScope === void 0 ? f2 : `(SELECT *, ${customerDigitsSql("customer_raw")} AS __customer_digits FROM ${f2})`;
  const shortcut = customerScope === void 0 ? "" : `, CASE WHEN __field IS NULL THEN ${shortcutNormalizedSql("customer_raw", "__customer_digits", customerScope)} END AS customer_shortcut`;
  return `SELECT *${customerScope === void 0 ? "" : " EXCLUDE (__customer_digits)"}, CASE WHEN __field IS NULL THEN ${localDate(clientZone, "arrived_ms")} END AS dt, CASE WHEN __field IS NULL THEN ${localHour(clientZone, "arrived_ms")} END AS local_hour${shortcut} FROM ${f3}`;
}
var LEG_DEFAULTS = {
  contact_id: "first",
  channel: "first",
  direction: "first",
  queue: "first",
  category: "first",
  subcategory: "first",
  customer: "first",
  agent_id: "answering",
  arrived_at: "earliest",
  answered_at: "answering",
  ended_at: "latest",
  ivr_seconds: "first",
  wait_seconds: "answering",
  talk_seconds: "answering",
  hold_seconds: "answering",
  acw_seconds: "answering",
  handle_seconds: "answering",
  is_transferred: "any",
  is_resolved: "last",
  updated_at: "latest"
};
var LEG_RULES_BY_TYPE = {
  text: ["first", "last", "answering"],
  timestamp: ["first", "last", "earliest", "latest", "answering"],
  duration: ["first", "last", "min", "max", "sum", "answering"],
  boolean: ["first", "last", "any", "all", "answering"]
};
var fieldType = (field) => TIMESTAMP_FIELDS.includes(field) ? "timestamp" : DURATION_FIELDS.includes(field) ? "duration" : field === "is_transferred" || field === "is_resolved" ? "boolean" : "text";
var draftColumn = (field) => field === "customer" ? "customer_raw" : TIMESTAMP_FIELDS.includes(field) ? MS_COLUMN[field] : field;
function compileContactSql(source, input) {
  const file = input.file ?? `source ${source.id}`;
  const p = new Plan(source.id, input.header, input.width, source.timezone ?? input.clientZone);
  const f = source.fields;
  for (const m of Object.values(f)) {
    for (const x of [spec(m), ...spec(m).fallback ?? []]) if (x.column !== void 0 && x.columns === void 0) p.noteNulls(x.column, x.null_values, true);
  }
  const optionalText = (name, m) => m === void 0 ? { value: "CAST(NULL AS VARCHAR)", fail: null } : compileText(p, name, spec(m));
  const optionalLimited = (name, m) => m === void 0 ? { value: "CAST(NULL AS VARCHAR)", fail: null } : compileLimitedText(p, name, m);
  const derived = [];
  const optionalDuration2 = (name, m) => {
    if (m === void 0) return { value: "CAST(NULL AS DOUBLE)", fail: null };
    const split = splitDerived(p, name, spec(m));
    if (split.derived !== void 0) {
      for (const b of [...split.derived.before, ...split.derived.after]) {
        for (const t of [b.from, b.to]) if (f[t] === void 0) throw p.configError(name, `between reads ${t}, which the mapping does not map`);
      }
      derived.push(split.derived);
    }
    return split.columns === void 0 ? { value: "CAST(NULL AS DOUBLE)", fail: null } : compileNumber(p, name, split.columns, true);
  };
  const contactId = compileLimitedText(p, "contact_id", f.contact_id);
  const arrived = compileTimestamp(p, "arrived_at", spec(f.arrived_at));
  let channel2;
  if (f.channel !== void 0) channel2 = compileText(p, "channel", spec(f.channel), CHANNELS);
  else if (source.channel !== void 0) channel2 = { value: sqlString2(source.channel), fail: null };
  else throw p.configError("channel", "set the source's channel or map a channel column");
  const direction = f.direction === void 0 ? { value: `'inbound'`, fail: null } : compileText(p, "direction", spec(f.direction), DIRECTIONS);
  const queue = optionalLimited("queue", f.queue);
  const category = optionalLimited("category", f.category);
  const subcategory = optionalLimited("subcategory", f.subcategory);
  const customer = optionalText("customer", f.customer);
  const agentId = optionalLimited("agent_id", f.agent_id);
  const anchor = { value: arrived.value, dateIndex: spec(f.arrived_at).date === void 0 ? -1 : p.resolve(spec(f.arrived_at).date.column) };
  const anchored = (name, m) => m === void 0 ? { value: "CAST(NULL AS BIGINT)", fail: null } : compileTimestamp(p, name, spec(m), anchor);
  const answeredAt = anchored("answered_at", f.answered_at);
  const endedAt = anchored("ended_at", f.ended_at);
  const ivr = optionalDuration2("ivr_seconds", f.ivr_seconds);
  const wait = optionalDuration2("wait_seconds", f.wait_seconds);
  const talk = optionalDuration2("talk_seconds", f.talk_seconds);
  const hold = optionalDuration2("hold_seconds", f.hold_seconds);
  const acw = optionalDuration2("acw_seconds", f.acw_seconds);
  const handle = optionalDuration2("handle_seconds", f.handle_seconds);
  const outcomeField = f.outcome === void 0 ? void 0 : compileText(p, "outcome", spec(f.outcome), OUTCOMES);
  const transferred = f.is_transferred === void 0 ? { value: "FALSE", fail: null } : compileBoolean(p, "is_transferred", spec(f.is_transferred));
  const resolved = f.is_resolved === void 0 ? { value: "CAST(NULL AS BOOLEAN)", fail: null } : compileBoolean(p, "is_resolved", spec(f.is_resolved));
  const updatedAt = f.updated_at === void 0 ? { value: "CAST(NULL AS BIGINT)", fail: null } : compileTimestamp(p, "updated_at", spec(f.updated_at));
  const rules = source.outcome_rules.map((rule, r) => ({ then: rule.then, holds: p.conditions(`outcome_rules[${r}]`, rule.when), columns: rule.when.map((c) => c.column) }));
  if (outcomeField === void 0 && rules.length === 0) throw p.configError("outcome", "map an outcome column or give outcome_rules");
  const legs = source.legs;
  const legKey = legs === void 0 ? void 0 : typeof legs.key === "object" ? legs.key : { column: legs.key, parent: void 0 };
  const legColumns = legs === void 0 ? void 0 : {
    key: p.cell(legKey.column),
    parent: legKey.parent === void 0 ? "CAST(NULL AS VARCHAR)" : p.cell(legKey.parent),
    answered: legs.answered === void 0 ? void 0 : p.derive(p.conditions("legs.answered", legs.answered)),
    prefer: legs.prefer === void 0 ? "FALSE" : p.derive(p.conditions("legs.prefer", legs.prefer))
  };
  finish(p, file);
  const ruleOutcome = rules.length === 0 ? "CAST(NULL AS VARCHAR)" : p.derive(`CASE ${rules.map((rule) => `WHEN ${rule.holds} THEN ${sqlString2(rule.then)}`).join(" ")} END`);
  const ruleColumns = [...new Map(rules.flatMap((r) => r.columns.map((c) => [p.resolve(c), c]))).values()];
  const seen = ruleColumns.map((c) => `${sqlString2(`${p.label(c)}=`)} || ${showSql(`coalesce(${p.cell(c)}, '')`)}`).join(` || ', ' || `);
  const outcome2 = p.derive(`CASE WHEN ${ruleOutcome} IS NOT NULL THEN ${ruleOutcome} ${outcomeField ? `ELSE ${outcomeField.value}` : ""} END`);
  const noOutcome = `'no outcome rule matches (' || ${seen || "''"} || ` + sqlString2(`)${outcomeField === void 0 ? " and no outcome column is mapped" : " and the outcome column is empty"}`);
  const outcomeFail = p.derive(
    `CASE WHEN ${ruleOutcome} IS NOT NULL THEN NULL ${outcomeField?.fail ? `WHEN ${outcomeField.fail} IS NOT NULL THEN ${outcomeField.fail} ` : ""}WHEN ${outcome2} IS NULL THEN ${noOutcome} END`
  );
  const required = (field, read, from) => [
    ...read.fail ? [{ field, fail: read.fail }] : [],
    { field, fail: `CASE WHEN ${read.value} IS NULL THEN ${sqlString2(`${from}: empty or a null value; ${field} is required`)} END` }
  ];
  const optional2 = (field, read) => read.fail ? [{ field, fail: read.fail }] : [];
  const checks = [
    ...legColumns ? [{ field: "(legs)", fail: `CASE WHEN ${legColumns.key} IS NULL THEN ${sqlString2(`column ${p.label(legKey.column)}, the key of the call's legs, is empty`)} END` }] : [],
    ...required("contact_id", contactId, describe(p, f.contact_id)),
    ...required("arrived_at", arrived, describe(p, f.arrived_at)),
    ...required("channel", channel2, f.channel === void 0 ? "the source channel" : describe(p, f.channel)),
    ...optional2("direction", direction),
    ...optional2("queue", queue),
    ...optional2("category", category),
    ...optional2("subcategory", subcategory),
    ...optional2("customer", customer),
    ...optional2("agent_id", agentId),
    ...optional2("answered_at", answeredAt),
    ...optional2("ended_at", endedAt),
    ...optional2("ivr_seconds", ivr),
    ...optional2("wait_seconds", wait),
    ...optional2("talk_seconds", talk),
    ...optional2("hold_seconds", hold),
    ...optional2("acw_seconds", acw),
    ...optional2("handle_seconds", handle),
    { field: "outcome", fail: outcomeFail },
    ...optional2("is_transferred", transferred),
    ...optional2("is_resolved", resolved),
    ...optional2("updated_at", updatedAt),
    ...timeChecks("arrived_at", arrived, input.latestMs),
    ...f.answered_at ? timeChecks("answered_at", answeredAt, input.latestMs) : [],
    ...f.ended_at ? timeChecks("ended_at", endedAt, input.latestMs) : [],
    ...f.updated_at ? timeChecks("updated_at", updatedAt, input.latestMs) : []
  ];
  const rejected = rejection(p, checks);
  const outputs = [
    ["contact_id", contactId.value],
    ["channel", channel2.value],
    ["direction", `coalesce(${direction.value}, 'inbound')`],
    ["queue", queue.value],
    ["category", category.value],
    ["subcategory", subcategory.value],
    ["customer_raw", customer.value],
    ["agent_id", agentId.value],
    ["arrived_ms", arrived.value],
    ["answered_ms", answeredAt.value],
    ["ended_ms", endedAt.value],
    ["ivr_seconds", ivr.value],
    ["wait_seconds", wait.value],
    ["talk_seconds", talk.value],
    ["hold_seconds", hold.value],
    ["acw_seconds", acw.value],
    // finishContactsSql fills in talk + hold + acw when the source gives no handle time
    ["handle_seconds", handle.value],
    ["outcome", outcome2],
    ["is_transferred", `coalesce(${transferred.value}, FALSE)`],
    ["is_resolved", resolved.value],
    ["updated_ms", updatedAt.value],
    ["__field", rejected.field],
    ["__reason", rejected.reason]
  ];
  const delimiter = input.delimiter ?? source.delimiter ?? ",";
  const columns = new Set(p.cells.keys());
  const finishing = (relation) => finishContactsSql(relation, derived, input.clientZone, input.customerScope);
  const needsRaw = derived.some((d) => [...d.before, ...d.after].some((b) => !b.negativeAsNull));
  if (legs === void 0 || legColumns === void 0) {
    return { columns, select: finishing(`(${p.build(outputs, rejected.field, delimiter, [], needsRaw)})`) };
  }
  outputs.push(
    ["__key", legColumns.key],
    ["__parent", legColumns.parent],
    ["__answered", legColumns.answered ?? `coalesce(${outcome2} = 'answered', FALSE)`],
    ["__prefer", legColumns.prefer]
  );
  const ruleOf = {};
  for (const [field, rule] of Object.entries(LEG_DEFAULTS)) ruleOf[draftColumn(field)] = rule;
  for (const [field, rule] of Object.entries(legs.fields)) {
    if (!(field in LEG_DEFAULTS)) throw p.configError(`legs.fields.${field}`, `is not a contact field (${Object.keys(LEG_DEFAULTS).join(", ")})`);
    if (!LEG_RULES_BY_TYPE[fieldType(field)].includes(rule)) {
      throw p.configError(`legs.fields.${field}`, `rule ${rule} does not apply to a ${fieldType(field)} field (use ${LEG_RULES_BY_TYPE[fieldType(field)].join(", ")})`);
    }
    ruleOf[draftColumn(field)] = rule;
  }
  return {
    columns,
    select: p.build(outputs, rejected.field, delimiter, [], true),
    legs: { config: legs, rules: ruleOf, finish: finishing, keyLabel: `column ${p.label(legKey.column)}` }
  };
}
function compileSurveySql(source, input) {
  const file = input.file ?? `source ${source.id}`;
  const p = new Plan(source.id, input.header, input.width, source.timezone ?? input.clientZone);
  const f = source.fields;
  const none = (type) => ({ value: `CAST(NULL AS ${type})`, fail: null });
  const surveyId = compileLimitedText(p, "survey_id", f.survey_id);
  const contactId = f.contact_id === void 0 ? none("VARCHAR") : compileLimitedText(p, "contact_id", f.contact_id);
  const channel2 = f.channel === void 0 ? none("VARCHAR") : compileText(p, "channel", spec(f.channel), CHANNELS);
  const agentId = f.agent_id === void 0 ? none("VARCHAR") : compileLimitedText(p, "agent_id", f.agent_id);
  const surveyType = compileText(p, "survey_type", spec(f.survey_type), SURVEY_TYPES);
  const score = compileNumber(p, "score", spec(f.score), false);
  const scaleMin = f.scale_min === void 0 ? none("DOUBLE") : compileNumber(p, "scale_min", spec(f.scale_min), false);
  const scaleMax = f.scale_max === void 0 ? none("DOUBLE") : compileNumber(p, "scale_max", spec(f.scale_max), false);
  const comment = f.comment === void 0 ? none("VARCHAR") : compileLimitedText(p, "comment", f.comment);
  const responded = compileTimestamp(p, "responded_at", spec(f.responded_at));
  finish(p, file);
  const configured = (bound) => {
    const entries = Object.entries(source.scales).filter(([, s]) => s !== void 0);
    if (entries.length === 0) return "CAST(NULL AS DOUBLE)";
    return `CAST(CASE ${surveyType.value} ${entries.map(([type, s]) => `WHEN ${sqlString2(type)} THEN ${sqlNumber(s[bound])}`).join(" ")} END AS DOUBLE)`;
  };
  const min = p.derive(`coalesce(${scaleMin.value}, ${configured("min")})`);
  const max = p.derive(`coalesce(${scaleMax.value}, ${configured("max")})`);
  const empty = (field, read, m) => [
    ...read.fail ? [{ field, fail: read.fail }] : [],
    { field, fail: `CASE WHEN ${read.value} IS NULL THEN ${sqlString2(`${describe(p, m)}: empty or a null value; ${field} is required`)} END` }
  ];
  const optional2 = (field, read) => read.fail ? [{ field, fail: read.fail }] : [];
  const checks = [
    ...empty("survey_id", surveyId, f.survey_id),
    ...optional2("contact_id", contactId),
    ...optional2("channel", channel2),
    ...optional2("agent_id", agentId),
    ...empty("survey_type", surveyType, f.survey_type),
    ...empty("score", score, f.score),
    ...optional2("scale_min", scaleMin),
    ...optional2("scale_max", scaleMax),
    {
      field: "scale_min",
      fail: `CASE WHEN ${min} IS NULL OR ${max} IS NULL THEN 'no scale for survey type ' || ${surveyType.value} || ': map scale_min/scale_max or add scales.' || ${surveyType.value} || ' to the source' END`
    },
    {
      field: "score",
      fail: `CASE WHEN ${score.value} < ${min} OR ${score.value} > ${max} THEN 'score ' || ${jsNumberText(score.value)} || ' is outside the ' || ${surveyType.value} || ' scale ' || ${jsNumberText(min)} || '\u2013' || ${jsNumberText(max)} END`
    },
    ...optional2("comment", comment),
    ...empty("responded_at", responded, f.responded_at),
    ...timeChecks("responded_at", responded, input.latestMs)
  ];
  const rejected = rejection(p, checks);
  const outputs = [
    ["survey_id", surveyId.value],
    ["contact_id", contactId.value],
    ["channel", channel2.value],
    ["agent_id", agentId.value],
    ["survey_type", surveyType.value],
    ["score", score.value],
    ["scale_min", min],
    ["scale_max", max],
    ["comment", comment.value],
    ["responded_ms", responded.value],
    ["__field", rejected.field],
    ["__reason", rejected.reason]
  ];
  const whenValid = [["dt", localDate(input.clientZone, responded.value)]];
  return { columns: new Set(p.cells.keys()), select: p.build(outputs, rejected.field, input.delimiter ?? source.delimiter, whenValid) };
}

// functions/core/ingest/formats/check-mapping.ts
var isMapped = (source) => source.format === "mapped-csv" || source.format === "mapped-survey-csv" || source.format === "mapped-xlsx" || source.format === "mapped-json";
function compileWithoutData(config, source) {
  const named = columnsNamed(source.format === "mapped-survey-csv" ? { fields: source.fields } : mappingParts(source));
  const width = Math.max(0, ...[...named].filter((c) => typeof c === "number").map((c) => c + 1));
  const names = [...named].filter((c) => typeof c === "string");
  const header = [...Array.from({ length: width }, (_, i) => `#${i}`), ...names];
  const hasHeader = source.format === "mapped-json" || source.header;
  const input = { header: hasHeader ? header : null, width: header.length, clientZone: config.timezone, delimiter: "," };
  if (source.format === "mapped-survey-csv") return { mapping: compileSurveySql(source, input), width: header.length };
  if (source.format === "mapped-json" && width > 0) throw new MappingConfigError(source.id, "(columns)", `JSON records are read by field path, not by position (${width - 1})`);
  return { mapping: compileContactSql(source, input), width: header.length };
}
function mappingProblems(config) {
  const problems = [];
  for (const source of config.sources) {
    if (!isMapped(source)) continue;
    try {
      compileWithoutData(config, source);
    } catch (error) {
      if (error instanceof MappingConfigError || error instanceof FileRejectedError) problems.push(`sources.${source.id}: ${error.message}`);
      else throw error;
    }
  }
  return problems;
}
var hasSurroundingSpace = (value) => value !== value.trim();
var shown = (value) => JSON.stringify(value).replace(/\u00a0/g, "\\u00a0");
function matchedValues(source) {
  const out = [];
  const walk = (node, path6, column) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path6}[${i}]`, column));
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const o = node;
    const own = typeof o.column === "string" || typeof o.column === "number" ? o.column : column;
    if (o.map && typeof o.map === "object") for (const key of Object.keys(o.map)) out.push({ path: `${path6}.map`, column: own, value: key });
    if (Array.isArray(o.null_values)) {
      for (const v of o.null_values) if (typeof v === "string") out.push({ path: `${path6}.null_values`, column: own, value: v });
    }
    if (typeof o.equals === "string") out.push({ path: `${path6}.equals`, column: own, value: o.equals });
    if (Array.isArray(o.in)) {
      for (const v of o.in) if (typeof v === "string") out.push({ path: `${path6}.in`, column: own, value: v });
    }
    for (const [key, value] of Object.entries(o)) {
      if (["map", "null_values", "equals", "in"].includes(key)) continue;
      walk(value, `${path6}.${key}`, key === "fallback" || key === "date" || key === "time" ? void 0 : own);
    }
  };
  walk(source.fields, "fields", void 0);
  if ("outcome_rules" in source) walk(source.outcome_rules, "outcome_rules", void 0);
  if ("legs" in source && source.legs) walk(source.legs, "legs", void 0);
  return out;
}
function mappingWarnings(config) {
  const warnings = [];
  for (const source of config.sources) {
    if (!isMapped(source)) continue;
    for (const m of matchedValues(source)) {
      if (hasSurroundingSpace(m.value)) {
        warnings.push(
          `sources.${source.id}.${m.path}: ${shown(m.value)} has a space at its start or end; cells are trimmed, so it never matches (write ${shown(m.value.trim())})`
        );
      }
    }
  }
  return warnings;
}

// functions/core/ingest/formats/check-sample.ts
import { mkdir as mkdir2, mkdtemp, rm as rm2, writeFile } from "node:fs/promises";
import { join as join4 } from "node:path";

// functions/core/ingest/assembly/group-legs.ts
function aggregate(column, rule) {
  switch (rule) {
    case "first":
      return `arg_min(${column}, __order) FILTER (WHERE ${column} IS NOT NULL)`;
    case "last":
      return `arg_max(${column}, __order) FILTER (WHERE ${column} IS NOT NULL)`;
    case "earliest":
    case "min":
      return `min(${column})`;
    case "latest":
    case "max":
      return `max(${column})`;
    case "sum":
      return `sum(${column})`;
    case "any":
      return `bool_or(${column})`;
    case "all":
      return `bool_and(${column})`;
    case "answering":
      return `first(${column} ORDER BY __answer_rank) FILTER (WHERE __answered)`;
    default:
      throw new RangeError(`unknown leg rule ${rule}`);
  }
}
function groupLegsSql(legs, plan) {
  const parentKeyed = typeof plan.config.key === "object";
  const outcome2 = plan.config.outcome ?? { priority: [...OUTCOMES] };
  const outcomeSql = outcome2 === "first" ? `arg_min(outcome, __order)` : `CASE ${outcome2.priority.map((o) => `WHEN bool_or(outcome = ${sqlString2(o)}) THEN ${sqlString2(o)}`).join(" ")} END`;
  const columns = CONTACT_DRAFT_COLUMNS.map((c) => c === "outcome" ? `${outcomeSql} AS outcome` : `${aggregate(c, plan.rules[c] ?? "first")} AS ${c}`);
  const keyed = parentKeyed ? `SELECT l.*, coalesce(p.__root_key, l.__key) AS __group, p.__root_key IS NULL AS __is_root FROM legs l LEFT JOIN (SELECT __parent AS __child, arg_min(__key, __line) AS __root_key FROM legs WHERE __parent IS NOT NULL AND __key IS NOT NULL GROUP BY __parent) p ON p.__child = l.__key AND p.__root_key <> l.__key` : `SELECT *, __key AS __group, TRUE AS __is_root FROM legs`;
  const lines = `array_to_string(list(__line ORDER BY __line), ', ')`;
  return [
    `WITH legs AS (SELECT * FROM ${legs}),`,
    // a leg without a key is its own contact, quarantined for its empty key
    `keyed AS (SELECT * REPLACE (coalesce(__group, 'line ' || __line) AS __group) FROM (${keyed})),`,
    `bad AS (SELECT __group, min(__line) FILTER (WHERE __field IS NOT NULL) AS __bad_line FROM keyed GROUP BY __group HAVING count(__field) > 0),`,
    `ranked AS (SELECT *, row_number() OVER (PARTITION BY __group ORDER BY __is_root DESC, __line) AS __order, row_number() OVER (PARTITION BY __group ORDER BY __answered DESC, __prefer DESC, talk_seconds DESC NULLS LAST, answered_ms NULLS LAST, __line) AS __answer_rank FROM keyed WHERE __group NOT IN (SELECT __group FROM bad)),`,
    `grouped AS (SELECT __group, min(__line) AS __line, ${lines} AS __lines, ${columns.join(", ")}, CAST(NULL AS VARCHAR) AS __field, CAST(NULL AS VARCHAR) AS __reason, CAST(NULL AS VARCHAR) AS __raw FROM ranked GROUP BY __group),`,
    `finished AS (${plan.finish("grouped")})`,
    `SELECT * EXCLUDE (__group, __lines) FROM finished WHERE __field IS NULL`,
    `UNION ALL BY NAME`,
    `SELECT k.__line, f.__field, 'the contact of lines ' || f.__lines || ': ' || f.__reason AS __reason, k.__raw, k.arrived_ms FROM keyed k JOIN finished f ON k.__group = f.__group WHERE f.__field IS NOT NULL`,
    `UNION ALL BY NAME`,
    `SELECT k.__line, coalesce(k.__field, '(legs)') AS __field, coalesce(k.__reason, 'another leg of this call (line ' || b.__bad_line || ', same ' || ${sqlString2(plan.keyLabel)} || ') was rejected') AS __reason, k.__raw, k.arrived_ms FROM keyed k JOIN bad b ON k.__group = b.__group`
  ].join("\n");
}
async function groupLegs(ws, plan, stagedRows, out) {
  await ws.run(`COPY (${groupLegsSql(stagedRows, plan)}) TO ${sqlString2(out)} (FORMAT parquet, COMPRESSION uncompressed)`);
  const [counts] = await ws.query(`SELECT (SELECT count(*) FROM ${stagedRows}) - (SELECT count(*) FROM read_parquet(${sqlString2(out)})) AS n`);
  return Number(counts?.n ?? 0);
}

// functions/core/ingest/customer-key.ts
import { getCountryCallingCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
function customerKeyScope(config, source) {
  const scope = { phoneRegion: phoneRegionOf(config), userIdNamespace: source?.user_id_namespace };
  return source?.customer_kind === "user_id" ? { ...scope, customerKind: "user_id" } : scope;
}
var HIDDEN = /* @__PURE__ */ new Set([
  "",
  "\uBC1C\uC2E0\uBC88\uD638\uD45C\uC2DC\uC81C\uD55C",
  "\uBC1C\uC2E0\uBC88\uD638 \uD45C\uC2DC\uC81C\uD55C",
  "\uBC88\uD638\uBE44\uACF5\uAC1C",
  "\uBE44\uACF5\uAC1C",
  "\uD45C\uC2DC\uC81C\uD55C",
  "anonymous",
  "unknown",
  "private",
  "restricted",
  "withheld",
  "unavailable",
  "null",
  "none"
]);
var PHONE_LIKE = /^\+?[\d\s\-().]+$/;
var FULL_WIDTH = /[\uff01-\uff5e\u3000]/;
var KOREA_CALLING_CODE = "82";
var HIDDEN_VALUE = { kind: "hidden", normalized: null };
var digitsOf = (text3) => text3.replace(/\D/g, "");
function digitsOnlyKey(value, digits) {
  if (value.startsWith("+")) {
    if (digits.startsWith(KOREA_CALLING_CODE)) return `tel:0${digits.slice(2).replace(/^0/, "")}`;
    return `tel:+${digits}`;
  }
  return `tel:${digits}`;
}
var CALLING_CODES = /* @__PURE__ */ new Map();
var callingCodeOf = (region) => {
  let code = CALLING_CODES.get(region);
  if (code === void 0) CALLING_CODES.set(region, code = getCountryCallingCode(region));
  return code;
};
function writtenAsDialled(number, digits, region) {
  if (number.countryCallingCode !== callingCodeOf(region)) return true;
  const national = digitsOf(number.formatNational());
  const significant = number.nationalNumber;
  if (!national.endsWith(significant)) return true;
  return digits.startsWith(national.slice(0, national.length - significant.length));
}
function numberingPlanKey(value, digits, region) {
  const international = value.startsWith("+");
  if (!international && region === void 0) return void 0;
  const number = parsePhoneNumberFromString(value, region);
  if (number === void 0) return void 0;
  if (international ? !number.isPossible() : !number.isValid() || !writtenAsDialled(number, digits, region)) return void 0;
  if (number.countryCallingCode === KOREA_CALLING_CODE) {
    return number.isValid() ? `tel:${digitsOf(number.formatNational())}` : void 0;
  }
  return `tel:${number.number}`;
}
function shortcutKey(value, digits, region) {
  if (value.startsWith("+")) {
    if (/^820?(?:10|[2-9])/.test(digits)) return digitsOnlyKey(value, digits);
    if (digits.length === 11 && /^1[2-9]/.test(digits)) return `tel:+${digits}`;
    return void 0;
  }
  if (region === "KR" && digits.startsWith("0") && !digits.startsWith("00")) return `tel:${digits}`;
  return void 0;
}
function classifyCustomer(raw, scope = {}) {
  return classify(raw, scope, true);
}
function classify(raw, scope, placement) {
  if (raw === null) return HIDDEN_VALUE;
  const value = raw.trim();
  if (HIDDEN.has(value.toLowerCase())) return HIDDEN_VALUE;
  if (scope.customerKind === "user_id") return userId(value, scope);
  if (value.includes("@")) return { kind: "email", normalized: `email:${value.toLowerCase().normalize("NFC")}` };
  const phone2 = PHONE_LIKE.test(value) ? value : FULL_WIDTH.test(value) ? value.normalize("NFKC").trim() : void 0;
  if (phone2 !== void 0 && PHONE_LIKE.test(phone2)) {
    const digits = digitsOf(phone2);
    if (digits.length === 0 || /^0+$/.test(digits)) return HIDDEN_VALUE;
    const shortcut = shortcutKey(phone2, digits, scope.phoneRegion);
    if (shortcut !== void 0 && !placement) return { kind: "phone", normalized: shortcut };
    const key = numberingPlanKey(phone2, digits, scope.phoneRegion);
    const kind = key === void 0 ? "phone_fallback" : "phone";
    return { kind, normalized: shortcut ?? key ?? digitsOnlyKey(phone2, digits) };
  }
  return userId(value, scope);
}
function userId(value, scope) {
  const namespace = scope.userIdNamespace;
  return { kind: "user_id", normalized: namespace === void 0 ? `id:${value}` : `id@${namespace}:${value}` };
}
function normalizeCustomer(raw, scope = {}) {
  return classify(raw, scope, false).normalized;
}
var SHAPES_SHOWN = 5;
function customerSampleReport(values, scope) {
  const counts = { hidden: 0, email: 0, user_id: 0, phone: 0, phone_fallback: 0 };
  const shapes = /* @__PURE__ */ new Map();
  let total = 0;
  for (const raw of values) {
    total += 1;
    const { kind } = classifyCustomer(raw, scope);
    counts[kind] += 1;
    if (kind === "phone_fallback") {
      const shape = raw.trim().replace(new RegExp("\\p{Nd}", "gu"), "#");
      shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    }
  }
  const fallbackShapes = [...shapes].map(([shape, count2]) => ({ shape, count: count2 })).sort((a, b) => b.count - a.count || (a.shape < b.shape ? -1 : a.shape > b.shape ? 1 : 0)).slice(0, SHAPES_SHOWN);
  return { phone_region: scope.phoneRegion ?? null, values: total, ...counts, fallback_shapes: fallbackShapes };
}

// functions/core/ingest/mapping/record-relation.ts
function readRecordsSql(relation) {
  const columns = [`'__line': 'BIGINT'`, `'__trim': 'BOOLEAN'`, ...Array.from({ length: relation.width }, (_, i) => `'c${i}': 'VARCHAR'`)];
  const paths = typeof relation.path === "string" ? sqlString2(relation.path) : `[${relation.path.map(sqlString2).join(", ")}], filename = true`;
  return `read_csv(${paths}, header = false, auto_detect = false, delim = ${sqlString2(relation.delimiter)}, quote = '"', escape = '"', new_line = '\\n', strict_mode = true, store_rejects = true, ${relation.parallel === false ? "parallel = false, " : ""}max_line_size = ${relation.maxRecordBytes + 64}, buffer_size = ${4 * (relation.maxRecordBytes + 64)}, columns = {${columns.join(", ")}})`;
}

// functions/core/ingest/ingest-file.ts
import { createHash as createHash2, randomUUID } from "node:crypto";
import { createReadStream as createReadStream2, createWriteStream } from "node:fs";
import { mkdir, readdir as readdir3, rm, stat } from "node:fs/promises";
import { basename, join as join3 } from "node:path";

// functions/core/ingest/assembly-sql.ts
var SQL_TYPES = {
  string: "VARCHAR",
  timestamp: "TIMESTAMP_MS",
  double: "DOUBLE",
  int: "INTEGER",
  boolean: "BOOLEAN"
};
var ms = (expression) => `CASE WHEN __field IS NULL THEN CAST(epoch_ms(${expression}) AS TIMESTAMP_MS) END`;
function lakeTableSql(table2, input) {
  const def = lakeTables[table2];
  const p = input.provenance;
  const [sourceFile, ingestedAt, deliveredAt] = "sourceFileSql" in p ? [p.sourceFileSql, p.ingestedAtSql, p.deliveredAtSql] : [sqlString2(p.sourceFile), String(p.ingestedAt), String(p.deliveredAt)];
  const provenance = {
    source: sqlString2(input.source),
    source_file: sourceFile,
    ingested_at: `CAST(epoch_ms(${ingestedAt}) AS TIMESTAMP_MS)`,
    delivered_at: `CAST(epoch_ms(${deliveredAt}) AS TIMESTAMP_MS)`
  };
  const contact = {
    customer_key: `CASE WHEN norm IS NULL THEN NULL ELSE ${hmacSql("norm", input.pads)} END`,
    arrived_at: ms("arrived_ms"),
    answered_at: ms("answered_ms"),
    ended_at: ms("ended_ms"),
    updated_at: ms("updated_ms")
  };
  const survey = {
    responded_at: ms("responded_ms"),
    scale_min: "CAST(scale_min AS INTEGER)",
    scale_max: "CAST(scale_max AS INTEGER)"
  };
  const special = table2 === "contacts" ? contact : survey;
  const columns = def.columns.map((c) => `CAST(${provenance[c.name] ?? special[c.name] ?? c.name} AS ${SQL_TYPES[c.type]}) AS ${c.name}`);
  let from = `${input.staged} s`;
  if (table2 === "contacts") {
    const decided = input.joinNorms ? "n.norm" : "CAST(NULL AS VARCHAR)";
    from = `(SELECT s.*, CASE WHEN s.customer_raw IS NULL THEN NULL ELSE CASE s.customer_shortcut WHEN '' THEN NULL ELSE coalesce(s.customer_shortcut, ${decided}) END END AS norm FROM ${input.staged} s` + (input.joinNorms ? ` LEFT JOIN customer_norms n ON s.customer_raw = n.raw` : "") + `)`;
  }
  return `SELECT ${columns.join(", ")}, dt, __line, TRUE AS __fresh FROM ${from} WHERE __field IS NULL`;
}
function newestFirst(table2) {
  const updated = table2 === "contacts" ? "updated_at DESC NULLS LAST, " : "";
  return `${updated}delivered_at DESC NULLS LAST, __fresh DESC, __line DESC NULLS LAST`;
}
function winnersSql(table2, fresh, others, id) {
  return `SELECT * FROM (SELECT * FROM ${fresh} UNION ALL BY NAME SELECT * FROM (${others})) QUALIFY row_number() OVER (PARTITION BY ${id} ORDER BY ${newestFirst(table2)}) = 1`;
}
function otherCopiesSql(files) {
  const dates = files.map((f) => `(${sqlString2(f.path)}, ${sqlString2(f.dt)})`).join(", ");
  return `SELECT p.* EXCLUDE (filename), m.dt, CAST(NULL AS BIGINT) AS __line, FALSE AS __fresh FROM read_parquet([${files.map((f) => sqlString2(f.path)).join(", ")}], union_by_name = true, filename = true) p JOIN (VALUES ${dates}) m(path, dt) ON p.filename = m.path`;
}
function lakeColumnsSql(table2, from, where, keep = []) {
  const def = lakeTables[table2];
  const columns = [...def.columns.map((c) => `CAST(${c.name} AS ${SQL_TYPES[c.type]}) AS ${c.name}`), ...keep];
  return `SELECT ${columns.join(", ")} FROM ${from} WHERE ${where}`;
}

// functions/core/ingest/coverage.ts
var coverageKeys = {
  datePrefix: (clientId, dt) => `coverage/client_id=${clientId}/dt=${dt}/`,
  entry: (clientId, dt, source, fileId) => `coverage/client_id=${clientId}/dt=${dt}/${source}--${fileId}.json`
};
async function putCoverageEntry(lake, entry) {
  const key = coverageKeys.entry(entry.client_id, entry.dt, entry.source, entry.file_id);
  await lake.put(key, JSON.stringify(entry), { contentType: "application/json" });
}
var DEFAULT_MAX_QUARANTINED_SHARE = 0.5;
function completenessOf(source) {
  const declared = source.completeness;
  return {
    expect: declared?.expect ?? (source.format === "amazon-connect-ctr" ? "continuous" : source.table === "surveys" ? "sporadic" : "daily-file"),
    graceMinutes: declared?.grace_minutes ?? 60,
    fileDate: declared?.file_date,
    maxQuarantinedShare: declared?.max_quarantined_share ?? DEFAULT_MAX_QUARANTINED_SHARE
  };
}
function declaredFileDate(source, file) {
  const rule = completenessOf(source).fileDate;
  if (rule === void 0) return void 0;
  const name = file.slice(file.lastIndexOf("/") + 1);
  const match = new RegExp(rule.pattern, "u").exec(name);
  const text3 = match?.[1] ?? match?.[0];
  if (text3 === void 0) return void 0;
  const pattern = tokenRegex(rule.format);
  if (!pattern.hasDate || pattern.hasTime) return void 0;
  const groups = new RegExp(pattern.regex).exec(text3);
  if (!groups) return void 0;
  const at = (part) => Number(groups[pattern.parts.indexOf(part) + 1]);
  const year = pattern.parts.includes("year4") ? at("year4") : at("year2") >= 70 ? 1900 + at("year2") : 2e3 + at("year2");
  const parts = { year, month: at("month"), day: at("day") };
  const probe = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
  if (probe.getUTCFullYear() !== parts.year || probe.getUTCMonth() !== parts.month - 1 || probe.getUTCDate() !== parts.day) return void 0;
  const pad = (n) => String(n).padStart(2, "0");
  return `${String(parts.year).padStart(4, "0")}-${pad(parts.month)}-${pad(parts.day)}`;
}
async function listCoverage(lake, clientId, dates) {
  const out = [];
  for (const dt of [...new Set(dates)].sort()) {
    for await (const info of lake.list(coverageKeys.datePrefix(clientId, dt))) {
      if (info.key.endsWith(".json")) out.push({ key: info.key, dt, size: info.size, lastModified: info.lastModified });
    }
  }
  return out;
}
async function readCoverageEntries(lake, listings, concurrency = 16) {
  const out = new Array(listings.length);
  let next = 0;
  const worker = async () => {
    while (next < listings.length) {
      const i = next++;
      const listing = listings[i];
      try {
        const entry = JSON.parse(new TextDecoder().decode(await lake.get(listing.key)));
        if (entry && typeof entry === "object" && entry.dt === listing.dt) out[i] = entry;
      } catch {
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, listings.length)) }, worker));
  return out.filter((e) => e !== void 0);
}

// functions/core/ingest/manifest.ts
var lakeKeys = {
  partitionPrefix: (table2, clientId, dt) => `${table2}/client_id=${clientId}/dt=${dt}/`,
  dataObject: (table2, clientId, dt, source, fileId) => `${table2}/client_id=${clientId}/dt=${dt}/${source}--${fileId}.parquet`,
  /** a date's one object per source, which queries read */
  sourceObject: (table2, clientId, dt, source) => `${table2}/client_id=${clientId}/dt=${dt}/${source}.parquet`,
  /** every row of one delivery on one date (not queried: kept to rebuild the date) */
  versionsPrefix: (table2, clientId, dt, source) => `versions/${table2}/client_id=${clientId}/dt=${dt}/${source}--`,
  versionObject: (table2, clientId, dt, source, fileId, deliveryId) => `versions/${table2}/client_id=${clientId}/dt=${dt}/${source}--${fileId}--${deliveryId}.parquet`,
  /** written before a delivery's first object and removed after its manifest: a run killed between them is cleaned up by the next */
  pendingDelivery: (clientId, source, fileId) => `manifests/client_id=${clientId}/${source}--${fileId}.pending.json`,
  manifestPrefix: (clientId) => `manifests/client_id=${clientId}/`,
  manifest: (clientId, source, fileId) => `manifests/client_id=${clientId}/${source}--${fileId}.json`,
  /** where a rejected redelivery of a file is recorded while the file's earlier, good data stays in force */
  rejectedManifest: (clientId, source, fileId) => `manifests/client_id=${clientId}/${source}--${fileId}.rejected.json`,
  deliveriesPrefix: (clientId) => `deliveries/client_id=${clientId}/`,
  quarantine: (clientId, source, fileId) => `client_id=${clientId}/${source}--${fileId}.jsonl`,
  /** raw uploads: raw bucket, `client_id=<id>/<source>/<file name>` */
  rawPrefix: (clientId, source) => source === void 0 ? `client_id=${clientId}/` : `client_id=${clientId}/${source}/`
};

// functions/core/ingest/formats/amazon-connect-ctr.ts
var RAW_LIMIT = 500;
var DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
var OPEN_BRACE = 123;
var CLOSE_BRACE = 125;
var OPEN_BRACKET = 91;
var CLOSE_BRACKET = 93;
var QUOTE = 34;
var BACKSLASH = 92;
var COLON = 58;
var COMMA = 44;
var isWhitespace = (b) => b === 32 || b === 9 || b === 10 || b === 13;
var utf8 = new TextDecoder("utf-8", { fatal: true });
var lenientUtf8 = new TextDecoder("utf-8", { fatal: false });
var truncate = (text3) => text3.length > RAW_LIMIT ? `${text3.slice(0, RAW_LIMIT)}\u2026` : text3;
var rawOf = (bytes) => truncate(lenientUtf8.decode(bytes.subarray(0, RAW_LIMIT * 4)));
var ByteBuffer = class {
  data = new Uint8Array(4096);
  length = 0;
  push(b) {
    if (this.length === this.data.length) {
      const bigger = new Uint8Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = b;
  }
  view() {
    return this.data.subarray(0, this.length);
  }
  take() {
    const copy = this.data.slice(0, this.length);
    this.length = 0;
    if (this.data.length > 64 * 1024) this.data = new Uint8Array(4096);
    return copy;
  }
};
var CtrSplitter = class {
  constructor(file, maxRecordBytes) {
    this.file = file;
    this.maxRecordBytes = maxRecordBytes;
  }
  file;
  maxRecordBytes;
  record = 0;
  seenContent = false;
  atFileStart = true;
  bomBytes = 0;
  /** outside a record: garbage bytes since the last record */
  garbage = new ByteBuffer();
  garbageBytes = 0;
  /** inside a record */
  span = new ByteBuffer();
  depth = 0;
  inString = false;
  escaped = false;
  overflowed = false;
  overflowRaw = "";
  out = [];
  push(chunk) {
    this.scan(chunk);
    return this.out.splice(0);
  }
  end() {
    if (this.depth > 0 && this.overflowed) {
      this.resetToOutside();
      this.reject(this.overflowRaw, `truncated: the file ends inside a record larger than ${this.maxRecordBytes} bytes`);
    } else if (this.depth > 0) {
      this.failSpan(this.span.take(), "truncated: the file ends inside this record", true);
    }
    this.flushGarbage();
    return this.out.splice(0);
  }
  scan(bytes) {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (this.atFileStart && this.skipBom(b)) continue;
      if (this.depth === 0) this.outside(b);
      else this.inside(b);
    }
  }
  /** Consumes a UTF-8 byte order mark split over any chunks; false once the first non-BOM byte arrives. */
  skipBom(b) {
    const bom = [239, 187, 191];
    if (b === bom[this.bomBytes]) {
      this.bomBytes++;
      if (this.bomBytes === 3) this.atFileStart = false;
      return true;
    }
    this.atFileStart = false;
    for (let k = 0; k < this.bomBytes; k++) this.outside(bom[k]);
    return false;
  }
  outside(b) {
    if (b === OPEN_BRACE) {
      this.flushGarbage();
      this.seenContent = true;
      this.depth = 1;
      this.inString = false;
      this.escaped = false;
      this.overflowed = false;
      this.span.push(b);
      return;
    }
    if (isWhitespace(b)) {
      if (this.garbageBytes > 0) this.keepGarbage(b);
      return;
    }
    if (!this.seenContent) {
      const hint = b === 31 ? " (gzip-compressed? decompress before ingesting)" : "";
      throw new FileRejectedError(
        this.file,
        `not Amazon Connect contact records: the first byte is 0x${b.toString(16).padStart(2, "0")}, expected "{"${hint}`
      );
    }
    this.keepGarbage(b);
  }
  keepGarbage(b) {
    this.garbageBytes++;
    if (this.garbage.length < RAW_LIMIT * 4) this.garbage.push(b);
  }
  flushGarbage() {
    if (this.garbageBytes === 0) return;
    const raw = rawOf(this.garbage.take());
    this.garbageBytes = 0;
    this.reject(raw.trimEnd(), "not a JSON object: bytes between records");
  }
  inside(b) {
    if (!this.overflowed) {
      this.span.push(b);
      if (this.span.length > this.maxRecordBytes) {
        this.overflowed = true;
        const held = this.span.take();
        const cut2 = resyncPoint(held);
        if (cut2 > 0) {
          this.resetToOutside();
          this.reject(rawOf(held.subarray(0, cut2)), `record larger than ${this.maxRecordBytes} bytes`);
          this.scan(held.subarray(cut2));
          return;
        }
        this.overflowRaw = rawOf(held);
      }
    }
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (b === BACKSLASH) this.escaped = true;
      else if (b === QUOTE) this.inString = false;
      return;
    }
    if (b === QUOTE) this.inString = true;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++;
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      this.depth--;
      if (this.depth === 0) this.completeSpan();
    }
  }
  resetToOutside() {
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }
  completeSpan() {
    if (this.overflowed) {
      this.overflowed = false;
      this.reject(this.overflowRaw, `record larger than ${this.maxRecordBytes} bytes`);
      this.overflowRaw = "";
      return;
    }
    const bytes = this.span.take();
    let text3;
    try {
      text3 = utf8.decode(bytes);
    } catch {
      this.failSpan(bytes, "not valid UTF-8", false);
      return;
    }
    let value;
    try {
      value = JSON.parse(text3);
    } catch (error) {
      this.failSpan(bytes, `invalid JSON: ${error.message}`, false);
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      this.failSpan(bytes, "not a JSON object", false);
      return;
    }
    this.out.push({ ok: true, line: ++this.record, record: value, raw: text3 });
  }
  /** Rejects a span that did not parse; when it holds a likely record start, reads from there again. */
  failSpan(bytes, reason2, atEnd) {
    this.resetToOutside();
    const cut2 = resyncPoint(bytes);
    if (cut2 > 0) {
      this.reject(rawOf(bytes.subarray(0, cut2)), reason2);
      this.scan(bytes.subarray(cut2));
      if (atEnd && this.depth > 0) this.failSpan(this.span.take(), reason2, true);
      return;
    }
    this.reject(rawOf(bytes), reason2);
  }
  reject(raw, reason2) {
    const rejection2 = { field: "(row)", reason: reason2 };
    this.out.push({ ok: false, line: ++this.record, raw, rejection: rejection2 });
  }
};
function resyncPoint(bytes) {
  let previous = bytes[0] ?? 0;
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === OPEN_BRACE && previous !== COLON && previous !== COMMA && previous !== OPEN_BRACKET) return i;
    if (!isWhitespace(b)) previous = b;
  }
  return 0;
}
async function* readConnectCtrs(chunks, file, options = {}) {
  const splitter = new CtrSplitter(file, options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}
var CHANNELS2 = { VOICE: "phone", CHAT: "chat", TASK: "board", EMAIL: "email" };
var OUTBOUND_METHODS = /* @__PURE__ */ new Set(["OUTBOUND", "EXTERNAL_OUTBOUND", "CALLBACK"]);
var LEG_METHODS = /* @__PURE__ */ new Set(["MONITOR", "TRANSFER", "DISCONNECT"]);
var CUSTOMER_ENDPOINT_TYPES = /* @__PURE__ */ new Set(["TELEPHONE_NUMBER", "EMAIL_ADDRESS"]);
var ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
var FieldError = class extends Error {
  constructor(field, reason2) {
    super(reason2);
    this.field = field;
    this.name = "FieldError";
  }
  field;
};
var isObject2 = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
function section(record, name) {
  const value = record[name];
  if (value === void 0 || value === null) return null;
  if (!isObject2(value)) throw new FieldError(name, "not an object");
  return value;
}
function optionalString(obj, key, path6) {
  const value = obj?.[key];
  if (value === void 0 || value === null) return null;
  if (typeof value !== "string") throw new FieldError(path6, "not a string");
  return value === "" ? null : value;
}
function optionalTimestamp(obj, key, path6) {
  const value = obj?.[key];
  if (value === void 0 || value === null || value === "") return null;
  if (typeof value !== "string" || !ISO_8601.test(value)) throw new FieldError(path6, "not an ISO 8601 timestamp");
  const date2 = new Date(value);
  if (Number.isNaN(date2.getTime())) throw new FieldError(path6, "not an ISO 8601 timestamp");
  return date2;
}
function optionalDuration(obj, key, path6) {
  const value = obj?.[key];
  if (value === void 0 || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new FieldError(path6, "not a non-negative number of seconds");
  }
  return value;
}
var secondsBetween = (from, to) => (to.getTime() - from.getTime()) / 1e3;
function interval(from, to, path6) {
  if (from === null || to === null) return null;
  const seconds = secondsBetween(from, to);
  if (seconds < 0) throw new FieldError(path6, "ends before it starts");
  return seconds;
}
function mapConnectCtr(record, source) {
  try {
    return { ok: true, value: toDraft(record, source) };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, rejection: { field: error.field, reason: error.message } };
    throw error;
  }
}
function toDraft(record, source) {
  const contactId = optionalString(record, "ContactId", "ContactId");
  if (contactId === null) throw new FieldError("ContactId", "missing");
  const channelRaw = optionalString(record, "Channel", "Channel");
  if (channelRaw === null) throw new FieldError("Channel", "missing");
  const channel2 = CHANNELS2[channelRaw];
  if (channel2 === void 0) throw new FieldError("Channel", `unknown channel "${channelRaw}"`);
  const method = optionalString(record, "InitiationMethod", "InitiationMethod");
  const direction = method !== null && OUTBOUND_METHODS.has(method) ? "outbound" : "inbound";
  const arrivedAt = optionalTimestamp(record, "InitiationTimestamp", "InitiationTimestamp");
  if (arrivedAt === null) throw new FieldError("InitiationTimestamp", "missing");
  const systemAt = optionalTimestamp(record, "ConnectedToSystemTimestamp", "ConnectedToSystemTimestamp");
  const endedAt = optionalTimestamp(record, "DisconnectTimestamp", "DisconnectTimestamp");
  const queue = section(record, "Queue");
  const queueName = optionalString(queue, "Name", "Queue.Name");
  const enqueuedAt = optionalTimestamp(queue, "EnqueueTimestamp", "Queue.EnqueueTimestamp");
  const dequeuedAt = optionalTimestamp(queue, "DequeueTimestamp", "Queue.DequeueTimestamp");
  const queueDuration = optionalDuration(queue, "Duration", "Queue.Duration");
  const agent = section(record, "Agent");
  const agentId = optionalString(agent, "Username", "Agent.Username");
  const answeredAt = optionalTimestamp(agent, "ConnectedToAgentTimestamp", "Agent.ConnectedToAgentTimestamp");
  const talk = optionalDuration(agent, "AgentInteractionDuration", "Agent.AgentInteractionDuration");
  const hold = optionalDuration(agent, "CustomerHoldDuration", "Agent.CustomerHoldDuration");
  const acw = optionalDuration(agent, "AfterContactWorkDuration", "Agent.AfterContactWorkDuration");
  const endpoint = section(record, "CustomerEndpoint");
  const endpointType = optionalString(endpoint, "Type", "CustomerEndpoint.Type");
  const address = optionalString(endpoint, "Address", "CustomerEndpoint.Address");
  const attributes = section(record, "Attributes");
  const customerRaw = endpointType !== null && CUSTOMER_ENDPOINT_TYPES.has(endpointType) ? address : (source.customer_attribute === void 0 ? null : optionalString(attributes, source.customer_attribute, `Attributes.${source.customer_attribute}`)) ?? optionalString(record, "CustomerId", "CustomerId");
  const category = optionalString(attributes, source.category_attribute, `Attributes.${source.category_attribute}`);
  const subcategory = optionalString(
    attributes,
    source.subcategory_attribute,
    `Attributes.${source.subcategory_attribute}`
  );
  const transferredAt = optionalTimestamp(record, "TransferCompletedTimestamp", "TransferCompletedTimestamp");
  const transferredTo = section(record, "TransferredToEndpoint");
  const nextContactId = optionalString(record, "NextContactId", "NextContactId");
  const disconnectReason = optionalString(record, "DisconnectReason", "DisconnectReason");
  const updatedAt = optionalTimestamp(record, "LastUpdateTimestamp", "LastUpdateTimestamp");
  const chat3 = channel2 === "chat" ? chatResponse(record) : null;
  const queued = enqueuedAt !== null;
  const connected = answeredAt !== null;
  const start = systemAt ?? arrivedAt;
  let outcome2;
  if (method !== null && LEG_METHODS.has(method)) outcome2 = "excluded";
  else if (channel2 === "chat" && disconnectReason === "CUSTOMER_CONNECTION_NOT_ESTABLISHED") outcome2 = "excluded";
  else if (connected) outcome2 = "answered";
  else if (queued) {
    const movedOn = nextContactId !== null || disconnectReason === "CONTACT_FLOW_DISCONNECT";
    outcome2 = movedOn && direction === "inbound" && channel2 === "phone" ? "callback_requested" : "abandoned";
  } else outcome2 = direction === "inbound" ? "self_service" : "excluded";
  let wait = null;
  if (queued && chat3 !== null && (chat3.firstResponseAt !== null || chat3.firstResponseMs !== null)) {
    wait = interval(enqueuedAt, chat3.firstResponseAt, "ChatMetrics.ChatContactMetrics.AgentFirstResponseTimestamp") ?? (chat3.firstResponseMs === null ? null : (queueDuration ?? interval(enqueuedAt, answeredAt, "Agent.ConnectedToAgentTimestamp") ?? Number.NaN) + chat3.firstResponseMs / 1e3);
    if (Number.isNaN(wait)) wait = null;
  }
  if (queued && wait === null) {
    wait = queueDuration ?? interval(enqueuedAt, answeredAt, "Agent.ConnectedToAgentTimestamp") ?? interval(enqueuedAt, dequeuedAt, "Queue.DequeueTimestamp") ?? (connected ? null : interval(enqueuedAt, endedAt, "DisconnectTimestamp"));
  }
  let ivr = null;
  if (direction === "inbound") {
    if (queued) ivr = interval(start, enqueuedAt, "Queue.EnqueueTimestamp");
    else if (outcome2 === "self_service") ivr = interval(start, endedAt, "DisconnectTimestamp");
  }
  return {
    contact_id: contactId,
    channel: channel2,
    direction,
    queue: queueName,
    category,
    subcategory,
    customer_raw: customerRaw,
    agent_id: agentId,
    arrived_at: arrivedAt,
    answered_at: answeredAt,
    ended_at: endedAt,
    ivr_seconds: ivr,
    wait_seconds: wait,
    talk_seconds: talk,
    hold_seconds: hold,
    acw_seconds: acw,
    handle_seconds: null,
    outcome: outcome2,
    is_transferred: transferredAt !== null || transferredTo !== null || connected && nextContactId !== null && source.next_contact_is_transfer !== false && (method === null || !LEG_METHODS.has(method)),
    is_resolved: null,
    updated_at: updatedAt
  };
}
function chatResponse(record) {
  const metrics = section(record, "ChatMetrics");
  const name = metrics?.["ChatContactMetrics"] !== void 0 ? "ChatContactMetrics" : "ContactMetrics";
  const contact = metrics === null ? null : section(metrics, name);
  const path6 = `ChatMetrics.${name}`;
  const millis = contact?.["AgentFirstResponseTimeInMillis"];
  if (millis !== void 0 && millis !== null && (typeof millis !== "number" || !Number.isFinite(millis) || millis < 0)) {
    throw new FieldError(`${path6}.AgentFirstResponseTimeInMillis`, "not a non-negative number of milliseconds");
  }
  return {
    firstResponseAt: optionalTimestamp(contact, "AgentFirstResponseTimestamp", `${path6}.AgentFirstResponseTimestamp`),
    firstResponseMs: typeof millis === "number" ? millis : null
  };
}

// functions/core/ingest/formats/cspulse-csv.ts
var CONTACT_HEADERS = {
  contact_id: ["contact_id", "\uC0C1\uB2F4ID", "\uCF5CID", "\uBB38\uC758ID"],
  channel: ["channel", "\uCC44\uB110"],
  direction: ["direction", "\uBC29\uD5A5"],
  queue: ["queue", "\uD050", "\uB300\uAE30\uC5F4"],
  category: ["category", "\uC0C1\uB2F4\uC720\uD615"],
  subcategory: ["subcategory", "\uC0C1\uC138\uC720\uD615"],
  customer: ["customer", "\uACE0\uAC1D\uC2DD\uBCC4\uC790", "\uC804\uD654\uBC88\uD638", "\uBC1C\uC2E0\uBC88\uD638"],
  agent_id: ["agent_id", "\uC0C1\uB2F4\uC6D0ID"],
  arrived_at: ["arrived_at", "\uC778\uC785\uC77C\uC2DC"],
  answered_at: ["answered_at", "\uC751\uB2F5\uC77C\uC2DC"],
  ended_at: ["ended_at", "\uC885\uB8CC\uC77C\uC2DC"],
  ivr_seconds: ["ivr_seconds", "IVR\uC2DC\uAC04"],
  wait_seconds: ["wait_seconds", "\uB300\uAE30\uC2DC\uAC04"],
  talk_seconds: ["talk_seconds", "\uD1B5\uD654\uC2DC\uAC04"],
  hold_seconds: ["hold_seconds", "\uBCF4\uB958\uC2DC\uAC04"],
  acw_seconds: ["acw_seconds", "\uD6C4\uCC98\uB9AC\uC2DC\uAC04"],
  handle_seconds: ["handle_seconds", "\uCC98\uB9AC\uC2DC\uAC04"],
  outcome: ["outcome", "\uCC98\uB9AC\uACB0\uACFC"],
  is_transferred: ["is_transferred", "\uD638\uC804\uD658"],
  is_resolved: ["is_resolved", "\uD574\uACB0\uC5EC\uBD80"],
  updated_at: ["updated_at", "\uC218\uC815\uC77C\uC2DC"]
};
var SURVEY_HEADERS = {
  survey_id: ["survey_id", "\uC124\uBB38ID"],
  contact_id: ["contact_id", "\uC0C1\uB2F4ID"],
  channel: ["channel", "\uCC44\uB110"],
  agent_id: ["agent_id", "\uC0C1\uB2F4\uC6D0ID"],
  survey_type: ["survey_type", "\uC124\uBB38\uC720\uD615"],
  score: ["score", "\uC810\uC218"],
  scale_min: ["scale_min", "\uCD5C\uC800\uC810"],
  scale_max: ["scale_max", "\uCD5C\uACE0\uC810"],
  comment: ["comment", "\uC758\uACAC"],
  responded_at: ["responded_at", "\uC751\uB2F5\uC77C\uC2DC"]
};
var REQUIRED_CONTACT = ["contact_id", "arrived_at", "outcome"];
var REQUIRED_SURVEY = ["survey_id", "survey_type", "score", "responded_at"];
var CHANNEL_VALUES = {
  phone: "phone",
  chat: "chat",
  board: "board",
  email: "email",
  \uC804\uD654: "phone",
  \uCC44\uD305: "chat",
  \uAC8C\uC2DC\uD310: "board",
  \uC774\uBA54\uC77C: "email"
};
var DIRECTION_VALUES = { inbound: "inbound", outbound: "outbound", \uC778\uBC14\uC6B4\uB4DC: "inbound", \uC544\uC6C3\uBC14\uC6B4\uB4DC: "outbound" };
var OUTCOME_VALUES = {
  answered: "answered",
  abandoned: "abandoned",
  callback_requested: "callback_requested",
  self_service: "self_service",
  excluded: "excluded",
  \uC751\uB300: "answered",
  \uD3EC\uAE30: "abandoned",
  \uCF5C\uBC31: "callback_requested",
  \uC140\uD504\uC11C\uBE44\uC2A4: "self_service",
  ARS\uC885\uB8CC: "self_service",
  \uC81C\uC678: "excluded"
};
var BOOLEAN_VALUES = { Y: true, N: false, true: true, false: false, "1": true, "0": false, \uC608: true, \uC544\uB2C8\uC624: false };
var SURVEY_TYPE_VALUES = { csat: "csat", nps: "nps", ces: "ces", CSAT: "csat", NPS: "nps", CES: "ces" };
var findColumn = (header, names) => names.find((name) => header.includes(name));
function fieldsFromHeader(header, aliases, required, file) {
  const found = {};
  for (const [field, names] of Object.entries(aliases)) {
    const column = findColumn(header, names);
    if (column !== void 0) found[field] = column;
  }
  const missing = required.filter((f) => found[f] === void 0);
  if (missing.length > 0) {
    throw new FileRejectedError(
      file,
      `not a cspulse CSV: missing ${missing.map((f) => `${f} (${aliases[f].join(" / ")})`).join(", ")}; the header has ${header.length} columns: ${maskedHeader(header.slice(0, 30))}`
    );
  }
  return found;
}
var optional = (column) => ({ column, null_values: [""] });
function cspulseContactMapping(source, header, file) {
  const columns = fieldsFromHeader(header, CONTACT_HEADERS, REQUIRED_CONTACT, file);
  const fields = {};
  for (const [field, column] of Object.entries(columns)) {
    switch (field) {
      case "contact_id":
        fields[field] = { column };
        break;
      case "arrived_at":
        fields[field] = { column, format: "iso" };
        break;
      case "answered_at":
      case "ended_at":
      case "updated_at":
        fields[field] = { column, format: "iso", null_values: [""] };
        break;
      case "channel":
        fields[field] = { column, map: CHANNEL_VALUES };
        break;
      case "direction":
        fields[field] = { column, map: DIRECTION_VALUES, null_values: [""], default: "inbound" };
        break;
      case "outcome":
        fields[field] = { column, map: OUTCOME_VALUES };
        break;
      case "is_transferred":
        fields[field] = { column, map: BOOLEAN_VALUES, null_values: [""], default: false };
        break;
      case "is_resolved":
        fields[field] = { column, map: BOOLEAN_VALUES, null_values: [""], default: null };
        break;
      default:
        fields[field] = optional(column);
    }
  }
  if (fields.channel === void 0) {
    if (source.channel === void 0) {
      throw new FileRejectedError(file, "the file has no channel column and the source sets no channel");
    }
  }
  return {
    id: source.id,
    format: "mapped-csv",
    table: "contacts",
    delimiter: source.delimiter,
    encoding: source.encoding,
    invalid_bytes: source.invalid_bytes,
    header: true,
    timezone: source.timezone,
    channel: source.channel,
    fields,
    outcome_rules: []
  };
}
function cspulseSurveyMapping(source, header, file) {
  const columns = fieldsFromHeader(header, SURVEY_HEADERS, REQUIRED_SURVEY, file);
  const fields = {};
  for (const [field, column] of Object.entries(columns)) {
    switch (field) {
      case "survey_id":
      case "score":
        fields[field] = { column };
        break;
      case "responded_at":
        fields[field] = { column, format: "iso" };
        break;
      case "survey_type":
        fields[field] = { column, map: SURVEY_TYPE_VALUES };
        break;
      case "channel":
        fields[field] = { column, map: CHANNEL_VALUES, null_values: [""], default: null };
        break;
      default:
        fields[field] = optional(column);
    }
  }
  return {
    id: source.id,
    format: "mapped-survey-csv",
    table: "surveys",
    delimiter: source.delimiter,
    encoding: source.encoding,
    invalid_bytes: source.invalid_bytes,
    header: true,
    timezone: source.timezone,
    fields,
    scales: { csat: { min: 1, max: 5 }, nps: { min: 0, max: 10 }, ces: { min: 1, max: 7 } }
  };
}

// functions/core/ingest/records/csv-framing.ts
var QUOTE2 = 34;
var LF = 10;
var CR = 13;
var SPACE = 32;
var TAB = 9;
var WIDE_SPACES = [160, 5760, ...Array.from({ length: 11 }, (_, i) => 8192 + i), 8232, 8233, 8239, 8287, 12288, 65279].map(
  (c) => Buffer.from(String.fromCodePoint(c), "utf8")
);
function edgeSpaces(buf, delimiter) {
  const out = [];
  const d0 = delimiter[0];
  const dLast = delimiter[delimiter.length - 1];
  const isEdge = (b) => b === void 0 || b === LF || b === CR || b === d0 || b === dLast;
  for (const ascii of [SPACE, TAB, 11, 12]) {
    if (ascii === d0) continue;
    for (let i = buf.indexOf(ascii); i !== -1; i = buf.indexOf(ascii, i + 1)) {
      if (ascii === 11 || ascii === 12 || isEdge(buf[i - 1]) || isEdge(buf[i + 1])) out.push(i);
    }
  }
  for (const wide of WIDE_SPACES) for (let i = buf.indexOf(wide); i !== -1; i = buf.indexOf(wide, i + 1)) out.push(i);
  return out.sort((a, b) => a - b);
}
var SPACES = /^[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+|[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+$/gu;
async function frameCsv(chunks, out, options) {
  const delimiter = Buffer.from(options.delimiter, "utf8");
  const d0 = delimiter[0];
  const dn = delimiter.length;
  const isDelimiterAt = (buf2, i) => {
    if (buf2[i] !== d0) return false;
    for (let k = 1; k < dn; k++) if (buf2[i + k] !== delimiter[k]) return false;
    return true;
  };
  let header = null;
  let headerDone = false;
  let width = -1;
  let mapped = /* @__PURE__ */ new Set();
  let line = 1;
  let blankLines = 0;
  let rejected = 0;
  let replacedUnmapped = 0;
  let crOnly;
  let skipping = false;
  let buf = Buffer.alloc(0);
  let replaced = [];
  const columnName = (index) => header?.[index] !== void 0 && header[index] !== "" ? `${index + 1} (${header[index]})` : String(index + 1);
  const countLines = (from, to) => {
    let n = 0;
    for (let i = buf.indexOf(LF, from); i !== -1 && i < to; i = buf.indexOf(LF, i + 1)) n++;
    return n;
  };
  const parse2 = (start, final) => {
    const fields = [];
    const starts = [];
    let i = start;
    let lines = 1;
    const n = buf.length;
    while (true) {
      starts.push(i);
      if (buf[i] === QUOTE2) {
        let j = i + 1;
        const parts = [];
        while (true) {
          const q = buf.indexOf(QUOTE2, j);
          if (q === -1) {
            if (!final) return { kind: "incomplete" };
            return { kind: "broken", reason: `the quoted field in column ${columnName(fields.length)} is never closed`, column: fields.length };
          }
          lines += countLines(j, q);
          if (q + 1 >= n && !final) return { kind: "incomplete" };
          if (buf[q + 1] === QUOTE2) {
            parts.push(buf.subarray(j, q + 1));
            j = q + 2;
            continue;
          }
          parts.push(buf.subarray(j, q));
          fields.push(Buffer.concat(parts).toString("utf8"));
          const next = q + 1;
          if (next >= n) return { kind: "record", fields, starts, end: n, lines };
          if (isDelimiterAt(buf, next)) {
            i = next + dn;
            break;
          }
          if (buf[next] === LF) return { kind: "record", fields, starts, end: next + 1, lines };
          if (buf[next] === CR && (next + 1 >= n || buf[next + 1] === LF)) {
            if (next + 1 >= n && !final) return { kind: "incomplete" };
            return { kind: "record", fields, starts, end: Math.min(n, next + 2), lines };
          }
          return { kind: "broken", reason: `column ${columnName(fields.length - 1)} has text after the closing quote of a quoted field`, column: fields.length - 1 };
        }
        continue;
      }
      let lf = buf.indexOf(LF, i);
      if (lf === -1) {
        if (!final) return { kind: "incomplete" };
        lf = n;
      }
      let end = i;
      while (end < lf && !isDelimiterAt(buf, end)) end++;
      if (end < lf) {
        fields.push(buf.toString("utf8", i, end));
        i = end + dn;
        continue;
      }
      const contentEnd = lf > i && buf[lf - 1] === CR ? lf - 1 : lf;
      fields.push(buf.toString("utf8", i, contentEnd));
      return { kind: "record", fields, starts, end: Math.min(n, lf + 1), lines };
    }
  };
  const lineEndAt = (start) => {
    const lf = buf.indexOf(LF, start);
    return lf === -1 ? buf.length : lf;
  };
  const textOf = (start, lf) => buf.toString("utf8", start, lf > start && buf[lf - 1] === CR ? lf - 1 : lf);
  const rejectLine = (start, reason2) => {
    const lf = lineEndAt(start);
    options.onReject({ line, field: "(row)", reason: reason2, raw: textOf(start, lf) });
    rejected++;
    line++;
    return Math.min(buf.length, lf + 1);
  };
  const keepUndecidedCr = (end) => crOnly === void 0 && end === buf.length && buf[end - 1] === CR ? end - 1 : end;
  const rejectUnfinished = (start, reason2) => {
    const end = rejectLine(start, reason2);
    skipping = true;
    return keepUndecidedCr(end);
  };
  const checkReplacements = (from, to, starts) => {
    for (const offset of replaced) {
      if (offset < from || offset >= to) continue;
      let column = 0;
      if (starts) while (column + 1 < starts.length && starts[column + 1] <= offset) column++;
      if (options.invalidBytes === "reject" || mapped.has(column) || !starts) {
        throw new FileRejectedError(
          options.file,
          `line ${line}, column ${columnName(column)}: bytes that are not valid ${options.encoding.toUpperCase()}` + (options.invalidBytes === "reject" ? "; check the source's encoding (or set invalid_bytes: replace if they are in a column the mapping does not read)" : " in a column the mapping reads")
        );
      }
      replacedUnmapped++;
    }
  };
  const takeHeader = (parsed) => {
    headerDone = true;
    width = parsed.fields.length;
    if (options.header) {
      header = parsed.fields.map((name) => name.replace(SPACES, ""));
      mapped = options.onHeader(header, width);
    } else {
      mapped = options.onHeader(null, width);
    }
  };
  const frame = (final) => {
    let pos = 0;
    if (skipping) {
      const lf = buf.indexOf(LF);
      if (lf === -1) return final ? buf.length : keepUndecidedCr(buf.length);
      skipping = false;
      pos = lf + 1;
    }
    let quoteAt = -2;
    let nextReplaced = 0;
    const spaces = edgeSpaces(buf, delimiter);
    let nextSpace = 0;
    const n = buf.length;
    while (pos < n) {
      const b = buf[pos];
      if (b === LF) {
        blankLines++;
        line++;
        pos++;
        continue;
      }
      if (b === CR) {
        if (pos + 1 >= n && !final) break;
        if (pos + 1 >= n || buf[pos + 1] === LF) {
          blankLines++;
          line++;
          pos += pos + 1 >= n ? 1 : 2;
          continue;
        }
      }
      let lf = buf.indexOf(LF, pos);
      if (lf === -1) {
        if (!final) {
          if (n - pos > options.maxRecordBytes) pos = rejectUnfinished(pos, `the record is longer than ${options.maxRecordBytes.toLocaleString("en")} bytes`);
          break;
        }
        lf = n;
      }
      const contentEnd = lf > pos && buf[lf - 1] === CR ? lf - 1 : lf;
      if (quoteAt !== -1 && quoteAt < pos) quoteAt = buf.indexOf(QUOTE2, pos);
      while (nextReplaced < replaced.length && replaced[nextReplaced] < pos) nextReplaced++;
      const plain = (quoteAt === -1 || quoteAt >= lf) && (nextReplaced >= replaced.length || replaced[nextReplaced] >= lf);
      if (plain && headerDone) {
        if (contentEnd - pos > options.maxRecordBytes) {
          pos = rejectLine(pos, `the record is longer than ${options.maxRecordBytes.toLocaleString("en")} bytes`);
          continue;
        }
        while (nextSpace < spaces.length && spaces[nextSpace] < pos) nextSpace++;
        out.writePlain(line, nextSpace < spaces.length && spaces[nextSpace] < lf, buf, pos, contentEnd);
        line++;
        pos = lf + 1;
        continue;
      }
      const parsed = parse2(pos, final);
      if (parsed.kind === "incomplete") {
        if (n - pos > options.maxRecordBytes) {
          const reason2 = `a quoted field runs past ${options.maxRecordBytes.toLocaleString("en")} bytes without closing`;
          quoteAt = -2;
          if (buf.indexOf(LF, pos) !== -1) {
            pos = rejectLine(pos, reason2);
            continue;
          }
          pos = rejectUnfinished(pos, reason2);
        }
        break;
      }
      if (!headerDone) {
        if (parsed.kind === "broken") throw new FileRejectedError(options.file, `line ${line}: the first row cannot be read: ${parsed.reason}`);
        checkReplacements(pos, parsed.end, void 0);
        takeHeader(parsed);
        if (options.header) {
          line += parsed.lines;
          pos = parsed.end;
          continue;
        }
      }
      if (parsed.kind === "broken") {
        pos = rejectLine(pos, `${parsed.reason}; the line is read on its own and reading goes on with the next line`);
        quoteAt = -2;
        continue;
      }
      if (parsed.fields.length !== width) {
        if (parsed.lines > 1) {
          pos = rejectLine(
            pos,
            `a quoted field opened on this line runs across lines and the record would have ${parsed.fields.length} fields, not ${width}: the quote is taken for a stray one, the line is read on its own and reading goes on with the next line`
          );
          quoteAt = -2;
          continue;
        }
        options.onReject({ line, field: "(row)", reason: `expected ${width} fields, found ${parsed.fields.length}`, raw: textOf(pos, lineEndAt(pos)) });
        rejected++;
        line++;
        pos = parsed.end;
        continue;
      }
      checkReplacements(pos, parsed.end, parsed.starts);
      if (parsed.end - pos > options.maxRecordBytes) {
        pos = rejectLine(pos, `the record is longer than ${options.maxRecordBytes.toLocaleString("en")} bytes`);
        quoteAt = -2;
        continue;
      }
      out.writeFields(line, parsed.fields);
      line += parsed.lines;
      pos = parsed.end;
    }
    return pos;
  };
  const toLf = (bytes, from) => {
    for (let i = bytes.indexOf(CR, from); i !== -1; i = bytes.indexOf(CR, i + 1)) bytes[i] = LF;
  };
  const append = (chunk) => {
    let bytes = chunk.bytes;
    if (crOnly === true) {
      bytes = Buffer.from(bytes);
      toLf(bytes, 0);
    }
    const base2 = buf.length;
    buf = buf.length === 0 ? bytes : Buffer.concat([buf, bytes]);
    for (const offset of chunk.replaced) replaced.push(base2 + offset);
    if (crOnly === void 0) {
      const cr = buf.indexOf(CR);
      const lf = buf.indexOf(LF);
      if (lf !== -1 && (cr === -1 || lf < cr || buf[cr + 1] === LF)) crOnly = false;
      else if (cr !== -1 && cr + 1 < buf.length) {
        crOnly = true;
        buf = Buffer.from(buf);
        toLf(buf, 0);
      }
    }
  };
  const keepFrom = (pos) => {
    buf = pos >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
    replaced = replaced.filter((o) => o >= pos).map((o) => o - pos);
  };
  const split = (chunk, at) => [
    { bytes: chunk.bytes.subarray(0, at), replaced: chunk.replaced.filter((o) => o < at) },
    { bytes: chunk.bytes.subarray(at), replaced: chunk.replaced.filter((o) => o >= at).map((o) => o - at) }
  ];
  for await (const chunk of chunks) {
    const firstLf = buf.length > 0 && crOnly === false && !skipping ? chunk.bytes.indexOf(LF) : -1;
    if (firstLf !== -1 && firstLf + 1 < chunk.bytes.length) {
      const [head, rest] = split(chunk, firstLf + 1);
      append(head);
      keepFrom(frame(false));
      append(rest);
    } else append(chunk);
    keepFrom(frame(false));
  }
  while (buf.length > 0) {
    const pos = frame(true);
    if (pos === 0 && buf.length > 0) throw new Error(`framing made no progress at line ${line} of ${options.file}`);
    keepFrom(pos);
  }
  if (!headerDone) {
    throw new FileRejectedError(options.file, options.header ? "the file is empty: no header row" : "the file is empty");
  }
  return { header, width, records: out.count, rejected, lines: line - 1, blankLines, replacedUnmapped };
}

// functions/core/ingest/records/record-file.ts
import { closeSync, openSync, writeSync } from "node:fs";
var QUOTE3 = 34;
var LF2 = 10;
var CR2 = 13;
var BUFFER_BYTES = 4 << 20;
var RecordFileWriter = class {
  constructor(path6, delimiter) {
    this.path = path6;
    this.delimiter = delimiter;
    this.fd = openSync(path6, "w", 384);
  }
  path;
  delimiter;
  fd;
  buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  used = 0;
  closed = false;
  /** records written */
  count = 0;
  /** records written with the trim flag set */
  trimmed = 0;
  reserve(bytes) {
    if (this.used + bytes <= BUFFER_BYTES) return;
    this.flush();
    if (bytes > BUFFER_BYTES) throw new RangeError(`a record of ${bytes} bytes exceeds the record file buffer`);
  }
  flush() {
    let offset = 0;
    while (offset < this.used) offset += writeSync(this.fd, this.buffer, offset, this.used - offset);
    this.used = 0;
  }
  putLine(line, trim) {
    const text3 = String(line);
    for (let i = 0; i < text3.length; i++) this.buffer[this.used++] = text3.charCodeAt(i);
    this.delimiter.copy(this.buffer, this.used);
    this.used += this.delimiter.length;
    this.buffer[this.used++] = trim ? 49 : 48;
    if (trim) this.trimmed++;
    this.delimiter.copy(this.buffer, this.used);
    this.used += this.delimiter.length;
  }
  /** A record whose bytes need no quoting changes (no quote, CR or LF in them): written as is. */
  writePlain(line, trim, bytes, start, end) {
    this.reserve(end - start + 32);
    this.putLine(line, trim);
    this.buffer.set(bytes.subarray(start, end), this.used);
    this.used += end - start;
    this.buffer[this.used++] = LF2;
    this.count++;
  }
  /** A record given as fields: each quoted when it holds a quote, the delimiter, CR or LF. */
  writeFields(line, fields) {
    const encoded = fields.map((field) => Buffer.from(field, "utf8"));
    let size = 32;
    for (const e of encoded) size += e.length * 2 + 2 + this.delimiter.length;
    this.reserve(size);
    this.putLine(line, fields.some(hasEdgeSpace));
    encoded.forEach((bytes, index) => {
      if (index > 0) {
        this.delimiter.copy(this.buffer, this.used);
        this.used += this.delimiter.length;
      }
      if (!needsQuotes(bytes, this.delimiter)) {
        this.buffer.set(bytes, this.used);
        this.used += bytes.length;
        return;
      }
      this.buffer[this.used++] = QUOTE3;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] === QUOTE3) this.buffer[this.used++] = QUOTE3;
        this.buffer[this.used++] = bytes[i];
      }
      this.buffer[this.used++] = QUOTE3;
    });
    this.buffer[this.used++] = LF2;
    this.count++;
  }
  /** Writes what is buffered and closes the file. */
  close() {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
  /** Closes without handing on what is left: the file is being given up. */
  abort() {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
};
var EDGE_SPACE = /^\s|\s$/u;
var hasEdgeSpace = (field) => EDGE_SPACE.test(field);
function needsQuotes(bytes, delimiter) {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE3 || b === CR2 || b === LF2) return true;
    if (b === delimiter[0] && delimiter.every((d, k) => bytes[i + k] === d)) return true;
  }
  return false;
}

// functions/core/ingest/records/json-records.ts
import JSONParser from "@streamparser/json/jsonparser.js";
var isObject3 = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
function valueAt(record, path6) {
  if (path6 === "") return record;
  if (isObject3(record) && Object.hasOwn(record, path6)) return record[path6];
  const index = /^\[(\d+)\]\.?/.exec(path6);
  if (index !== null) return Array.isArray(record) ? valueAt(record[Number(index[1])], path6.slice(index[0].length)) : void 0;
  const key = /^[^.[]+/.exec(path6)?.[0];
  if (key === void 0 || !isObject3(record) || !Object.hasOwn(record, key)) return void 0;
  const rest = path6.slice(key.length);
  return valueAt(record[key], rest.startsWith(".") ? rest.slice(1) : rest);
}
function jsonText(value) {
  if (value === null || value === void 0) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
async function peek(body) {
  const iterator = body[Symbol.asyncIterator]();
  const held = [];
  let first;
  while (first === void 0) {
    const next = await iterator.next();
    if (next.done) break;
    held.push(next.value);
    first = next.value.find((b, i) => !(b === 32 || b === 9 || b === 10 || b === 13 || i < 3 && (b === 239 || b === 187 || b === 191)));
  }
  async function* rest() {
    yield* held;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, rest: rest() };
}
async function readJsonRecords(input) {
  const { source, file } = input;
  const named = [...columnsNamed(mappingParts(source))];
  const position = named.find((c) => typeof c === "number");
  if (position !== void 0) {
    throw new MappingConfigError(source.id, "(columns)", `JSON records are read by field path, not by position (${position})`);
  }
  const header = named;
  const mapping = compileContactSql(source, { header, width: header.length, clientZone: input.clientZone, file, delimiter: ",", ...input.compile });
  const writer = new RecordFileWriter(input.path, Buffer.from(","));
  let records = 0;
  let rejected = 0;
  let count2 = 0;
  const take = (line, record, raw) => {
    if (!isObject3(record)) {
      input.onReject({ line, field: "(row)", reason: "not a JSON object", raw: raw().slice(0, 2e3) });
      rejected++;
      return;
    }
    writer.writeFields(line, header.map((path6) => jsonText(valueAt(record, path6))));
    records++;
  };
  try {
    const { first, rest } = await peek(gunzipIfNeeded(input.body, file, input.limits.maxBytes));
    if (first === void 0) return { path: input.path, width: header.length, delimiter: ",", mapping, header, records: 0, rejected: 0, lines: 0, blankLines: 0 };
    if (source.records !== void 0 || first === 91) {
      const path6 = source.records === void 0 ? "$.*" : `$.${source.records}.*`;
      if (source.records !== void 0 && first !== 123) throw new FileRejectedError(file, `records: ${source.records} needs a JSON object, and the file does not start with "{"`);
      const parser = new JSONParser({ paths: [path6], keepStack: false });
      let error;
      parser.onValue = ({ value }) => take(++count2, value, () => JSON.stringify(value));
      parser.onError = (e) => error ??= e;
      for await (const chunk of rest) {
        parser.write(chunk);
        if (error) break;
      }
      if (!error && !parser.isEnded) parser.end();
      if (error) throw new FileRejectedError(file, `not valid JSON after record ${count2}: ${error.message.replace(/"[^"]*"/g, '"\u2026"').slice(0, 200)}`);
    } else if (first === 123) {
      for await (const item of readConnectCtrs(rest, file, { maxRecordBytes: input.limits.maxRecordBytes })) {
        count2 = item.line;
        if (item.ok) take(item.line, item.record, () => item.raw);
        else {
          input.onReject({ line: item.line, field: item.rejection.field, reason: item.rejection.reason, raw: item.raw });
          rejected++;
        }
      }
    } else {
      throw new FileRejectedError(file, `not JSON records: the first byte is 0x${first.toString(16).padStart(2, "0")}, expected "[" or "{"`);
    }
  } finally {
    writer.close();
  }
  return { path: input.path, width: header.length, delimiter: ",", mapping, header, records, rejected, lines: count2, blankLines: 0 };
}

// functions/core/ingest/records/xlsx-records.ts
import { closeSync as closeSync2, createReadStream, openSync as openSync2, rmSync, writeSync as writeSync2 } from "node:fs";
import { createInterface } from "node:readline";
import { Readable as Readable2 } from "node:stream";
import ExcelJS from "exceljs";
var OLE_SIGNATURE = [208, 207, 17, 224];
function cellText(value) {
  if (value === null || value === void 0) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") {
    const v = value;
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? "").join("");
    if ("formula" in v || "sharedFormula" in v) return cellText(v.result);
    if (v.error !== void 0) return String(v.error);
    if (v.text !== void 0) return cellText(v.text);
  }
  return String(value);
}
async function checkedBody(body, file) {
  const iterator = body[Symbol.asyncIterator]();
  const held = [];
  let size = 0;
  while (size < 4) {
    const next = await iterator.next();
    if (next.done) break;
    held.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(held).subarray(0, 4);
  if (head.length === 4 && OLE_SIGNATURE.every((b, i) => head[i] === b)) {
    throw new FileRejectedError(
      file,
      "not an XLSX workbook: an encrypted workbook (an export downloaded with a file password) or an old .xls file; open it and save it as .xlsx without a password"
    );
  }
  if (head[0] !== 80 || head[1] !== 75) throw new FileRejectedError(file, 'not an XLSX workbook (an XLSX file is a zip archive, starting "PK")');
  return (async function* () {
    yield* held;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })();
}
async function readXlsxRecords(input) {
  const { source, file } = input;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable2.from(await checkedBody(input.body, file)), {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    entries: "ignore"
  });
  if (!source.header && source.lookups.length > 0) throw new MappingConfigError(source.id, "lookups", "a lookup needs the sheets' header rows (header: true)");
  const named = [...columnsNamed(mappingParts(source))];
  const positional = named.filter((c) => typeof c === "number");
  const lookups = source.lookups.map((l) => ({
    ...l,
    columns: named.filter((c) => typeof c === "string" && c.startsWith(`${l.sheet}.`)).map((c) => c.slice(l.sheet.length + 1)),
    rows: void 0
  }));
  let writer;
  let mapping;
  let header = null;
  let width = 0;
  let records = 0;
  let rejected = 0;
  let lastRow = 0;
  const seen = [];
  let found = false;
  const spoolPath = `${input.path}.spool`;
  let spool;
  let byIndex = [];
  const looked = (fields) => lookups.flatMap((l, i) => {
    const values = l.rows.get(fields[byIndex[i]].trim());
    return l.columns.map((_, c) => values?.[c] ?? "");
  });
  const write = (line, fields) => {
    writer.writeFields(line, lookups.length === 0 ? fields : [...fields, ...looked(fields)]);
    records++;
  };
  try {
    for await (const sheet of reader) {
      const meta = reader;
      if (meta.properties?.model?.date1904) {
        throw new FileRejectedError(file, "the workbook uses the 1904 date system; save it with the 1900 date system (Excel: Options, Advanced)");
      }
      const name = sheet.name ?? "";
      seen.push(name);
      const lookup = lookups.find((l) => l.sheet === name && l.rows === void 0);
      if (lookup !== void 0) {
        lookup.rows = await readLookup(sheet, lookup, file);
        continue;
      }
      const wanted = source.sheet ?? meta.model?.sheets?.[0]?.name ?? name;
      if (found || name !== wanted) continue;
      found = true;
      writer = new RecordFileWriter(input.path, Buffer.from(","));
      for await (const row2 of sheet) {
        const values = row2.values ?? [];
        lastRow = row2.number;
        const cells = values.slice(1).map(cellText);
        if (mapping === void 0) {
          if (source.header) {
            header = cells.map((c) => c.trim());
            width = header.length;
            byIndex = lookups.map((l) => header.indexOf(l.by));
            const missing = lookups.filter((_, i) => byIndex[i] < 0).map((l) => l.by);
            if (missing.length > 0) throw new FileRejectedError(file, `source ${source.id}: missing column ${missing.join(", ")} (the lookup key) in sheet ${JSON.stringify(name)}`);
            const full = [...header, ...lookups.flatMap((l) => l.columns.map((c) => `${l.sheet}.${c}`))];
            mapping = compileContactSql(source, { header: full, width: full.length, clientZone: input.clientZone, file, delimiter: ",", ...input.compile });
            continue;
          }
          width = Math.max(0, ...positional.map((c) => c + 1));
          mapping = compileContactSql(source, { header: null, width, clientZone: input.clientZone, file, delimiter: ",", ...input.compile });
        }
        const fields = Array.from({ length: width }, (_, i) => cells[i] ?? "");
        if (fields.every((f) => f.trim() === "")) continue;
        const bytes = fields.reduce((n, f) => n + Buffer.byteLength(f), 0);
        if (bytes > input.limits.maxRecordBytes) {
          input.onReject({ line: row2.number, field: "(row)", reason: `row larger than ${input.limits.maxRecordBytes} bytes`, raw: fields.join(",").slice(0, 2e3) });
          rejected++;
          continue;
        }
        if (lookups.every((l) => l.rows !== void 0)) write(row2.number, fields);
        else {
          spool ??= openSync2(spoolPath, "w", 384);
          writeSync2(spool, `${JSON.stringify([row2.number, fields])}
`);
        }
      }
    }
    const unread = lookups.filter((l) => l.rows === void 0);
    if (unread.length > 0 && found) {
      throw new FileRejectedError(file, `no sheet ${unread.map((l) => JSON.stringify(l.sheet)).join(", ")} to look up; the workbook has ${seen.map((x) => JSON.stringify(x)).join(", ")}`);
    }
    if (spool !== void 0) {
      closeSync2(spool);
      spool = void 0;
      for await (const line of createInterface({ input: createReadStream(spoolPath, "utf8"), crlfDelay: Infinity })) {
        const [number, fields] = JSON.parse(line);
        write(number, fields);
      }
    }
  } catch (error) {
    if (error instanceof FileRejectedError || error instanceof MappingConfigError) throw error;
    throw new FileRejectedError(file, `not a readable XLSX workbook: ${error.message}`, { cause: error });
  } finally {
    writer?.close();
    if (spool !== void 0) closeSync2(spool);
    rmSync(spoolPath, { force: true });
  }
  if (!found) {
    throw new FileRejectedError(file, `no sheet ${JSON.stringify(source.sheet ?? "(the first)")}; the workbook has ${seen.map((s) => JSON.stringify(s)).join(", ") || "no sheets"}`);
  }
  if (mapping === void 0) throw new FileRejectedError(file, `sheet ${JSON.stringify(seen.find((s) => s === (source.sheet ?? s)))} is empty: no header row`);
  return { path: input.path, width: header === null ? width : width + lookups.reduce((n, l) => n + l.columns.length, 0), delimiter: ",", mapping, header: header === null ? null : [...header, ...lookups.flatMap((l) => l.columns.map((c) => `${l.sheet}.${c}`))], records, rejected, lines: lastRow, blankLines: 0 };
}
async function readLookup(sheet, lookup, file) {
  const rows = /* @__PURE__ */ new Map();
  let keyIndex = -1;
  let indexes;
  for await (const row2 of sheet) {
    const cells = (row2.values ?? []).slice(1).map(cellText);
    if (indexes === void 0) {
      const names = cells.map((c) => c.trim());
      keyIndex = names.indexOf(lookup.key);
      indexes = lookup.columns.map((c) => names.indexOf(c));
      const missing = [...keyIndex < 0 ? [lookup.key] : [], ...lookup.columns.filter((_, i) => indexes[i] < 0)];
      if (missing.length > 0) throw new FileRejectedError(file, `sheet ${JSON.stringify(lookup.sheet)} has no column ${missing.join(", ")}`);
      continue;
    }
    const key = (cells[keyIndex] ?? "").trim();
    if (key !== "" && !rows.has(key)) rows.set(key, indexes.map((i) => cells[i] ?? ""));
  }
  return rows;
}

// functions/core/ingest/records/read-records.ts
var DRAFT_COLUMNS = [
  "contact_id",
  "channel",
  "direction",
  "queue",
  "category",
  "subcategory",
  "customer",
  "agent_id",
  "arrived_at",
  "answered_at",
  "ended_at",
  "ivr_seconds",
  "wait_seconds",
  "talk_seconds",
  "hold_seconds",
  "acw_seconds",
  "handle_seconds",
  "outcome",
  "is_transferred",
  "is_resolved",
  "updated_at"
];
var text = (v) => {
  if (v === null || v === void 0) return "";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(6).replace(/0+$/, "");
  return String(v);
};
function draftFields(d) {
  const values = {
    contact_id: d.contact_id,
    channel: d.channel,
    direction: d.direction,
    queue: d.queue,
    category: d.category,
    subcategory: d.subcategory,
    customer: d.customer_raw,
    agent_id: d.agent_id,
    arrived_at: d.arrived_at,
    answered_at: d.answered_at,
    ended_at: d.ended_at,
    ivr_seconds: d.ivr_seconds,
    wait_seconds: d.wait_seconds,
    talk_seconds: d.talk_seconds,
    hold_seconds: d.hold_seconds,
    acw_seconds: d.acw_seconds,
    handle_seconds: d.handle_seconds,
    outcome: d.outcome,
    is_transferred: d.is_transferred,
    is_resolved: d.is_resolved,
    updated_at: d.updated_at
  };
  return DRAFT_COLUMNS.map((c) => text(values[c]));
}
async function readRecords(input) {
  const { source, table: table2, file } = input;
  if (source.format === "amazon-connect-ctr") {
    if (table2 !== "contacts") throw new FileRejectedError(file, `source "${source.id}" is not a survey source`);
    const header = [...DRAFT_COLUMNS];
    const mapping2 = compileContactSql(
      cspulseContactMapping({ ...source, format: "cspulse-csv", delimiter: ",", encoding: "utf-8", invalid_bytes: "reject", header: true, timezone: "UTC", table: "contacts" }, header, file),
      { header, width: header.length, clientZone: input.clientZone, file, delimiter: ",", ...input.compile }
    );
    const writer2 = new RecordFileWriter(input.path, Buffer.from(","));
    let rejected = 0;
    let records = 0;
    try {
      for await (const item of readConnectCtrs(gunzipIfNeeded(input.body, file, input.limits.maxBytes), file)) {
        records++;
        const mapped = item.ok ? mapConnectCtr(item.record, source) : { ok: false, rejection: item.rejection };
        if (mapped.ok) writer2.writeFields(item.line, draftFields(mapped.value));
        else {
          input.onReject({ line: item.line, field: mapped.rejection.field, reason: mapped.rejection.reason, raw: item.raw });
          rejected++;
        }
      }
    } catch (error) {
      writer2.abort();
      throw error;
    }
    writer2.close();
    return { path: input.path, width: header.length, delimiter: ",", mapping: mapping2, header, records: writer2.count, rejected, trimmed: writer2.trimmed, lines: records, blankLines: 0 };
  }
  if (source.format === "mapped-xlsx" || source.format === "mapped-json") {
    if (table2 !== "contacts") throw new FileRejectedError(file, `source "${source.id}" is not a survey source`);
    return source.format === "mapped-xlsx" ? readXlsxRecords({ ...input, source }) : readJsonRecords({ ...input, source });
  }
  if (source.format === "mapped-csv" && table2 !== "contacts") throw new FileRejectedError(file, `source "${source.id}" is not a survey source`);
  if (source.format === "mapped-survey-csv" && table2 !== "surveys") {
    throw new FileRejectedError(file, `source "${source.id}" is a survey source, not a contacts source`);
  }
  const usesHeader = source.format === "cspulse-csv" || source.header;
  let mapping;
  let fileHeader = null;
  const compile2 = (header, width) => {
    const at = { header, width, clientZone: input.clientZone, file, ...input.compile };
    switch (source.format) {
      case "cspulse-csv":
        return table2 === "contacts" ? compileContactSql(cspulseContactMapping(source, header ?? [], file), at) : compileSurveySql(cspulseSurveyMapping(source, header ?? [], file), at);
      case "mapped-csv":
        return compileContactSql(source, at);
      case "mapped-survey-csv":
        return compileSurveySql(source, at);
    }
  };
  const writer = new RecordFileWriter(input.path, Buffer.from(source.delimiter, "utf8"));
  try {
    const framed = await frameCsv(decodeToUtf8(input.body, source.encoding, file, input.limits), writer, {
      file,
      delimiter: source.delimiter,
      header: usesHeader,
      encoding: source.encoding,
      invalidBytes: source.invalid_bytes,
      maxRecordBytes: input.limits.maxRecordBytes,
      onHeader: (header, width) => {
        fileHeader = header;
        mapping = compile2(header, width);
        return mapping.columns;
      },
      onReject: input.onReject
    });
    writer.close();
    return {
      path: input.path,
      width: framed.width,
      delimiter: source.delimiter,
      mapping,
      header: fileHeader,
      records: framed.records,
      rejected: framed.rejected,
      trimmed: writer.trimmed,
      lines: framed.lines,
      blankLines: framed.blankLines
    };
  } catch (error) {
    writer.abort();
    throw error;
  }
}

// functions/core/ingest/ingest-file.ts
var DEFAULT_LIMITS = {
  maxBytes: 4 * 1024 ** 3,
  maxRecordBytes: 1024 ** 2,
  maxMs: 12 * 6e4,
  engineMemoryMb: 192
};
var UnknownSourceError = class extends Error {
  constructor(clientId, sourceId, known) {
    super(`client "${clientId}" has no source "${sourceId}" (sources: ${known.join(", ")})`);
    this.clientId = clientId;
    this.sourceId = sourceId;
    this.name = "UnknownSourceError";
  }
  clientId;
  sourceId;
};
function fileIdFor(sourceId, file) {
  const name = basename(file).replace(/\.(gz|gzip)$/i, "").replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 60);
  const hash = createHash2("sha256").update(`${sourceId}\0${file}`).digest("hex").slice(0, 10);
  return `${name}-${hash}`;
}
var QUARANTINE_RAW_LIMIT = 4e3;
var QUARANTINE_REASONS_KEPT = 3;
var REASON_LIMIT = 600;
var DAY_MS = 864e5;
var FUTURE_TOLERANCE_MS = DAY_MS;
var STAGING_PREFIX = "ingest-";
var STALE_STAGING_MS = 60 * 6e4;
var shiftDate = (dt, days) => new Date(Date.parse(`${dt}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
var capped = (text3, limit) => text3.length > limit ? `${text3.slice(0, limit)}\u2026` : text3;
var withoutValues = (message) => message.replace(/'[^']*'/g, "'\u2026'").replace(/"[^"]*"/g, '"\u2026"');
async function sweepStaleStaging(workDir) {
  let entries;
  try {
    entries = await readdir3(workDir);
  } catch {
    return;
  }
  for (const name of entries) {
    const match = /^ingest-(\d+)-/.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    let running = true;
    if (pid !== process.pid) {
      try {
        process.kill(pid, 0);
      } catch (error) {
        running = error.code === "EPERM";
      }
    }
    const path6 = join3(workDir, name);
    const age = Date.now() - (await stat(path6).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (!running || age > STALE_STAGING_MS) await rm(path6, { recursive: true, force: true });
  }
}
async function readJson(store, key) {
  if (await store.head(key) === void 0) return void 0;
  try {
    return JSON.parse(new TextDecoder().decode(await store.get(key)));
  } catch {
    return void 0;
  }
}
async function download(store, key, path6) {
  const out = createWriteStream(path6);
  try {
    for await (const chunk of await store.getStream(key)) {
      if (!out.write(chunk)) await new Promise((resolve5) => out.once("drain", () => resolve5()));
    }
  } finally {
    await new Promise((resolve5, reject) => out.end((error) => error ? reject(error) : resolve5()));
  }
}
var QuarantineFile = class {
  constructor(path6, file) {
    this.path = path6;
    this.file = file;
  }
  path;
  file;
  out;
  count = 0;
  add(rejection2) {
    this.out ??= createWriteStream(this.path, { flags: "a", mode: 384 });
    const raw = capped(rejection2.raw, QUARANTINE_RAW_LIMIT);
    this.out.write(`${JSON.stringify({ file: this.file, line: rejection2.line, field: rejection2.field, reason: rejection2.reason, raw })}
`);
    this.count++;
  }
  async close() {
    const out = this.out;
    this.out = void 0;
    if (out) await new Promise((resolve5, reject) => out.end((error) => error ? reject(error) : resolve5()));
  }
};
async function ingestFile(deps, request) {
  const { config, sourceId, file } = request;
  const source = config.sources.find((s) => s.id === sourceId);
  if (!source) throw new UnknownSourceError(config.id, sourceId, config.sources.map((s) => s.id));
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const table2 = source.table;
  const fileId = fileIdFor(sourceId, file);
  const startedAt = deps.clock.now();
  const deliveredAt = request.deliveredAt ?? startedAt;
  await mkdir(deps.workDir, { recursive: true });
  await sweepStaleStaging(deps.workDir);
  const staging = join3(deps.workDir, `${STAGING_PREFIX}${process.pid}-${randomUUID()}`);
  await mkdir(join3(staging, "spill"), { recursive: true });
  const base2 = { client_id: config.id, source: sourceId, table: table2, file, file_id: fileId, started_at: startedAt.toISOString() };
  const releaseFile = await deps.locks?.acquire([`${config.id}/${sourceId}/${fileId}`]);
  let workspace;
  try {
    const sha = createHash2("sha256");
    let bytesRead = 0;
    async function* hashed() {
      for await (const chunk of request.body) {
        sha.update(chunk);
        bytesRead += chunk.length;
        yield chunk;
      }
    }
    const quarantine = new QuarantineFile(join3(staging, "quarantine-records.jsonl"), file);
    let records;
    try {
      records = await readRecords({
        source,
        table: table2,
        file,
        body: hashed(),
        clientZone: config.timezone,
        path: join3(staging, "records.csv"),
        limits: { maxBytes: limits.maxBytes, maxRecordBytes: limits.maxRecordBytes, deadline: Date.now() + limits.maxMs },
        compile: {
          latestMs: startedAt.getTime() + FUTURE_TOLERANCE_MS,
          customerScope: table2 === "contacts" ? customerKeyScope(config, source) : void 0
        },
        onReject: (r) => quarantine.add(r)
      });
      if (bytesRead === 0) throw new FileRejectedError(file, "the file is empty (0 bytes)");
    } finally {
      await quarantine.close();
    }
    workspace = await deps.openWorkspace({ spillDir: join3(staging, "spill"), memoryLimitMb: limits.engineMemoryMb });
    const staged = await stageRecords(workspace, records, join3(staging, "staged.parquet"), file, limits.maxRecordBytes);
    const run = new AssemblyRun(deps, workspace, config, source, table2, file, fileId, staging, startedAt, deliveredAt, limits);
    return await run.assemble(records, staged, quarantine, { ...base2, file_sha256: sha.digest("hex") });
  } catch (error) {
    if (!(error instanceof FileRejectedError)) throw error;
    return rejectFile(deps, config, source, base2, error, deliveredAt);
  } finally {
    await workspace?.close();
    await releaseFile?.();
    await rm(staging, { recursive: true, force: true });
  }
}
async function stageRecords(ws, records, staged, file, maxRecordBytes) {
  for (const parallel of [true, false]) {
    const source = readRecordsSql({ path: records.path, width: records.width, delimiter: records.delimiter, maxRecordBytes, parallel });
    const trimFlag = records.trimmed === 0 ? " REPLACE (FALSE AS __trim)" : "";
    await ws.run(`CREATE OR REPLACE VIEW records AS SELECT *${trimFlag} FROM ${source}`);
    try {
      await ws.run(`COPY (${records.mapping.select}) TO ${sqlString2(staged)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 16384)`);
    } catch (error) {
      if (!(error instanceof WorkspaceError)) throw error;
      throw new FileRejectedError(file, `the file could not be read: ${capped(withoutValues(error.message), REASON_LIMIT)}`, { cause: error });
    }
    const [counts] = await ws.query(
      `SELECT (SELECT count(*) FROM read_parquet(${sqlString2(staged)})) AS rows, (SELECT count(DISTINCT line) FROM reject_errors) AS rejected`
    );
    const accounted = Number(counts?.rows ?? 0) + Number(counts?.rejected ?? 0);
    if (accounted === records.records) return staged;
    if (!parallel) {
      throw new FileRejectedError(file, `the file could not be read completely: ${records.records} records, ${accounted} staged or rejected`);
    }
    await ws.run(`DELETE FROM reject_errors`);
    await ws.run(`DELETE FROM reject_scans`);
  }
  return staged;
}
async function rejectFile(deps, config, source, base2, error, deliveredAt) {
  const manifest = {
    ...base2,
    // the hash of a file rejected part-way would describe only a prefix of it
    file_sha256: null,
    finished_at: deps.clock.now().toISOString(),
    status: "rejected",
    error: capped(error.message, REASON_LIMIT),
    rows_read: 0,
    rows_written: 0,
    rows_quarantined: 0,
    duplicates_dropped: 0,
    partitions: [],
    quarantine_key: null
  };
  const mainKey = lakeKeys.manifest(config.id, source.id, base2.file_id);
  const previous = await readJson(deps.lake, mainKey);
  const key = previous?.status === "ok" ? lakeKeys.rejectedManifest(config.id, source.id, base2.file_id) : mainKey;
  await deps.lake.put(key, JSON.stringify(manifest, null, 2), { contentType: "application/json" });
  const declared = completenessOf(source).expect === "daily-file" ? declaredFileDate(source, base2.file) : void 0;
  if (declared !== void 0 && previous?.status !== "ok") {
    const entry = {
      client_id: config.id,
      source: source.id,
      table: base2.table,
      dt: declared,
      file: base2.file,
      file_id: base2.file_id,
      delivered_at: deliveredAt.toISOString(),
      finished_at: manifest.finished_at,
      rows: 0,
      excluded: 0,
      // the date its name declares, but never the day's export: a reader that overlooks `rejected` still
      // does not take the day for received
      declared: false,
      file_rows_read: 0,
      file_rows_quarantined: 0,
      rejected: manifest.error ?? "rejected"
    };
    await putCoverageEntry(deps.lake, entry);
  }
  return manifest;
}
function coveredDates(partitions, rejections, declared) {
  return [.../* @__PURE__ */ new Set([...partitions.map((p) => p.dt), ...rejections.byDate.keys(), ...declared === void 0 ? [] : [declared]])].sort();
}
var AssemblyRun = class {
  constructor(deps, ws, config, source, table2, file, fileId, staging, startedAt, deliveredAt, limits) {
    this.deps = deps;
    this.ws = ws;
    this.config = config;
    this.source = source;
    this.table = table2;
    this.file = file;
    this.fileId = fileId;
    this.staging = staging;
    this.startedAt = startedAt;
    this.deliveredAt = deliveredAt;
    this.limits = limits;
    this.deliveryId = `${startedAt.getTime().toString(36)}-${randomUUID().slice(0, 8)}`;
    this.id = table2 === "contacts" ? "contact_id" : "survey_id";
  }
  deps;
  ws;
  config;
  source;
  table;
  file;
  fileId;
  staging;
  startedAt;
  deliveredAt;
  limits;
  deliveryId;
  id;
  path(name) {
    return join3(this.staging, name);
  }
  async assemble(records, staged, framing, base2) {
    const { ws } = this;
    let stagedRows = `read_parquet(${sqlString2(staged)})`;
    let legsGrouped = 0;
    if (records.mapping.legs !== void 0) {
      const contacts = this.path("contacts.parquet");
      legsGrouped = await groupLegs(ws, records.mapping.legs, stagedRows, contacts);
      stagedRows = `read_parquet(${sqlString2(contacts)})`;
    }
    const quarantinePath = this.path("quarantine.jsonl");
    const rejections = await this.collectRejections(records, stagedRows, framing, quarantinePath);
    const quarantined = framing.count + rejections.sqlRejected;
    const scope = customerKeyScope(this.config, this.source);
    let joinNorms = false;
    if (this.table === "contacts") {
      const rows = await ws.query(
        `SELECT DISTINCT customer_raw AS raw FROM ${stagedRows} WHERE __field IS NULL AND customer_raw IS NOT NULL AND customer_shortcut IS NULL`
      );
      if (rows.length > 0) {
        await ws.run(`CREATE TABLE customer_norms (raw VARCHAR, norm VARCHAR)`);
        await ws.appendText("customer_norms", rows.map((r) => [String(r.raw), normalizeCustomer(String(r.raw), scope)]));
        joinNorms = true;
      }
    }
    const pads = hmacPads(this.deps.customerKeySecret);
    await ws.run(`CREATE TABLE hmac_pads AS SELECT ?::BLOB AS outer_pad, ?::BLOB AS inner_pad`, [pads.outer, pads.inner]);
    const withPads = lakeTableSql(this.table, {
      staged: stagedRows,
      joinNorms,
      source: this.source.id,
      provenance: { sourceFile: basename(this.file), ingestedAt: this.deps.clock.now().getTime(), deliveredAt: this.deliveredAt.getTime() },
      pads: { outer: "(SELECT outer_pad FROM hmac_pads)", inner: "(SELECT inner_pad FROM hmac_pads)" }
    });
    const [totals] = await ws.query(`SELECT count(*) AS n, count(DISTINCT hash(${this.id})) AS hashes FROM ${stagedRows} WHERE __field IS NULL`);
    const valid = Number(totals?.n ?? 0);
    let distinctIds = Number(totals?.hashes ?? 0);
    if (distinctIds < valid) {
      const [exact] = await ws.query(`SELECT count(DISTINCT ${this.id}) AS ids FROM ${stagedRows} WHERE __field IS NULL`);
      distinctIds = Number(exact?.ids ?? 0);
    }
    const inFileDuplicates = valid - distinctIds;
    if (inFileDuplicates > 0) {
      await ws.run(
        `CREATE TABLE fresh AS SELECT * FROM (${withPads}) QUALIFY row_number() OVER (PARTITION BY ${this.id} ORDER BY ${this.table === "contacts" ? "updated_at DESC NULLS LAST, " : ""}__line DESC) = 1`
      );
    } else {
      await ws.run(`CREATE VIEW fresh AS ${withPads}`);
    }
    const freshDates = (await ws.query(`SELECT dt FROM ${stagedRows} WHERE __field IS NULL GROUP BY dt ORDER BY dt`)).map((r) => String(r.dt));
    const clientId = this.config.id;
    const manifestKey = lakeKeys.manifest(clientId, this.source.id, this.fileId);
    const pendingKey = lakeKeys.pendingDelivery(clientId, this.source.id, this.fileId);
    const previous = await readJson(this.deps.lake, manifestKey);
    const replacing = previous?.status === "ok" ? previous : void 0;
    const touched = [.../* @__PURE__ */ new Set([...freshDates, ...replacing?.partitions.map((p) => p.dt) ?? []])].sort();
    const window = [...new Set(touched.flatMap((dt) => [shiftDate(dt, -1), dt, shiftDate(dt, 1)]))].sort();
    const releaseDates = await this.deps.locks?.acquire(window.map((dt) => `${clientId}/${this.table}/${dt}`));
    try {
      await this.cleanAbandoned(pendingKey, previous);
      const others = await this.otherCopies(window, replacing);
      const outcome2 = await this.decideWinners(others, freshDates, window);
      const versionPaths = /* @__PURE__ */ new Map();
      if (freshDates.length > 0) {
        const folder = this.path("versions");
        await ws.run(
          `COPY (${lakeColumnsSql(this.table, "fresh", "TRUE", ["dt"])}) TO ${sqlString2(folder)} (FORMAT parquet, PARTITION_BY (dt), FILENAME_PATTERN 'rows{i}', WRITE_PARTITION_COLUMNS false, ROW_GROUP_SIZE 32768)`
        );
        for (const dt of freshDates) {
          const files = (await readdir3(join3(folder, `dt=${dt}`)).catch(() => [])).filter((f) => f.endsWith(".parquet")).map((f) => join3(folder, `dt=${dt}`, f));
          if (files.length === 0) continue;
          let path6 = files[0];
          if (files.length > 1) {
            path6 = this.path(`version-${dt}.parquet`);
            await ws.run(`COPY (SELECT * FROM read_parquet([${files.map(sqlString2).join(", ")}])) TO ${sqlString2(path6)} (FORMAT parquet)`);
          }
          versionPaths.set(dt, path6);
        }
      }
      const versionKey = (dt) => lakeKeys.versionObject(this.table, clientId, dt, this.source.id, this.fileId, this.deliveryId);
      const pending = { delivery_id: this.deliveryId, started_at: this.startedAt.toISOString(), keys: [...versionPaths.keys()].map(versionKey) };
      await this.deps.lake.put(pendingKey, JSON.stringify(pending), { contentType: "application/json" });
      for (const [dt, path6] of versionPaths) {
        await this.deps.lake.put(versionKey(dt), createReadStream2(path6), { contentType: "application/vnd.apache.parquet" });
      }
      const quarantineKey = lakeKeys.quarantine(clientId, this.source.id, this.fileId);
      if (quarantined > 0) await this.deps.quarantine.put(quarantineKey, createReadStream2(quarantinePath), { contentType: "application/x-ndjson" });
      else if (previous?.quarantine_key) await this.deps.quarantine.delete(previous.quarantine_key);
      const partitions = freshDates.map((dt) => ({
        dt,
        rows: outcome2.byDate.get(dt)?.rows ?? 0,
        excluded: outcome2.byDate.get(dt)?.excluded ?? 0,
        object_key: lakeKeys.sourceObject(this.table, clientId, dt, this.source.id),
        ...versionPaths.has(dt) ? { version_key: versionKey(dt) } : {}
      }));
      const rowsWritten = partitions.reduce((sum, p) => sum + p.rows, 0);
      const manifest = {
        ...base2,
        finished_at: this.deps.clock.now().toISOString(),
        status: "ok",
        error: null,
        rows_read: records.records + records.rejected,
        rows_written: rowsWritten,
        rows_quarantined: quarantined,
        duplicates_dropped: inFileDuplicates + outcome2.lostToNewer,
        ...records.mapping.legs === void 0 ? {} : { legs_grouped: legsGrouped },
        rows_replaced: outcome2.replaced,
        rows_excluded: partitions.reduce((sum, p) => sum + p.excluded, 0),
        lines_read: records.lines,
        blank_lines: records.blankLines,
        delivered_at: this.deliveredAt.toISOString(),
        delivery_id: this.deliveryId,
        partitions,
        coverage_dates: coveredDates(partitions, rejections, declaredFileDate(this.source, this.file)),
        quarantine_key: quarantined > 0 ? quarantineKey : null
      };
      if (manifest.rows_read !== manifest.rows_written + manifest.rows_quarantined + manifest.duplicates_dropped + legsGrouped) {
        throw new Error(`ingest bookkeeping error for ${this.file}: ${JSON.stringify({ ...manifest, partitions: void 0 })}`);
      }
      await this.deps.lake.put(manifestKey, JSON.stringify(manifest, null, 2), { contentType: "application/json" });
      await this.deps.lake.delete(lakeKeys.rejectedManifest(clientId, this.source.id, this.fileId));
      for (const dt of outcome2.rewrite) {
        const key = lakeKeys.sourceObject(this.table, clientId, dt, this.source.id);
        if (others.relation === null && versionPaths.has(dt)) {
          await this.deps.lake.copy(versionKey(dt), key);
          for (const legacy of others.legacyByDate.get(dt) ?? []) await this.deps.lake.delete(legacy);
          continue;
        }
        let path6;
        const winners = others.relation === null ? "fresh" : "winners";
        const [count2] = await ws.query(`SELECT count(*) AS n FROM ${winners} WHERE dt = ${sqlString2(dt)}`);
        if (Number(count2?.n ?? 0) > 0) {
          path6 = this.path(`date-${dt}.parquet`);
          await ws.run(`COPY (${lakeColumnsSql(this.table, winners, `dt = ${sqlString2(dt)}`)}) TO ${sqlString2(path6)} (FORMAT parquet)`);
        }
        if (path6 === void 0) await this.deps.lake.delete(key);
        else await this.deps.lake.put(key, createReadStream2(path6), { contentType: "application/vnd.apache.parquet" });
        for (const legacy of others.legacyByDate.get(dt) ?? []) await this.deps.lake.delete(legacy);
      }
      await this.writeCoverage(manifest, previous, rejections);
      for (const p of replacing?.partitions ?? []) if (p.version_key !== void 0 && p.version_key !== versionKey(p.dt)) await this.deps.lake.delete(p.version_key);
      await this.deps.lake.delete(pendingKey);
      return manifest;
    } finally {
      await releaseDates?.();
    }
  }
  /**
   * Writes every rejected record to one JSON-lines file, ordered by line. Returns how many the SQL stage rejected,
   * how many rejected rows fall on each business date their time still reads as, and the most frequent reasons.
   */
  async collectRejections(records, stagedRows, framing, out) {
    const { ws } = this;
    const file = sqlString2(this.file);
    const d = sqlString2(records.delimiter);
    const parts = framing.count > 0 ? [framing.path] : [];
    const [reader] = await ws.query(`SELECT count(DISTINCT line) AS n FROM reject_errors`);
    const readerRejected = Number(reader?.n ?? 0);
    if (readerRejected > 0) {
      const path6 = this.path("quarantine-reader.jsonl");
      await ws.run(
        `COPY (SELECT ${file} AS file, CAST(split_part(csv_line, ${d}, 1) AS BIGINT) AS line, '(row)' AS field, 'expected ${records.width} fields, found ' || CAST(CAST(regexp_extract(error_message, 'Found: ([0-9]+)', 1) AS INTEGER) - 2 AS VARCHAR) AS reason, left(substr(csv_line, length(split_part(csv_line, ${d}, 1)) + 2 * length(${d}) + 2), ${QUARANTINE_RAW_LIMIT}) AS raw FROM (SELECT line, any_value(csv_line) AS csv_line, any_value(error_message) AS error_message FROM reject_errors GROUP BY line)) TO ${sqlString2(path6)} (FORMAT json)`
      );
      parts.push(path6);
    }
    const [mapping] = await ws.query(`SELECT count(*) AS n FROM ${stagedRows} WHERE __field IS NOT NULL`);
    const mappingRejected = Number(mapping?.n ?? 0);
    if (mappingRejected > 0) {
      const path6 = this.path("quarantine-mapping.jsonl");
      await ws.run(
        `COPY (SELECT ${file} AS file, __line AS line, __field AS field, __reason AS reason, left(__raw, ${QUARANTINE_RAW_LIMIT}) AS raw FROM ${stagedRows} WHERE __field IS NOT NULL) TO ${sqlString2(path6)} (FORMAT json)`
      );
      parts.push(path6);
    }
    const byDate = /* @__PURE__ */ new Map();
    if (mappingRejected > 0) {
      const time = this.table === "contacts" ? "arrived_ms" : "responded_ms";
      const dated = await ws.query(
        `SELECT ${localDate(this.config.timezone, time)} AS dt, count(*) AS n FROM ${stagedRows} WHERE __field IS NOT NULL AND ${time} IS NOT NULL GROUP BY 1`
      );
      for (const row2 of dated) byDate.set(String(row2.dt), Number(row2.n));
    }
    const reasons = [];
    if (parts.length > 0) {
      await ws.run(
        `COPY (SELECT file, line, field, reason, raw FROM read_json([${parts.map(sqlString2).join(", ")}], format = 'newline_delimited', columns = {file: 'VARCHAR', line: 'BIGINT', field: 'VARCHAR', reason: 'VARCHAR', raw: 'VARCHAR'}) ORDER BY line) TO ${sqlString2(out)} (FORMAT json)`
      );
      reasons.push(...await quarantineReasons(ws, out));
    }
    return { sqlRejected: readerRejected + mappingRejected, byDate, reasons };
  }
  /** A delivery of this file that started and died before its manifest: its objects go. */
  async cleanAbandoned(pendingKey, previous) {
    const pending = await readJson(this.deps.lake, pendingKey);
    if (!pending || pending.delivery_id === previous?.delivery_id) return;
    for (const key of pending.keys) await this.deps.lake.delete(key);
    await this.deps.lake.delete(pendingKey);
  }
  /**
   * The copies of this source's contacts the new rows compete with, on the window's dates: the dates' current
   * objects when the file is new; when it replaces an earlier delivery of the same file, every other
   * delivery's own rows (version objects a manifest lists), so that contacts the new delivery no longer holds
   * fall back to their next-newest copy.
   */
  async otherCopies(window, replacing) {
    const { lake } = this.deps;
    const clientId = this.config.id;
    const files = [];
    const legacyByDate = /* @__PURE__ */ new Map();
    const fetch = async (key, dt) => {
      const path6 = this.path(`other-${files.length}.parquet`);
      await download(lake, key, path6);
      files.push({ path: path6, dt });
    };
    const committed = /* @__PURE__ */ new Map();
    for (const dt of window) {
      const prefix = lakeKeys.partitionPrefix(this.table, clientId, dt);
      const current = lakeKeys.sourceObject(this.table, clientId, dt, this.source.id);
      const legacy = [];
      let hasCurrent = false;
      for await (const object of lake.list(prefix)) {
        if (object.key === current) hasCurrent = true;
        else if (object.key.startsWith(`${prefix}${this.source.id}--`) && object.key.endsWith(".parquet")) legacy.push(object.key);
      }
      if (legacy.length > 0) legacyByDate.set(dt, legacy);
      for (const key of legacy) if (!replacing || !key.includes(`--${this.fileId}.parquet`)) await fetch(key, dt);
      if (!replacing) {
        if (hasCurrent) await fetch(current, dt);
        continue;
      }
      let versions = 0;
      for await (const object of lake.list(lakeKeys.versionsPrefix(this.table, clientId, dt, this.source.id))) {
        const match = /--([^/]+)--([^/-]+-[^/-]+)\.parquet$/.exec(object.key);
        if (!match) continue;
        versions++;
        const fileId = match[1];
        if (fileId === this.fileId) continue;
        if (!committed.has(fileId)) {
          const manifest = await readJson(lake, lakeKeys.manifest(clientId, this.source.id, fileId));
          committed.set(fileId, manifest?.status === "ok" ? manifest.delivery_id : void 0);
        }
        if (committed.get(fileId) === match[2]) await fetch(object.key, dt);
      }
      if (hasCurrent && versions === 0 && !replacing.partitions.some((p) => p.dt === dt)) await fetch(current, dt);
    }
    return { relation: files.length === 0 ? null : otherCopiesSql(files), legacyByDate, rebuild: replacing !== void 0 };
  }
  /**
   * The newest copy of every contact among the new rows and the other copies (table `winners`), what the new
   * rows did (written per date, replaced an older copy, lost to a newer one) and the dates to rewrite.
   */
  async decideWinners(others, freshDates, window) {
    const { ws } = this;
    const id = this.id;
    const winners = others.relation === null ? "fresh" : "winners";
    if (others.relation !== null) await ws.run(`CREATE TABLE winners AS ${winnersSql(this.table, "fresh", others.relation, id)}`);
    const excluded = this.table === "contacts" ? `count(*) FILTER (WHERE outcome = 'excluded')` : "0";
    const byDate = /* @__PURE__ */ new Map();
    for (const r2 of await ws.query(`SELECT dt, count(*) AS n, ${excluded} AS x FROM ${winners} WHERE __fresh GROUP BY dt`)) {
      byDate.set(String(r2.dt), { rows: Number(r2.n), excluded: Number(r2.x) });
    }
    const [fresh] = await ws.query(`SELECT count(*) AS n FROM fresh`);
    const written = [...byDate.values()].reduce((sum, c) => sum + c.rows, 0);
    if (others.relation === null) {
      return { byDate, replaced: 0, lostToNewer: Number(fresh?.n ?? 0) - written, rewrite: others.rebuild ? window : freshDates };
    }
    const [r] = await ws.query(`SELECT count(DISTINCT o.${id}) AS n FROM (${others.relation}) o JOIN winners w ON o.${id} = w.${id} WHERE w.__fresh`);
    const rewrite = others.rebuild ? window : (await ws.query(
      `SELECT DISTINCT dt FROM (SELECT dt FROM winners WHERE __fresh UNION ALL SELECT o.dt FROM (${others.relation}) o JOIN winners w ON o.${id} = w.${id} WHERE w.__fresh) ORDER BY dt`
    )).map((row2) => String(row2.dt));
    return { byDate, replaced: Number(r?.n ?? 0), lostToNewer: Number(fresh?.n ?? 0) - written, rewrite };
  }
  async writeCoverage(manifest, previous, rejections) {
    const delivery = { source: this.source, file: this.file, fileId: this.fileId, deliveredAt: this.deliveredAt };
    await writeCoverageEntries(this.deps.lake, delivery, manifest, previous, rejections);
  }
};
async function writeCoverageEntries(lake, delivery, manifest, previous, rejections) {
  const { source, file, fileId } = delivery;
  const clientId = manifest.client_id;
  const declared = declaredFileDate(source, file);
  const written = new Map(manifest.partitions.map((p) => [p.dt, p]));
  const dated = [...rejections.byDate.values()].reduce((sum, n) => sum + n, 0);
  const undated = manifest.rows_quarantined - dated;
  const dates = new Set(manifest.coverage_dates ?? []);
  for (const dt of dates) {
    const p = written.get(dt) ?? { rows: 0, excluded: 0 };
    const entry = {
      client_id: clientId,
      source: source.id,
      table: manifest.table,
      dt,
      file,
      file_id: fileId,
      delivered_at: delivery.deliveredAt.toISOString(),
      finished_at: manifest.finished_at,
      rows: p.rows,
      quarantined: (rejections.byDate.get(dt) ?? 0) + (dt === declared ? undated : 0),
      excluded: p.excluded,
      declared: dt === declared,
      file_rows_read: manifest.rows_read,
      file_rows_quarantined: manifest.rows_quarantined,
      ...rejections.reasons.length === 0 ? {} : { quarantine_reasons: rejections.reasons }
    };
    await putCoverageEntry(lake, entry);
  }
  for (const dt of /* @__PURE__ */ new Set([...previous?.partitions.map((p) => p.dt) ?? [], ...previous?.coverage_dates ?? []])) {
    if (!dates.has(dt)) await lake.delete(coverageKeys.entry(clientId, dt, source.id, fileId));
  }
}
async function quarantineReasons(ws, quarantineFile) {
  const top = await ws.query(
    `SELECT field, count(*) AS n, min(reason) AS reason FROM read_json(${sqlString2(quarantineFile)}, format = 'newline_delimited', columns = {field: 'VARCHAR', reason: 'VARCHAR'}) GROUP BY field ORDER BY n DESC, field LIMIT ${QUARANTINE_REASONS_KEPT}`
  );
  return top.map((row2) => ({ field: String(row2.field), reason: capped(withoutValues(String(row2.reason)), REASON_LIMIT), rows: Number(row2.n) }));
}

// functions/core/ingest/formats/check-sample.ts
var USER_ID_HINT_MIN = 10;
var MAX_RECORD_BYTES = 1 << 20;
var fullSelect = (mapping) => mapping.legs === void 0 ? mapping.select : groupLegsSql(`(${mapping.select})`, mapping.legs);
async function prepareMappings(config, openWorkspace, workDir) {
  await mkdir2(workDir, { recursive: true });
  const dir = await mkdtemp(join4(workDir, "config-check-"));
  const problems = [];
  try {
    const ws = await openWorkspace({ spillDir: dir, memoryLimitMb: 128 });
    try {
      for (const source of config.sources) {
        if (!isMapped(source)) continue;
        let compiled;
        try {
          compiled = compileWithoutData(config, source);
        } catch {
          continue;
        }
        const path6 = join4(dir, `${source.id}.csv`);
        await writeFile(path6, "");
        const view = `records_${problems.length}_${source.id.replace(/\W/g, "_")}`;
        try {
          await ws.run(`CREATE OR REPLACE VIEW records AS SELECT * FROM ${readRecordsSql({ path: path6, width: compiled.width, delimiter: ",", maxRecordBytes: MAX_RECORD_BYTES })}`);
          await ws.query(`SELECT * FROM (${fullSelect(compiled.mapping)}) ${view} LIMIT 0`);
        } catch (error) {
          if (!(error instanceof WorkspaceError)) throw error;
          problems.push(`sources.${source.id}: the SQL engine cannot run this mapping: ${error.message.replace(/^DuckDB: /, "")}`);
        }
      }
    } finally {
      await ws.close();
    }
  } finally {
    await rm2(dir, { recursive: true, force: true });
  }
  return problems;
}
var shown2 = (v) => JSON.stringify(v).replace(/\u00a0/g, "\\u00a0");
async function checkSample(input) {
  const { config, source, file } = input;
  await mkdir2(input.workDir, { recursive: true });
  const dir = await mkdtemp(join4(input.workDir, "config-sample-"));
  const rejectedBy = /* @__PURE__ */ new Map();
  const bump = (field, n = 1) => rejectedBy.set(field, (rejectedBy.get(field) ?? 0) + n);
  try {
    const records = await readRecords({
      source,
      table: source.table,
      file,
      body: input.body,
      clientZone: config.timezone,
      path: join4(dir, "records.csv"),
      limits: { maxBytes: 4 * 1024 ** 3, maxRecordBytes: MAX_RECORD_BYTES, deadline: Date.now() + 12 * 6e4 },
      onReject: (r) => bump(r.field),
      // the same checks as ingest: no time past tomorrow, customers keyed as the lake keys them
      compile: { latestMs: Date.now() + FUTURE_TOLERANCE_MS, customerScope: source.table === "contacts" ? customerKeyScope(config, source) : void 0 }
    });
    const ws = await input.openWorkspace({ spillDir: dir, memoryLimitMb: 256 });
    try {
      await ws.run(
        `CREATE VIEW records AS SELECT * FROM ${readRecordsSql({ path: records.path, width: records.width, delimiter: records.delimiter, maxRecordBytes: MAX_RECORD_BYTES, parallel: false })}`
      );
      await ws.run(`CREATE TABLE staged AS ${records.mapping.select}`);
      const [reader] = await ws.query(`SELECT count(DISTINCT line) AS n FROM reject_errors`);
      if (Number(reader?.n ?? 0) > 0) bump("(row)", Number(reader.n));
      for (const r of await ws.query(`SELECT __field AS field, count(*) AS n FROM staged WHERE __field IS NOT NULL GROUP BY __field`)) bump(String(r.field), Number(r.n));
      const read = records.records + records.rejected;
      const warnings = [];
      if (isMapped(source)) await valueWarnings(ws, source, records.header, read, warnings);
      let contacts;
      let rows = "staged";
      if (records.mapping.legs !== void 0) {
        await ws.run(`CREATE TABLE contacts AS ${groupLegsSql("staged", records.mapping.legs)}`);
        const [grouped] = await ws.query(`SELECT count(*) AS n FROM contacts WHERE __field IS NULL`);
        contacts = Number(grouped?.n ?? 0);
        rows = "contacts";
      }
      let customers = null;
      if (source.table === "contacts") {
        const values = (await ws.query(`SELECT customer_raw AS v FROM ${rows} WHERE __field IS NULL AND customer_raw IS NOT NULL`)).map((r) => String(r.v));
        customers = customerSampleReport(values, customerKeyScope(config, source));
        const keyed = customers.values - customers.hidden;
        if (source.customer_kind !== "user_id" && keyed >= USER_ID_HINT_MIN && customers.phone_fallback * 2 >= keyed) {
          warnings.push(
            `sources.${source.id}.customer_kind: ${customers.phone_fallback} of ${keyed} customer values are digits that are not phone numbers of region ${customers.phone_region ?? "(none)"}; if the column holds user ids, set customer_kind: user_id so none is keyed as a phone number`
          );
        }
      }
      return {
        source: source.id,
        file,
        records: read,
        rejected: [...rejectedBy].map(([field, count2]) => ({ field, count: count2 })).sort((a, b) => b.count - a.count || (a.field < b.field ? -1 : 1)),
        ...contacts === void 0 ? {} : { contacts },
        warnings,
        customers
      };
    } finally {
      await ws.close();
    }
  } finally {
    await rm2(dir, { recursive: true, force: true });
  }
}
async function valueWarnings(ws, source, header, records, warnings) {
  const indexOf = (ref) => {
    if (typeof ref === "number") return ref;
    return (header ?? []).findIndex((h, i) => (i === 0 ? h.replace(/^\uFEFF/, "") : h).trim() === ref.trim());
  };
  const label = (ref) => typeof ref === "number" ? `#${ref}` : ref;
  const counts = /* @__PURE__ */ new Map();
  const countsOf = async (index) => {
    let c = counts.get(index);
    if (c === void 0) {
      c = /* @__PURE__ */ new Map();
      for (const r of await ws.query(`SELECT ${trimmedCell(`c${index}`)} AS v, count(*) AS n FROM records GROUP BY 1`)) c.set(r.v === null ? null : String(r.v), Number(r.n));
      counts.set(index, c);
    }
    return c;
  };
  for (const m of matchedValues(source)) {
    if (m.column === void 0 || m.path.endsWith(".null_values")) continue;
    const index = indexOf(m.column);
    if (index < 0) continue;
    const c = await countsOf(index);
    const n = m.value === "" ? c.get(null) ?? 0 : c.get(m.value) ?? 0;
    if (n > 0) continue;
    const trimmed = m.value.trim();
    const near = trimmed !== m.value && trimmed !== "" ? c.get(trimmed) ?? 0 : 0;
    warnings.push(
      `sources.${source.id}.${m.path}: ${shown2(m.value)} never occurs in column ${label(m.column)} of the sample (${records} records)` + (near > 0 ? `; ${shown2(trimmed)} occurs ${near} times` : "")
    );
  }
  if (source.format === "mapped-json" && header !== null) {
    for (const [i, path6] of header.entries()) {
      const c = await countsOf(i);
      if (records > 0 && [...c.keys()].every((k) => k === null)) warnings.push(`sources.${source.id}: field path ${path6} has no value in any record of the sample`);
    }
  }
}

// functions/cli/commands/config-check.ts
var WORK_DIR = join5(tmpdir(), "cspulse-config-check");
function sampleLines(report) {
  const lines = [];
  const rejected = report.rejected.reduce((n, r) => n + r.count, 0);
  const byField = report.rejected.map((r) => `${r.field} ${r.count}`).join(", ");
  lines.push(
    `sample ${report.file} (source ${report.source}): ${report.records} records, ${rejected} rejected${rejected ? ` (${byField})` : ""}` + (report.contacts === void 0 ? "" : `, ${report.contacts} contacts from their legs`)
  );
  const c = report.customers;
  if (c !== null) {
    const shapes = c.fallback_shapes.map((s) => `${s.shape} \xD7${s.count}`).join(", ");
    lines.push(
      `customers: ${c.values} values (phone region ${c.phone_region ?? "none"}): ${c.phone} phone numbers, ${c.phone_fallback} fell back to their digits${shapes ? ` (${shapes})` : ""}, ${c.email} e-mails, ${c.user_id} user ids, ${c.hidden} hidden`
    );
  }
  return lines;
}
function registerConfigCommand(program, context) {
  const config = program.command("config").description("Client configuration");
  config.command("check").description(
    "Validate every client config file and have the SQL engine prepare every mapping; errors name the file and the field, warnings go to stderr. With --sample, read an export through a source's mapping and report on it, writing nothing."
  ).option("--config-dir <dir>", "folder of client configs", "clients").option("--sample <file>", "an export to read through a source mapping: rejected rows, values that never occur, phone numbers that fall back").option("--client <id>", "the client of --sample (needed when the folder has several)").option("--source <id>", "the source of --sample (needed when the client has several)").action(async (opts) => {
    const configs = await loadClientConfigs(opts.configDir);
    const problems = configs.flatMap((c) => mappingProblems(c).map((p) => `${opts.configDir}/${c.id}: ${p}`));
    for (const c of configs) {
      for (const p of await prepareMappings(c, openDuckDbWorkspace, WORK_DIR)) problems.push(`${opts.configDir}/${c.id}: ${p}`);
    }
    if (problems.length > 0) context.fail(`invalid mappings:
${problems.join("\n")}`);
    for (const c of configs) {
      context.out(`ok  ${c.id}  ${c.name}  (${c.timezone}, ${c.locale}; sources: ${c.sources.map((s) => `${s.id}:${s.format}`).join(", ")})`);
    }
    const warnings = configs.flatMap((c) => {
      const sender = senderWarning(c);
      return [...sender === void 0 ? [] : [sender], ...mappingWarnings(c)].map((w) => `warning: ${opts.configDir}/${c.id}: ${w}`);
    });
    for (const line of warnings) context.err(line);
    context.out(`${configs.length} client config(s) valid in ${opts.configDir}`);
    if (opts.sample === void 0) return;
    const client = opts.client === void 0 ? configs.length === 1 ? configs[0] : void 0 : configs.find((c) => c.id === opts.client);
    if (client === void 0) {
      return context.fail(
        opts.client === void 0 ? `--sample needs --client: ${opts.configDir} has ${configs.length} clients (${configs.map((c) => c.id).join(", ")})` : `no client "${opts.client}" in ${opts.configDir}`
      );
    }
    const source = opts.source === void 0 ? client.sources.length === 1 ? client.sources[0] : void 0 : client.sources.find((s) => s.id === opts.source);
    if (source === void 0) {
      return context.fail(
        opts.source === void 0 ? `--sample needs --source: client ${client.id} has sources ${client.sources.map((s) => s.id).join(", ")}` : `client ${client.id} has no source "${opts.source}" (sources: ${client.sources.map((s) => s.id).join(", ")})`
      );
    }
    let report;
    try {
      report = await checkSample({
        config: client,
        source,
        file: basename2(opts.sample),
        body: createReadStream3(opts.sample, { highWaterMark: 1 << 20 }),
        openWorkspace: openDuckDbWorkspace,
        workDir: WORK_DIR
      });
    } catch (error) {
      if (error instanceof FileRejectedError || error instanceof MappingConfigError) return context.fail(error.message);
      throw error;
    }
    for (const line of sampleLines(report)) context.out(line);
    for (const w of report.warnings) context.err(`warning: ${opts.configDir}/${client.id}: ${w}`);
  });
}

// functions/cli/commands/demo.ts
import { createReadStream as createReadStream5 } from "node:fs";
import { readdir as readdir6, readFile as readFile7, rm as rm4, stat as stat3 } from "node:fs/promises";
import { join as join11, resolve as resolve3 } from "node:path";
import { InvalidArgumentError } from "commander";

// functions/adapters/local/folder-store.ts
import { randomBytes } from "node:crypto";
import { link, mkdir as mkdir3, open, readdir as readdir4, readFile as readFile2, rename, stat as stat2, unlink } from "node:fs/promises";
import path from "node:path";
var InvalidObjectKeyError = class extends Error {
  constructor(key, reason2) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason2}`);
    this.key = key;
    this.name = "InvalidObjectKeyError";
  }
  key;
};
var TEMP_PREFIX = ".tmp-";
function isTempName(name) {
  return name.startsWith(TEMP_PREFIX);
}
function validateKey(key) {
  if (key.length === 0) throw new InvalidObjectKeyError(key, "empty");
  if (key.startsWith("/")) throw new InvalidObjectKeyError(key, "starts with /");
  if (key.includes("\\")) throw new InvalidObjectKeyError(key, "contains a backslash");
  if (key.includes("\0")) throw new InvalidObjectKeyError(key, "contains a NUL byte");
  for (const segment of key.split("/")) {
    if (segment === ".." || segment === ".") throw new InvalidObjectKeyError(key, `has a '${segment}' segment`);
    if (segment === "") throw new InvalidObjectKeyError(key, "has an empty segment");
    if (isTempName(segment)) throw new InvalidObjectKeyError(key, `segment starts with ${TEMP_PREFIX}`);
  }
}
function isNotFound(error) {
  const code = error?.code;
  return code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR";
}
async function* bodyChunks(body) {
  if (typeof body === "string") {
    yield Buffer.from(body, "utf8");
  } else if (body instanceof Uint8Array) {
    yield body;
  } else {
    yield* body;
  }
}
function createFolderStore(root) {
  const absoluteRoot = path.resolve(root);
  const fileOf2 = (key) => {
    validateKey(key);
    const file = path.join(absoluteRoot, ...key.split("/"));
    if (!file.startsWith(absoluteRoot + path.sep)) throw new InvalidObjectKeyError(key, "escapes the store root");
    return file;
  };
  async function writeTemp(file, body) {
    const dir = path.dirname(file);
    await mkdir3(dir, { recursive: true });
    const temp = path.join(dir, `${TEMP_PREFIX}${randomBytes(8).toString("hex")}`);
    const handle = await open(temp, "wx", 420);
    try {
      for await (const chunk of bodyChunks(body)) {
        let offset = 0;
        while (offset < chunk.byteLength) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
          offset += bytesWritten;
        }
      }
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => void 0);
      await unlink(temp).catch(() => void 0);
      throw error;
    }
    await handle.close();
    return temp;
  }
  async function infoOf(key, file) {
    try {
      const s = await stat2(file);
      if (!s.isFile()) return void 0;
      return { key, size: s.size, lastModified: s.mtime };
    } catch (error) {
      if (isNotFound(error)) return void 0;
      throw error;
    }
  }
  async function* walk(dir, keyPrefix, prefix) {
    let entries;
    try {
      entries = await readdir4(dir, { withFileTypes: true });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    const children = entries.filter((entry) => !isTempName(entry.name) && (entry.isFile() || entry.isDirectory())).map((entry) => ({
      entry,
      sortKey: keyPrefix + entry.name + (entry.isDirectory() ? "/" : "")
    })).sort((a, b) => compareKeys(a.sortKey, b.sortKey));
    for (const { entry, sortKey } of children) {
      if (!(sortKey.startsWith(prefix) || prefix.startsWith(sortKey))) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        yield* walk(full, sortKey, prefix);
      } else if (sortKey.startsWith(prefix)) {
        const info = await infoOf(sortKey, full);
        if (info) yield info;
      }
    }
  }
  return {
    async get(key) {
      const file = fileOf2(key);
      try {
        return new Uint8Array(await readFile2(file));
      } catch (error) {
        if (isNotFound(error)) throw new ObjectNotFoundError(key, { cause: error });
        throw error;
      }
    },
    async getStream(key) {
      const file = fileOf2(key);
      let handle;
      try {
        handle = await open(file, "r");
        if (!(await handle.stat()).isFile()) throw Object.assign(new Error("not a file"), { code: "EISDIR" });
      } catch (error) {
        await handle?.close();
        if (isNotFound(error)) throw new ObjectNotFoundError(key, { cause: error });
        throw error;
      }
      return handle.createReadStream();
    },
    async put(key, body) {
      const file = fileOf2(key);
      const temp = await writeTemp(file, body);
      try {
        await rename(temp, file);
      } catch (error) {
        await unlink(temp).catch(() => void 0);
        throw error;
      }
    },
    async putIfAbsent(key, body) {
      const file = fileOf2(key);
      const temp = await writeTemp(file, body);
      try {
        await link(temp, file);
        return true;
      } catch (error) {
        if (error.code === "EEXIST") return false;
        throw error;
      } finally {
        await unlink(temp).catch(() => void 0);
      }
    },
    async copy(from, to) {
      const source = fileOf2(from);
      const target = fileOf2(to);
      await mkdir3(path.dirname(target), { recursive: true });
      const temp = path.join(path.dirname(target), `${TEMP_PREFIX}${randomBytes(8).toString("hex")}`);
      try {
        await link(source, temp);
      } catch (error) {
        if (isNotFound(error)) throw new ObjectNotFoundError(from, { cause: error });
        throw error;
      }
      try {
        await rename(temp, target);
      } catch (error) {
        await unlink(temp).catch(() => void 0);
        throw error;
      }
    },
    async head(key) {
      return infoOf(key, fileOf2(key));
    },
    list(prefix) {
      if (prefix.startsWith("/")) throw new InvalidObjectKeyError(prefix, "prefix starts with /");
      if (prefix.split("/").some((segment) => segment === ".." || segment === ".")) {
        throw new InvalidObjectKeyError(prefix, "prefix has a relative segment");
      }
      return walk(absoluteRoot, "", prefix);
    },
    async delete(key) {
      try {
        await unlink(fileOf2(key));
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
    }
  };
}
function compareKeys(a, b) {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

// functions/adapters/local/outbox-mailer.ts
import { mkdir as mkdir4, writeFile as writeFile2 } from "node:fs/promises";
import path2 from "node:path";
import { simpleParser } from "mailparser";

// functions/adapters/local/raw-headers.ts
function rawHeader(raw, name) {
  const text3 = new TextDecoder().decode(raw.subarray(0, Math.min(raw.byteLength, 16384)));
  const head = text3.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`^${escaped}:[ \\t]*(.*)$`, "im").exec(head);
  return match?.[1]?.trim();
}

// functions/adapters/local/outbox-mailer.ts
function baseName(email2) {
  const report = rawHeader(email2.raw, "X-Cspulse-Report");
  const source = report ?? rawHeader(email2.raw, "Message-ID") ?? (/* @__PURE__ */ new Date()).toISOString();
  return source.replace(/[<>]/g, "").replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "message";
}
async function writeNew(dir, name, raw) {
  for (let n = 1; ; n++) {
    const stem = n === 1 ? name : `${name}-${n}`;
    try {
      await writeFile2(path2.join(dir, `${stem}.eml`), raw, { flag: "wx" });
      return stem;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
    }
  }
}
async function htmlPreview(raw) {
  const parsed = await simpleParser(Buffer.from(raw));
  let html = typeof parsed.html === "string" ? parsed.html : `<pre>${(parsed.text ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;")}</pre>`;
  for (const attachment of parsed.attachments) {
    if (!attachment.cid) continue;
    const uri = `data:${attachment.contentType};base64,${attachment.content.toString("base64")}`;
    html = html.split(`cid:${attachment.cid}`).join(uri);
  }
  return html;
}
function createOutboxMailer(dir) {
  return {
    async send(email2) {
      try {
        await mkdir4(dir, { recursive: true });
        const stem = await writeNew(dir, baseName(email2), email2.raw);
        await writeFile2(path2.join(dir, `${stem}.html`), await htmlPreview(email2.raw));
        return { messageId: `${stem}.eml` };
      } catch (error) {
        throw new MailerError(`could not write to the outbox ${dir}: ${error.message}`, false, { cause: error });
      }
    }
  };
}

// functions/composition/local.ts
import { tmpdir as tmpdir2 } from "node:os";
import { join as join7, resolve } from "node:path";

// functions/adapters/local/file-locks.ts
import { mkdir as mkdir5, open as open2, readFile as readFile3, unlink as unlink2 } from "node:fs/promises";
import { hostname } from "node:os";
import { join as join6 } from "node:path";
var POLL_MS = 50;
var alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
};
var fileName = (name) => `${name.replace(/[^A-Za-z0-9._=-]+/g, "_")}.lock`;
function createFileLocks(dir, options = {}) {
  const timeoutMs = options.timeoutMs ?? 15 * 6e4;
  const host = hostname();
  async function take(path6, name) {
    const started = Date.now();
    while (true) {
      try {
        const handle = await open2(path6, "wx", 384);
        await handle.writeFile(JSON.stringify({ host, pid: process.pid, since: (/* @__PURE__ */ new Date()).toISOString() }));
        await handle.close();
        return;
      } catch (error) {
        if (error.code !== "EEXIST") throw error;
      }
      let holder = "another process";
      try {
        const owner = JSON.parse(await readFile3(path6, "utf8"));
        holder = `${owner.host}:${owner.pid}`;
        if (owner.host === host && typeof owner.pid === "number" && !alive(owner.pid)) {
          await unlink2(path6).catch(() => void 0);
          continue;
        }
      } catch {
      }
      if (Date.now() - started > timeoutMs) throw new LockTimeoutError(name, holder);
      await new Promise((resolve5) => setTimeout(resolve5, POLL_MS));
    }
  }
  return {
    async acquire(names) {
      await mkdir5(dir, { recursive: true });
      const sorted = [...new Set(names)].sort();
      const held = [];
      try {
        for (const name of sorted) {
          const path6 = join6(dir, fileName(name));
          await take(path6, name);
          held.push(path6);
        }
      } catch (error) {
        await Promise.all(held.map((p) => unlink2(p).catch(() => void 0)));
        throw error;
      }
      return async () => {
        await Promise.all(held.map((p) => unlink2(p).catch(() => void 0)));
      };
    }
  };
}

// functions/adapters/local/local-secrets.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { link as link2, mkdir as mkdir6, readFile as readFile4, unlink as unlink3, writeFile as writeFile3 } from "node:fs/promises";
import path3 from "node:path";
var InvalidSecretNameError = class extends Error {
  constructor(secretName) {
    super(`invalid secret name ${JSON.stringify(secretName)}: use names like cspulse/acme/pii-hash-key`);
    this.secretName = secretName;
    this.name = "InvalidSecretNameError";
  }
  secretName;
};
function fileOf(dir, name) {
  const segments = name.split("/");
  if (name.length === 0 || name.includes("\\") || name.includes("\0")) throw new InvalidSecretNameError(name);
  if (segments.some((s) => s === "" || s === "." || s === ".." || s.startsWith(".tmp-"))) {
    throw new InvalidSecretNameError(name);
  }
  return path3.join(path3.resolve(dir), ...segments);
}
function withoutFinalNewline(text3) {
  return text3.replace(/\r?\n$/, "");
}
function createLocalSecrets(dir) {
  return {
    async get(name) {
      const file = fileOf(dir, name);
      try {
        return withoutFinalNewline(await readFile4(file, "utf8"));
      } catch (error) {
        const code = error.code;
        if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") {
          throw new SecretNotFoundError(name, { cause: error });
        }
        throw error;
      }
    }
  };
}
async function ensureLocalSecret(dir, name) {
  const secrets = createLocalSecrets(dir);
  try {
    return await secrets.get(name);
  } catch (error) {
    if (!(error instanceof SecretNotFoundError)) throw error;
  }
  const file = fileOf(dir, name);
  await mkdir6(path3.dirname(file), { recursive: true, mode: 448 });
  const key = randomBytes2(32).toString("hex");
  const temp = path3.join(path3.dirname(file), `.tmp-${randomBytes2(8).toString("hex")}`);
  await writeFile3(temp, key, { mode: 384, flag: "wx" });
  try {
    await link2(temp, file);
    return key;
  } catch (error) {
    if (error.code !== "EEXIST") throw error;
    return secrets.get(name);
  } finally {
    await unlink3(temp).catch(() => void 0);
  }
}

// functions/core/sql/sql-catalog.ts
import { readFile as readFile5 } from "node:fs/promises";
import { fileURLToPath } from "node:url";
var KPI_SQL_NAMES = ["kpis/contact_kpis", "kpis/survey_kpis", "kpis/category_mix", "kpis/survey_comments"];
var VIEW_SQL_NAMES = ["views/contacts_local", "views/surveys_local"];
var SQL_DIR = fileURLToPath(new URL("../../../sql/", import.meta.url));
async function readSqlFile(name, dir = SQL_DIR) {
  return readFile5(`${dir.replace(/\/$/, "")}/${name}.sql`, "utf8");
}
async function loadSqlCatalog(dir = SQL_DIR) {
  const entries = await Promise.all(KPI_SQL_NAMES.map(async (name) => [name, await readSqlFile(name, dir)]));
  return Object.fromEntries(entries);
}

// functions/core/kpis/errors.ts
var InvalidPeriodError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "InvalidPeriodError";
  }
};
var NoContractError = class extends Error {
  constructor(clientId, options) {
    super(`client "${clientId}" has no contract version`, options);
    this.clientId = clientId;
    this.name = "NoContractError";
  }
  clientId;
};

// functions/core/kpis/periods.ts
var DAY_MS2 = 864e5;
var ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function toUtcMs(date2) {
  const m = ISO_DATE.exec(date2);
  if (!m) throw new InvalidPeriodError(`not a date YYYY-MM-DD: "${date2}"`);
  const ms2 = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms2).toISOString().slice(0, 10) !== date2) throw new InvalidPeriodError(`no such date: "${date2}"`);
  return ms2;
}
var fromUtcMs = (ms2) => new Date(ms2).toISOString().slice(0, 10);
function addDays(date2, days) {
  return fromUtcMs(toUtcMs(date2) + days * DAY_MS2);
}
function daysInMonth(date2) {
  const d = new Date(toUtcMs(date2));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}
function isoWeekday(date2) {
  const day = new Date(toUtcMs(date2)).getUTCDay();
  return day === 0 ? 7 : day;
}
function datesOf(period) {
  const out = [];
  for (let d = period.start; d <= period.end; d = addDays(d, 1)) out.push(d);
  return out;
}
function periodFor(kind, date2) {
  toUtcMs(date2);
  switch (kind) {
    case "daily":
      return { kind, start: date2, end: date2 };
    case "weekly": {
      const start = addDays(date2, 1 - isoWeekday(date2));
      return { kind, start, end: addDays(start, 6) };
    }
    case "monthly": {
      const start = `${date2.slice(0, 8)}01`;
      return { kind, start, end: addDays(start, daysInMonth(date2) - 1) };
    }
    default:
      throw new InvalidPeriodError(`unknown period kind: ${String(kind)}`);
  }
}
function priorPeriod(period) {
  return periodFor(period.kind, addDays(period.start, -1));
}
function weekAgoPeriod(period) {
  return { kind: period.kind, start: addDays(period.start, -7), end: addDays(period.end, -7) };
}

// functions/core/kpis/cost.ts
function periodCost(config, range) {
  let total = 0;
  for (const day of datesOf(range)) {
    const cost = contractInForce(config, day)?.monthly_cost;
    if (cost === void 0) return null;
    total += cost / daysInMonth(day);
  }
  return total;
}
function costPerContact(cost, answered) {
  if (cost === null || answered === 0) return null;
  return cost / answered;
}

// functions/core/sql/errors.ts
var SqlTemplateError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "SqlTemplateError";
  }
};

// functions/core/sql/sql-literal.ts
var num = (value) => ({ kind: "number", value });
var date = (value) => ({ kind: "date", value });
var member = (value, members) => ({ kind: "enum", value, members });
var ISO_DATE2 = /^(\d{4})-(\d{2})-(\d{2})$/;
var IDENTIFIER = /^[a-z][a-z0-9_]*$/;
function isCalendarDate(text3) {
  const m = ISO_DATE2.exec(text3);
  if (!m) return false;
  const d = /* @__PURE__ */ new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.toISOString().slice(0, 10) === text3;
}
function sqlLiteral2(literal) {
  switch (literal.kind) {
    case "number": {
      const { value } = literal;
      if (typeof value !== "number" || !Number.isFinite(value)) throw new SqlTemplateError(`not a finite number: ${String(value)}`);
      return `cast(${String(value).toUpperCase()} as double)`;
    }
    case "date":
      if (typeof literal.value !== "string" || !isCalendarDate(literal.value)) {
        throw new SqlTemplateError(`not a date YYYY-MM-DD: ${JSON.stringify(literal.value)}`);
      }
      return `'${literal.value}'`;
    case "enum":
      if (!literal.members.includes(literal.value) || !IDENTIFIER.test(literal.value)) {
        throw new SqlTemplateError(`${JSON.stringify(literal.value)} is not one of ${literal.members.join(", ")}`);
      }
      return `'${literal.value}'`;
    default:
      throw new SqlTemplateError(`unknown literal kind: ${JSON.stringify(literal)}`);
  }
}
var SLOT = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;
function templateSlots(template) {
  return [...new Set([...template.matchAll(SLOT)].map((m) => m[1]))];
}
function renderSqlTemplate(template, values, file) {
  const slots = new Set(templateSlots(template));
  for (const name of slots) if (!(name in values)) throw new SqlTemplateError(`${file}: no value for {{${name}}}`);
  for (const name of Object.keys(values)) if (!slots.has(name)) throw new SqlTemplateError(`${file}: has no slot {{${name}}}`);
  return template.replace(SLOT, (_m, name) => {
    try {
      return sqlLiteral2(values[name]);
    } catch (error) {
      throw new SqlTemplateError(`${file}: {{${name}}}: ${error.message}`, { cause: error });
    }
  });
}

// functions/core/kpis/kpi-queries.ts
var EMPTY_RANGE = { start: "9999-12-31", end: "0000-01-01" };
var isEmpty = (r) => r.start > r.end;
var DEFAULT_SPIKE_RULE = { minCount: 10, minRatio: 1.5, minZ: 2, baselinePeriods: 4 };
var marginDays = (hours) => Math.ceil(hours / 24) + 1;
var FRESHNESS_PROBE_EXTRA_DAYS = 3;
function unionRange(ranges) {
  const used = ranges.filter((r) => !isEmpty(r));
  if (used.length === 0) return EMPTY_RANGE;
  return {
    start: used.map((r) => r.start).reduce((a, b) => a < b ? a : b),
    end: used.map((r) => r.end).reduce((a, b) => a > b ? a : b)
  };
}
var periodLiterals = (ranges) => {
  const out = {};
  for (const name of ["current", "prior", "week_ago", "trend"]) {
    out[`${name}_start`] = date(ranges[name].start);
    out[`${name}_end`] = date(ranges[name].end);
  }
  return out;
};
function contactScanRange(ranges, version) {
  const union = unionRange([ranges.current, ranges.prior, ranges.week_ago, ranges.trend]);
  if (isEmpty(union)) return union;
  const forwardHours = Math.max(version.fcr_window_hours, version.retry_window_minutes / 60);
  return {
    start: addDays(union.start, -marginDays(version.repeat_window_hours)),
    end: addDays(union.end, marginDays(forwardHours))
  };
}
function freshnessProbeRange(ranges, version) {
  const union = unionRange([ranges.current, ranges.prior, ranges.week_ago, ranges.trend]);
  if (isEmpty(union)) return EMPTY_RANGE;
  return { start: union.end, end: addDays(union.end, marginDays(version.fcr_window_hours) + FRESHNESS_PROBE_EXTRA_DAYS) };
}
function contactKpiQuery(template, clientId, ranges, version) {
  const literals = {
    repeat_window_seconds: num(version.repeat_window_hours * 3600),
    retry_window_seconds: num(version.retry_window_minutes * 60),
    fcr_window_seconds: num(version.fcr_window_hours * 3600),
    ...periodLiterals(ranges)
  };
  for (const channel2 of CHANNELS) {
    const p = channelParameters(version, channel2);
    literals[`${channel2}_service_level_seconds`] = num(p.serviceLevelSeconds);
    literals[`${channel2}_short_abandon_seconds`] = num(p.shortAbandonSeconds);
    literals[`${channel2}_service_level_formula`] = member(p.serviceLevelFormula, SERVICE_LEVEL_FORMULAS);
  }
  const scan = contactScanRange(ranges, version);
  const probe = freshnessProbeRange(ranges, version);
  return {
    sql: renderSqlTemplate(template, literals, "sql/kpis/contact_kpis.sql"),
    params: [clientId, scan.start, scan.end, clientId, probe.start, probe.end]
  };
}
function surveyCommentsQuery(template, clientId, current) {
  return { sql: renderSqlTemplate(template, {}, "sql/kpis/survey_comments.sql"), params: [clientId, current.start, current.end] };
}
function surveyKpiQuery(template, clientId, ranges, version) {
  const scan = unionRange([ranges.current, ranges.prior, ranges.week_ago, ranges.trend]);
  const literals = {
    csat_satisfied_min: num(version.csat_satisfied_min),
    ces_low_effort_min: num(version.ces_low_effort_min),
    ...periodLiterals(ranges)
  };
  return { sql: renderSqlTemplate(template, literals, "sql/kpis/survey_kpis.sql"), params: [clientId, scan.start, scan.end] };
}
function categoryPeriods(current, prior, weekAgo) {
  const step2 = current.kind === "daily" ? weekAgo : prior;
  const baseline = [];
  let p = current;
  for (let i = 0; i < 4; i += 1) baseline.push(p = step2(p));
  return [current, prior(current), ...baseline];
}
function categoryMixQuery(template, clientId, periods, rule) {
  if (periods.length !== 6) throw new RangeError("category mix takes the current period, the prior period and 4 baseline periods");
  const literals = { min_count: num(rule.minCount), min_ratio: num(rule.minRatio), min_z: num(rule.minZ) };
  periods.forEach((p, i) => {
    literals[`period_${i}_start`] = date(p.start);
    literals[`period_${i}_end`] = date(p.end);
  });
  return {
    sql: renderSqlTemplate(template, literals, "sql/kpis/category_mix.sql"),
    params: [clientId, ...periods.flatMap((p) => [p.start, p.end])]
  };
}

// functions/core/kpis/sla.ts
function targetActual(set, target) {
  if (set === null) return null;
  const kpis = target.channel === void 0 ? set.total : set.by_channel[target.channel];
  const value = kpis?.[target.kpi];
  return typeof value === "number" ? value : null;
}
function isMet(target, actual) {
  if (actual === null) return null;
  return target.op === ">=" ? actual >= target.value : actual <= target.value;
}
function margin(target, actual) {
  if (actual === null) return null;
  return target.op === ">=" ? actual - target.value : target.value - actual;
}
function evaluateSla(targets, current, prior, days) {
  return targets.map((target) => {
    const actual = targetActual(current, target);
    let daysMet = null;
    let daysJudged = null;
    if (days !== null) {
      const judged = days.map((d) => isMet(target, targetActual(d, target))).filter((m) => m !== null);
      daysJudged = judged.length;
      daysMet = judged.filter((m) => m).length;
    }
    return {
      kpi: target.kpi,
      channel: target.channel ?? null,
      op: target.op,
      target: target.value,
      label: target.label ?? null,
      actual,
      met: isMet(target, actual),
      margin: margin(target, actual),
      prior_actual: targetActual(prior, target),
      days_met: daysMet,
      days_judged: daysJudged
    };
  });
}

// functions/core/kpis/compute-kpi-document.ts
var DAILY_TREND_DAYS = 14;
var num2 = (row2, key) => {
  const v = row2?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
};
var count = (row2, key) => num2(row2, key) ?? 0;
var rowKey = (period, grain, channel2, dt, hour) => `${period}|${grain}|${channel2}|${dt ?? ""}|${hour ?? ""}`;
function indexRows(rows) {
  const map = /* @__PURE__ */ new Map();
  for (const r of rows) {
    map.set(rowKey(String(r.period_name), String(r.grain), String(r.channel_group), r.dt ?? null, r.local_hour ?? null), r);
  }
  return map;
}
function toKpis(c, s, days, cost) {
  const answered = count(c, "answered");
  const responses = count(s, "survey_responses");
  return {
    offered: count(c, "offered"),
    answered,
    abandoned: count(c, "abandoned"),
    short_abandoned: count(c, "short_abandoned"),
    callbacks: count(c, "callbacks"),
    self_service: count(c, "self_service"),
    inbound: count(c, "inbound"),
    excluded: count(c, "excluded"),
    outbound: count(c, "outbound"),
    answer_rate: num2(c, "answer_rate"),
    abandon_rate: num2(c, "abandon_rate"),
    service_level: num2(c, "service_level"),
    asa_seconds: num2(c, "asa_seconds"),
    aht_seconds: num2(c, "aht_seconds"),
    avg_talk_seconds: num2(c, "avg_talk_seconds"),
    avg_acw_seconds: num2(c, "avg_acw_seconds"),
    wait_p90_seconds: num2(c, "wait_p90_seconds"),
    max_wait_seconds: num2(c, "max_wait_seconds"),
    avg_abandon_wait_seconds: num2(c, "avg_abandon_wait_seconds"),
    transfer_rate: num2(c, "transfer_rate"),
    self_service_rate: num2(c, "self_service_rate"),
    repeat_rate: num2(c, "repeat_rate"),
    retry_after_abandon_rate: num2(c, "retry_after_abandon_rate"),
    fcr: num2(c, "fcr"),
    fcr_provisional: c?.fcr_provisional === true,
    inbound_with_key: count(c, "inbound_with_key"),
    abandoned_with_key: count(c, "abandoned_with_key"),
    answered_with_key: count(c, "answered_with_key"),
    csat_avg: num2(s, "csat_avg"),
    csat_satisfied_rate: num2(s, "csat_satisfied_rate"),
    csat_responses: count(s, "csat_responses"),
    nps: num2(s, "nps"),
    nps_responses: count(s, "nps_responses"),
    ces_avg: num2(s, "ces_avg"),
    ces_low_effort_rate: num2(s, "ces_low_effort_rate"),
    ces_responses: count(s, "ces_responses"),
    survey_response_rate: answered === 0 ? null : responses / answered,
    cost_per_contact: costPerContact(cost, answered),
    contacts_per_day: days === 0 ? null : answered / days,
    contacts_per_agent_day: num2(c, "contacts_per_agent_day")
  };
}
function contractTerms(version, config, period) {
  const sl = {};
  const short = {};
  for (const ch of CHANNELS) {
    const p = channelParameters(version, ch);
    sl[ch] = p.serviceLevelSeconds;
    short[ch] = p.shortAbandonSeconds;
  }
  return {
    effective_from: version.effective_from,
    service_level_formula: version.service_level_formula,
    service_level_seconds: sl,
    short_abandon_seconds: short,
    repeat_window_hours: version.repeat_window_hours,
    fcr_window_hours: version.fcr_window_hours,
    retry_window_minutes: version.retry_window_minutes,
    csat_satisfied_min: version.csat_satisfied_min,
    ces_low_effort_min: version.ces_low_effort_min,
    note: version.note ?? null,
    later_versions_in_period: config.contract.map((v) => v.effective_from).filter((from) => from > period.start && from <= period.end)
  };
}
function versionForPeriod(config, period) {
  const version = contractInForce(config, period.start) ?? config.contract[0];
  if (version === void 0) throw new NoContractError(config.id);
  return version;
}
async function computeKpiDocument(engine, config, kind, date2, options = {}) {
  const period = periodFor(kind, date2);
  const prior = priorPeriod(period);
  const weekAgo = kind === "daily" ? weekAgoPeriod(period) : null;
  const trend = kind === "daily" ? { start: addDays(period.end, 1 - DAILY_TREND_DAYS), end: period.end } : EMPTY_RANGE;
  const ranges = { current: period, prior, week_ago: weekAgo ?? EMPTY_RANGE, trend };
  const version = versionForPeriod(config, period);
  const sql = options.sql ?? await loadSqlCatalog();
  const baseline = categoryPeriods(period, priorPeriod, weekAgoPeriod);
  const run = (q) => engine.query(q.sql, q.params);
  const spikeRule = options.spikeRule ?? DEFAULT_SPIKE_RULE;
  const [contactResult, surveyResult, categoryResult, commentResult] = await Promise.all([
    run(contactKpiQuery(sql["kpis/contact_kpis"], config.id, ranges, version)),
    run(surveyKpiQuery(sql["kpis/survey_kpis"], config.id, ranges, version)),
    run(categoryMixQuery(sql["kpis/category_mix"], config.id, baseline, spikeRule)),
    run(surveyCommentsQuery(sql["kpis/survey_comments"], config.id, period))
  ]);
  const contacts = indexRows(contactResult.rows);
  const surveys = indexRows(surveyResult.rows);
  const kpiSet = (name, range, grain, dt) => {
    const days = grain === "day" ? 1 : datesOf(range).length;
    const get = (map, channel2) => map.get(rowKey(name, grain, channel2, dt, null));
    const byChannel = {};
    for (const ch of CHANNELS) {
      const c = get(contacts, ch);
      const s = get(surveys, ch);
      if (c !== void 0 || s !== void 0) byChannel[ch] = toKpis(c, s, days, null);
    }
    const cost = periodCost(config, grain === "day" ? { start: dt, end: dt } : range);
    return { total: toKpis(get(contacts, "all"), get(surveys, "all"), days, cost), by_channel: byChannel };
  };
  const current = kpiSet("current", period, "period", null);
  const priorSet = kpiSet("prior", prior, "period", null);
  const weekAgoSet = weekAgo === null ? null : kpiSet("week_ago", weekAgo, "period", null);
  const dayName = kind === "daily" ? "trend" : "current";
  const dayRange = kind === "daily" ? trend : period;
  const perDay = datesOf(dayRange).map((dt) => ({ dt, set: kpiSet(dayName, { start: dt, end: dt }, "day", dt) }));
  const daily = perDay.map(({ dt, set }) => {
    const byChannel = {};
    for (const [ch, k] of Object.entries(set.by_channel)) {
      if (k.offered + k.inbound > 0) byChannel[ch] = { offered: k.offered, answer_rate: k.answer_rate, service_level: k.service_level, abandon_rate: k.abandon_rate };
    }
    return {
      dt,
      offered: set.total.offered,
      answered: set.total.answered,
      abandoned: set.total.abandoned,
      answer_rate: set.total.answer_rate,
      service_level: set.total.service_level,
      asa_seconds: set.total.asa_seconds,
      aht_seconds: set.total.aht_seconds,
      by_channel: byChannel
    };
  });
  const periodDays2 = datesOf(period).length;
  const hourly = Array.from({ length: 24 }, (_, hour) => {
    const r = contacts.get(rowKey("current", "hour", "all", null, hour));
    const byChannel = {};
    for (const ch of CHANNELS) {
      const c = contacts.get(rowKey("current", "hour", ch, null, hour));
      if (c !== void 0 && count(c, "offered") > 0) byChannel[ch] = { offered: count(c, "offered"), service_level: num2(c, "service_level") };
    }
    return {
      hour,
      offered: count(r, "offered"),
      answered: count(r, "answered"),
      abandoned: count(r, "abandoned"),
      service_level: num2(r, "service_level"),
      avg_per_day: count(r, "offered") / periodDays2,
      by_channel: byChannel
    };
  });
  const peak = hourly.reduce((best, h) => h.offered > (best?.offered ?? 0) ? h : best, null);
  const categories = categoryResult.rows.map((r) => ({
    category: String(r.category),
    count: count(r, "category_count"),
    share: num2(r, "share"),
    prior_count: count(r, "prior_count"),
    prior_share: num2(r, "prior_share"),
    change: num2(r, "change"),
    baseline_mean: num2(r, "baseline_mean"),
    z_score: num2(r, "z_score"),
    is_spike: r.is_spike === true
  }));
  const currentDays = kind === "daily" ? null : perDay.filter((d) => d.dt >= period.start && d.dt <= period.end).map((d) => d.set);
  const through = contactResult.rows.find((r) => typeof r.data_through === "string")?.data_through;
  return {
    client_id: config.id,
    timezone: config.timezone,
    period,
    prior_period: prior,
    week_ago_period: weekAgo,
    current,
    prior: priorSet,
    week_ago: weekAgoSet,
    sla: evaluateSla(version.targets, current, priorSet, currentDays),
    categories,
    spike_baseline: {
      kind: kind === "daily" ? "same_weekday" : "previous_periods",
      periods: baseline.slice(2).map((p) => ({ start: p.start, end: p.end })),
      min_count: spikeRule.minCount,
      min_ratio: spikeRule.minRatio,
      min_z: spikeRule.minZ
    },
    comments: commentResult.rows.map((r) => ({
      responded_at: String(r.responded_at),
      channel: CHANNELS.includes(r.channel) ? r.channel : null,
      csat_score: num2(r, "csat_score"),
      nps_score: num2(r, "nps_score"),
      ces_score: num2(r, "ces_score"),
      comment: String(r.comment ?? "")
    })),
    hourly,
    peak_hour: peak?.hour ?? null,
    daily,
    contract: contractTerms(version, config, period),
    data_through: typeof through === "string" ? through : null,
    generated_at: (options.now ?? /* @__PURE__ */ new Date()).toISOString()
  };
}

// functions/core/runtime-env.ts
var piiKeySecretName = (clientId) => `cspulse/${clientId}/pii-key`;

// functions/composition/local.ts
var DEFAULT_DATA_DIR = ".cspulse";
function localPaths(options) {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const lake = resolve(options.lake ?? join7(dataDir, "lake"));
  return {
    lake,
    quarantine: resolve(options.quarantine ?? join7(lake, "..", "quarantine")),
    secrets: resolve(join7(lake, "..", "secrets"))
  };
}
async function localIngestDeps(paths, config, clock = systemClock) {
  const secret = await ensureLocalSecret(paths.secrets, piiKeySecretName(config.id));
  return {
    lake: createFolderStore(paths.lake),
    quarantine: createFolderStore(paths.quarantine),
    customerKeySecret: secret,
    clock,
    workDir: join7(tmpdir2(), "cspulse-ingest"),
    openWorkspace: openDuckDbWorkspace,
    locks: createFileLocks(join7(paths.lake, "..", "locks"))
  };
}
async function localLoadKpis(lakeDir, config, kind, date2) {
  const engine = await createDuckDbEngine({ lakeRoot: lakeDir });
  try {
    return await computeKpiDocument(engine, config, kind, date2);
  } finally {
    await engine.close();
  }
}

// functions/core/ingest/ingest-batch.ts
import { createHash as createHash3, randomUUID as randomUUID2 } from "node:crypto";
import { createReadStream as createReadStream4 } from "node:fs";
import { mkdir as mkdir7, readdir as readdir5, rm as rm3 } from "node:fs/promises";
import { basename as basename3, join as join8 } from "node:path";

// functions/core/ingest/batch/stage-batch.ts
var LINE_BASE = 2 ** 40;
var MAX_BATCH_FILES = 8191;
var fileOfLine = (line) => `(${line} // ${LINE_BASE})`;
var lineInFile = (line) => `(${line} % ${LINE_BASE})`;
async function stageBatch(ws, files, dir, maxRecordBytes) {
  await ws.run(`CREATE OR REPLACE TABLE batch_files_text (k VARCHAR, path VARCHAR, latest_ms VARCHAR)`);
  await ws.appendText("batch_files_text", files.map((f) => [String(f.k), f.records.path, String(f.latestMs)]));
  await ws.run(
    `CREATE OR REPLACE TABLE batch_files AS SELECT CAST(k AS INTEGER) AS k, path, CAST(k AS BIGINT) * ${LINE_BASE} AS base, CAST(latest_ms AS BIGINT) AS latest_ms FROM batch_files_text`
  );
  const groups = /* @__PURE__ */ new Map();
  for (const f of files) {
    const { records } = f;
    const key = records.mapping.legs === void 0 ? `${records.width}\0${records.delimiter}\0${records.mapping.select}` : `legs\0${f.k}`;
    const group = groups.get(key) ?? { files: [], encode: records.mapping.legs === void 0 };
    group.files.push(f);
    groups.set(key, group);
  }
  const rejected = /* @__PURE__ */ new Map();
  const legsGrouped = /* @__PURE__ */ new Map();
  const parts = [];
  const queue = [...groups.values()];
  let n = 0;
  while (queue.length > 0) {
    const group = queue.shift();
    const out = `${dir}/staged-${n++}.parquet`;
    const result = await stageGroup(ws, group, out, maxRecordBytes);
    if (!result.ok) {
      if (group.files.length > 1) {
        queue.unshift(...group.files.map((f3) => ({ files: [f3], encode: group.encode })));
        continue;
      }
      const f2 = group.files[0];
      rejected.set(f2.k, new FileRejectedError(f2.file, `the file could not be read: ${capped(withoutValues(result.error.message), REASON_LIMIT)}`, { cause: result.error }));
      continue;
    }
    for (const [k, error] of result.rejected) rejected.set(k, error);
    if (group.encode) {
      parts.push(`SELECT * FROM read_parquet(${sqlString2(out)})`);
      continue;
    }
    const f = group.files[0];
    if (rejected.has(f.k)) continue;
    const contacts = `${dir}/contacts-${f.k}.parquet`;
    legsGrouped.set(f.k, await groupLegs(ws, f.records.mapping.legs, `read_parquet(${sqlString2(out)})`, contacts));
    parts.push(`SELECT * REPLACE (__line + ${f.k * LINE_BASE} AS __line) FROM read_parquet(${sqlString2(contacts)})`);
  }
  const skip = rejected.size === 0 ? "" : ` WHERE ${fileOfLine("__line")} NOT IN (${[...rejected.keys()].join(", ")})`;
  const union = parts.length === 0 ? `SELECT CAST(NULL AS BIGINT) AS __line, CAST(NULL AS VARCHAR) AS __field WHERE FALSE` : parts.join(" UNION ALL BY NAME ");
  return { relation: `(SELECT * FROM (${union})${skip})`, rejected, legsGrouped };
}
function recordsView(group, maxRecordBytes, parallel) {
  const first = group.files[0];
  const trim = group.files.every((f) => f.records.trimmed === 0) ? ", FALSE AS __trim" : "";
  const paths = group.files.map((f) => f.records.path);
  const read = readRecordsSql({ path: paths.length === 1 ? paths[0] : paths, width: first.records.width, delimiter: first.records.delimiter, maxRecordBytes, parallel });
  const latest = `CAST(${first.latestMs} AS BIGINT) AS __latest_ms`;
  if (!group.encode) return `SELECT *${trim ? ` REPLACE (${trim.slice(2)})` : ""}, ${latest} FROM ${read}`;
  if (paths.length === 1) return `SELECT * REPLACE (__line + ${first.k * LINE_BASE} AS __line${trim}), ${latest} FROM ${read}`;
  return `SELECT r.* EXCLUDE (filename) REPLACE (r.__line + b.base AS __line${trim}), b.latest_ms AS __latest_ms FROM ${read} r JOIN batch_files b ON r.filename = b.path`;
}
var groupRejects = (group) => `FROM reject_errors e JOIN reject_scans s ON s.scan_id = e.scan_id AND s.file_id = e.file_id JOIN batch_files b ON b.path = s.file_path WHERE b.k IN (${group.files.map((f) => f.k).join(", ")})`;
async function clearRejects(ws, group) {
  const [exists] = await ws.query(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'reject_errors'`);
  if (Number(exists?.n ?? 0) === 0) return;
  const paths = group.files.map((f) => sqlString2(f.records.path)).join(", ");
  await ws.run(
    `DELETE FROM reject_errors e WHERE EXISTS (SELECT 1 FROM reject_scans s WHERE s.scan_id = e.scan_id AND s.file_id = e.file_id AND s.file_path IN (${paths}))`
  );
}
async function stageGroup(ws, group, out, maxRecordBytes) {
  const fileOfRow = group.encode ? fileOfLine("__line") : String(group.files[0].k);
  for (const parallel of [true, false]) {
    await ws.run(`CREATE OR REPLACE VIEW records AS ${recordsView(group, maxRecordBytes, parallel)}`);
    try {
      await ws.run(`COPY (${group.files[0].records.mapping.select}) TO ${sqlString2(out)} (FORMAT parquet, COMPRESSION uncompressed, ROW_GROUP_SIZE 16384)`);
    } catch (error) {
      if (!(error instanceof WorkspaceError)) throw error;
      await clearRejects(ws, group);
      return { ok: false, error };
    }
    const counts = await ws.query(
      `SELECT k, sum(n) AS n FROM (SELECT ${fileOfRow} AS k, count(*) AS n FROM read_parquet(${sqlString2(out)}) GROUP BY ALL UNION ALL SELECT b.k, count(DISTINCT e.line) AS n ${groupRejects(group)} GROUP BY ALL) GROUP BY k`
    );
    const accounted = new Map(counts.map((r) => [Number(r.k), Number(r.n)]));
    const short = group.files.filter((f) => (accounted.get(f.k) ?? 0) !== f.records.records);
    if (short.length === 0) return { ok: true, rejected: /* @__PURE__ */ new Map() };
    if (!parallel) {
      const rejected = new Map(
        short.map((f) => [
          f.k,
          new FileRejectedError(f.file, `the file could not be read completely: ${f.records.records} records, ${accounted.get(f.k) ?? 0} staged or rejected`)
        ])
      );
      return { ok: true, rejected };
    }
    await clearRejects(ws, group);
  }
  return { ok: true, rejected: /* @__PURE__ */ new Map() };
}
var readerRejectsOf = (k) => `FROM reject_errors e JOIN reject_scans s ON s.scan_id = e.scan_id AND s.file_id = e.file_id JOIN batch_files b ON b.path = s.file_path WHERE b.k = ${k}`;

// functions/core/ingest/batch/newest-copies-sql.ts
function rankedCopiesSql(table2, id, fresh, lake) {
  const updated = table2 === "contacts" ? "updated_at DESC NULLS LAST, " : "";
  const copies = lake === null ? `SELECT * FROM ${fresh}` : `SELECT * FROM ${fresh} UNION ALL BY NAME SELECT * FROM ${lake}`;
  const ranked = `SELECT *, row_number() OVER (PARTITION BY ${id} ORDER BY ${updated}delivered_at DESC NULLS LAST, __k DESC, __line DESC NULLS LAST) AS __rank FROM (${copies})`;
  return `SELECT *, min(__rank) OVER (PARTITION BY ${id} ORDER BY __k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS __earlier FROM (${ranked})`;
}
var WRITTEN = `(__k > 0 AND (__earlier IS NULL OR __rank < __earlier))`;
var REPLACED = `(__k > 0 AND __earlier IS NOT NULL AND __rank < __earlier)`;
function windowMissesSql(id, fresh, lake) {
  const copies = lake === null ? `SELECT ${id} AS id, __k AS k, dt FROM ${fresh}` : `SELECT ${id} AS id, __k AS k, dt FROM ${fresh} UNION ALL SELECT ${id}, 0, dt FROM ${lake}`;
  const twice = lake === null ? "0" : `(SELECT count(*) - count(DISTINCT ${id}) FROM ${lake})`;
  return `WITH copies AS (${copies}), shared AS (SELECT * FROM copies WHERE id IN (SELECT id FROM copies GROUP BY id HAVING count(*) > 1)) SELECT ${twice} + (SELECT count(*) FROM shared a JOIN shared b ON a.id = b.id AND b.k < a.k ANTI JOIN windows w ON w.k = a.k AND w.dt = b.dt) AS n`;
}

// functions/core/ingest/ingest-batch.ts
var BATCH_RECORDS = 2e6;
var PUBLISH_CONCURRENCY = 16;
async function ingestFiles(deps, request) {
  const { config, sourceId } = request;
  const source = config.sources.find((s) => s.id === sourceId);
  if (!source) throw new UnknownSourceError(config.id, sourceId, config.sources.map((s) => s.id));
  await mkdir7(deps.workDir, { recursive: true });
  await sweepStaleStaging(deps.workDir);
  const manifests = [];
  const files = request.files;
  let next = 0;
  while (next < files.length) {
    const segment = takeSegment(files, next, sourceId);
    const done = segment.length > 1 ? await ingestSegment(deps, config, source, segment) : { alone: 1 };
    if ("manifests" in done) {
      manifests.push(...done.manifests);
      next += done.manifests.length;
      continue;
    }
    for (const file of files.slice(next, next + done.alone)) manifests.push(await ingestAlone(deps, config, sourceId, file));
    next += done.alone;
  }
  return manifests;
}
function takeSegment(files, start, sourceId) {
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const file of files.slice(start, start + MAX_BATCH_FILES)) {
    const id = fileIdFor(sourceId, file.file);
    if (seen.has(id)) break;
    seen.add(id);
    out.push(file);
  }
  return out;
}
function ingestAlone(deps, config, sourceId, file) {
  const at = file.recordedAt;
  const clock = at === void 0 ? deps.clock : { now: () => at };
  return ingestFile({ ...deps, clock }, { config, sourceId, file: file.file, body: file.open(), ...file.deliveredAt ? { deliveredAt: file.deliveredAt } : {} });
}
async function ingestSegment(deps, config, source, files) {
  const ids = files.map((f) => fileIdFor(source.id, f.file));
  const staging = join8(deps.workDir, `${STAGING_PREFIX}${process.pid}-${randomUUID2()}`);
  await mkdir7(join8(staging, "spill"), { recursive: true });
  const releaseFiles = await deps.locks?.acquire(ids.map((id) => `${config.id}/${source.id}/${id}`));
  let ws;
  try {
    const previous = await Promise.all(ids.map((id) => readJson(deps.lake, lakeKeys.manifest(config.id, source.id, id))));
    const redelivery = previous.findIndex((p) => p?.status === "ok");
    const count2 = redelivery === -1 ? files.length : redelivery;
    if (count2 < 2) return { alone: Math.max(count2, 1) };
    const limits = { ...DEFAULT_LIMITS, ...deps.limits };
    ws = await deps.openWorkspace({ spillDir: join8(staging, "spill"), memoryLimitMb: limits.engineMemoryMb });
    const run = new BatchRun(deps, ws, config, source, staging, limits);
    return await run.ingest(files.slice(0, count2), ids, previous);
  } finally {
    await ws?.close();
    await releaseFiles?.();
    await rm3(staging, { recursive: true, force: true });
  }
}
var BatchRun = class {
  constructor(deps, ws, config, source, staging, limits) {
    this.deps = deps;
    this.ws = ws;
    this.config = config;
    this.source = source;
    this.staging = staging;
    this.limits = limits;
    this.table = source.table;
    this.id = this.table === "contacts" ? "contact_id" : "survey_id";
  }
  deps;
  ws;
  config;
  source;
  staging;
  limits;
  table;
  id;
  path(name) {
    return join8(this.staging, name);
  }
  async ingest(files, ids, previous) {
    const entries = await this.readAll(files, ids, previous);
    const good = entries.filter((e) => e.rejected === void 0);
    const staged = await stageBatch(
      this.ws,
      good.map((e) => ({ k: e.k, file: e.file.file, records: e.records, latestMs: this.latestMs(e) })),
      this.staging,
      this.limits.maxRecordBytes
    );
    for (const [k, error] of staged.rejected) entries[k - 1].rejected = error;
    const live = entries.filter((e) => e.rejected === void 0);
    const outcomes = live.length === 0 ? /* @__PURE__ */ new Map() : await this.assemble(live, staged.relation, staged.legsGrouped);
    const touched = [...new Set([...outcomes.values()].flatMap((o) => o.dates))];
    const window = [...new Set(touched.flatMap((dt) => [shiftDate(dt, -1), dt, shiftDate(dt, 1)]))].sort();
    const releaseDates = await this.deps.locks?.acquire(window.map((dt) => `${this.config.id}/${this.table}/${dt}`));
    try {
      if (live.length > 0) {
        await this.createWindows(outcomes);
        const lake = await this.loadLake(window);
        if (lake === "legacy" || await this.windowMisses(lake)) return { alone: entries.length };
        await this.decide(lake, outcomes);
      }
      return { manifests: await this.publish(entries, outcomes) };
    } finally {
      await releaseDates?.();
    }
  }
  latestMs(e) {
    return Date.parse(e.base.started_at) + FUTURE_TOLERANCE_MS;
  }
  /** The records stage of each file, in order, until the batch holds BATCH_RECORDS records. */
  async readAll(files, ids, previous) {
    const entries = [];
    let records = 0;
    let lastDelivered = 0;
    for (const [i, file] of files.entries()) {
      const now = file.recordedAt ?? this.deps.clock.now();
      const deliveredAt = file.deliveredAt ?? new Date(Math.max(now.getTime(), lastDelivered + 1));
      lastDelivered = deliveredAt.getTime();
      const entry = {
        k: i + 1,
        file,
        fileId: ids[i],
        previous: previous[i],
        base: { client_id: this.config.id, source: this.source.id, table: this.table, file: file.file, file_id: ids[i], started_at: now.toISOString() },
        deliveredAt,
        recordedAt: file.recordedAt,
        framing: new QuarantineFile(this.path(`quarantine-records-${i + 1}.jsonl`), file.file)
      };
      await this.readOne(entry);
      entries.push(entry);
      records += entry.records?.records ?? 0;
      if (records >= BATCH_RECORDS) break;
    }
    return entries;
  }
  async readOne(entry) {
    const sha = createHash3("sha256");
    let bytesRead = 0;
    const body = entry.file.open();
    async function* hashed() {
      for await (const chunk of body) {
        sha.update(chunk);
        bytesRead += chunk.length;
        yield chunk;
      }
    }
    try {
      entry.records = await readRecords({
        source: this.source,
        table: this.table,
        file: entry.file.file,
        body: hashed(),
        clientZone: this.config.timezone,
        path: this.path(`records-${entry.k}.csv`),
        limits: { maxBytes: this.limits.maxBytes, maxRecordBytes: this.limits.maxRecordBytes, deadline: Date.now() + this.limits.maxMs },
        // each file's own latest plausible time, given per record by the staging view (batch/stage-batch.ts)
        compile: { latestMs: "__latest_ms", customerScope: this.table === "contacts" ? customerKeyScope(this.config, this.source) : void 0 },
        onReject: (r) => entry.framing.add(r)
      });
      if (bytesRead === 0) throw new FileRejectedError(entry.file.file, "the file is empty (0 bytes)");
      entry.sha256 = sha.digest("hex");
    } catch (error) {
      if (!(error instanceof FileRejectedError)) throw error;
      entry.rejected = error;
    } finally {
      await entry.framing.close();
    }
  }
  /** Quarantine and lake rows of the staged files: the table `fresh` (each file's rows) and what each file holds. */
  async assemble(live, staged, legsGrouped) {
    const { ws } = this;
    const outcomes = /* @__PURE__ */ new Map();
    const rejections = await this.collectRejections(live, staged);
    for (const e of live) {
      const rejected = rejections.get(e.k);
      outcomes.set(e.k, {
        written: /* @__PURE__ */ new Map(),
        dates: [],
        fresh: 0,
        valid: 0,
        replaced: 0,
        quarantined: e.framing.count + rejected.sqlRejected,
        quarantinePath: this.path(`quarantine-${e.k}.jsonl`),
        rejections: rejected,
        legsGrouped: e.records.mapping.legs === void 0 ? void 0 : legsGrouped.get(e.k) ?? 0
      });
    }
    await this.createFresh(live, staged);
    for (const r of await ws.query(`SELECT ${fileOfLine("__line")} AS k, count(*) AS n FROM ${staged} WHERE __field IS NULL GROUP BY ALL`)) {
      outcomes.get(Number(r.k)).valid = Number(r.n);
    }
    for (const r of await ws.query(`SELECT __k AS k, count(*) AS n FROM fresh GROUP BY ALL`)) outcomes.get(Number(r.k)).fresh = Number(r.n);
    for (const r of await ws.query(`SELECT DISTINCT ${fileOfLine("__line")} AS k, dt FROM ${staged} WHERE __field IS NULL ORDER BY k, dt`)) {
      outcomes.get(Number(r.k)).dates.push(String(r.dt));
    }
    return outcomes;
  }
  /**
   * Each file's rejected records in one JSON-lines file, ordered by line; per file, how many the SQL stage
   * rejected, on which business dates, and the most frequent reasons (as ingest-file.ts collectRejections).
   */
  async collectRejections(live, staged) {
    const { ws } = this;
    const counts = /* @__PURE__ */ new Map();
    const count2 = (k) => counts.get(k) ?? counts.set(k, { reader: 0, mapping: 0 }).get(k);
    const ks = live.map((e) => e.k).join(", ");
    for (const r of await ws.query(
      `SELECT b.k AS k, count(DISTINCT e.line) AS n FROM reject_errors e JOIN reject_scans s ON s.scan_id = e.scan_id AND s.file_id = e.file_id JOIN batch_files b ON b.path = s.file_path WHERE b.k IN (${ks}) GROUP BY ALL`
    )) {
      count2(Number(r.k)).reader = Number(r.n);
    }
    for (const r of await ws.query(`SELECT ${fileOfLine("__line")} AS k, count(*) AS n FROM ${staged} WHERE __field IS NOT NULL GROUP BY ALL`)) {
      count2(Number(r.k)).mapping = Number(r.n);
    }
    const byDate = /* @__PURE__ */ new Map();
    const time = this.table === "contacts" ? "arrived_ms" : "responded_ms";
    if ([...counts.values()].some((c) => c.mapping > 0)) {
      for (const r of await ws.query(
        `SELECT ${fileOfLine("__line")} AS k, ${localDate(this.config.timezone, time)} AS dt, count(*) AS n FROM ${staged} WHERE __field IS NOT NULL AND ${time} IS NOT NULL GROUP BY ALL`
      )) {
        const dates = byDate.get(Number(r.k)) ?? byDate.set(Number(r.k), /* @__PURE__ */ new Map()).get(Number(r.k));
        dates.set(String(r.dt), Number(r.n));
      }
    }
    const out = /* @__PURE__ */ new Map();
    for (const e of live) {
      const c = counts.get(e.k) ?? { reader: 0, mapping: 0 };
      const rejections = { sqlRejected: c.reader + c.mapping, byDate: byDate.get(e.k) ?? /* @__PURE__ */ new Map(), reasons: [] };
      if (c.reader + c.mapping + e.framing.count > 0) {
        await this.writeQuarantine(e, staged, c);
        rejections.reasons = await quarantineReasons(ws, this.path(`quarantine-${e.k}.jsonl`));
      }
      out.set(e.k, rejections);
    }
    return out;
  }
  /** The quarantine file of one file, as ingest-file.ts collectRejections writes it. */
  async writeQuarantine(e, staged, c) {
    const { ws } = this;
    const file = sqlString2(e.file.file);
    const records = e.records;
    const d = sqlString2(records.delimiter);
    const parts = e.framing.count > 0 ? [e.framing.path] : [];
    if (c.reader > 0) {
      const path6 = this.path(`quarantine-reader-${e.k}.jsonl`);
      await ws.run(
        `COPY (SELECT ${file} AS file, CAST(split_part(csv_line, ${d}, 1) AS BIGINT) AS line, '(row)' AS field, 'expected ${records.width} fields, found ' || CAST(CAST(regexp_extract(error_message, 'Found: ([0-9]+)', 1) AS INTEGER) - 2 AS VARCHAR) AS reason, left(substr(csv_line, length(split_part(csv_line, ${d}, 1)) + 2 * length(${d}) + 2), ${QUARANTINE_RAW_LIMIT}) AS raw FROM (SELECT e.line, any_value(e.csv_line) AS csv_line, any_value(e.error_message) AS error_message ${readerRejectsOf(e.k)} GROUP BY e.line)) TO ${sqlString2(path6)} (FORMAT json)`
      );
      parts.push(path6);
    }
    if (c.mapping > 0) {
      const path6 = this.path(`quarantine-mapping-${e.k}.jsonl`);
      await ws.run(
        `COPY (SELECT ${file} AS file, ${lineInFile("__line")} AS line, __field AS field, __reason AS reason, left(__raw, ${QUARANTINE_RAW_LIMIT}) AS raw FROM ${staged} WHERE __field IS NOT NULL AND ${fileOfLine("__line")} = ${e.k}) TO ${sqlString2(path6)} (FORMAT json)`
      );
      parts.push(path6);
    }
    await ws.run(
      `COPY (SELECT file, line, field, reason, raw FROM read_json([${parts.map(sqlString2).join(", ")}], format = 'newline_delimited', columns = {file: 'VARCHAR', line: 'BIGINT', field: 'VARCHAR', reason: 'VARCHAR', raw: 'VARCHAR'}) ORDER BY line) TO ${sqlString2(this.path(`quarantine-${e.k}.jsonl`))} (FORMAT json)`
    );
  }
  /** `fresh`: each file's lake rows (customer keys, UTC times, provenance), one copy per contact within a file. */
  async createFresh(live, staged) {
    const { ws } = this;
    let joinNorms = false;
    if (this.table === "contacts") {
      const scope = customerKeyScope(this.config, this.source);
      const rows = await ws.query(
        `SELECT DISTINCT customer_raw AS raw FROM ${staged} WHERE __field IS NULL AND customer_raw IS NOT NULL AND customer_shortcut IS NULL`
      );
      if (rows.length > 0) {
        await ws.run(`CREATE TABLE customer_norms (raw VARCHAR, norm VARCHAR)`);
        await ws.appendText("customer_norms", rows.map((r) => [String(r.raw), normalizeCustomer(String(r.raw), scope)]));
        joinNorms = true;
      }
    }
    const pads = hmacPads(this.deps.customerKeySecret);
    await ws.run(`CREATE TABLE hmac_pads AS SELECT ?::BLOB AS outer_pad, ?::BLOB AS inner_pad`, [pads.outer, pads.inner]);
    await ws.run(`CREATE TABLE provenance_text (k VARCHAR, source_file VARCHAR, ingested_ms VARCHAR, delivered_ms VARCHAR)`);
    await ws.appendText(
      "provenance_text",
      live.map((e) => [String(e.k), basename3(e.file.file), String(Date.parse(e.base.started_at)), String(e.deliveredAt.getTime())])
    );
    await ws.run(
      `CREATE TABLE provenance AS SELECT CAST(k AS INTEGER) AS __k, source_file AS __source_file, CAST(ingested_ms AS BIGINT) AS __ingested_ms, CAST(delivered_ms AS BIGINT) AS __delivered_ms FROM provenance_text`
    );
    const lakeRows = lakeTableSql(this.table, {
      staged: `(SELECT s.*, p.* FROM ${staged} s JOIN provenance p ON ${fileOfLine("s.__line")} = p.__k)`,
      joinNorms,
      source: this.source.id,
      provenance: { sourceFileSql: "__source_file", ingestedAtSql: "__ingested_ms", deliveredAtSql: "__delivered_ms" },
      pads: { outer: "(SELECT outer_pad FROM hmac_pads)", inner: "(SELECT inner_pad FROM hmac_pads)" }
    });
    await ws.run(
      `CREATE TABLE fresh AS SELECT *, CAST(${fileOfLine("__line")} AS INTEGER) AS __k FROM (${lakeRows}) QUALIFY row_number() OVER (PARTITION BY ${fileOfLine("__line")}, ${this.id} ORDER BY ${this.table === "contacts" ? "updated_at DESC NULLS LAST, " : ""}__line DESC) = 1`
    );
  }
  /** `windows (k, dt)`: the dates each file's rows meet other copies on (its dates and the dates either side). */
  async createWindows(outcomes) {
    const rows = [...outcomes].flatMap(([k, o]) => [...new Set(o.dates.flatMap((dt) => [shiftDate(dt, -1), dt, shiftDate(dt, 1)]))].map((dt) => [String(k), dt]));
    await this.ws.run(`CREATE TABLE windows_text (k VARCHAR, dt VARCHAR)`);
    await this.ws.appendText("windows_text", rows);
    await this.ws.run(`CREATE TABLE windows AS SELECT CAST(k AS INTEGER) AS k, dt FROM windows_text`);
  }
  /**
   * The source's rows in the lake on the batch's window as the table `lake_rows` (`__k` 0), or null when it has
   * none there; 'legacy' when a date still has objects of the one-object-per-file layout (ingest-file.ts
   * replaces those file by file).
   */
  async loadLake(window) {
    const { lake } = this.deps;
    const clientId = this.config.id;
    const found = [];
    let legacy = false;
    await inParallel(window, async (dt) => {
      const prefix = lakeKeys.partitionPrefix(this.table, clientId, dt);
      const current = lakeKeys.sourceObject(this.table, clientId, dt, this.source.id);
      for await (const object of lake.list(prefix)) {
        if (object.key === current) found.push({ key: current, dt });
        else if (object.key.startsWith(`${prefix}${this.source.id}--`) && object.key.endsWith(".parquet")) legacy = true;
      }
    });
    if (legacy) return "legacy";
    if (found.length === 0) return null;
    const files = found.sort((a, b) => a.dt < b.dt ? -1 : 1).map((f, i) => ({ ...f, path: this.path(`lake-${i}.parquet`) }));
    await inParallel(files, (f) => download(lake, f.key, f.path));
    await this.ws.run(`CREATE TABLE lake_rows AS SELECT *, CAST(0 AS INTEGER) AS __k FROM (${otherCopiesSql(files)})`);
    return "lake_rows";
  }
  /** True when some copy could reach past a file's window: the batch then goes file by file. */
  async windowMisses(lake) {
    const [row2] = await this.ws.query(windowMissesSql(this.id, "fresh", lake));
    return Number(row2?.n ?? 0) > 0;
  }
  /** Ranks every copy (table `ranked`) and fills in what each file wrote and replaced, per date. */
  async decide(lake, outcomes) {
    const { ws } = this;
    await ws.run(`CREATE TABLE ranked AS ${rankedCopiesSql(this.table, this.id, "fresh", lake)}`);
    const excluded = this.table === "contacts" ? `count(*) FILTER (WHERE ${WRITTEN} AND outcome = 'excluded')` : "0";
    const rows = await ws.query(
      `SELECT __k AS k, dt, count(*) FILTER (WHERE ${WRITTEN}) AS n, ${excluded} AS x, count(*) FILTER (WHERE ${REPLACED}) AS r FROM ranked WHERE __k > 0 GROUP BY ALL`
    );
    for (const r of rows) {
      const o = outcomes.get(Number(r.k));
      o.replaced += Number(r.r);
      if (Number(r.n) > 0) o.written.set(String(r.dt), { rows: Number(r.n), excluded: Number(r.x) });
    }
  }
  /**
   * Writes every file's version objects (by file, then date) and the changed dates' objects (by key) locally.
   * A changed date whose rows are exactly one file's version is that object, copied in the store (as
   * ingest-file.ts does when nothing else is on the date); a changed date left without rows is deleted.
   */
  async writeObjects(live) {
    const { ws } = this;
    const clientId = this.config.id;
    const perFile = await ws.query(`SELECT __k AS k, count(DISTINCT dt) AS n FROM fresh GROUP BY ALL ORDER BY k`);
    const versionsIn = /* @__PURE__ */ new Map();
    for (const [i, chunk] of chunked(perFile.map((r) => ({ item: Number(r.k), size: Number(r.n) }))).entries()) {
      const folder = this.path(`versions-${i}`);
      await this.copyPartitioned(lakeColumnsSql(this.table, "fresh", `__k BETWEEN ${chunk[0]} AND ${chunk.at(-1)}`, ["__k", "dt"]), folder, ["__k", "dt"], 32768);
      for (const k of chunk) versionsIn.set(k, join8(folder, `__k=${k}`));
    }
    const versionPaths = /* @__PURE__ */ new Map();
    for (const e of live) {
      const byDate = /* @__PURE__ */ new Map();
      const folder = versionsIn.get(e.k);
      for (const dt of folder === void 0 ? [] : await subfolders(folder, "dt=")) {
        byDate.set(dt, await this.onePath(join8(folder, `dt=${dt}`), `version-${e.k}-${dt}.parquet`));
      }
      versionPaths.set(e.k, byDate);
    }
    const changed = await ws.query(
      `WITH d AS (SELECT dt, count(*) FILTER (WHERE __rank = 1) AS winners, min(__k) FILTER (WHERE __rank = 1) AS first_k, max(__k) FILTER (WHERE __rank = 1) AS last_k FROM ranked WHERE dt IN (SELECT dt FROM ranked WHERE (__k > 0 AND __rank = 1) OR (__k = 0 AND __rank > 1)) GROUP BY dt) SELECT dt, winners, CASE WHEN first_k = last_k AND first_k > 0 AND winners = (SELECT count(*) FROM fresh f WHERE f.__k = d.first_k AND f.dt = d.dt) THEN first_k END AS version_of FROM d ORDER BY dt`
    );
    const objects = { versions: versionPaths, dates: /* @__PURE__ */ new Map(), copies: /* @__PURE__ */ new Map(), deletes: [] };
    const toWrite = [];
    for (const r of changed) {
      const dt = String(r.dt);
      const key = lakeKeys.sourceObject(this.table, clientId, dt, this.source.id);
      if (Number(r.winners) === 0) objects.deletes.push(key);
      else if (r.version_of !== null) objects.copies.set(key, { k: Number(r.version_of), dt });
      else toWrite.push(dt);
    }
    for (const [i, chunk] of chunked(toWrite.map((dt) => ({ item: dt, size: 1 }))).entries()) {
      const folder = this.path(`dates-${i}`);
      await this.copyPartitioned(lakeColumnsSql(this.table, "ranked", `__rank = 1 AND dt IN (${chunk.map(sqlString2).join(", ")})`, ["dt"]), folder, ["dt"]);
      for (const dt of chunk) objects.dates.set(lakeKeys.sourceObject(this.table, clientId, dt, this.source.id), await this.onePath(join8(folder, `dt=${dt}`), `date-${dt}.parquet`));
    }
    return objects;
  }
  /** One Parquet file per partition of the SELECT, in Hive folders (`name=value/rows0.parquet`). */
  async copyPartitioned(select, folder, by, rowGroupSize) {
    await this.ws.run(
      `COPY (${select}) TO ${sqlString2(folder)} (FORMAT parquet, PARTITION_BY (${by.join(", ")}), FILENAME_PATTERN 'rows{i}', WRITE_PARTITION_COLUMNS false${rowGroupSize === void 0 ? "" : `, ROW_GROUP_SIZE ${rowGroupSize}`})`
    );
  }
  /** The one Parquet file of a partition folder (the engine splits a large one: merged into `name`). */
  async onePath(folder, name) {
    const files = (await readdir5(folder)).filter((f) => f.endsWith(".parquet")).sort().map((f) => join8(folder, f));
    if (files.length === 1) return files[0];
    const path6 = this.path(name);
    await this.ws.run(`COPY (SELECT * FROM read_parquet([${files.map(sqlString2).join(", ")}])) TO ${sqlString2(path6)} (FORMAT parquet)`);
    return path6;
  }
  /**
   * Publishes the batch in ingest-file.ts's order, phase by phase: pending markers, version objects,
   * quarantines, manifests, the changed dates' objects, coverage, markers removed. Files rejected whole get
   * the manifest (and coverage entry) ingest-file.ts gives them.
   */
  async publish(entries, outcomes) {
    const { lake, quarantine } = this.deps;
    const clientId = this.config.id;
    const live = entries.filter((e) => e.rejected === void 0);
    const deliveryIds = new Map(live.map((e) => [e.k, `${Date.parse(e.base.started_at).toString(36)}-${randomUUID2().slice(0, 8)}`]));
    const objects = live.length === 0 ? { versions: /* @__PURE__ */ new Map(), dates: /* @__PURE__ */ new Map(), copies: /* @__PURE__ */ new Map(), deletes: [] } : await this.writeObjects(live);
    const pendingKey = (e) => lakeKeys.pendingDelivery(clientId, this.source.id, e.fileId);
    const versionKey = (e, dt) => lakeKeys.versionObject(this.table, clientId, dt, this.source.id, e.fileId, deliveryIds.get(e.k));
    const versionKeys = (e) => [...objects.versions.get(e.k)?.keys() ?? []].map((dt) => versionKey(e, dt));
    await inParallel(live, (e) => this.cleanAbandoned(pendingKey(e), e.previous));
    await inParallel(live, (e) => {
      const pending = { delivery_id: deliveryIds.get(e.k), started_at: e.base.started_at, keys: versionKeys(e) };
      return lake.put(pendingKey(e), JSON.stringify(pending), { contentType: "application/json" });
    });
    const versions = live.flatMap((e) => [...objects.versions.get(e.k) ?? []].map(([dt, path6]) => [versionKey(e, dt), path6]));
    await inParallel(versions, ([key, path6]) => lake.put(key, createReadStream4(path6), { contentType: "application/vnd.apache.parquet" }));
    const manifests = /* @__PURE__ */ new Map();
    for (const e of live) manifests.set(e.k, this.manifestOf(e, outcomes.get(e.k), deliveryIds.get(e.k), objects.versions.get(e.k)));
    await inParallel(live, async (e) => {
      const m = manifests.get(e.k);
      if (m.quarantine_key !== null) await quarantine.put(m.quarantine_key, createReadStream4(outcomes.get(e.k).quarantinePath), { contentType: "application/x-ndjson" });
      else if (e.previous?.quarantine_key) await quarantine.delete(e.previous.quarantine_key);
    });
    await inParallel(live, async (e) => {
      await lake.put(lakeKeys.manifest(clientId, this.source.id, e.fileId), JSON.stringify(manifests.get(e.k), null, 2), { contentType: "application/json" });
      await lake.delete(lakeKeys.rejectedManifest(clientId, this.source.id, e.fileId));
    });
    await inParallel([...objects.dates], ([key, path6]) => lake.put(key, createReadStream4(path6), { contentType: "application/vnd.apache.parquet" }));
    await inParallel([...objects.copies], ([key, { k, dt }]) => lake.copy(versionKey(live.find((e) => e.k === k), dt), key));
    await inParallel(objects.deletes, (key) => lake.delete(key));
    await inParallel(
      live,
      (e) => writeCoverageEntries(lake, { source: this.source, file: e.file.file, fileId: e.fileId, deliveredAt: e.deliveredAt }, manifests.get(e.k), e.previous, outcomes.get(e.k).rejections)
    );
    await inParallel(live, (e) => lake.delete(pendingKey(e)));
    const out = [];
    for (const e of entries) {
      if (e.rejected === void 0) {
        out.push(manifests.get(e.k));
        continue;
      }
      const at = e.recordedAt;
      const deps = at === void 0 ? this.deps : { ...this.deps, clock: { now: () => at } };
      out.push(await rejectFile(deps, this.config, this.source, e.base, e.rejected, e.deliveredAt));
    }
    return out;
  }
  /** A delivery of this file that started and died before its manifest: its objects go (as ingest-file.ts). */
  async cleanAbandoned(pendingKey, previous) {
    const pending = await readJson(this.deps.lake, pendingKey);
    if (!pending || pending.delivery_id === previous?.delivery_id) return;
    for (const key of pending.keys) await this.deps.lake.delete(key);
    await this.deps.lake.delete(pendingKey);
  }
  manifestOf(e, o, deliveryId, versions) {
    const clientId = this.config.id;
    const records = e.records;
    const partitions = o.dates.map((dt) => ({
      dt,
      rows: o.written.get(dt)?.rows ?? 0,
      excluded: o.written.get(dt)?.excluded ?? 0,
      object_key: lakeKeys.sourceObject(this.table, clientId, dt, this.source.id),
      ...versions.has(dt) ? { version_key: lakeKeys.versionObject(this.table, clientId, dt, this.source.id, e.fileId, deliveryId) } : {}
    }));
    const rowsWritten = partitions.reduce((sum, p) => sum + p.rows, 0);
    const legsGrouped = o.legsGrouped ?? 0;
    const manifest = {
      ...e.base,
      file_sha256: e.sha256,
      finished_at: (e.recordedAt ?? this.deps.clock.now()).toISOString(),
      status: "ok",
      error: null,
      rows_read: records.records + records.rejected,
      rows_written: rowsWritten,
      rows_quarantined: o.quarantined,
      duplicates_dropped: o.valid - rowsWritten,
      ...o.legsGrouped === void 0 ? {} : { legs_grouped: legsGrouped },
      rows_replaced: o.replaced,
      rows_excluded: partitions.reduce((sum, p) => sum + p.excluded, 0),
      lines_read: records.lines,
      blank_lines: records.blankLines,
      delivered_at: e.deliveredAt.toISOString(),
      delivery_id: deliveryId,
      partitions,
      coverage_dates: coveredDates(partitions, o.rejections, declaredFileDate(this.source, e.file.file)),
      quarantine_key: o.quarantined > 0 ? lakeKeys.quarantine(clientId, this.source.id, e.fileId) : null
    };
    if (manifest.rows_read !== manifest.rows_written + manifest.rows_quarantined + manifest.duplicates_dropped + legsGrouped) {
      throw new Error(`ingest bookkeeping error for ${e.file.file}: ${JSON.stringify({ ...manifest, partitions: void 0 })}`);
    }
    return manifest;
  }
};
var PARTITIONS_PER_WRITE = 48;
function chunked(items) {
  const chunks = [];
  let size = Infinity;
  for (const { item, size: n } of items) {
    if (size + n > PARTITIONS_PER_WRITE) {
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1).push(item);
    size += n;
  }
  return chunks;
}
async function subfolders(folder, name) {
  const entries = await readdir5(folder, { withFileTypes: true }).catch(() => []);
  return entries.filter((d) => d.isDirectory() && d.name.startsWith(name)).map((d) => d.name.slice(name.length)).sort();
}
async function inParallel(items, fn) {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PUBLISH_CONCURRENCY, items.length) }, worker));
}

// functions/core/schedule/run-report.ts
import { randomUUID as randomUUID3 } from "node:crypto";

// functions/core/report/charts.ts
import { createRequire } from "node:module";
import path4 from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import * as vegaLite from "vega-lite";

// functions/core/report/errors.ts
var ChartRenderError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "ChartRenderError";
  }
};
var ReportRenderError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "ReportRenderError";
  }
};

// functions/core/report/charts.ts
var CHART_FONT_FAMILY = "Pretendard";
var CHART_WIDTH = 520;
var SCALE = 2;
var require2 = createRequire(import.meta.url);
function pretendardFontFiles() {
  const dir = path4.join(path4.dirname(require2.resolve("pretendard/package.json")), "dist/public/static/alternative");
  return ["Pretendard-Regular.ttf", "Pretendard-SemiBold.ttf"].map((file) => path4.join(dir, file));
}
var COLORS = { bars: "#9db7e0", line: "#d9480f", text: "#343a40", grid: "#e9ecef", peak: "#1c4f9c" };
var baseConfig = {
  font: CHART_FONT_FAMILY,
  background: "#ffffff",
  view: { stroke: null },
  axis: {
    labelFont: CHART_FONT_FAMILY,
    titleFont: CHART_FONT_FAMILY,
    labelFontSize: 15,
    titleFontSize: 15,
    labelColor: COLORS.text,
    titleColor: COLORS.text,
    gridColor: COLORS.grid,
    domainColor: "#adb5bd",
    tickColor: "#adb5bd"
  },
  legend: { labelFont: CHART_FONT_FAMILY, titleFont: CHART_FONT_FAMILY, labelFontSize: 12 }
};
async function renderSpecToPng(spec2) {
  let svg;
  try {
    const compiled = vegaLite.compile(spec2).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: "none" });
    svg = await view.toSVG();
    view.finalize();
  } catch (error) {
    throw new ChartRenderError("could not compile the chart", { cause: error });
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: SCALE },
    font: { loadSystemFonts: false, fontFiles: pretendardFontFiles(), defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
    background: "#ffffff"
  });
  const rendered = resvg.render();
  return { png: new Uint8Array(rendered.asPng()), width: Math.round(rendered.width / SCALE), height: Math.round(rendered.height / SCALE) };
}
var COLORS_TARGET = "#868e96";
function barsWithLine(series, width, height, xAxis) {
  const values = series.points.map((p) => ({ x: p.label, offered: p.offered, line: p.line }));
  const x = { field: "x", type: "ordinal", sort: null, title: null, axis: { labelAngle: 0, ...xAxis } };
  const rate = { type: "quantitative", title: null, scale: { domain: [0, 1] } };
  const layers = [
    {
      mark: { type: "bar", color: COLORS.bars, cornerRadiusEnd: 2 },
      encoding: { x, y: { field: "offered", type: "quantitative", title: null, axis: { format: ",d", tickMinStep: 1 } } }
    },
    {
      mark: { type: "line", color: COLORS.line, strokeWidth: 2.5, point: { color: COLORS.line, size: 30 } },
      encoding: { x, y: { field: "line", ...rate, axis: { format: ".0%", labelColor: COLORS.line, grid: false } } }
    }
  ];
  if (series.target !== null) {
    layers.push({
      data: { values: [{ target: series.target }] },
      mark: { type: "rule", color: COLORS_TARGET, strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { y: { field: "target", ...rate, axis: null } }
    });
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width,
    height,
    data: { values },
    config: baseConfig,
    layer: layers,
    resolve: { scale: { y: "independent" } }
  };
}
function trendChartSpec(model) {
  if (model.trend === null) throw new ChartRenderError("the report has no trend to draw");
  return barsWithLine(model.trend, CHART_WIDTH - 110, 200, { labelOverlap: "parity" });
}
function hourlyChartSpec(model) {
  if (model.hourlyLine === null) throw new ChartRenderError("the report has no hourly profile to draw");
  return barsWithLine(model.hourlyLine, CHART_WIDTH - 110, 170, { labelExpr: 'datum.value % 3 === 0 ? datum.label : ""' });
}
async function renderCharts(model) {
  const charts = [];
  const m = model.format.messages;
  if (model.trend !== null) {
    const { png, width, height } = await renderSpecToPng(trendChartSpec(model));
    charts.push({ cid: `trend@cspulse`, fileName: "trend.png", png, width, height, alt: `${m.sections.trend} \u2014 ${model.trendCaption ?? ""}` });
  }
  if (model.hourlyLine !== null) {
    const { png, width, height } = await renderSpecToPng(hourlyChartSpec(model));
    charts.push({ cid: `hourly@cspulse`, fileName: "hourly.png", png, width, height, alt: model.peakHourText ?? m.sections.hourly });
  }
  return charts;
}

// functions/core/report/csv.ts
var BOM = "\uFEFF";
function csvField(value) {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
var row = (fields) => fields.map(csvField).join(",");
function renderReportCsv(model) {
  const m = model.format.messages.csv;
  const c = m.columns;
  const lines = [];
  lines.push(row([m.section.daily]));
  lines.push(row([c.date, c.offered, c.answered, c.abandoned, c.answer_rate, c.service_level, c.asa_seconds, c.aht_seconds]));
  for (const p of model.daily) {
    lines.push(row([p.dt, p.offered, p.answered, p.abandoned, p.answer_rate, p.service_level, p.asa_seconds, p.aht_seconds]));
  }
  lines.push("");
  lines.push(row([m.section.hourly]));
  lines.push(row([c.hour, c.offered, c.answered, c.abandoned, c.service_level, c.avg_per_day]));
  for (const h of model.hourly) lines.push(row([h.hour, h.offered, h.answered, h.abandoned, h.service_level, h.avg_per_day]));
  const text3 = BOM + lines.join("\r\n") + "\r\n";
  return { fileName: m.fileName(model.clientId, model.kind, model.period.start), content: new TextEncoder().encode(text3) };
}

// functions/core/report/html.ts
import mjml2html from "mjml";

// functions/core/report/escape.ts
function escapeHtml(text3) {
  return text3.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// functions/core/report/html.ts
var FONT = "'Apple SD Gothic Neo', 'Malgun Gothic', '\uB9D1\uC740 \uACE0\uB515', Pretendard, 'Noto Sans KR', Arial, sans-serif";
var C = {
  ink: "#212529",
  muted: "#6c757d",
  line: "#dee2e6",
  soft: "#f8f9fa",
  brand: "#1c4f9c",
  better: "#2b8a3e",
  worse: "#c92a2a",
  warnBg: "#fff4e6",
  warnInk: "#a14a00",
  badBg: "#fff5f5",
  infoBg: "#e7f0fb",
  infoInk: "#1c4f9c"
};
var num3 = (text3, style = "") => `<span class="cs-num" style="white-space:nowrap${style === "" ? "" : `;${style}`}">${escapeHtml(text3)}</span>`;
function changeHtml(change) {
  if (change.direction === null) return num3(change.text, `color:${C.muted}`);
  const color = change.direction === "better" ? C.better : change.direction === "worse" ? C.worse : C.muted;
  const weight = change.direction === "better" || change.direction === "worse" ? ";font-weight:600" : "";
  return num3(change.text, `color:${color}${weight}`);
}
var VERDICT_STYLE = {
  met: { color: C.better, mark: "\u25CF", bg: "#ffffff" },
  missed: { color: C.worse, mark: "\u25B2", bg: C.badBg },
  provisional: { color: C.warnInk, mark: "\u25D0", bg: C.warnBg },
  "no-data": { color: C.muted, mark: "\u2013", bg: "#ffffff" }
};
function contractCard(card, model) {
  const m = model.format.messages;
  const v = VERDICT_STYLE[card.verdict];
  const details = [
    `${escapeHtml(m.sla.target)} ${num3(card.target)}`,
    card.verdict === "no-data" ? null : num3(card.margin),
    `${escapeHtml(m.sla.prior)} ${num3(card.prior)}`,
    card.daysMet === null ? null : num3(card.daysMet),
    card.smallSample === null ? null : num3(card.smallSample)
  ].filter((x) => x !== null);
  return `<div style="border:1px solid ${C.line};border-left:4px solid ${v.color};border-radius:6px;padding:9px 12px;margin:0 0 8px;background:${v.bg}">
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>
    <td style="font-size:13px;color:${C.ink};font-weight:600">${escapeHtml(card.label)}</td>
    <td style="text-align:right;white-space:nowrap"><span style="color:${v.color};font-weight:700;font-size:13px;white-space:nowrap">${v.mark} ${escapeHtml(card.verdictText)}</span></td>
  </tr></table>
  <div style="font-size:22px;font-weight:700;color:${C.ink};padding:2px 0">${num3(card.actual)}</div>
  <div style="font-size:12px;color:${C.muted}">${details.join(" \xB7 ")}</div>
</div>`;
}
function contractSection(model) {
  if (model.contract.length === 0) return "";
  return sectionTitle(model.format.messages.sections.contract) + `<mj-text padding="0 24px">${model.contract.map((c) => contractCard(c, model)).join("")}</mj-text>`;
}
function figureCell(kpi, model) {
  const m = model.format.messages;
  const weekAgo = kpi.vsWeekAgo !== null && model.vsWeekAgoLabel !== null ? `<div style="font-size:12px;color:${C.muted};padding-top:2px">${escapeHtml(m.vsWeekAgoShort)} ${changeHtml(kpi.vsWeekAgo)}</div>` : "";
  const marks = [kpi.smallSample, kpi.provisional ? m.comparison.provisional : null].filter((x) => x !== null);
  const mark = marks.length === 0 ? "" : ` <span style="font-size:11px;color:${C.warnInk};white-space:nowrap">${escapeHtml(marks.join(" \xB7 "))}</span>`;
  return `<td style="width:50%;padding:5px;vertical-align:top">
  <div style="border:1px solid ${C.line};border-radius:6px;padding:9px 11px;background:#ffffff">
    <div style="font-size:12px;color:${C.muted}">${escapeHtml(kpi.label)}</div>
    <div style="font-size:21px;font-weight:700;color:${C.ink};padding:2px 0">${num3(kpi.display)}${mark}</div>
    <div style="font-size:12px;color:${C.muted}">${escapeHtml(m.vsPriorShort[model.kind])} ${changeHtml(kpi.vsPrior)}</div>
    ${weekAgo}
  </div>
</td>`;
}
function figureGrid(figures, model) {
  const rows = [];
  for (let i = 0; i < figures.length; i += 2) {
    const pair = figures.slice(i, i + 2);
    rows.push(`<tr>${pair.map((k) => figureCell(k, model)).join("")}${pair.length === 1 ? "<td></td>" : ""}</tr>`);
  }
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:separate;table-layout:fixed">${rows.join("")}</table>`;
}
var th = (text3, align = "right") => `<th style="text-align:${align};font-weight:600;font-size:12px;color:${C.muted};padding:6px 3px;border-bottom:2px solid ${C.line}">${escapeHtml(text3)}</th>`;
var td = (html, align = "right", extra = "") => `<td style="text-align:${align};padding:7px 3px;border-bottom:1px solid ${C.line};${extra}">${html}</td>`;
function table(headers, rows) {
  return `<mj-table font-size="13px" color="${C.ink}" padding="0 24px" width="100%" table-layout="auto">
<tr>${headers}</tr>
${rows.join("\n")}
</mj-table>`;
}
function sectionTitle(title) {
  return `<mj-text font-size="16px" font-weight="700" color="${C.ink}" padding="22px 24px 8px">${escapeHtml(title)}</mj-text>`;
}
var note = (text3, padding = "4px 24px 0") => text3 === null ? "" : `<mj-text font-size="12px" color="${C.muted}" padding="${padding}">${escapeHtml(text3)}</mj-text>`;
function channelSection(model) {
  const m = model.format.messages;
  if (model.channels.length === 0) return "";
  const headers = [th(m.table.channel, "left"), th(m.kpi.offered), th(m.kpi.answer_rate), th("SL"), th(m.kpi.abandon_rate), th("ASA")].join("");
  const rows = model.channels.map(
    (c) => `<tr>${[td(escapeHtml(c.label), "left"), td(num3(c.offered)), td(num3(c.answerRate)), td(num3(c.serviceLevel)), td(num3(c.abandonRate)), td(num3(c.asa))].join("")}</tr>`
  );
  return sectionTitle(m.sections.channels) + table(headers, rows);
}
function categorySection(model) {
  const m = model.format.messages;
  if (model.categories.length === 0) return "";
  const headers = [th(m.table.category, "left"), th(m.table.count), th(m.table.share), th(m.table.change)].join("");
  const rows = model.categories.map((c) => {
    const badge = c.isSpike ? ` <span style="display:inline-block;background:${C.worse};color:#ffffff;font-size:11px;font-weight:700;border-radius:3px;padding:1px 5px;white-space:nowrap">${escapeHtml(m.spike)}</span>` : "";
    return `<tr>${[td(`${escapeHtml(c.label)}${badge}`, "left", "word-break:break-all"), td(num3(c.count)), td(num3(c.share)), td(changeHtml(c.change))].join("")}</tr>`;
  });
  return sectionTitle(m.sections.categories) + table(headers, rows) + note(`${model.categoryBase} \xB7 ${model.vsPriorLabel}`);
}
function surveySection(model) {
  const m = model.format.messages;
  if (model.surveys.every((s) => s.value === null) && model.comments.length === 0) return "";
  const headers = [th(m.sla.kpi, "left"), th(m.sla.actual), th(model.vsPriorLabel)].join("");
  const rows = model.surveys.map((s) => {
    const n = s.smallSample === null ? "" : ` <span style="font-size:11px;color:${C.warnInk};white-space:nowrap">${escapeHtml(s.smallSample)}</span>`;
    return `<tr>${[td(escapeHtml(s.label), "left"), td(`<b>${num3(s.display)}</b>${n}`), td(changeHtml(s.vsPrior))].join("")}</tr>`;
  });
  const comments = model.comments.length === 0 ? "" : `<mj-text font-size="13px" font-weight="700" color="${C.ink}" padding="14px 24px 4px">${escapeHtml(m.sections.comments)}</mj-text><mj-text padding="0 24px" font-size="13px" color="${C.ink}">${model.comments.map(
    (c) => `<div style="border-left:3px solid ${C.line};padding:2px 0 2px 10px;margin:0 0 8px"><div style="word-break:break-word">\u201C${escapeHtml(c.text)}\u201D</div><div style="font-size:11px;color:${C.muted}">${escapeHtml(c.meta)}</div></div>`
  ).join("")}</mj-text>`;
  return sectionTitle(m.sections.surveys) + table(headers, rows) + note(model.surveyResponsesText) + comments;
}
function costSection(model) {
  const m = model.format.messages;
  if (model.cost === null) return model.costNote === null ? "" : sectionTitle(m.sections.cost) + note(model.costNote, "0 24px");
  return sectionTitle(m.sections.cost) + `<mj-text font-size="14px" color="${C.ink}" padding="0 24px">${escapeHtml(m.cost.perContact)} <b style="font-size:18px">${num3(model.cost.display)}</b> \xB7 ${escapeHtml(model.vsPriorLabel)} ${changeHtml(model.cost.vsPrior)}<br><span style="font-size:12px;color:${C.muted}">${escapeHtml(m.cost.explanation)}</span></mj-text>`;
}
function actionsSection(model) {
  const m = model.format.messages;
  const calm = model.actions.length === 0;
  const items = calm ? `<div style="color:${C.better}">\u2713 ${escapeHtml(model.noActionsText)}</div>` : model.actions.map(
    (a) => `<div style="padding:3px 0"><span style="color:${a.severity === "high" ? C.worse : C.warnInk};font-weight:700">${a.severity === "high" ? "\u25CF" : "\u25CB"}</span> ${escapeHtml(a.text)}</div>`
  ).join("");
  return `<mj-text padding="16px 24px 0" font-size="14px" line-height="1.55" color="${C.ink}">
<div style="background:${calm ? "#ebfbee" : C.warnBg};border-radius:6px;padding:12px 14px">
<div style="font-weight:700;font-size:15px;padding-bottom:4px">${escapeHtml(m.sections.actions)}</div>
${items}
</div>
</mj-text>`;
}
function correctionSection(model) {
  if (model.correction === null) return "";
  const m = model.format.messages;
  const lines = model.correction.changes.map((c) => `<li style="margin:2px 0">${escapeHtml(c.text)}</li>`).join("");
  return `<mj-section background-color="${C.infoBg}" padding="12px 0"><mj-column>
  <mj-text font-size="14px" font-weight="700" color="${C.infoInk}">${escapeHtml(m.sections.correction)}</mj-text>
  <mj-text font-size="13px" color="${C.ink}" padding="4px 24px 0">${escapeHtml(model.correction.notice)}</mj-text>
  <mj-text font-size="13px" color="${C.ink}" padding="6px 24px 0">${escapeHtml(model.correction.intro)}<ul style="margin:6px 0 0;padding-left:18px">${lines}</ul></mj-text>
</mj-column></mj-section>`;
}
function imageBlock(chart, caption) {
  if (chart === void 0) return "";
  const cap = caption === null ? "" : `<mj-text font-size="12px" color="${C.muted}" padding="0 24px 4px">${escapeHtml(caption)}</mj-text>`;
  return `${cap}<mj-image src="cid:${escapeHtml(chart.cid)}" alt="${escapeHtml(chart.alt)}" width="${chart.width}px" height="auto" padding="0 24px" fluid-on-mobile="true"></mj-image>`;
}
function reportMjml(model, charts) {
  const m = model.format.messages;
  const trend = charts.find((c) => c.fileName === "trend.png");
  const hourly = charts.find((c) => c.fileName === "hourly.png");
  const banner = model.banner === null ? "" : `<mj-section background-color="${C.warnBg}" padding="10px 0"><mj-column><mj-text font-size="13px" color="${C.warnInk}" font-weight="700">\u26A0 ${escapeHtml(model.banner)}</mj-text></mj-column></mj-section>`;
  const quality = model.dataQuality.map((l) => `<div>${escapeHtml(l)}</div>`).join("");
  const contract = model.contractNotes.map((l) => `<div>${escapeHtml(l)}</div>`).join("");
  const preview = model.correction?.changes[0]?.text ?? model.actions[0]?.text ?? model.noActionsText;
  return `<mjml lang="${model.locale}">
<mj-head>
  <mj-title>${escapeHtml(model.subject)}</mj-title>
  <mj-preview>${escapeHtml(preview)}</mj-preview>
  <mj-attributes>
    <mj-all font-family="${FONT}" />
    <mj-text line-height="1.5" padding="0 24px" />
  </mj-attributes>
</mj-head>
<mj-body background-color="#eef1f4" width="600px">
  <mj-section background-color="${C.brand}" padding="18px 0 16px">
    <mj-column>
      <mj-text color="#d0ddf2" font-size="13px" padding="0 24px">${escapeHtml(model.clientName)}</mj-text>
      <mj-text color="#ffffff" font-size="22px" font-weight="700" padding="2px 24px 0"><h1 style="margin:0;font-size:22px;font-weight:700">${escapeHtml(model.correction === null ? model.title : `${m.tags.corrected} ${model.title}`)}</h1></mj-text>
      <mj-text color="#ffffff" font-size="14px" padding="2px 24px 0">${escapeHtml(model.periodLabel)}</mj-text>
    </mj-column>
  </mj-section>
  ${correctionSection(model)}
  ${banner}
  <mj-section background-color="#ffffff" padding="0 0 24px">
    <mj-column>
      ${contractSection(model)}
      ${actionsSection(model)}
      ${model.keyFigures.length === 0 ? "" : sectionTitle(m.sections.keyFigures) + `<mj-text padding="0 19px">${figureGrid(model.keyFigures, model)}</mj-text>` + note(model.comparisonNote)}
      ${channelSection(model)}
      ${trend === void 0 ? "" : sectionTitle(m.sections.trend) + imageBlock(trend, model.trendCaption)}
      ${hourly === void 0 ? "" : sectionTitle(m.sections.hourly) + imageBlock(hourly, [model.peakHourText, model.hourlyLine === null ? null : m.hourlyCaption(model.hourlyLine.label)].filter((x) => x !== null).join(" \xB7 "))}
      ${categorySection(model)}
      ${surveySection(model)}
      ${costSection(model)}
    </mj-column>
  </mj-section>
  <mj-section background-color="${C.soft}" padding="8px 0 20px">
    <mj-column>
      <mj-text font-size="13px" font-weight="700" color="${C.ink}" padding="10px 24px 4px">${escapeHtml(m.sections.dataQuality)}</mj-text>
      <mj-text font-size="12px" color="${C.muted}">${quality}</mj-text>
      <mj-text font-size="13px" font-weight="700" color="${C.ink}" padding="14px 24px 4px">${escapeHtml(m.sections.contractTerms)}</mj-text>
      <mj-text font-size="12px" color="${C.muted}">${contract}</mj-text>
      <mj-divider border-width="1px" border-color="${C.line}" padding="14px 24px" />
      <mj-text font-size="11px" color="${C.muted}">${escapeHtml(m.footer)}</mj-text>
    </mj-column>
  </mj-section>
</mj-body>
</mjml>`;
}
async function renderReportHtml(model, charts) {
  try {
    const result = await mjml2html(reportMjml(model, charts), { validationLevel: "strict", keepComments: false });
    return result.html;
  } catch (error) {
    throw new ReportRenderError("could not render the report HTML", { cause: error });
  }
}

// functions/core/report/messages.ts
var ko = {
  kpi: {
    offered: "\uC778\uC785",
    answered: "\uC751\uB300",
    abandoned: "\uD3EC\uAE30\uD638",
    callbacks: "\uCF5C\uBC31",
    answer_rate: "\uC751\uB300\uC728",
    abandon_rate: "\uD3EC\uAE30\uC728",
    service_level: "\uC11C\uBE44\uC2A4 \uB808\uBCA8",
    asa_seconds: "\uD3C9\uADE0 \uC751\uB2F5 \uC18D\uB3C4(ASA)",
    aht_seconds: "\uD3C9\uADE0 \uCC98\uB9AC \uC2DC\uAC04(AHT)",
    avg_talk_seconds: "\uD3C9\uADE0 \uD1B5\uD654 \uC2DC\uAC04",
    avg_acw_seconds: "\uD3C9\uADE0 \uD6C4\uCC98\uB9AC \uC2DC\uAC04",
    wait_p90_seconds: "\uB300\uAE30 \uC2DC\uAC04 90%",
    max_wait_seconds: "\uCD5C\uC7A5 \uB300\uAE30 \uC2DC\uAC04",
    transfer_rate: "\uD638 \uC804\uD658\uC728",
    self_service_rate: "IVR/\uCC57\uBD07 \uD574\uACB0\uB960",
    repeat_rate: "\uC7AC\uBB38\uC758\uC728(\uBC84\uBE14\uD638)",
    retry_after_abandon_rate: "\uD3EC\uAE30 \uD6C4 \uC7AC\uC778\uC785\uB960",
    fcr: "\uCCAB \uCF5C \uD574\uACB0\uB960(FCR)",
    csat_avg: "\uACE0\uAC1D\uB9CC\uC871\uB3C4(CSAT)",
    csat_satisfied_rate: "CSAT \uB9CC\uC871 \uBE44\uC728",
    nps: "\uC21C\uCD94\uCC9C\uC9C0\uC218(NPS)",
    ces_avg: "\uACE0\uAC1D\uB178\uB825\uC810\uC218(CES)",
    ces_low_effort_rate: "CES \uB0AE\uC740 \uB178\uB825 \uBE44\uC728",
    survey_response_rate: "\uC124\uBB38 \uC751\uB2F5\uB960",
    cost_per_contact: "\uBB38\uC758\uB2F9 \uBE44\uC6A9",
    contacts_per_day: "\uC77C\uD3C9\uADE0 \uC751\uB300",
    contacts_per_agent_day: "\uC0C1\uB2F4\uC6D0 1\uC778\uB2F9 \uC77C \uC751\uB300"
  },
  channel: { phone: "\uC804\uD654", chat: "\uCC44\uD305", board: "\uAC8C\uC2DC\uD310", email: "\uC774\uBA54\uC77C" },
  periodName: { daily: "\uC77C\uAC04", weekly: "\uC8FC\uAC04", monthly: "\uC6D4\uAC04" },
  vsPrior: { daily: "\uC804\uC77C \uB300\uBE44", weekly: "\uC804\uC8FC \uB300\uBE44", monthly: "\uC804\uC6D4 \uB300\uBE44" },
  vsWeekAgo: "\uC804\uC8FC \uAC19\uC740 \uC694\uC77C \uB300\uBE44",
  vsPriorShort: { daily: "\uC804\uC77C", weekly: "\uC804\uC8FC", monthly: "\uC804\uC6D4" },
  vsWeekAgoShort: "\uC804\uC8FC \uB3D9\uC694\uC77C",
  subject: (client, kind, label) => `[${client}] ${ko.periodName[kind]} CS \uB9AC\uD3EC\uD2B8 \xB7 ${label}`,
  title: (kind) => `${ko.periodName[kind]} CS \uB9AC\uD3EC\uD2B8`,
  tags: { incomplete: (missing) => `(\uB370\uC774\uD130 \uBBF8\uC644\uB8CC: ${missing})`, noData: "(\uB370\uC774\uD130 \uC5C6\uC74C)", corrected: "[\uC815\uC815]" },
  banners: {
    incomplete: (missing) => `\uB370\uC774\uD130\uAC00 \uBAA8\uB450 \uB3C4\uCC29\uD558\uAE30 \uC804\uC5D0 \uC9D1\uACC4\uD55C \uC7A0\uC815 \uB9AC\uD3EC\uD2B8\uC785\uB2C8\uB2E4. \uBC1B\uC9C0 \uBABB\uD55C \uB370\uC774\uD130: ${missing}. \uD574\uB2F9 \uC9C0\uD45C\uC640 \uBE44\uAD50\uB294 \uC7A0\uC815\uCE58\uC785\uB2C8\uB2E4.`,
    noData: (missing) => `\uC774 \uAE30\uAC04\uC758 \uB370\uC774\uD130\uB97C \uBC1B\uC9C0 \uBABB\uD588\uC2B5\uB2C8\uB2E4 (${missing}). \uC9C0\uD45C\uC640 SLA \uD310\uC815\uC774 \uC5C6\uC2B5\uB2C8\uB2E4.`,
    corrected: (sentAt) => `${sentAt}\uC5D0 \uBC1C\uC1A1\uD55C \uB9AC\uD3EC\uD2B8\uC758 \uC815\uC815\uBCF8\uC785\uB2C8\uB2E4. \uADF8 \uB4A4\uC5D0 \uB3C4\uCC29\uD55C \uB370\uC774\uD130\uB85C \uB2E4\uC2DC \uC9D1\uACC4\uD588\uC2B5\uB2C8\uB2E4.`
  },
  sections: {
    contract: "\uACC4\uC57D \uC9C0\uD45C (SLA)",
    keyFigures: "\uC8FC\uC694 \uC9C0\uD45C",
    actions: "\uD655\uC778\uC774 \uD544\uC694\uD55C \uC0AC\uD56D",
    correction: "\uC815\uC815 \uB0B4\uC6A9",
    channels: "\uCC44\uB110\uBCC4 \uD604\uD669",
    trend: "\uC77C\uBCC4 \uCD94\uC774",
    hourly: "\uC2DC\uAC04\uB300\uBCC4 \uC778\uC785",
    categories: "\uC0C1\uB2F4 \uC720\uD615 \uC0C1\uC704",
    surveys: "\uACE0\uAC1D \uC124\uBB38",
    comments: "\uCD5C\uADFC \uACE0\uAC1D \uC758\uACAC",
    cost: "\uBE44\uC6A9",
    dataQuality: "\uB370\uC774\uD130 \uD488\uC9C8",
    contractTerms: "\uACC4\uC57D \uC870\uAC74"
  },
  sla: {
    kpi: "\uC9C0\uD45C",
    actual: "\uC2E4\uC801",
    target: "\uBAA9\uD45C",
    result: "\uACB0\uACFC",
    prior: "\uC774\uC804",
    daysMet: (met, judged) => `\uB2EC\uC131 ${met}/${judged}\uC77C`,
    met: "\uB2EC\uC131",
    missed: "\uBBF8\uB2EC",
    noData: "\uB370\uC774\uD130 \uC5C6\uC74C",
    provisional: "\uC7A0\uC815"
  },
  table: {
    channel: "\uCC44\uB110",
    category: "\uC720\uD615",
    count: "\uAC74\uC218",
    share: "\uBE44\uC911",
    change: "\uC99D\uAC10",
    hour: "\uC2DC\uAC04",
    date: "\uB0A0\uC9DC",
    total: "\uC804\uCCB4"
  },
  comparison: {
    perDay: (current, prior) => `\uAC74\uC218 \uBE44\uAD50\uB294 \uC77C\uD3C9\uADE0 \uAE30\uC900\uC785\uB2C8\uB2E4 (\uC774\uBC88 \uAE30\uAC04 ${current}\uC77C, \uC774\uC804 \uAE30\uAC04 ${prior}\uC77C\uC758 \uB370\uC774\uD130).`,
    perDayShort: "\uC77C\uD3C9\uADE0",
    smallSample: (n) => `n=${n}`,
    provisional: "\uC7A0\uC815"
  },
  spike: "\uAE09\uC99D",
  categoryBase: "\uBE44\uC911: \uC778\uC785 \uC804\uCCB4(IVR\xB7\uCC57\uBD07 \uD574\uACB0 \uD3EC\uD568) \uB300\uBE44",
  peakHour: (hour, offered) => `\uD53C\uD06C \uC2DC\uAC04\uB300: ${hour} (\uC778\uC785 ${offered}\uAC74)`,
  hourLabel: (hour) => `${hour}\uC2DC`,
  trendCaption: (line, target) => `\uB9C9\uB300: \uC778\uC785 \xB7 \uC120: ${line}${target === null ? "" : ` \xB7 \uC810\uC120: \uBAA9\uD45C ${target}`}`,
  hourlyCaption: (line) => `\uB9C9\uB300: \uC778\uC785 \xB7 \uC120: ${line}`,
  chartLegendOffered: "\uC778\uC785",
  actions: {
    slaMissed: (label, actual, target) => `${label} \uBAA9\uD45C \uBBF8\uB2EC: \uC2E4\uC801 ${actual}, \uBAA9\uD45C ${target}`,
    slaProvisional: (label, actual, target) => `${label} \uC7A0\uC815 ${actual} (\uBAA9\uD45C ${target}): \uB370\uC774\uD130\uAC00 \uBAA8\uB450 \uB3C4\uCC29\uD558\uBA74 \uB2E4\uC2DC \uD310\uC815\uD569\uB2C8\uB2E4`,
    spike: (category, count2, mean, change, kind) => `'${category}' \uBB38\uC758 \uAE09\uC99D: ${count2}\uAC74 (${kind === "daily" ? "\uD3C9\uC18C \uAC19\uC740 \uC694\uC77C" : kind === "weekly" ? "\uCD5C\uADFC 4\uC8FC" : "\uCD5C\uADFC 4\uAC1C\uC6D4"} \uD3C9\uADE0 ${mean}\uAC74 \uB300\uBE44 ${change})`,
    worsened: (kpi, change, vs) => `${kpi} \uC545\uD654: ${vs} ${change}`,
    dataIncomplete: (missing) => `\uBC1B\uC9C0 \uBABB\uD55C \uB370\uC774\uD130\uAC00 \uC788\uC2B5\uB2C8\uB2E4: ${missing}`,
    noData: (missing) => `\uC774 \uAE30\uAC04\uC758 \uB370\uC774\uD130\uB97C \uBC1B\uC9C0 \uBABB\uD588\uC2B5\uB2C8\uB2E4: ${missing}`,
    none: "\uD2B9\uC774 \uC0AC\uD56D\uC774 \uC5C6\uC2B5\uB2C8\uB2E4.",
    allMet: "\uD2B9\uC774 \uC0AC\uD56D\uC774 \uC5C6\uC2B5\uB2C8\uB2E4. \uBAA8\uB4E0 SLA \uBAA9\uD45C\uB97C \uB2EC\uC131\uD588\uC2B5\uB2C8\uB2E4."
  },
  correction: {
    intro: (sentAt) => `${sentAt} \uBC1C\uC1A1\uBCF8 \uB300\uBE44 \uBC14\uB010 \uC218\uCE58:`,
    change: (label, before, after) => `${label}: ${before} \u2192 ${after}`,
    verdict: (label, before, after) => `${label} \uD310\uC815: ${before} \u2192 ${after}`
  },
  dataQuality: {
    files: (files, read, quarantined) => `\uD30C\uC77C ${files}\uAC1C \xB7 \uC77D\uC740 \uD589 ${read}\uAC74 \xB7 \uACA9\uB9AC(\uC624\uB958) ${quarantined}\uAC74`,
    missingDays: (source, days) => `${source}: \uB370\uC774\uD130 \uC5C6\uC74C ${days}`,
    rejectedDays: (source, days) => `${source}: \uD30C\uC77C\uC740 \uBC1B\uC558\uC73C\uB098 \uC77D\uC744 \uC218 \uC5C6\uC5B4 \uBC18\uC601\uD558\uC9C0 \uBABB\uD568 ${days}`,
    rejectedMark: "(\uD30C\uC77C \uC624\uB958)",
    quarantinedMark: (rows) => `(\uD615\uC2DD \uC624\uB958 ${rows}\uAC74)`,
    emptyMark: "(\uBE48 \uD30C\uC77C)",
    failedDays: (source, days, detail) => `${source}: \uBC1B\uC558\uC73C\uB098 \uBC18\uC601\uD558\uC9C0 \uBABB\uD568 ${days} \u2014 ${detail}`,
    failureDetail: (field, rows, reason2) => `${field} ${rows}\uAC74: ${reason2}`,
    emptyDetail: "\uC601\uC5C5\uC77C\uC778\uB370 \uD30C\uC77C\uC5D0 \uB370\uC774\uD130 \uD589\uC774 \uC5C6\uC2B5\uB2C8\uB2E4",
    closedDays: (source, days) => `${source}: \uD734\uBB34 ${days}`,
    pendingDays: (source, days) => `${source}: \uC218\uC9D1 \uB300\uAE30 \uC911 ${days}`,
    lateDays: (source, days) => `${source}: \uB2A6\uAC8C \uB3C4\uCC29 ${days}`,
    dataThrough: (ts) => `\uB370\uC774\uD130 \uAE30\uC900 \uC2DC\uAC01: ${ts}`,
    noFiles: "\uC774 \uAE30\uAC04\uC5D0 \uC801\uC7AC\uB41C \uD30C\uC77C\uC774 \uC5C6\uC2B5\uB2C8\uB2E4.",
    complete: "\uBAA8\uB4E0 \uC18C\uC2A4\uC758 \uB370\uC774\uD130\uAC00 \uAE30\uAC04 \uB9D0\uAE4C\uC9C0 \uB3C4\uCC29\uD588\uC2B5\uB2C8\uB2E4."
  },
  contract: {
    formula: {
      answered_within_over_offered_less_short: "\uC11C\uBE44\uC2A4 \uB808\uBCA8 = \uAE30\uC900 \uC2DC\uAC04 \uB0B4 \uC751\uB300 \xF7 (\uC778\uC785 \u2212 \uB2E8\uC21C \uD3EC\uAE30\uD638)",
      answered_within_over_answered: "\uC11C\uBE44\uC2A4 \uB808\uBCA8 = \uAE30\uC900 \uC2DC\uAC04 \uB0B4 \uC751\uB300 \xF7 \uC751\uB300",
      connect_within_over_offered: "\uC11C\uBE44\uC2A4 \uB808\uBCA8 = \uAE30\uC900 \uC2DC\uAC04 \uB0B4 \uC751\uB300\xB7\uD3EC\uAE30\xB7\uCF5C\uBC31 \uC694\uCCAD \xF7 \uC778\uC785 (Amazon Connect \uBC29\uC2DD)"
    },
    thresholds: (list) => `\uAE30\uC900 \uC2DC\uAC04: ${list}`,
    effectiveFrom: (date2) => `${date2}\uBD80\uD130 \uC801\uC6A9\uB418\uB294 \uACC4\uC57D \uC870\uAC74`,
    windows: (repeat, fcr) => `\uC7AC\uBB38\uC758 \uAE30\uC900 ${repeat}\uC2DC\uAC04, \uCCAB \uCF5C \uD574\uACB0 \uAE30\uC900 ${fcr}\uC2DC\uAC04`,
    provisionalFcr: "\uCCAB \uCF5C \uD574\uACB0\uB960\uC740 \uD310\uC815 \uAE30\uAC04\uC774 \uB05D\uB098\uC9C0 \uC54A\uC544 \uC7A0\uC815\uCE58\uC785\uB2C8\uB2E4.",
    changedInPeriod: (date2) => `${date2}\uBD80\uD130 \uC0C8 \uACC4\uC57D \uC870\uAC74\uC774 \uC801\uC6A9\uB418\uBA70, \uC774 \uB9AC\uD3EC\uD2B8\uC5D0\uB294 \uB2E4\uC74C \uAE30\uAC04\uBD80\uD130 \uBC18\uC601\uB429\uB2C8\uB2E4.`
  },
  surveys: {
    responses: (n) => `\uC751\uB2F5 ${n}\uAC74`,
    comment: (when, channel2, scores) => [when, channel2, scores].filter((x) => x !== null && x !== "").join(" \xB7 ")
  },
  sources: { surveys: "\uC124\uBB38" },
  cost: {
    perContact: "\uBB38\uC758\uB2F9 \uBE44\uC6A9",
    explanation: "\uC6D4 \uACC4\uC57D \uAE08\uC561\uC758 \uAE30\uAC04 \uD574\uB2F9\uBD84 \xF7 \uC751\uB300 \uAC74\uC218",
    incomplete: "\uB370\uC774\uD130\uAC00 \uBAA8\uB450 \uB3C4\uCC29\uD55C \uAE30\uAC04\uC5D0\uB9CC \uACC4\uC0B0\uD569\uB2C8\uB2E4."
  },
  notice: {
    subject: (client, kind, label) => `[cspulse] ${client} ${ko.periodName[kind]} \uB9AC\uD3EC\uD2B8 \uBBF8\uBC1C\uC1A1: \uB370\uC774\uD130 \uC5C6\uC74C \xB7 ${label}`,
    body: (client, label, missing) => `${client}\uC758 ${label} \uB9AC\uD3EC\uD2B8\uB97C \uBCF4\uB0B4\uC9C0 \uC54A\uC558\uC2B5\uB2C8\uB2E4. \uBC1B\uC740 \uB370\uC774\uD130\uAC00 \uC5C6\uC2B5\uB2C8\uB2E4: ${missing}.`,
    action: "\uC218\uC9D1 \uACBD\uB85C(\uC5C5\uB85C\uB4DC, \uC218\uC9D1\uAE30, Firehose)\uB97C \uD655\uC778\uD574 \uC8FC\uC138\uC694. \uB370\uC774\uD130\uAC00 \uB3C4\uCC29\uD558\uBA74 \uB9AC\uD3EC\uD2B8\uAC00 \uC790\uB3D9\uC73C\uB85C \uBC1C\uC1A1\uB429\uB2C8\uB2E4."
  },
  csv: {
    section: { daily: "\uC77C\uBCC4", hourly: "\uC2DC\uAC04\uB300\uBCC4" },
    columns: {
      date: "\uB0A0\uC9DC",
      hour: "\uC2DC\uAC04",
      offered: "\uC778\uC785",
      answered: "\uC751\uB300",
      abandoned: "\uD3EC\uAE30\uD638",
      answer_rate: "\uC751\uB300\uC728",
      service_level: "\uC11C\uBE44\uC2A4 \uB808\uBCA8",
      asa_seconds: "\uD3C9\uADE0 \uC751\uB2F5 \uC18D\uB3C4(\uCD08)",
      aht_seconds: "\uD3C9\uADE0 \uCC98\uB9AC \uC2DC\uAC04(\uCD08)",
      avg_per_day: "\uC77C\uD3C9\uADE0 \uC778\uC785"
    },
    fileName: (clientId, kind, start) => `cspulse-${clientId}-${kind}-${start}.csv`
  },
  xlsx: {
    sheets: { daily: "\uC77C\uBCC4", hourly: "\uC2DC\uAC04\uB300\uBCC4", sla: "SLA", channels: "\uCC44\uB110\uBCC4", categories: "\uC0C1\uB2F4 \uC720\uD615" },
    fileName: (clientId, kind, start) => `cspulse-${clientId}-${kind}-${start}.xlsx`
  },
  unsubscribeSubject: (client) => `\uC218\uC2E0 \uAC70\uBD80: ${client} CS \uB9AC\uD3EC\uD2B8`,
  footer: "\uC774 \uBA54\uC77C\uC740 cspulse\uAC00 \uC790\uB3D9\uC73C\uB85C \uBC1C\uC1A1\uD588\uC2B5\uB2C8\uB2E4. \uC0C1\uC138 \uC218\uCE58\uB294 \uCCA8\uBD80 \uD30C\uC77C(XLSX, CSV)\uC744 \uD655\uC778\uD574 \uC8FC\uC138\uC694. \uB2F5\uC7A5\uD558\uC2DC\uBA74 \uB2F4\uB2F9 \uB9E4\uB2C8\uC800\uC5D0\uAC8C \uC804\uB2EC\uB429\uB2C8\uB2E4.",
  seconds: (n) => `${n}\uCD08`,
  minutes: (m) => `${m}\uBD84`,
  minutesSeconds: (m, s) => `${m}\uBD84 ${s}\uCD08`,
  hoursMinutes: (h, m) => `${h}\uC2DC\uAC04 ${m}\uBD84`,
  pp: (signed) => `${signed}%p`,
  dash: "\u2014"
};
var en = {
  kpi: {
    offered: "Offered",
    answered: "Answered",
    abandoned: "Abandoned",
    callbacks: "Callbacks",
    answer_rate: "Answer rate",
    abandon_rate: "Abandon rate",
    service_level: "Service level",
    asa_seconds: "Avg speed of answer (ASA)",
    aht_seconds: "Avg handle time (AHT)",
    avg_talk_seconds: "Avg talk time",
    avg_acw_seconds: "Avg after-contact work",
    wait_p90_seconds: "Wait time p90",
    max_wait_seconds: "Longest wait",
    transfer_rate: "Transfer rate",
    self_service_rate: "Self-service rate",
    repeat_rate: "Repeat contact rate",
    retry_after_abandon_rate: "Retry after abandon",
    fcr: "First contact resolution",
    csat_avg: "CSAT",
    csat_satisfied_rate: "CSAT satisfied share",
    nps: "NPS",
    ces_avg: "Customer effort (CES)",
    ces_low_effort_rate: "CES low-effort share",
    survey_response_rate: "Survey response rate",
    cost_per_contact: "Cost per contact",
    contacts_per_day: "Answered per day",
    contacts_per_agent_day: "Answered per agent-day"
  },
  channel: { phone: "Phone", chat: "Chat", board: "Board", email: "E-mail" },
  periodName: { daily: "Daily", weekly: "Weekly", monthly: "Monthly" },
  vsPrior: { daily: "vs previous day", weekly: "vs previous week", monthly: "vs previous month" },
  vsWeekAgo: "vs same day last week",
  vsPriorShort: { daily: "prev. day", weekly: "prev. week", monthly: "prev. month" },
  vsWeekAgoShort: "last wk",
  subject: (client, kind, label) => `[${client}] ${en.periodName[kind]} CS report \xB7 ${label}`,
  title: (kind) => `${en.periodName[kind]} CS report`,
  tags: { incomplete: (missing) => `(incomplete: ${missing})`, noData: "(no data)", corrected: "[Corrected]" },
  banners: {
    incomplete: (missing) => `Provisional: computed before all data had arrived. Not received: ${missing}. The figures and comparisons it affects are provisional.`,
    noData: (missing) => `No data was received for this period (${missing}). There are no figures and no SLA verdicts.`,
    corrected: (sentAt) => `This corrects the report sent on ${sentAt}, recomputed with data that arrived after it.`
  },
  sections: {
    contract: "Contract targets (SLA)",
    keyFigures: "Key figures",
    actions: "What to act on",
    correction: "What changed",
    channels: "By channel",
    trend: "Daily trend",
    hourly: "Contacts by hour",
    categories: "Top categories",
    surveys: "Customer surveys",
    comments: "Latest customer comments",
    cost: "Cost",
    dataQuality: "Data quality",
    contractTerms: "Contract terms"
  },
  sla: {
    kpi: "KPI",
    actual: "Actual",
    target: "Target",
    result: "Result",
    prior: "Prior",
    daysMet: (met, judged) => `met ${met}/${judged} days`,
    met: "Met",
    missed: "Missed",
    noData: "No data",
    provisional: "Provisional"
  },
  table: {
    channel: "Channel",
    category: "Category",
    count: "Count",
    share: "Share",
    change: "Change",
    hour: "Hour",
    date: "Date",
    total: "Total"
  },
  comparison: {
    perDay: (current, prior) => `Counts are compared as per-day averages (${current} days of data this period, ${prior} the period before).`,
    perDayShort: "per day",
    smallSample: (n) => `n=${n}`,
    provisional: "provisional"
  },
  spike: "Spike",
  categoryBase: "Share of all inbound contacts, self-service included",
  peakHour: (hour, offered) => `Peak hour: ${hour} (${offered} offered)`,
  hourLabel: (hour) => `${String(hour).padStart(2, "0")}:00`,
  trendCaption: (line, target) => `Bars: offered \xB7 line: ${line}${target === null ? "" : ` \xB7 dashed: target ${target}`}`,
  hourlyCaption: (line) => `Bars: offered \xB7 line: ${line}`,
  chartLegendOffered: "Offered",
  actions: {
    slaMissed: (label, actual, target) => `${label} target missed: ${actual} against ${target}`,
    slaProvisional: (label, actual, target) => `${label} provisionally ${actual} (target ${target}): judged again once all data has arrived`,
    spike: (category, count2, mean, change, kind) => `Spike in '${category}': ${count2} contacts (${change} against the ${kind === "daily" ? "same weekday" : kind === "weekly" ? "last 4 weeks" : "last 4 months"} average of ${mean})`,
    worsened: (kpi, change, vs) => `${kpi} worsened: ${change} ${vs}`,
    dataIncomplete: (missing) => `Data not received: ${missing}`,
    noData: (missing) => `No data was received for this period: ${missing}`,
    none: "Nothing stands out.",
    allMet: "Nothing stands out. Every SLA target was met."
  },
  correction: {
    intro: (sentAt) => `Figures that changed since the report of ${sentAt}:`,
    change: (label, before, after) => `${label}: ${before} \u2192 ${after}`,
    verdict: (label, before, after) => `${label} verdict: ${before} \u2192 ${after}`
  },
  dataQuality: {
    files: (files, read, quarantined) => `${files} files \xB7 ${read} rows read \xB7 ${quarantined} rows quarantined`,
    missingDays: (source, days) => `${source}: no data on ${days}`,
    rejectedDays: (source, days) => `${source}: a file arrived but could not be read, ${days}`,
    rejectedMark: "(file rejected)",
    quarantinedMark: (rows) => `(${rows} rows rejected)`,
    emptyMark: "(empty file)",
    failedDays: (source, days, detail) => `${source}: arrived but could not be used, ${days} \u2014 ${detail}`,
    failureDetail: (field, rows, reason2) => `${field}, ${rows} rows: ${reason2}`,
    emptyDetail: "the file of an open day held no rows",
    closedDays: (source, days) => `${source}: closed ${days}`,
    pendingDays: (source, days) => `${source}: still arriving for ${days}`,
    lateDays: (source, days) => `${source}: arrived late for ${days}`,
    dataThrough: (ts) => `Data through ${ts}`,
    noFiles: "No files were ingested for this period.",
    complete: "Every source delivered data through the end of the period."
  },
  contract: {
    formula: {
      answered_within_over_offered_less_short: "Service level = answered within threshold \xF7 (offered \u2212 short abandons)",
      answered_within_over_answered: "Service level = answered within threshold \xF7 answered",
      connect_within_over_offered: "Service level = answered, abandoned or callback requested within threshold \xF7 offered (Amazon Connect)"
    },
    thresholds: (list) => `Thresholds: ${list}`,
    effectiveFrom: (date2) => `Contract terms in force from ${date2}`,
    windows: (repeat, fcr) => `Repeat window ${repeat} h, FCR window ${fcr} h`,
    provisionalFcr: "FCR is provisional: its window reaches past the newest data.",
    changedInPeriod: (date2) => `New contract terms took effect on ${date2}; they apply from the next period.`
  },
  surveys: {
    responses: (n) => `${n} responses`,
    comment: (when, channel2, scores) => [when, channel2, scores].filter((x) => x !== null && x !== "").join(" \xB7 ")
  },
  sources: { surveys: "Surveys" },
  cost: {
    perContact: "Cost per contact",
    explanation: "The period's share of the monthly fee \xF7 answered contacts",
    incomplete: "Shown only for periods whose data has fully arrived."
  },
  notice: {
    subject: (client, kind, label) => `[cspulse] ${client} ${en.periodName[kind].toLowerCase()} report not sent: no data \xB7 ${label}`,
    body: (client, label, missing) => `The ${label} report of ${client} was not sent: no data was received (${missing}).`,
    action: "Check the delivery path (uploads, collector, Firehose). The report goes out by itself once data arrives."
  },
  csv: {
    section: { daily: "Daily", hourly: "Hourly" },
    columns: {
      date: "Date",
      hour: "Hour",
      offered: "Offered",
      answered: "Answered",
      abandoned: "Abandoned",
      answer_rate: "Answer rate",
      service_level: "Service level",
      asa_seconds: "ASA (s)",
      aht_seconds: "AHT (s)",
      avg_per_day: "Avg offered per day"
    },
    fileName: (clientId, kind, start) => `cspulse-${clientId}-${kind}-${start}.csv`
  },
  xlsx: {
    sheets: { daily: "Daily", hourly: "Hourly", sla: "SLA", channels: "Channels", categories: "Categories" },
    fileName: (clientId, kind, start) => `cspulse-${clientId}-${kind}-${start}.xlsx`
  },
  unsubscribeSubject: (client) => `Unsubscribe: ${client} CS report`,
  footer: "Sent automatically by cspulse. The attachments (XLSX, CSV) hold the detailed figures. A reply reaches your account manager.",
  seconds: (n) => `${n} s`,
  minutes: (m) => `${m} min`,
  minutesSeconds: (m, s) => `${m} min ${s} s`,
  hoursMinutes: (h, m) => `${h} h ${m} min`,
  pp: (signed) => `${signed} pp`,
  dash: "\u2014"
};
var MESSAGES = { ko, en };
function messagesFor(locale) {
  return MESSAGES[locale];
}

// functions/core/report/mime.ts
import { createHash as createHash4 } from "node:crypto";
import MailComposer from "nodemailer/lib/mail-composer";
var domainOf = (sender) => sender.includes("@") ? sender.slice(sender.lastIndexOf("@") + 1) : "cspulse.local";
function reportMessageId(clientId, kind, periodStart, sender, options = {}) {
  const locale = options.locale == null ? "" : `.${options.locale}`;
  const revision = options.revision === void 0 || options.revision === 0 ? "" : `.r${options.revision}`;
  return `<report.${clientId}.${kind}.${periodStart}${locale}${revision}@${domainOf(sender)}>`;
}
function noticeMessageId(clientId, kind, periodStart, sender) {
  return `<notice.${clientId}.${kind}.${periodStart}@${domainOf(sender)}>`;
}
async function composeMime(input) {
  const boundarySeed = createHash4("sha256").update(input.messageId).digest("hex").slice(0, 16);
  const composer = new MailComposer({
    from: input.from,
    to: input.to,
    cc: input.cc.length > 0 ? input.cc : void 0,
    replyTo: input.replyTo,
    subject: input.subject,
    html: input.html,
    text: input.text,
    inReplyTo: input.inReplyTo,
    references: input.references === void 0 ? void 0 : [...input.references],
    messageId: input.messageId,
    date: input.date,
    baseBoundary: boundarySeed,
    headers: input.headers,
    attachments: [
      ...input.images.map((img) => ({
        filename: img.fileName,
        content: Buffer.from(img.png),
        contentType: "image/png",
        cid: img.cid,
        contentDisposition: "inline"
      })),
      ...input.attachments.map((a) => ({ filename: a.fileName, content: Buffer.from(a.content), contentType: a.contentType }))
    ]
  });
  const raw = await composer.compile().build();
  return new Uint8Array(raw);
}

// functions/core/report/kpi-meta.ts
var KPI_META = {
  offered: { kind: "count", better: "none" },
  answered: { kind: "count", better: "none" },
  abandoned: { kind: "count", better: "down" },
  callbacks: { kind: "count", better: "none" },
  answer_rate: { kind: "rate", better: "up" },
  abandon_rate: { kind: "rate", better: "down" },
  service_level: { kind: "rate", better: "up" },
  asa_seconds: { kind: "seconds", better: "down" },
  aht_seconds: { kind: "seconds", better: "down" },
  avg_talk_seconds: { kind: "seconds", better: "none" },
  avg_acw_seconds: { kind: "seconds", better: "down" },
  wait_p90_seconds: { kind: "seconds", better: "down" },
  max_wait_seconds: { kind: "seconds", better: "down" },
  transfer_rate: { kind: "rate", better: "down" },
  self_service_rate: { kind: "rate", better: "up" },
  repeat_rate: { kind: "rate", better: "down" },
  retry_after_abandon_rate: { kind: "rate", better: "none" },
  fcr: { kind: "rate", better: "up" },
  csat_avg: { kind: "score", better: "up" },
  csat_satisfied_rate: { kind: "rate", better: "up" },
  nps: { kind: "nps", better: "up" },
  ces_avg: { kind: "score", better: "up" },
  ces_low_effort_rate: { kind: "rate", better: "up" },
  survey_response_rate: { kind: "rate", better: "up" },
  cost_per_contact: { kind: "money", better: "down" },
  contacts_per_day: { kind: "decimal", better: "none" },
  contacts_per_agent_day: { kind: "decimal", better: "none" }
};
var SURVEY_KPIS = /* @__PURE__ */ new Set(["csat_avg", "csat_satisfied_rate", "nps", "ces_avg", "ces_low_effort_rate"]);
function sampleSize(key, k) {
  switch (key) {
    case "answer_rate":
    case "abandon_rate":
    case "service_level":
      return k.offered - k.short_abandoned;
    case "asa_seconds":
    case "aht_seconds":
    case "avg_talk_seconds":
    case "avg_acw_seconds":
    case "wait_p90_seconds":
    case "max_wait_seconds":
    case "transfer_rate":
    case "survey_response_rate":
      return k.answered;
    case "self_service_rate":
      return k.self_service + k.offered;
    case "repeat_rate":
      return k.inbound_with_key;
    case "retry_after_abandon_rate":
      return k.abandoned_with_key;
    case "fcr":
      return k.answered_with_key;
    case "csat_avg":
    case "csat_satisfied_rate":
      return k.csat_responses;
    case "nps":
      return k.nps_responses;
    case "ces_avg":
    case "ces_low_effort_rate":
      return k.ces_responses;
    default:
      return null;
  }
}

// functions/core/report/text-limits.ts
var MAX_LABEL_CHARS = 80;
var MAX_DISPLAY_LABEL_CHARS = 60;
var MAX_COMMENT_CHARS = 300;
var cut = (text3, max) => {
  const chars = [...text3];
  return chars.length <= max ? text3 : `${chars.slice(0, max - 1).join("")}\u2026`;
};

// functions/core/report/compare.ts
var COUNT_KINDS = /* @__PURE__ */ new Set(["count"]);
var unknownChange = (f) => ({ delta: null, relative: null, text: f.messages.dash, direction: null });
function compareValues(key, current, prior, f, options = {}) {
  const meta = KPI_META[key];
  if (current === null || prior === null) return unknownChange(f);
  let a = current;
  let b = prior;
  if (options.perDay != null && COUNT_KINDS.has(meta.kind)) {
    if (options.perDay.current === 0 || options.perDay.prior === 0) return unknownChange(f);
    a = current / options.perDay.current;
    b = prior / options.perDay.prior;
  }
  const delta = a - b;
  const relative = b === 0 ? null : delta / Math.abs(b);
  let text3;
  if (meta.kind === "rate") text3 = f.pointsChange(delta);
  else if (meta.kind === "nps" || meta.kind === "score") text3 = f.absoluteChange(meta.kind, delta);
  else text3 = relative === null ? f.messages.dash : f.relativeChange(relative);
  const epsilon = meta.kind === "rate" ? 5e-4 : meta.kind === "score" ? 5e-3 : 1e-9;
  let direction;
  if (Math.abs(delta) < epsilon) direction = "same";
  else if (meta.better === "none" || options.provisional === true || options.smallSample === true) direction = "neutral";
  else direction = delta > 0 === (meta.better === "up") ? "better" : "worse";
  return { delta, relative, text: text3, direction };
}
function materiallyChanged(kind, before, after) {
  if (before === null || after === null) return before !== after;
  const d = Math.abs(after - before);
  switch (kind) {
    case "count":
      return d >= Math.max(1, 5e-3 * Math.abs(before));
    case "rate":
      return d >= 5e-3;
    case "seconds":
      return d >= Math.max(1, 0.02 * Math.abs(before));
    case "score":
      return d >= 0.05;
    case "nps":
      return d >= 1;
    case "money":
    case "decimal":
      return d >= 0.01 * Math.abs(before);
  }
}

// functions/core/report/format.ts
import { DateTime } from "luxon";
var INTL_LOCALE = { ko: "ko-KR", en: "en-US" };
function createFormatter(locale, currency, timezone) {
  const messages = messagesFor(locale);
  const intl = INTL_LOCALE[locale];
  const integer = new Intl.NumberFormat(intl, { maximumFractionDigits: 0 });
  const oneDecimal = new Intl.NumberFormat(intl, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const moneyFormat = new Intl.NumberFormat(intl, { style: "currency", currency });
  const signedOneDecimal = new Intl.NumberFormat(intl, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
    signDisplay: "exceptZero"
  });
  const dash = messages.dash;
  const decimal = (n, digits = 1) => n === null || !Number.isFinite(n) ? dash : new Intl.NumberFormat(intl, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
  const duration = (seconds) => {
    if (seconds === null || !Number.isFinite(seconds)) return dash;
    const total = Math.round(seconds);
    if (total < 60) return messages.seconds(integer.format(total));
    if (total < 3600) {
      const m = integer.format(Math.floor(total / 60));
      return total % 60 === 0 ? messages.minutes(m) : messages.minutesSeconds(m, integer.format(total % 60));
    }
    const minutes = Math.round(total / 60);
    return messages.hoursMinutes(integer.format(Math.floor(minutes / 60)), integer.format(minutes % 60));
  };
  const count2 = (n) => n === null || !Number.isFinite(n) ? dash : integer.format(n);
  const percent = (f) => f === null || !Number.isFinite(f) ? dash : `${oneDecimal.format(f * 100)}%`;
  const money = (amount) => amount === null || !Number.isFinite(amount) ? dash : moneyFormat.format(amount);
  const value = (kind, n) => {
    switch (kind) {
      case "count":
        return count2(n);
      case "rate":
        return percent(n);
      case "seconds":
        return duration(n);
      case "score":
        return decimal(n, 2);
      case "nps":
        return decimal(n, 1);
      case "money":
        return money(n);
      case "decimal":
        return decimal(n, 1);
    }
  };
  const signed = (n, digits) => new Intl.NumberFormat(intl, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: "exceptZero"
  }).format(n);
  const dateTime = (iso) => DateTime.fromISO(iso, { zone: timezone }).setLocale(intl);
  const shortDate = (iso) => {
    const d = dateTime(iso);
    return locale === "ko" ? `${d.month}/${d.day}` : d.toFormat("d LLL");
  };
  return {
    locale,
    messages,
    count: count2,
    decimal,
    percent,
    money,
    duration,
    value,
    precise: (kind, n) => {
      if (n === null || !Number.isFinite(n)) return dash;
      switch (kind) {
        case "rate":
          return `${new Intl.NumberFormat(intl, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(n * 100)}%`;
        case "score":
          return decimal(n, 4);
        case "nps":
        case "decimal":
          return decimal(n, 3);
        case "seconds":
          return messages.seconds(new Intl.NumberFormat(intl, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n));
        default:
          return value(kind, n);
      }
    },
    preciseChange: (kind, delta) => {
      switch (kind) {
        case "rate":
          return messages.pp(signed(delta * 100, 3));
        case "score":
          return signed(delta, 4);
        case "nps":
        case "decimal":
          return signed(delta, 3);
        case "seconds":
          return messages.seconds(signed(delta, 2));
        default:
          return signed(delta, 2);
      }
    },
    pointsChange: (delta) => messages.pp(signedOneDecimal.format(delta * 100)),
    relativeChange: (ratio) => `${signedOneDecimal.format(ratio * 100)}%`,
    absoluteChange: (kind, delta) => {
      switch (kind) {
        case "count":
          return signed(delta, 0);
        case "rate":
          return messages.pp(signedOneDecimal.format(delta * 100));
        case "seconds": {
          const text3 = duration(Math.abs(delta));
          return Math.round(delta) === 0 ? text3 : `${delta > 0 ? "+" : "-"}${text3}`;
        }
        case "score":
          return signed(delta, 2);
        case "nps":
        case "decimal":
          return signed(delta, 1);
        case "money": {
          const text3 = moneyFormat.format(Math.abs(delta));
          return `${delta > 0 ? "+" : delta < 0 ? "-" : ""}${text3}`;
        }
      }
    },
    date: (iso, withYear = false) => {
      const d = dateTime(iso);
      if (locale === "ko") return withYear ? `${d.year}\uB144 ${d.month}\uC6D4 ${d.day}\uC77C` : `${d.month}\uC6D4 ${d.day}\uC77C (${d.toFormat("ccc")})`;
      return d.toFormat(withYear ? "d LLL yyyy" : "ccc d LLL");
    },
    shortDate,
    dayList: (isoDates) => {
      const sorted = [...new Set(isoDates)].sort();
      const runs = [];
      for (const d of sorted) {
        const last = runs.at(-1);
        if (last !== void 0 && DateTime.fromISO(last[1], { zone: "utc" }).plus({ days: 1 }).toISODate() === d) last[1] = d;
        else runs.push([d, d]);
      }
      return runs.map(([a, b]) => a === b ? shortDate(a) : `${shortDate(a)}\u2013${shortDate(b)}`).join(", ");
    },
    instant: (isoUtc) => {
      const d = DateTime.fromISO(isoUtc, { zone: "utc" }).setZone(timezone).setLocale(intl);
      return locale === "ko" ? d.toFormat("yyyy-MM-dd HH:mm") : d.toFormat("d LLL yyyy HH:mm");
    },
    periodLabel: (kind, start, end) => {
      const s = dateTime(start);
      const e = dateTime(end);
      if (kind === "daily") {
        return locale === "ko" ? `${s.year}\uB144 ${s.month}\uC6D4 ${s.day}\uC77C (${s.toFormat("ccc")})` : s.toFormat("ccc d LLL yyyy");
      }
      if (kind === "weekly") {
        const week = s.weekNumber;
        return locale === "ko" ? `${s.weekYear}\uB144 ${week}\uC8FC\uCC28 (${s.month}/${s.day}\u2013${e.month}/${e.day})` : `Week ${week}, ${s.weekYear} (${s.toFormat("d LLL")}\u2013${e.toFormat("d LLL")})`;
      }
      return locale === "ko" ? `${s.year}\uB144 ${s.month}\uC6D4` : s.toFormat("LLLL yyyy");
    }
  };
}

// functions/core/config/source-channels.ts
var isChannel = (v) => typeof v === "string" && CHANNELS.includes(v);
function sourceChannels(source) {
  if (source.table === "surveys") return null;
  if ("channel" in source && source.channel !== void 0) return [source.channel];
  if (!("fields" in source)) return null;
  const mapping = source.fields.channel;
  if (mapping === void 0 || mapping.fallback !== void 0) return null;
  if (mapping.constant !== void 0) return isChannel(mapping.constant) ? [mapping.constant] : null;
  if (mapping.map === void 0) return null;
  const values = [...Object.values(mapping.map), ...mapping.default === void 0 ? [] : [mapping.default]];
  if (!values.every(isChannel)) return null;
  return CHANNELS.filter((ch) => values.includes(ch));
}

// functions/core/report/source-labels.ts
function defaultLabel(source, msg) {
  if (source.label !== void 0) return source.label;
  if (source.table === "surveys") return msg.sources.surveys;
  const channels = sourceChannels(source);
  return channels !== null && channels.length === 1 ? msg.channel[channels[0]] : source.id;
}
function sourceLabels(config, msg) {
  const labels = new Map(config.sources.map((s) => [s.id, defaultLabel(s, msg)]));
  const counts = /* @__PURE__ */ new Map();
  for (const label of labels.values()) counts.set(label, (counts.get(label) ?? 0) + 1);
  for (const s of config.sources) {
    const label = labels.get(s.id);
    if (counts.get(label) > 1 && s.label === void 0 && label !== s.id) labels.set(s.id, `${label} (${s.id})`);
  }
  return labels;
}

// functions/core/report/sections/context.ts
function affectsFigure(missingSources, key, channel2) {
  return missingSources.some((s) => {
    const survey = SURVEY_KPIS.has(key);
    const tableMatches = key === "survey_response_rate" || (survey ? s.table === "surveys" : s.table === "contacts");
    if (!tableMatches) return false;
    const sourceChannel = "channel" in s ? s.channel ?? null : null;
    return sourceChannel === null || channel2 === null || sourceChannel === channel2;
  });
}
var missingSourcesOf = (c, config) => {
  if (c == null) return [];
  const ids = new Set(c.missing.map((m) => m.source));
  return config.sources.filter((s) => ids.has(s.id));
};
var periodDays = (p, c) => {
  if (p === null) return null;
  const length = Math.round((Date.parse(`${p.end}T00:00:00Z`) - Date.parse(`${p.start}T00:00:00Z`)) / 864e5) + 1;
  return c == null || c.complete ? length : c.completeDays.length;
};
function channelLabel(f, channel2, key) {
  const kpi = f.messages.kpi[key];
  const lower = f.locale === "en" && /^[A-Z][a-z]/.test(kpi) ? `${kpi[0].toLowerCase()}${kpi.slice(1)}` : kpi;
  return `${f.messages.channel[channel2]} ${lower}`;
}
function reportContext(input) {
  const { doc, config, completeness } = input;
  const locale = input.locale ?? config.locale;
  const f = createFormatter(locale, config.currency, config.timezone);
  const msg = f.messages;
  const kind = doc.period.kind;
  const minSample = config.reports.min_sample;
  const noData = completeness.noData;
  const incomplete = !noData && !completeness.complete;
  const priorComplete = input.priorCompleteness?.complete ?? true;
  const currentMissing = missingSourcesOf(completeness, config);
  const priorMissing = missingSourcesOf(input.priorCompleteness, config);
  const weekAgoMissing = missingSourcesOf(input.weekAgoCompleteness, config);
  const currentDays = periodDays(doc.period, completeness);
  const priorDays = periodDays(doc.prior_period, input.priorCompleteness);
  const perDay = currentDays !== null && priorDays !== null && (currentDays !== priorDays || !completeness.complete || !priorComplete) ? { current: currentDays, prior: priorDays } : null;
  const figure = (key, channel2 = null) => {
    const pick = (set) => set === null ? null : channel2 === null ? set.total : set.by_channel[channel2] ?? null;
    const cur = pick(doc.current);
    const pri = pick(doc.prior);
    const wk = kind === "daily" ? pick(doc.week_ago) : null;
    const numberOf = (k) => {
      const v = k?.[key];
      return typeof v === "number" ? v : null;
    };
    const value = numberOf(cur);
    const priorValue = numberOf(pri);
    const n = cur === null ? null : sampleSize(key, cur);
    const small = n !== null && value !== null && n < minSample;
    const provisionalHere = affectsFigure(currentMissing, key, channel2) || key === "fcr" && cur?.fcr_provisional === true;
    const valueKind = KPI_META[key].kind;
    return {
      key,
      label: channel2 === null ? msg.kpi[key] : channelLabel(f, channel2, key),
      value,
      display: f.value(valueKind, value),
      prior: priorValue,
      priorDisplay: f.value(valueKind, priorValue),
      vsPrior: compareValues(key, value, priorValue, f, { provisional: provisionalHere || affectsFigure(priorMissing, key, channel2), smallSample: small, perDay }),
      vsWeekAgo: wk === null ? null : compareValues(key, value, numberOf(wk), f, { provisional: provisionalHere || affectsFigure(weekAgoMissing, key, channel2), smallSample: small }),
      smallSample: small ? msg.comparison.smallSample(f.count(n)) : null,
      provisional: provisionalHere && !noData
    };
  };
  const labels = sourceLabels(config, msg);
  return { doc, config, locale, f, msg, kind, labels, completeness, noData, incomplete, priorComplete, currentMissing, priorMissing, weekAgoMissing, perDay, figure };
}

// functions/core/report/sections/contract.ts
var targetKey = (row2) => `sla:${row2.kpi}:${row2.channel ?? "all"}:${row2.op}${row2.target}`;
function verdictText(ctx, verdict) {
  const { sla } = ctx.msg;
  return { met: sla.met, missed: sla.missed, provisional: sla.provisional, "no-data": sla.noData }[verdict];
}
function targetText(ctx, kind, op, value) {
  return `${op === ">=" ? "\u2265" : "\u2264"} ${ctx.f.value(kind, value)}`;
}
function contractCards(ctx) {
  const { doc, f, msg, noData, kind } = ctx;
  if (noData) return [];
  const minSample = ctx.config.reports.min_sample;
  return doc.sla.map((row2) => {
    const valueKind = KPI_META[row2.kpi].kind;
    const set = row2.channel === null ? doc.current.total : doc.current.by_channel[row2.channel] ?? null;
    const n = set === null ? null : sampleSize(row2.kpi, set);
    const provisional = row2.met !== null && affectsFigure(ctx.currentMissing, row2.kpi, row2.channel);
    const verdict = row2.met === null ? "no-data" : provisional ? "provisional" : row2.met ? "met" : "missed";
    const label = row2.label !== null ? cut(row2.label, MAX_LABEL_CHARS) : row2.channel === null ? msg.kpi[row2.kpi] : channelLabel(f, row2.channel, row2.kpi);
    const hidden = row2.actual !== null && row2.actual !== row2.target && f.value(valueKind, row2.actual) === f.value(valueKind, row2.target);
    return {
      key: targetKey(row2),
      label,
      kpi: row2.kpi,
      channel: row2.channel,
      value: row2.actual,
      actual: hidden ? f.precise(valueKind, row2.actual) : f.value(valueKind, row2.actual),
      target: targetText(ctx, valueKind, row2.op, row2.target),
      verdict,
      verdictText: verdictText(ctx, verdict),
      margin: row2.margin === null ? msg.dash : hidden ? f.preciseChange(valueKind, row2.margin) : f.absoluteChange(valueKind, row2.margin),
      prior: f.value(valueKind, row2.prior_actual),
      daysMet: kind === "daily" || row2.days_met === null || row2.days_judged === null ? null : msg.sla.daysMet(f.count(row2.days_met), f.count(row2.days_judged)),
      smallSample: n !== null && row2.actual !== null && n < minSample ? msg.comparison.smallSample(f.count(n)) : null
    };
  });
}

// functions/core/report/sections/actions.ts
var WATCHED_KEYS = ["answer_rate", "service_level", "abandon_rate", "asa_seconds", "aht_seconds", "repeat_rate", "fcr", "csat_avg"];
var WORSENING_POINTS = 0.05;
var WORSENING_RELATIVE = 0.2;
var MAX_ACTIONS = 6;
function actionItems(ctx, contract, missingText) {
  const { doc, f, msg, kind } = ctx;
  const actions = [];
  if (ctx.noData) actions.push({ severity: "high", text: msg.actions.noData(missingText ?? msg.dash) });
  else if (ctx.incomplete) actions.push({ severity: "high", text: msg.actions.dataIncomplete(missingText ?? msg.dash) });
  for (const card of contract) {
    if (card.verdict === "missed") actions.push({ severity: "high", text: msg.actions.slaMissed(card.label, card.actual, card.target) });
    else if (card.verdict === "provisional" && doc.sla.find((r) => targetKey(r) === card.key)?.met === false) {
      actions.push({ severity: "medium", text: msg.actions.slaProvisional(card.label, card.actual, card.target) });
    }
  }
  if (ctx.noData) return actions;
  for (const c of doc.categories.filter((x) => x.is_spike).sort((a, b) => b.count - a.count)) {
    const mean = c.baseline_mean;
    const change = mean === null || mean === 0 ? msg.dash : f.relativeChange((c.count - mean) / mean);
    actions.push({
      severity: "medium",
      text: msg.actions.spike(cut(c.category, MAX_DISPLAY_LABEL_CHARS), f.count(c.count), mean === null ? msg.dash : f.decimal(mean, mean % 1 === 0 ? 0 : 1), change, kind)
    });
  }
  if (ctx.completeness.complete && ctx.priorComplete) {
    const missedTotals = new Set(contract.filter((c) => c.verdict === "missed" && c.channel === null).map((c) => c.kpi));
    for (const key of WATCHED_KEYS) {
      if (missedTotals.has(key)) continue;
      const change = ctx.figure(key).vsPrior;
      if (change.direction !== "worse" || change.delta === null) continue;
      const big = KPI_META[key].kind === "rate" ? Math.abs(change.delta) >= WORSENING_POINTS : change.relative !== null && Math.abs(change.relative) >= WORSENING_RELATIVE;
      if (big) actions.push({ severity: "medium", text: msg.actions.worsened(msg.kpi[key], change.text, msg.vsPrior[kind]) });
    }
  }
  return actions;
}

// functions/core/report/sections/categories.ts
var TOP_CATEGORIES = 5;
function categoryRows(ctx) {
  const { f } = ctx;
  if (ctx.noData) return [];
  const categoryChange = (c) => {
    const ch = compareValues("offered", c.count, c.prior_count === 0 ? null : c.prior_count, f, { perDay: ctx.perDay });
    return { ...ch, direction: ch.direction === null ? null : c.count === c.prior_count ? "same" : "neutral" };
  };
  return [...ctx.doc.categories].sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)).slice(0, TOP_CATEGORIES).map((c) => ({
    name: cut(c.category, TEXT_LENGTH_LIMITS.category),
    label: cut(c.category, MAX_DISPLAY_LABEL_CHARS),
    count: f.count(c.count),
    share: f.percent(c.share),
    change: categoryChange(c),
    isSpike: c.is_spike,
    values: { count: c.count, share: c.share, prior_count: c.prior_count }
  }));
}

// functions/core/report/sections/channels.ts
function channelRows(ctx) {
  const { doc, f, msg } = ctx;
  if (ctx.noData) return [];
  return CHANNELS.flatMap((ch) => {
    const k = doc.current.by_channel[ch];
    if (k === void 0 || k.inbound + k.offered === 0) return [];
    return [
      {
        channel: ch,
        label: msg.channel[ch],
        offered: f.count(k.offered),
        answerRate: f.percent(k.answer_rate),
        serviceLevel: f.percent(k.service_level),
        abandonRate: f.percent(k.abandon_rate),
        asa: f.duration(k.asa_seconds),
        longestWait: f.duration(k.max_wait_seconds),
        values: {
          offered: k.offered,
          answer_rate: k.answer_rate,
          service_level: k.service_level,
          abandon_rate: k.abandon_rate,
          asa_seconds: k.asa_seconds,
          max_wait_seconds: k.max_wait_seconds
        }
      }
    ];
  });
}

// functions/core/report/sections/contract-terms.ts
function contractNotes(ctx) {
  const { doc, f, msg } = ctx;
  const terms = doc.contract;
  const version = contractInForce(ctx.config, doc.period.start);
  const thresholdList = CHANNELS.filter((ch) => doc.current.by_channel[ch] !== void 0 || terms.service_level_seconds[ch] !== void 0).map((ch) => {
    const seconds = terms.service_level_seconds[ch] ?? (version ? channelParameters(version, ch).serviceLevelSeconds : null);
    return seconds === null ? null : `${msg.channel[ch]} ${f.duration(seconds)}`;
  }).filter((x) => x !== null).join(", ");
  const notes = [msg.contract.effectiveFrom(f.date(terms.effective_from, true)), msg.contract.formula[terms.service_level_formula]];
  if (thresholdList.length > 0) notes.push(msg.contract.thresholds(thresholdList));
  notes.push(msg.contract.windows(f.count(terms.repeat_window_hours), f.count(terms.fcr_window_hours)));
  if (doc.current.total.fcr_provisional) notes.push(msg.contract.provisionalFcr);
  for (const from of terms.later_versions_in_period ?? []) notes.push(msg.contract.changedInPeriod(f.date(from, true)));
  if (terms.note !== null) notes.push(cut(terms.note, 300));
  return notes;
}

// functions/core/report/sections/correction.ts
function shownFigures(ctx, contract, keyFigures2, surveys, cost) {
  const { doc, f } = ctx;
  return [
    ...contract.map((c) => ({ key: c.key, label: c.label, kind: KPI_META[c.kpi].kind, value: c.value, verdict: c.verdict })),
    ...keyFigures2.map((k) => ({ key: `kpi:${k.key}`, label: k.label, kind: KPI_META[k.key].kind, value: k.value })),
    ...CHANNELS.flatMap((ch) => {
      const k = doc.current.by_channel[ch];
      if (k === void 0 || ctx.noData) return [];
      return ["offered", "answer_rate", "service_level", "abandon_rate", "asa_seconds"].map((key) => ({
        key: `channel:${ch}:${key}`,
        label: channelLabel(f, ch, key),
        kind: KPI_META[key].kind,
        value: k[key]
      }));
    }),
    ...surveys.map((s) => ({ key: `survey:${s.key}`, label: s.label, kind: KPI_META[s.key].kind, value: s.value })),
    ...cost === null ? [] : [{ key: "cost", label: cost.label, kind: "money", value: cost.value }]
  ];
}
function correctionSection2(ctx, figures, previous) {
  if (previous == null) return null;
  const { f, msg } = ctx;
  const changes = [];
  const prevEmpty = Object.keys(previous.figures).length === 0;
  for (const fig of figures) {
    if (!(fig.key in previous.figures) && !prevEmpty) continue;
    const before = previous.figures[fig.key] ?? null;
    const verdictBefore = previous.verdicts[fig.key];
    if (materiallyChanged(fig.kind, before, fig.value)) {
      changes.push({ key: fig.key, text: msg.correction.change(fig.label, f.value(fig.kind, before), f.value(fig.kind, fig.value)) });
    } else if (fig.verdict !== void 0 && verdictBefore !== void 0 && verdictBefore !== fig.verdict) {
      changes.push({ key: fig.key, text: msg.correction.verdict(fig.label, verdictText(ctx, verdictBefore), verdictText(ctx, fig.verdict)) });
    }
  }
  return { notice: msg.banners.corrected(f.instant(previous.sentAt)), intro: msg.correction.intro(f.instant(previous.sentAt)), changes };
}

// functions/core/report/sections/cost.ts
function costSection2(ctx) {
  const { msg, noData, completeness, priorComplete } = ctx;
  const figure = ctx.figure("cost_per_contact");
  const shown3 = !noData && completeness.complete && figure.value !== null;
  const cost = shown3 ? {
    ...figure,
    prior: priorComplete ? figure.prior : null,
    priorDisplay: priorComplete ? figure.priorDisplay : msg.dash,
    vsPrior: priorComplete ? figure.vsPrior : unknownChange(ctx.f)
  } : null;
  return { cost, costNote: !noData && !completeness.complete && figure.value !== null ? msg.cost.incomplete : null };
}

// functions/core/report/sections/data-quality.ts
var markOf = (failure) => failure === null ? "absent" : failure.kind;
function missingSummary(c, f, labels) {
  if (c.missing.length === 0) return null;
  const groups = /* @__PURE__ */ new Map();
  for (const m of c.missing) {
    const mark = markOf(m.failure);
    const key = `${m.source}\0${mark}`;
    const group = groups.get(key) ?? { source: m.source, mark, days: [], rows: 0 };
    group.days.push(m.dt);
    group.rows += m.failure?.quarantined ?? 0;
    groups.set(key, group);
  }
  const dq = f.messages.dataQuality;
  return [...groups.values()].map((g) => {
    const mark = { absent: null, rejected: dq.rejectedMark, quarantined: dq.quarantinedMark(f.count(g.rows)), empty: dq.emptyMark }[g.mark];
    return `${labels.get(g.source) ?? g.source} ${f.dayList(g.days)}${mark === null ? "" : ` ${mark}`}`;
  }).join(", ");
}
function failureDetail(failure, f) {
  const dq = f.messages.dataQuality;
  if (failure.kind === "empty") return dq.emptyDetail;
  const first = failure.reasons[0];
  if (first === void 0) return f.messages.dash;
  return failure.kind === "rejected" ? first.reason : dq.failureDetail(first.field, f.count(first.rows), first.reason);
}
function dataQualityLines(ctx) {
  const { completeness, f, doc } = ctx;
  const dq = ctx.msg.dataQuality;
  const lines = [];
  if (completeness.files === 0) lines.push(dq.noFiles);
  else lines.push(dq.files(f.count(completeness.files), f.count(completeness.rowsRead), f.count(completeness.rowsQuarantined)));
  for (const s of completeness.sources) {
    const label = ctx.labels.get(s.source) ?? s.source;
    const daysIn = (state) => s.days.filter((d) => d.state === state).map((d) => d.dt);
    const missing = daysIn("missing");
    const pending = daysIn("pending");
    const closed = daysIn("closed");
    const late = s.days.filter((d) => d.state === "received" && d.late).map((d) => d.dt);
    if (missing.length > 0) lines.push(dq.missingDays(label, f.dayList(missing)));
    for (const d of s.days.filter((x) => x.state === "failed" && x.failure !== null)) {
      lines.push(dq.failedDays(label, f.dayList([d.dt]), failureDetail(d.failure, f)));
    }
    if (pending.length > 0) lines.push(dq.pendingDays(label, f.dayList(pending)));
    if (closed.length > 0) lines.push(dq.closedDays(label, f.dayList(closed)));
    if (late.length > 0) lines.push(dq.lateDays(label, f.dayList(late)));
  }
  if (completeness.complete) lines.push(dq.complete);
  if (doc.data_through !== null && !ctx.noData) lines.push(dq.dataThrough(f.instant(doc.data_through)));
  return lines;
}

// functions/core/report/sections/figures.ts
var KEY_FIGURE_KEYS = [
  "offered",
  "answer_rate",
  "service_level",
  "abandon_rate",
  "asa_seconds",
  "aht_seconds",
  "max_wait_seconds",
  "fcr",
  "repeat_rate",
  "self_service_rate",
  "retry_after_abandon_rate"
];
var SURVEY_KEYS = ["csat_avg", "csat_satisfied_rate", "nps", "ces_avg", "survey_response_rate"];
function keyFigures(ctx) {
  if (ctx.noData) return [];
  const judged = new Set(ctx.doc.sla.map((r) => r.kpi));
  return KEY_FIGURE_KEYS.filter((k) => !judged.has(k)).map((k) => ctx.figure(k));
}
function surveyFigures(ctx) {
  return ctx.noData ? [] : SURVEY_KEYS.map((k) => ctx.figure(k));
}
function comparisonNote(ctx) {
  return ctx.perDay === null || ctx.noData ? null : ctx.msg.comparison.perDay(ctx.f.count(ctx.perDay.current), ctx.f.count(ctx.perDay.prior));
}

// functions/core/report/sections/hours.ts
function hoursSection(ctx) {
  const { doc, f, msg, noData } = ctx;
  let peakHour = doc.peak_hour ?? null;
  const peakOffered = peakHour === null ? 0 : doc.hourly.find((h) => h.hour === peakHour)?.offered ?? 0;
  if (peakOffered === 0) peakHour = null;
  const slTarget = doc.sla.find((r) => r.kpi === "service_level");
  const trendKey = ctx.config.reports.trend_line;
  const lineTarget = doc.sla.find((r) => r.kpi === trendKey);
  const lineChannel = lineTarget?.channel ?? null;
  const lineLabel = lineChannel === null ? msg.kpi[trendKey] : channelLabel(f, lineChannel, trendKey);
  const trend = noData || doc.daily.length <= 1 ? null : {
    label: lineLabel,
    channel: lineChannel,
    points: doc.daily.map((p) => ({
      label: f.shortDate(p.dt),
      offered: p.offered,
      line: lineChannel === null ? p[trendKey] : p.by_channel[lineChannel]?.[trendKey] ?? null
    })),
    target: trendKey === "service_level" ? slTarget?.target ?? null : lineTarget?.target ?? null
  };
  const slChannel = slTarget?.channel ?? null;
  const slLabel = slChannel === null ? msg.kpi.service_level : channelLabel(f, slChannel, "service_level");
  const hourlyLine = noData || !doc.hourly.some((h) => h.offered > 0) ? null : {
    label: slLabel,
    channel: slChannel,
    points: doc.hourly.map((h) => ({
      label: String(h.hour),
      offered: h.offered,
      line: slChannel === null ? h.service_level : h.by_channel?.[slChannel]?.service_level ?? null
    })),
    target: slTarget?.target ?? null
  };
  return {
    trend,
    trendCaption: trend === null ? null : msg.trendCaption(trend.label, trend.target === null ? null : f.percent(trend.target)),
    hourly: doc.hourly,
    hourlyLine,
    peakHour,
    peakHourText: peakHour === null ? null : msg.peakHour(msg.hourLabel(peakHour), f.count(peakOffered))
  };
}

// functions/core/report/sections/voice.ts
function maskContactDetails(text3) {
  return text3.replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "***@***").replace(/\+?\d[\d\s().-]{7,}\d/g, (m) => m.replace(/\D/g, "").length >= 9 ? m.replace(/\d/g, "*") : m);
}
function commentRows(ctx) {
  const { f, msg } = ctx;
  if (ctx.noData) return [];
  return ctx.doc.comments.map((c) => {
    const scores = [
      c.csat_score === null ? null : `CSAT ${f.decimal(c.csat_score, 0)}`,
      c.nps_score === null ? null : `NPS ${f.decimal(c.nps_score, 0)}`,
      c.ces_score === null ? null : `CES ${f.decimal(c.ces_score, 0)}`
    ].filter((x) => x !== null).join(" ");
    return {
      text: cut(maskContactDetails(c.comment.replace(/\s+/g, " ").trim()), MAX_COMMENT_CHARS),
      meta: msg.surveys.comment(f.instant(c.responded_at), c.channel === null ? null : msg.channel[c.channel], scores)
    };
  });
}
function surveyResponsesText(ctx) {
  const t = ctx.doc.current.total;
  return ctx.msg.surveys.responses(ctx.f.count(t.csat_responses + t.nps_responses + t.ces_responses));
}

// functions/core/report/model.ts
function buildReportModel(input) {
  const ctx = reportContext(input);
  const { doc, config, f, msg, kind, noData, incomplete, completeness } = ctx;
  const contract = contractCards(ctx);
  const figures = keyFigures(ctx);
  const surveys = surveyFigures(ctx);
  const { cost, costNote } = costSection2(ctx);
  const missingText = missingSummary(completeness, f, ctx.labels);
  const shown3 = shownFigures(ctx, contract, figures, surveys, cost);
  const correction = correctionSection2(ctx, shown3, input.previous);
  const hours = hoursSection(ctx);
  const periodLabel = f.periodLabel(kind, doc.period.start, doc.period.end);
  const tag = noData ? ` ${msg.tags.noData}` : incomplete ? ` ${msg.tags.incomplete(missingText ?? msg.dash)}` : "";
  const subject = `${correction === null ? "" : `${msg.tags.corrected} `}${msg.subject(cut(config.name, MAX_LABEL_CHARS), kind, periodLabel)}${tag}`;
  const allMet = contract.length > 0 && contract.every((c) => c.verdict === "met");
  const weekAgo = kind === "daily" ? doc.week_ago?.total ?? null : null;
  return {
    locale: ctx.locale,
    clientId: config.id,
    clientName: cut(config.name, MAX_LABEL_CHARS),
    kind,
    period: doc.period,
    periodLabel,
    subject,
    title: msg.title(kind),
    status: noData ? "no-data" : incomplete ? "incomplete" : "complete",
    incomplete,
    missingText,
    banner: noData ? msg.banners.noData(missingText ?? msg.dash) : incomplete ? msg.banners.incomplete(missingText ?? msg.dash) : null,
    correction,
    vsPriorLabel: msg.vsPrior[kind],
    vsWeekAgoLabel: kind === "daily" && weekAgo !== null ? msg.vsWeekAgo : null,
    contract,
    keyFigures: figures,
    comparisonNote: comparisonNote(ctx),
    actions: actionItems(ctx, contract, missingText).slice(0, MAX_ACTIONS),
    // "every SLA target was met" is said only when every target was judged and met on complete data
    noActionsText: allMet ? msg.actions.allMet : msg.actions.none,
    showDaysMet: kind !== "daily" && contract.some((c) => c.daysMet !== null),
    channels: channelRows(ctx),
    ...hours,
    categories: categoryRows(ctx),
    categoryBase: msg.categoryBase,
    surveys,
    surveyResponsesText: surveyResponsesText(ctx),
    comments: commentRows(ctx),
    cost,
    costNote,
    dataQuality: dataQualityLines(ctx),
    contractNotes: contractNotes(ctx),
    daily: doc.daily,
    figures: shown3,
    format: f
  };
}

// functions/core/report/text.ts
function renderReportText(model) {
  const m = model.format.messages;
  const out = [];
  const heading = (title) => {
    out.push("", `\u25A0 ${title}`);
  };
  const marks = (k) => [k.smallSample, k.provisional ? m.comparison.provisional : null].filter((x) => x !== null).map((x) => ` [${x}]`).join("");
  out.push(`${model.clientName} \xB7 ${model.correction === null ? "" : `${m.tags.corrected} `}${model.title}`, model.periodLabel);
  if (model.correction !== null) {
    heading(m.sections.correction);
    out.push(model.correction.notice, model.correction.intro);
    for (const c of model.correction.changes) out.push(`- ${c.text}`);
  }
  if (model.banner !== null) out.push("", `\u26A0 ${model.banner}`);
  if (model.contract.length > 0) {
    heading(m.sections.contract);
    for (const c of model.contract) {
      const extra = [c.daysMet, c.smallSample].filter((x) => x !== null).join(", ");
      out.push(`- ${c.label}: ${c.actual} / ${m.sla.target} ${c.target} \u2192 ${c.verdictText} (${c.margin}), ${m.sla.prior} ${c.prior}${extra === "" ? "" : `, ${extra}`}`);
    }
  }
  heading(m.sections.actions);
  if (model.actions.length === 0) out.push(`- ${model.noActionsText}`);
  for (const a of model.actions) out.push(`- ${a.text}`);
  if (model.keyFigures.length > 0) {
    heading(m.sections.keyFigures);
    for (const k of model.keyFigures) {
      let line = `- ${k.label}: ${k.display}${marks(k)} (${model.vsPriorLabel} ${k.vsPrior.text}`;
      if (k.vsWeekAgo !== null && model.vsWeekAgoLabel !== null) line += `, ${model.vsWeekAgoLabel} ${k.vsWeekAgo.text}`;
      out.push(`${line})`);
    }
    if (model.comparisonNote !== null) out.push(`  ${model.comparisonNote}`);
  }
  if (model.channels.length > 0) {
    heading(m.sections.channels);
    for (const c of model.channels) {
      out.push(`- ${c.label}: ${m.kpi.offered} ${c.offered}, ${m.kpi.answer_rate} ${c.answerRate}, ${m.kpi.service_level} ${c.serviceLevel}, ${m.kpi.abandon_rate} ${c.abandonRate}, ASA ${c.asa}, ${m.kpi.max_wait_seconds} ${c.longestWait}`);
    }
  }
  if (model.peakHourText !== null) {
    heading(m.sections.hourly);
    out.push(`- ${model.peakHourText}`);
  }
  if (model.categories.length > 0) {
    heading(m.sections.categories);
    for (const c of model.categories) {
      out.push(`- ${c.label}: ${c.count} (${c.share}), ${model.vsPriorLabel} ${c.change.text}${c.isSpike ? ` [${m.spike}]` : ""}`);
    }
    out.push(`  ${model.categoryBase}`);
  }
  if (model.surveys.some((s) => s.value !== null) || model.comments.length > 0) {
    heading(m.sections.surveys);
    for (const s of model.surveys) out.push(`- ${s.label}: ${s.display}${marks(s)} (${model.vsPriorLabel} ${s.vsPrior.text})`);
    out.push(`  ${model.surveyResponsesText}`);
    if (model.comments.length > 0) {
      out.push(`  ${m.sections.comments}:`);
      for (const c of model.comments) out.push(`  \u201C${c.text}\u201D (${c.meta})`);
    }
  }
  if (model.cost !== null) {
    heading(m.sections.cost);
    out.push(`- ${m.cost.perContact}: ${model.cost.display} (${model.vsPriorLabel} ${model.cost.vsPrior.text})`);
  } else if (model.costNote !== null) {
    heading(m.sections.cost);
    out.push(`- ${m.cost.perContact}: ${m.dash} (${model.costNote})`);
  }
  heading(m.sections.dataQuality);
  for (const l of model.dataQuality) out.push(`- ${l}`);
  heading(m.sections.contractTerms);
  for (const l of model.contractNotes) out.push(`- ${l}`);
  out.push("", m.footer, "");
  return out.join("\n");
}

// functions/core/report/xlsx.ts
import ExcelJS2 from "exceljs";
import JSZip from "jszip";
var SECONDS_PER_DAY = 86400;
function numFmt(kind, currency) {
  switch (kind) {
    case "count":
      return "#,##0";
    case "rate":
      return "0.0%";
    case "seconds":
      return "[h]:mm:ss";
    case "score":
      return "0.00";
    case "nps":
    case "decimal":
      return "0.0";
    case "money":
      return ["KRW", "JPY"].includes(currency) ? "#,##0" : "#,##0.00";
  }
}
var cellValue = (kind, v) => v === null ? null : kind === "seconds" ? v / SECONDS_PER_DAY : v;
function addSheet(wb, name, columns, rows, currency) {
  const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width ?? Math.max(10, Math.min(40, c.header.length + 4)),
    ...c.kind === "text" ? {} : { style: { numFmt: numFmt(c.kind, currency) } }
  }));
  ws.getRow(1).font = { bold: true };
  for (const row2 of rows) {
    ws.addRow(
      Object.fromEntries(
        row2.map((v, i) => {
          const kind = columns[i].kind;
          return [`c${i}`, kind === "text" || typeof v !== "number" ? v : cellValue(kind, v)];
        })
      )
    );
  }
}
async function renderReportXlsx(model, currency, at) {
  const m = model.format.messages;
  const c = m.csv.columns;
  const wb = new ExcelJS2.Workbook();
  wb.creator = "cspulse";
  wb.created = at;
  wb.modified = at;
  addSheet(
    wb,
    m.xlsx.sheets.daily,
    [
      { header: c.date, kind: "text", width: 12 },
      { header: c.offered, kind: "count" },
      { header: c.answered, kind: "count" },
      { header: c.abandoned, kind: "count" },
      { header: c.answer_rate, kind: "rate" },
      { header: c.service_level, kind: "rate" },
      { header: m.kpi.asa_seconds, kind: "seconds" },
      { header: m.kpi.aht_seconds, kind: "seconds" }
    ],
    model.daily.map((p) => [p.dt, p.offered, p.answered, p.abandoned, p.answer_rate, p.service_level, p.asa_seconds, p.aht_seconds]),
    currency
  );
  addSheet(
    wb,
    m.xlsx.sheets.hourly,
    [
      { header: c.hour, kind: "text", width: 8 },
      { header: c.offered, kind: "count" },
      { header: c.answered, kind: "count" },
      { header: c.abandoned, kind: "count" },
      { header: c.service_level, kind: "rate" },
      { header: c.avg_per_day, kind: "decimal" }
    ],
    model.hourly.map((h) => [m.hourLabel(h.hour), h.offered, h.answered, h.abandoned, h.service_level, h.avg_per_day]),
    currency
  );
  if (model.contract.length > 0) {
    const ws = wb.addWorksheet(m.xlsx.sheets.sla, { views: [{ state: "frozen", ySplit: 1 }] });
    ws.columns = [m.sla.kpi, m.sla.actual, m.sla.target, m.sla.result, m.sla.prior].map((header, i) => ({ header, key: `c${i}`, width: i === 0 ? 32 : 14 }));
    ws.getRow(1).font = { bold: true };
    for (const card of model.contract) {
      const row2 = ws.addRow({ c0: card.label, c1: cellValue(KPI_META[card.kpi].kind, card.value), c2: card.target, c3: card.verdictText, c4: card.prior });
      row2.getCell(2).numFmt = numFmt(KPI_META[card.kpi].kind, currency);
    }
  }
  if (model.channels.length > 0) {
    addSheet(
      wb,
      m.xlsx.sheets.channels,
      [
        { header: m.table.channel, kind: "text" },
        { header: m.kpi.offered, kind: "count" },
        { header: m.kpi.answer_rate, kind: "rate" },
        { header: m.kpi.service_level, kind: "rate" },
        { header: m.kpi.abandon_rate, kind: "rate" },
        { header: m.kpi.asa_seconds, kind: "seconds" },
        { header: m.kpi.max_wait_seconds, kind: "seconds" }
      ],
      model.channels.map((r) => [r.label, r.values.offered, r.values.answer_rate, r.values.service_level, r.values.abandon_rate, r.values.asa_seconds, r.values.max_wait_seconds]),
      currency
    );
  }
  if (model.categories.length > 0) {
    addSheet(
      wb,
      m.xlsx.sheets.categories,
      [
        { header: m.table.category, kind: "text", width: 32 },
        { header: m.table.count, kind: "count" },
        { header: m.table.share, kind: "rate" },
        { header: `${m.table.count} (${model.vsPriorLabel})`, kind: "count" }
      ],
      model.categories.map((r) => [r.name, r.values.count, r.values.share, r.values.prior_count]),
      currency
    );
  }
  try {
    const built = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
    const out = new JSZip();
    for (const [name, file] of Object.entries(built.files)) {
      if (!file.dir) out.file(name, await file.async("uint8array"), { date: at, createFolders: false });
    }
    const content = await out.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    return { fileName: m.xlsx.fileName(model.clientId, model.kind, model.period.start), content };
  } catch (error) {
    throw new ReportRenderError("could not build the XLSX attachment", { cause: error });
  }
}

// functions/core/report/email.ts
var senderOf = (config) => resolveSender(config);
var operatorOf = (config) => config.recipients.operator ?? config.recipients.reply_to ?? senderOf(config);
function recipientGroups(config, kind) {
  const wants = (r) => !("kinds" in r) || r.kinds === void 0 || r.kinds.includes(kind);
  const localeOf = (r) => "locale" in r && r.locale !== void 0 ? r.locale : config.locale;
  const groups = /* @__PURE__ */ new Map();
  const group = (locale) => {
    let g = groups.get(locale);
    if (g === void 0) groups.set(locale, g = { locale, to: [], cc: [] });
    return g;
  };
  for (const r of config.recipients.to.filter(wants)) group(localeOf(r)).to.push(r.address);
  for (const r of config.recipients.cc.filter(wants)) group(localeOf(r)).cc.push(r.address);
  const out = [...groups.values()].filter((g) => g.to.length + g.cc.length > 0);
  for (const g of out) if (g.to.length === 0) g.to.push(g.cc.shift());
  return out.sort((a, b) => a.locale === config.locale ? -1 : b.locale === config.locale ? 1 : a.locale.localeCompare(b.locale));
}
async function buildReportEmails(input) {
  const { config } = input;
  const kind = input.doc.period.kind;
  const from = senderOf(config);
  const revision = input.revision ?? 0;
  const replyTo = config.recipients.reply_to;
  const unsubscribeTo = replyTo ?? operatorOf(config);
  const messages = [];
  for (const group of recipientGroups(config, kind)) {
    const model = buildReportModel({
      doc: input.doc,
      config,
      locale: group.locale,
      completeness: input.completeness,
      priorCompleteness: input.priorCompleteness ?? null,
      weekAgoCompleteness: input.weekAgoCompleteness ?? null,
      previous: input.previous ?? null
    });
    const charts = await renderCharts(model);
    const html = await renderReportHtml(model, charts);
    const text3 = renderReportText(model);
    const attachments = [];
    if (config.reports.attachments.includes("xlsx")) {
      const xlsx = await renderReportXlsx(model, config.currency, input.now);
      attachments.push({ ...xlsx, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
    }
    if (config.reports.attachments.includes("csv")) attachments.push({ ...renderReportCsv(model), contentType: "text/csv; charset=utf-8" });
    const locale = group.locale === config.locale ? null : group.locale;
    const messageId = reportMessageId(config.id, kind, model.period.start, from, { locale, revision });
    const m = messagesFor(group.locale);
    const headers = {
      "X-Cspulse-Report": `${config.id}/${kind}/${model.period.start}${group.locale === config.locale ? "" : `/${group.locale}`}${revision === 0 ? "" : `/r${revision}`}`,
      "Auto-Submitted": "auto-generated",
      // RFC 2369: a mailto the recipient's mail program offers as "unsubscribe"
      "List-Unsubscribe": `<mailto:${unsubscribeTo}?subject=${encodeURIComponent(m.unsubscribeSubject(config.name))}>`
    };
    const earlier = Array.from({ length: revision }, (_, r) => reportMessageId(config.id, kind, model.period.start, from, { locale, revision: r }));
    const raw = await composeMime({
      from: `"${config.name.replace(/["\\\r\n]/g, "").slice(0, 60)} CS" <${from}>`,
      to: group.to,
      cc: group.cc,
      replyTo,
      subject: model.subject,
      html,
      text: text3,
      images: charts,
      attachments,
      messageId,
      date: input.now,
      headers,
      ...earlier.length === 0 ? {} : { inReplyTo: earlier.at(-1), references: earlier }
    });
    messages.push({
      locale: group.locale,
      model,
      html,
      text: text3,
      charts,
      attachments,
      messageId,
      email: { from, to: group.to, cc: group.cc, raw, subject: model.subject, tags: { client: config.id, report: kind } }
    });
  }
  return messages;
}

// functions/core/report/notice.ts
async function buildNoDataNotice(config, period, completeness, now) {
  const f = createFormatter(config.locale, config.currency, config.timezone);
  const m = f.messages;
  const label = f.periodLabel(period.kind, period.start, period.end);
  const missing = missingSummary(completeness, f, sourceLabels(config, m)) ?? m.dash;
  const subject = m.notice.subject(config.name, period.kind, label);
  const text3 = `${m.notice.body(config.name, label, missing)}

${m.notice.action}
`;
  const from = senderOf(config);
  const to = operatorOf(config);
  const messageId = noticeMessageId(config.id, period.kind, period.start, from);
  const raw = await composeMime({
    from: `"cspulse" <${from}>`,
    to: [to],
    cc: [],
    subject,
    html: `<!doctype html><html lang="${config.locale}"><body style="font-family:Arial,sans-serif"><p>${escapeHtml(m.notice.body(config.name, label, missing))}</p><p>${escapeHtml(m.notice.action)}</p></body></html>`,
    text: text3,
    images: [],
    attachments: [],
    messageId,
    date: now,
    headers: { "X-Cspulse-Report": `${config.id}/${period.kind}/${period.start}/notice`, "Auto-Submitted": "auto-generated" }
  });
  return { messageId, subject, text: text3, email: { from, to: [to], cc: [], raw, subject, tags: { client: config.id, report: `${period.kind}-notice` } } };
}

// functions/core/schedule/delivery-log.ts
var DEFAULT_LEASE_MS = 15 * 6e4;
var base = (ref) => `${lakeKeys.deliveriesPrefix(ref.clientId)}${ref.kind}/${ref.periodStart}`;
var deliveryKeys = {
  claim: (ref, generation) => `${base(ref)}.claim${generation === 0 ? "" : `.${generation}`}`,
  sent: (ref) => `${base(ref)}.sent.json`
};
var decode = (bytes) => JSON.parse(new TextDecoder().decode(bytes));
async function readJson2(store, key) {
  try {
    return decode(await store.get(key));
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return void 0;
    throw error;
  }
}
function generationOf(key, claimKey0) {
  if (key === claimKey0) return 0;
  const rest = key.slice(claimKey0.length);
  const match = /^\.(\d+)$/.exec(rest);
  return match ? Number(match[1]) : null;
}
async function newestClaim(store, ref) {
  const key0 = deliveryKeys.claim(ref, 0);
  let newest;
  for await (const info of store.list(key0)) {
    const generation = generationOf(info.key, key0);
    if (generation !== null && (newest === void 0 || generation > newest.generation)) newest = { key: info.key, generation };
  }
  return newest;
}
async function claimDelivery(store, ref, owner, now, leaseMs = DEFAULT_LEASE_MS, options = {}) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const newest = await newestClaim(store, ref);
    let generation = 0;
    if (newest !== void 0) {
      const holder = await readJson2(store, newest.key);
      if (holder === void 0) continue;
      const inDoubt = holder.sending !== void 0 && options.isLogged?.(holder) !== true;
      if (inDoubt && options.takeOverInDoubt !== true) return { ok: false, holder, inDoubt: true };
      if (!inDoubt && Date.parse(holder.expires_at) > now.getTime()) return { ok: false, holder, inDoubt: false };
      generation = newest.generation + 1;
    }
    const record = {
      owner,
      generation,
      claimed_at: now.toISOString(),
      expires_at: new Date(now.getTime() + leaseMs).toISOString()
    };
    const key = deliveryKeys.claim(ref, generation);
    if (await store.putIfAbsent(key, JSON.stringify(record), { contentType: "application/json" })) {
      return { ok: true, key, record };
    }
  }
  return { ok: false, holder: null, inDoubt: false };
}
async function markSending(store, claim, messageIds, now) {
  const record = { ...claim.record, sending: { started_at: now.toISOString(), message_ids: messageIds } };
  await store.put(claim.key, JSON.stringify(record), { contentType: "application/json" });
  return { key: claim.key, record };
}
async function releaseClaim(store, claim) {
  const current = await readJson2(store, claim.key);
  if (current?.owner === claim.record.owner) await store.delete(claim.key);
}
function readSent(store, ref) {
  return readJson2(store, deliveryKeys.sent(ref));
}
async function writeSent(store, ref, record) {
  await store.put(deliveryKeys.sent(ref), JSON.stringify(record, null, 2), { contentType: "application/json" });
}
function nextSentRecord(ref, periodEnd, revision, previous) {
  const first = revision.messages[0];
  const history = previous === void 0 ? [] : [...previous.history ?? [], stripRecord(previous)];
  return {
    client_id: ref.clientId,
    kind: ref.kind,
    period_start: ref.periodStart,
    period_end: periodEnd,
    ...revision,
    message_id: first?.message_id ?? "",
    provider_message_id: first?.provider_message_id ?? "",
    recipients: first?.recipients ?? { to: [], cc: [] },
    subject: first?.subject ?? "",
    history
  };
}
function stripRecord(record) {
  return {
    revision: record.revision ?? 0,
    status: record.status ?? (record.incomplete ? "sent-incomplete" : "sent"),
    notified: record.notified ?? "client",
    messages: record.messages ?? [],
    incomplete: record.incomplete,
    missing: record.missing ?? [],
    figures: record.figures ?? {},
    verdicts: record.verdicts ?? {},
    coverage_digest: record.coverage_digest ?? "",
    sent_at: record.sent_at,
    claim_owner: record.claim_owner
  };
}

// functions/core/schedule/errors.ts
var KpiPeriodMismatchError = class extends Error {
  constructor(expected, actual) {
    super(`the KPI document is for ${actual}, the report is for ${expected}`);
    this.name = "KpiPeriodMismatchError";
  }
};
var PeriodNotEndedError = class extends Error {
  constructor(kind, start, end, endsAt, zone) {
    super(`the ${kind} period ${start}\u2026${end} has not ended yet in ${zone} (it ends at ${endsAt}); a report can only be sent for a period that is over`);
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.endsAt = endsAt;
    this.zone = zone;
    this.name = "PeriodNotEndedError";
  }
  kind;
  start;
  end;
  endsAt;
  zone;
};
var DeliveryLogError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "DeliveryLogError";
  }
};

// functions/core/schedule/freshness.ts
import { createHash as createHash5 } from "node:crypto";

// functions/core/report/completeness.ts
import { DateTime as DateTime2 } from "luxon";

// functions/core/ingest/delivery-status.ts
function quarantinedTooMuch(quarantined, read, maxShare) {
  return read > 0 && quarantined > 0 && quarantined / read > maxShare;
}
function deliveryStatus(manifest, source) {
  if (manifest.status === "rejected") return { status: "rejected", reason: manifest.error };
  const limit = completenessOf(source).maxQuarantinedShare;
  if (!quarantinedTooMuch(manifest.rows_quarantined, manifest.rows_read, limit)) return { status: "ok", reason: null };
  const share = Math.round(manifest.rows_quarantined / manifest.rows_read * 1e3) / 10;
  return {
    status: "partial",
    reason: manifest.rows_quarantined === manifest.rows_read ? `every row (${manifest.rows_read}) was quarantined: nothing of the file reached the lake` : `${manifest.rows_quarantined} of ${manifest.rows_read} rows (${share}%) were quarantined, more than the source allows (completeness.max_quarantined_share ${limit})`
  };
}

// functions/core/report/opening-days.ts
var ALWAYS_OPEN = { channels: [], isOpen: () => true };
function openingDaysOf(_config) {
  return ALWAYS_OPEN;
}
function channelsOf(source, days) {
  return sourceChannels(source) ?? (days.channels.length > 0 ? days.channels : CHANNELS);
}
function sourceClosedOn(source, dt, days) {
  if (source.table !== "contacts") return false;
  return channelsOf(source, days).every((ch) => !days.isOpen(ch, dt));
}

// functions/core/report/completeness.ts
function coverageDates(range) {
  return [...datesOf(range), addDays(range.end, 1)];
}
var endOfDay = (dt, zone) => DateTime2.fromISO(dt, { zone }).plus({ days: 1 }).startOf("day").toMillis();
function dueAt(dt, config) {
  const [hour, minute] = config.reports.send_at.split(":").map(Number);
  return DateTime2.fromISO(dt, { zone: config.timezone }).plus({ days: 1 }).set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 }).toMillis();
}
function dayFailure(source, own, openByCalendar) {
  if (own.length === 0) return null;
  const rows = own.reduce((n, e) => n + e.rows, 0);
  const quarantined = own.reduce((n, e) => n + (e.quarantined ?? 0), 0);
  const reasons = mergedReasons(own);
  const rule = completenessOf(source);
  if (quarantinedTooMuch(quarantined, rows + quarantined, rule.maxQuarantinedShare)) return { kind: "quarantined", rows, quarantined, reasons };
  if (rule.expect === "daily-file" && openByCalendar && rows === 0 && quarantined === 0 && own.some((e) => e.declared)) {
    return { kind: "empty", rows, quarantined, reasons };
  }
  return null;
}
function mergedReasons(entries) {
  const byField = /* @__PURE__ */ new Map();
  for (const e of entries) {
    for (const r of e.quarantine_reasons ?? []) {
      const seen = byField.get(r.field);
      byField.set(r.field, seen === void 0 ? { ...r } : { ...seen, rows: seen.rows + r.rows });
    }
  }
  return [...byField.values()].sort((a, b) => b.rows - a.rows || a.field.localeCompare(b.field));
}
function sourceDay(dt, source, config, entries, later, now, days) {
  const rule = completenessOf(source);
  const ofDay = entries.filter((e) => e.dt === dt);
  const own = ofDay.filter((e) => e.rejected === void 0);
  const rejectedFiles = ofDay.filter((e) => e.rejected !== void 0);
  const arrivals = own.map((e) => Date.parse(e.delivered_at)).filter(Number.isFinite);
  const first = arrivals.length === 0 ? null : Math.min(...arrivals);
  const dayOver = endOfDay(dt, config.timezone);
  const closed = sourceClosedOn(source, dt, days);
  const written = own.some((e) => e.rows > 0);
  let state = "missing";
  let failure = closed && !written ? null : dayFailure(source, own, !closed && days.channels.length > 0);
  if (failure !== null) state = "failed";
  else if (closed && !written) state = "closed";
  else if (rule.expect === "sporadic") state = own.length > 0 ? "received" : rejectedFiles.length > 0 ? "failed" : "quiet";
  else if (rule.expect === "continuous") {
    if (written) state = now.getTime() >= dayOver + rule.graceMinutes * 6e4 ? "received" : "pending";
  } else if (own.some((e) => e.declared || e.rows > 0 && (Date.parse(e.delivered_at) >= dayOver || later.has(e.file_id)))) {
    state = "received";
  }
  if (state === "missing" && rejectedFiles.length > 0) state = "failed";
  if (state === "failed" && failure === null) {
    failure = { kind: "rejected", rows: 0, quarantined: 0, reasons: rejectedFiles.map((e) => ({ field: "(file)", reason: e.rejected, rows: 0 })) };
  }
  return {
    dt,
    state,
    deliveries: own.length,
    firstDeliveredAt: first === null ? null : new Date(first).toISOString(),
    late: first !== null && first > dueAt(dt, config),
    rejected: rejectedFiles.length,
    failure
  };
}
function assessCompleteness(range, config, entries, now, opening = openingDaysOf(config)) {
  const dates = datesOf(range);
  const own = entries.filter((e) => e.client_id === config.id);
  const inRange = own.filter((e) => e.dt >= range.start && e.dt <= range.end && e.rejected === void 0);
  const sources = config.sources.map((source) => {
    const bySource = own.filter((e) => e.source === source.id);
    const usable = bySource.filter((e) => e.rejected === void 0);
    const days = dates.map((dt) => {
      const later = new Set(usable.filter((e) => e.dt > dt && e.rows > 0).map((e) => e.file_id));
      return sourceDay(dt, source, config, bySource, later, now, opening);
    });
    return { source: source.id, expect: completenessOf(source).expect, days };
  });
  const missing = [];
  for (const dt of dates) {
    for (const s of sources) {
      const day = s.days.find((d) => d.dt === dt);
      if (day.state === "missing" || day.state === "pending" || day.state === "failed") {
        missing.push({ source: s.source, dt, state: day.state, rejected: day.rejected > 0 && day.failure?.kind === "rejected", failure: day.failure });
      }
    }
  }
  const files = /* @__PURE__ */ new Map();
  for (const e of inRange) files.set(`${e.source}/${e.file_id}`, e);
  const finished = inRange.map((e) => e.finished_at).sort();
  return {
    start: range.start,
    end: range.end,
    sources,
    missing,
    completeDays: dates.filter((dt) => !missing.some((m) => m.dt === dt)),
    complete: missing.length === 0,
    noData: !inRange.some((e) => e.rows > 0 || e.declared),
    files: files.size,
    rowsRead: [...files.values()].reduce((n, e) => n + e.file_rows_read, 0),
    rowsQuarantined: [...files.values()].reduce((n, e) => n + e.file_rows_quarantined, 0),
    lastFinishedAt: finished.at(-1) ?? null
  };
}

// functions/core/schedule/freshness.ts
function freshnessOf(c) {
  const lagging = [];
  for (const s of c.sources) {
    const missing = s.days.filter((d) => d.state === "missing" || d.state === "failed").map((d) => d.dt);
    const pending = s.days.filter((d) => d.state === "pending").map((d) => d.dt);
    if (missing.length + pending.length > 0) lagging.push({ source: s.source, missing, pending });
  }
  return { complete: lagging.length === 0, lagging };
}
function sourceOfKey(key, config) {
  const name = key.slice(key.lastIndexOf("/") + 1);
  return config.sources.map((s) => s.id).filter((id) => name.startsWith(`${id}--`)).sort((a, b) => b.length - a.length)[0];
}
function coverageDigest(listings, range) {
  const lines = listings.filter((l) => l.dt >= range.start && l.dt <= range.end).map((l) => `${l.key}|${l.size}|${l.lastModified.getTime()}`).sort();
  return createHash5("sha256").update(lines.join("\n")).digest("hex");
}
async function listPeriodCoverage(lake, config, range) {
  return listCoverage(lake, config.id, coverageDates(range));
}
async function loadPeriodCoverage(lake, config, range, now, options = {}) {
  const listings = options.listings ?? await listPeriodCoverage(lake, config, range);
  const continuous = new Set(config.sources.filter((s) => completenessOf(s).expect === "continuous").map((s) => s.id));
  const toRead = [];
  const fromListing = [];
  for (const l of listings) {
    const source = sourceOfKey(l.key, config);
    if (source === void 0) continue;
    if (options.details === false && continuous.has(source)) {
      const at = l.lastModified.toISOString();
      const name = l.key.slice(l.key.lastIndexOf("/") + 1);
      fromListing.push({
        client_id: config.id,
        source,
        table: "contacts",
        dt: l.dt,
        file: name,
        file_id: name.slice(source.length + 2, -".json".length),
        delivered_at: at,
        finished_at: at,
        rows: 1,
        excluded: 0,
        declared: false,
        file_rows_read: 0,
        file_rows_quarantined: 0
      });
    } else {
      toRead.push(l);
    }
  }
  const entries = [...await readCoverageEntries(lake, toRead, options.concurrency ?? 16), ...fromListing];
  return { completeness: assessCompleteness(range, config, entries, now), digest: coverageDigest(listings, range) };
}

// functions/core/schedule/periods.ts
import { DateTime as DateTime3 } from "luxon";
function periodContaining(kind, localDate2) {
  return periodFor(kind, localDate2);
}
function atLocalTime(localDate2, hhmm2, zone) {
  const [hour, minute] = hhmm2.split(":").map(Number);
  return DateTime3.fromISO(localDate2, { zone }).set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
}
function sendTime(period, config) {
  const next = DateTime3.fromISO(period.end, { zone: "utc" }).plus({ days: 1 }).toISODate();
  return atLocalTime(next, config.reports.send_at, config.timezone).toJSDate();
}
function freshnessDeadline(period, config) {
  return new Date(sendTime(period, config).getTime() + config.reports.freshness_deadline_minutes * 6e4);
}
function endOfLocalDay(localDate2, zone) {
  return DateTime3.fromISO(localDate2, { zone }).plus({ days: 1 }).startOf("day").toJSDate();
}

// functions/core/schedule/run-report.ts
var WRITE_ATTEMPTS = 3;
async function withRetries(fn) {
  let last;
  for (let i = 0; i < WRITE_ATTEMPTS; i++) {
    try {
      return await fn();
    } catch (error) {
      last = error;
    }
  }
  throw last;
}
var missingOf = (c) => c.missing.map((m) => ({ source: m.source, dt: m.dt }));
async function runReport(deps, config, kind, date2, options = {}) {
  const period = periodContaining(kind, date2);
  const now = () => deps.clock.now();
  const ends = endOfLocalDay(period.end, config.timezone);
  if (now().getTime() < ends.getTime()) throw new PeriodNotEndedError(kind, period.start, period.end, ends.toISOString(), config.timezone);
  const ref = { clientId: config.id, kind, periodStart: period.start };
  const owner = options.owner ?? randomUUID3();
  const force = options.force === true;
  let sent = await readSent(deps.lake, ref);
  if (options.restateOnly === true && sent === void 0) return { status: "skipped-not-sent", period };
  const listings = await listPeriodCoverage(deps.lake, config, period);
  const digest = coverageDigest(listings, period);
  if (sent !== void 0 && !force && (sent.coverage_digest === void 0 || sent.coverage_digest === digest)) {
    return { status: "skipped-already-sent", period, sent, rechecked: false };
  }
  const { completeness } = await loadPeriodCoverage(deps.lake, config, period, now(), { listings });
  const deadline = freshnessDeadline(period, config);
  if (sent === void 0 && !completeness.complete && options.ignoreDeadline !== true && now().getTime() < deadline.getTime()) {
    return { status: "deferred-not-fresh", period, lagging: freshnessOf(completeness).lagging, retryUntil: deadline.toISOString() };
  }
  const noDataAction = completeness.noData ? config.reports.when_no_data : null;
  if (noDataAction !== "notify-operator" && noDataAction !== "skip" && recipientGroups(config, kind).length === 0) {
    return { status: "skipped-no-recipients", period };
  }
  const claim = await claimDelivery(deps.lake, ref, owner, now(), options.leaseMs, {
    takeOverInDoubt: force,
    // a claim whose send the log already records is not in doubt: the run crashed after logging
    isLogged: (holder) => sent !== void 0 && Date.parse(sent.sent_at) >= Date.parse(holder.sending?.started_at ?? "")
  });
  if (!claim.ok) return claim.inDoubt ? { status: "skipped-in-doubt", period, holder: claim.holder } : { status: "skipped-claimed", period, holder: claim.holder };
  let handedOver = false;
  let sentCount = 0;
  const sendOnce = async (email2) => {
    const before = handedOver;
    handedOver = true;
    try {
      const result = await deps.mailer.send(email2);
      sentCount++;
      return result;
    } catch (error) {
      if (sentCount === 0 && !before && error instanceof MailerError && !error.handedOver) handedOver = false;
      throw error;
    }
  };
  try {
    const latest = await readSent(deps.lake, ref);
    if (!force && latest !== void 0 && (latest.sent_at !== sent?.sent_at || latest.coverage_digest === digest)) {
      await releaseClaim(deps.lake, claim);
      return { status: "skipped-already-sent", period, sent: latest, rechecked: false };
    }
    sent = latest;
    const restating = sent !== void 0 && !force;
    const log = async (revision2) => {
      try {
        await withRetries(() => writeSent(deps.lake, ref, nextSentRecord(ref, period.end, revision2, sent)));
      } catch (error) {
        if (!handedOver) throw error;
        throw new DeliveryLogError(
          `${config.id} ${kind} ${period.start}: the report went out but the delivery log could not be written; the claim is kept so it is not sent again automatically`,
          { cause: error }
        );
      }
    };
    const base2 = { claim_owner: owner, coverage_digest: digest, missing: missingOf(completeness) };
    if (completeness.noData && noDataAction !== "send") {
      if (restating) {
        await withRetries(() => writeSent(deps.lake, ref, { ...sent, coverage_digest: digest, checked_at: now().toISOString() }));
        await releaseClaim(deps.lake, claim);
        return { status: "skipped-already-sent", period, sent, rechecked: true };
      }
      const record = {
        ...base2,
        revision: 0,
        status: "no-data",
        notified: noDataAction === "notify-operator" ? "operator" : "nobody",
        messages: [],
        incomplete: true,
        figures: {},
        verdicts: {},
        sent_at: now().toISOString()
      };
      let messageId = null;
      if (noDataAction === "notify-operator") {
        const notice = await buildNoDataNotice(config, period, completeness, now());
        await markSending(deps.lake, claim, [notice.messageId], now());
        const { messageId: providerId } = await sendOnce(notice.email);
        messageId = notice.messageId;
        record.messages = [{ message_id: notice.messageId, provider_message_id: providerId, locale: config.locale, recipients: { to: notice.email.to, cc: [] }, subject: notice.subject }];
      }
      await log(record);
      await releaseClaim(deps.lake, claim).catch(() => void 0);
      return { status: "no-data", period, notified: record.notified, missing: record.missing, messageId };
    }
    const doc = await deps.loadKpis(config, kind, period.start);
    if (doc.period.kind !== kind || doc.period.start !== period.start || doc.period.end !== period.end) {
      throw new KpiPeriodMismatchError(`${kind} ${period.start}\u2026${period.end}`, `${doc.period.kind} ${doc.period.start}\u2026${doc.period.end}`);
    }
    const prior = await loadPeriodCoverage(deps.lake, config, priorPeriod(period), now(), { details: false });
    const weekAgo = kind === "daily" ? await loadPeriodCoverage(deps.lake, config, weekAgoPeriod(period), now(), { details: false }) : null;
    const previousClientReport = restating && (sent.status !== "no-data" || sent.notified === "client") ? sent : void 0;
    const revision = previousClientReport === void 0 ? force ? sent?.revision ?? 0 : 0 : (sent.revision ?? 0) + 1;
    const messages = await buildReportEmails({
      doc,
      config,
      completeness,
      priorCompleteness: prior.completeness,
      weekAgoCompleteness: weekAgo?.completeness ?? null,
      previous: previousClientReport === void 0 ? null : { sentAt: previousClientReport.sent_at, figures: previousClientReport.figures ?? {}, verdicts: previousClientReport.verdicts ?? {} },
      revision,
      now: now()
    });
    if (messages.length === 0) {
      await releaseClaim(deps.lake, claim);
      return { status: "skipped-no-recipients", period };
    }
    const first = messages[0];
    if (previousClientReport !== void 0 && (first.model.correction?.changes.length ?? 0) === 0) {
      const checked = { ...previousClientReport, coverage_digest: digest, checked_at: now().toISOString() };
      await withRetries(() => writeSent(deps.lake, ref, checked));
      await releaseClaim(deps.lake, claim);
      return { status: "skipped-already-sent", period, sent: checked, rechecked: true };
    }
    const marked = await markSending(deps.lake, claim, messages.map((m) => m.messageId), now());
    const delivered = [];
    for (const message of messages) {
      const { messageId: providerMessageId } = await sendOnce(message.email);
      delivered.push(sentMessage(message, providerMessageId));
    }
    const status = previousClientReport !== void 0 ? "sent-correction" : completeness.complete ? "sent" : "sent-incomplete";
    await log({
      ...base2,
      revision,
      status: completeness.noData ? "no-data" : completeness.complete ? "sent" : "sent-incomplete",
      notified: "client",
      messages: delivered,
      incomplete: !completeness.complete,
      figures: Object.fromEntries(first.model.figures.map((f) => [f.key, f.value])),
      verdicts: Object.fromEntries(first.model.figures.filter((f) => f.verdict !== void 0).map((f) => [f.key, f.verdict])),
      sent_at: now().toISOString()
    });
    await releaseClaim(deps.lake, marked).catch(() => void 0);
    const summaries = delivered.map((d) => ({ messageId: d.message_id, providerMessageId: d.provider_message_id, subject: d.subject, recipients: [...d.recipients.to, ...d.recipients.cc] }));
    if (completeness.noData && previousClientReport === void 0) {
      return { status: "no-data", period, notified: "client", missing: missingOf(completeness), messageId: summaries[0].messageId };
    }
    return {
      status,
      period,
      revision,
      missing: missingOf(completeness),
      messages: summaries,
      ...summaries[0]
    };
  } catch (error) {
    if (!handedOver) await releaseClaim(deps.lake, claim).catch(() => void 0);
    throw error;
  }
}
function sentMessage(message, providerMessageId) {
  return {
    message_id: message.messageId,
    provider_message_id: providerMessageId,
    locale: message.locale,
    recipients: { to: message.email.to, cc: message.email.cc ?? [] },
    subject: message.email.subject
  };
}

// functions/simulator/calendar.ts
import { DateTime as DateTime4 } from "luxon";
function addDays2(date2, days) {
  const d = /* @__PURE__ */ new Date(`${date2}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
function weekdayIndex(date2) {
  return ((/* @__PURE__ */ new Date(`${date2}T00:00:00Z`)).getUTCDay() + 6) % 7;
}
function compactDate(date2) {
  return date2.replaceAll("-", "");
}
function localHourStarts(date2, zone) {
  const [y, m, d] = date2.split("-").map(Number);
  const starts = [];
  for (let h = 0; h < 24; h++) {
    starts.push(DateTime4.fromObject({ year: y, month: m, day: d, hour: h }, { zone }).toMillis());
  }
  const next = addDays2(date2, 1).split("-").map(Number);
  starts.push(DateTime4.fromObject({ year: next[0], month: next[1], day: next[2] }, { zone }).toMillis());
  return starts;
}
var ZoneClock = class {
  constructor(zone) {
    this.zone = zone;
  }
  zone;
  offsets = /* @__PURE__ */ new Map();
  offsetMinutes(epochMs) {
    const hour = Math.floor(epochMs / 36e5);
    let offset = this.offsets.get(hour);
    if (offset === void 0) {
      offset = DateTime4.fromMillis(hour * 36e5, { zone: this.zone }).offset;
      this.offsets.set(hour, offset);
    }
    return offset;
  }
  /** Shifted Date whose UTC fields read as local wall-clock time. */
  wallClock(epochMs) {
    return new Date(epochMs + this.offsetMinutes(epochMs) * 6e4);
  }
  localDate(epochMs) {
    return this.wallClock(epochMs).toISOString().slice(0, 10);
  }
};
function isoSeconds(epochMs) {
  return new Date(Math.floor(epochMs / 1e3) * 1e3).toISOString().replace(".000Z", "Z");
}
var HOLIDAYS = {
  KR: /* @__PURE__ */ new Set([
    "2025-12-25",
    "2026-01-01",
    "2026-02-16",
    "2026-02-17",
    "2026-02-18",
    "2026-03-01",
    "2026-03-02",
    "2026-05-05",
    "2026-05-25",
    "2026-06-03",
    "2026-06-06",
    "2026-08-15",
    "2026-08-17",
    "2026-09-24",
    "2026-09-25",
    "2026-09-26",
    "2026-10-03",
    "2026-10-05",
    "2026-10-09",
    "2026-12-25"
  ]),
  US: /* @__PURE__ */ new Set([
    "2025-12-25",
    "2026-01-01",
    "2026-01-19",
    "2026-02-16",
    "2026-05-25",
    "2026-07-03",
    "2026-09-07",
    "2026-11-26",
    "2026-12-25"
  ])
};

// functions/simulator/simulate.ts
import { mkdir as mkdir9, readFile as readFile6, writeFile as writeFile5 } from "node:fs/promises";
import { dirname, join as join10, resolve as resolve2 } from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";
import { parse as parseYaml2 } from "yaml";

// functions/simulator/random.ts
function streamSeed(seed, label) {
  let h = 2166136261 ^ seed >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}
var Random = class {
  state;
  constructor(seed, label = "") {
    this.state = streamSeed(seed, label);
  }
  /** mulberry32: 32-bit state, period 2^32, more than enough for a few million draws per stream. */
  next() {
    this.state = this.state + 1831565813 >>> 0;
    let t = this.state;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  }
  /** Integer in [min, max] inclusive. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(items) {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[Math.floor(this.next() * items.length)];
  }
  /** Index drawn with probability proportional to its weight. */
  weightedIndex(weights) {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
  /** Standard normal by Box–Muller (one value per call keeps the stream position simple to reason about). */
  normal() {
    const u1 = 1 - this.next();
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  exponential(mean) {
    return -mean * Math.log(1 - this.next());
  }
  /** Lognormal given its median and the sigma of the underlying normal: handle times and patience are skewed. */
  lognormal(median, sigma) {
    return median * Math.exp(sigma * this.normal());
  }
  /**
   * Poisson by inversion: exact, O(lambda). Large means are split into halves (a sum of independent Poisson
   * variables is Poisson) so exp(-lambda) never underflows.
   */
  poisson(lambda) {
    if (lambda <= 0) return 0;
    if (lambda > 400) {
      const half = lambda / 2;
      return this.poisson(half) + this.poisson(half);
    }
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    const u = this.next();
    while (u > cdf) {
      k += 1;
      p *= lambda / k;
      cdf += p;
      if (p < 1e-300 && cdf >= 1 - 1e-15) break;
    }
    return k;
  }
  /** Hex string of n characters, e.g. for UUIDs and Firehose object suffixes. */
  hex(n) {
    let s = "";
    while (s.length < n) s += Math.floor(this.next() * 65536).toString(16).padStart(4, "0");
    return s.slice(0, n);
  }
  uuid() {
    const h = this.hex(32);
    const variant = (parseInt(h[16], 16) & 3 | 8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
};

// functions/simulator/customers.ts
var KR_GIVEN = ["minji", "jiwoo", "seoyeon", "hyunwoo", "jihoon", "sujin", "yuna", "dohyun", "eunji", "taeyang", "haeun", "junho"];
var KR_FAMILY = ["kim", "lee", "park", "choi", "jung", "kang", "cho", "yoon", "jang", "lim"];
var US_GIVEN = ["emma", "liam", "olivia", "noah", "ava", "mason", "sophia", "lucas", "mia", "ethan", "harper", "logan"];
var US_FAMILY = ["smith", "johnson", "garcia", "miller", "davis", "lopez", "wilson", "nguyen", "lee", "walker"];
var US_AREAS = ["206", "213", "253", "310", "415", "503", "510", "619", "650", "702", "714", "818", "916", "971"];
var CustomerPool = class {
  constructor(seed, scenario) {
    this.seed = seed;
    this.scenario = scenario;
  }
  seed;
  scenario;
  cache = /* @__PURE__ */ new Map();
  /** A new contact's customer: a mild heavy tail, so some people contact far more often than others. */
  drawId(rng) {
    return Math.floor(this.scenario.customerPool * Math.pow(rng.next(), 1.25));
  }
  get(id) {
    let c = this.cache.get(id);
    if (c) return c;
    const rng = new Random(streamSeed(this.seed, this.scenario.clientId), `customer:${id}`);
    const kr = this.scenario.phoneStyle === "kr-mobile";
    const given = rng.pick(kr ? KR_GIVEN : US_GIVEN);
    const family = rng.pick(kr ? KR_FAMILY : US_FAMILY);
    const phoneDigits = kr ? `010${rng.int(2, 9)}${String(rng.int(0, 9999999)).padStart(7, "0")}` : `${rng.pick(US_AREAS)}${rng.int(2, 9)}${String(rng.int(0, 999999)).padStart(6, "0")}`;
    const suffix = rng.int(1, 999);
    const email2 = `${given}.${family}${suffix}@${rng.pick(this.scenario.emailDomains)}`;
    const memberId = kr ? `${given}_${family}${suffix}` : `${given}${family}${suffix}`;
    const roll = rng.next();
    const chatIdentity = roll < 0.5 ? "member" : roll < 0.85 ? "email" : "phone";
    c = { id, phoneDigits, email: email2, memberId, chatIdentity };
    this.cache.set(id, c);
    return c;
  }
};
function krCallerId(c, rng) {
  const roll = rng.next();
  if (roll < 0.03) return "\uBC1C\uC2E0\uBC88\uD638\uD45C\uC2DC\uC81C\uD55C";
  if (roll < 0.04) return "";
  const d = c.phoneDigits;
  if (roll < 0.55) return `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
  if (roll < 0.85) return d;
  return `+82 ${d.slice(1, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
}
function isHiddenCallerId(raw) {
  return raw === null || raw === "" || raw === "\uBC1C\uC2E0\uBC88\uD638\uD45C\uC2DC\uC81C\uD55C" || raw === "anonymous";
}
function chatUserId(c, rng) {
  const roll = rng.next();
  if (roll < 0.06) return "anonymous";
  if (roll < 0.09) return "";
  if (c.chatIdentity === "member") return c.memberId;
  if (c.chatIdentity === "email") return c.email;
  return c.phoneDigits;
}
function e164Us(c) {
  return `+1${c.phoneDigits}`;
}

// functions/simulator/queue.ts
var AgentQueue = class {
  constructor(concurrency) {
    this.concurrency = concurrency;
  }
  concurrency;
  seats = [];
  duty = [];
  /** Install today's shifts: duty[k] are agent k's on-shift intervals, in time order. */
  setShifts(duty) {
    this.duty = duty;
    while (this.seats.length < duty.length * this.concurrency) {
      this.seats.push({ agent: Math.floor(this.seats.length / this.concurrency), busyUntil: 0 });
    }
  }
  nextOnDuty(agent, t) {
    for (const interval2 of this.duty[agent] ?? []) {
      if (t < interval2.start) return interval2.start;
      if (t < interval2.end) return t;
    }
    return Infinity;
  }
  /** The earliest any seat could take a contact that enters the queue at `enqueuedAt`. */
  earliest(enqueuedAt) {
    let best = { at: Infinity, agent: -1, seatIndex: -1 };
    const limit = this.duty.length * this.concurrency;
    for (let i = 0; i < limit; i++) {
      const seat = this.seats[i];
      const at = this.nextOnDuty(seat.agent, Math.max(enqueuedAt, seat.busyUntil));
      if (at < best.at) best = { at, agent: seat.agent, seatIndex: i };
    }
    return best;
  }
  occupy(offer, until) {
    this.seats[offer.seatIndex].busyUntil = until;
  }
};

// functions/simulator/scenario.ts
function isOpen(hours, kind, localHour2) {
  const h = hours[kind];
  return h !== null && localHour2 >= h[0] && localHour2 < h[1];
}

// functions/simulator/staffing.ts
function erlangC(agents, erlangs) {
  if (erlangs <= 0) return 0;
  if (agents <= erlangs) return 1;
  let b = 1;
  for (let k = 1; k <= agents; k++) b = erlangs * b / (k + erlangs * b);
  return agents * b / (agents - erlangs * (1 - b));
}
function erlangServiceLevel(agents, arrivalsPerHour, ahtSeconds, thresholdSeconds) {
  const erlangs = arrivalsPerHour * ahtSeconds / 3600;
  if (erlangs <= 0) return 1;
  if (agents <= erlangs) return 0;
  return 1 - erlangC(agents, erlangs) * Math.exp(-(agents - erlangs) * thresholdSeconds / ahtSeconds);
}
function requiredAgents(arrivalsPerHour, ahtSeconds, thresholdSeconds, target, minimum) {
  let n = Math.max(minimum, 1);
  while (erlangServiceLevel(n, arrivalsPerHour, ahtSeconds, thresholdSeconds) < target && n < 500) n += 1;
  return n;
}

// functions/simulator/engine.ts
var FollowUpHeap = class {
  items = [];
  get size() {
    return this.items.length;
  }
  peek() {
    return this.items[0];
  }
  push(item) {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = i - 1 >> 1;
      if (a[p].desiredMs <= a[i].desiredMs) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop() {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].desiredMs < a[m].desiredMs) m = l;
        if (r < a.length && a[r].desiredMs < a[m].desiredMs) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
};
var FOLLOW_UP_EXPIRY_MS = 72 * 36e5;
function dayKind(date2, country) {
  if (HOLIDAYS[country].has(date2)) return "holiday";
  const wd = weekdayIndex(date2);
  return wd === 5 ? "saturday" : wd === 6 ? "sunday" : "weekday";
}
function dayMultiplier(ch, date2, kind) {
  return kind === "holiday" ? ch.holidayMultiplier : ch.weekdayMultipliers[weekdayIndex(date2)];
}
function incidentStart(scenario, startDate, days) {
  const incident = scenario.incident;
  if (!incident || days < incident.days + 1) return null;
  let idx = Math.round(days * incident.atFraction);
  while (idx + incident.days <= days && dayKind(addDays2(startDate, idx), scenario.country) !== "weekday") idx += 1;
  return Math.min(idx, days - incident.days);
}
var meanLognormal = (median, sigma) => median * Math.exp(sigma * sigma / 2);
var ClientSimulator = class {
  constructor(scenario, timezone, seed, startDate, days) {
    this.scenario = scenario;
    this.timezone = timezone;
    this.seed = seed;
    this.startDate = startDate;
    this.days = days;
    this.rng = new Random(seed, `engine:${scenario.clientId}`);
    this.pool = new CustomerPool(seed, scenario);
    this.queues = scenario.channels.map((c) => new AgentQueue(c.concurrency));
    this.categoryWeights = scenario.categories.map((c) => c.weight);
    this.incidentCategory = scenario.incident ? scenario.categories.findIndex((c) => c.name === scenario.incident.category) : -1;
    this.incidentFrom = incidentStart(scenario, startDate, days);
  }
  scenario;
  timezone;
  seed;
  startDate;
  days;
  rng;
  pool;
  followUps = new FollowUpHeap();
  queues;
  categoryWeights;
  incidentCategory;
  incidentFrom;
  surveySeq = 0;
  contactSeq = 0;
  /** Local dates of the planted incident, empty when the scenario has none. */
  incidentDates() {
    if (this.incidentFrom === null || !this.scenario.incident) return [];
    return Array.from({ length: this.scenario.incident.days }, (_, i) => addDays2(this.startDate, this.incidentFrom + i));
  }
  categoryShare(index) {
    const total = this.categoryWeights.reduce((a, b) => a + b, 0);
    return this.categoryWeights[index] / total;
  }
  expectedAht(ch) {
    const total = this.categoryWeights.reduce((a, b) => a + b, 0);
    let talk = 0;
    for (const c of this.scenario.categories) talk += c.weight / total * meanLognormal(c.talkMedianSeconds * ch.talkFactor, ch.talkSigma);
    const hold = ch.holdShare * meanLognormal(ch.holdMedianSeconds, 0.6) * 1.25;
    return talk + hold + meanLognormal(ch.acwMedianSeconds, 0.5);
  }
  /** Half-hour staffing from Erlang C on the forecast (no incident), with the lunch dip and the odd absence. */
  plan(ch, date2, kind, hourStarts) {
    const weights = ch.hourlyWeights;
    const weightTotal = weights.reduce((a, b) => a + b, 0);
    const dayVolume = ch.dailyVolume * dayMultiplier(ch, date2, kind);
    const aht = this.expectedAht(ch);
    const absent = this.rng.chance(0.12) ? 1 : 0;
    const slots = [];
    for (let s = 0; s < 48; s++) {
      const hour = Math.floor(s / 2);
      if (!isOpen(ch.openHours, kind, hour)) {
        slots.push(0);
        continue;
      }
      const perHour = dayVolume * weights[hour] / weightTotal * (1 - ch.selfServiceRate);
      const seats = requiredAgents(perHour, aht, ch.planningThresholdSeconds, ch.planningServiceLevel, 1);
      let agents = Math.max(1, Math.ceil(seats / ch.concurrency));
      if (hour >= ch.lunchHours[0] && hour < ch.lunchHours[1]) agents = Math.max(1, Math.round(agents * ch.lunchStaffingFactor));
      slots.push(Math.max(1, agents - absent));
    }
    const most = Math.max(0, ...slots);
    const duty = [];
    for (let k = 0; k < most; k++) {
      const intervals = [];
      for (let s = 0; s < 48; s++) {
        if (slots[s] <= k) continue;
        const start = Math.round(hourStarts[Math.floor(s / 2)] / 1e3) + s % 2 * 1800;
        const last = intervals[intervals.length - 1];
        if (last && last.end === start) intervals[intervals.length - 1] = { start: last.start, end: start + 1800 };
        else intervals.push({ start, end: start + 1800 });
      }
      duty.push(intervals);
    }
    return { slots, duty };
  }
  /** Today's roster: agent k of the day is a different person on different days, as shifts rotate. */
  agentIds(ch, dayIndex, count2) {
    const rosterSize = Math.max(count2 + 4, 12);
    const offset = dayIndex * 5 % rosterSize;
    const ids = [];
    for (let k = 0; k < count2; k++) {
      const n = (k + offset) % rosterSize + 1;
      ids.push(this.scenario.country === "KR" ? `${ch.agentPrefix}${String(n).padStart(3, "0")}` : `${ch.agentPrefix}.agent${String(n).padStart(2, "0")}`);
    }
    return ids;
  }
  nextContactId(ch, date2, daySeq) {
    this.contactSeq += 1;
    if (ch.sourceId === "connect" || this.scenario.country === "US") return this.rng.uuid();
    if (ch.channel === "phone") return `${compactDate(date2)}${String(daySeq).padStart(6, "0")}`;
    return `CH-${compactDate(date2).slice(2)}-${String(daySeq).padStart(5, "0")}`;
  }
  customerRaw(ch, customerId) {
    const c = this.pool.get(customerId);
    if (this.scenario.phoneStyle === "us") {
      return ch.channel === "phone" ? e164Us(c) : this.rng.chance(0.08) ? null : c.email;
    }
    return ch.channel === "phone" ? krCallerId(c, this.rng) : chatUserId(c, this.rng);
  }
  simulateDay(dayIndex) {
    const sc = this.scenario;
    const rng = this.rng;
    const date2 = addDays2(this.startDate, dayIndex);
    const kind = dayKind(date2, sc.country);
    const hourStarts = localHourStarts(date2, this.timezone);
    const isIncidentDay = this.incidentFrom !== null && sc.incident !== null && dayIndex >= this.incidentFrom && dayIndex < this.incidentFrom + sc.incident.days;
    const plans = [];
    const arrivals = [];
    const agentIdsByChannel = [];
    sc.channels.forEach((ch, ci) => {
      const { slots, duty } = this.plan(ch, date2, kind, hourStarts);
      this.queues[ci].setShifts(duty);
      const ids = this.agentIds(ch, dayIndex, duty.length);
      agentIdsByChannel.push(ids);
      const weightTotal = ch.hourlyWeights.reduce((a, b) => a + b, 0);
      const dayVolume = ch.dailyVolume * dayMultiplier(ch, date2, kind);
      const extraFactor = isIncidentDay ? this.categoryShare(this.incidentCategory) * (sc.incident.multiplier - 1) : 0;
      for (let h = 0; h < 24; h++) {
        const lambda = dayVolume * ch.hourlyWeights[h] / weightTotal;
        const base2 = rng.poisson(lambda);
        const extra = extraFactor > 0 ? rng.poisson(lambda * extraFactor) : 0;
        for (let i = 0; i < base2 + extra; i++) {
          const ms2 = hourStarts[h] + Math.floor(rng.next() * 3600) * 1e3;
          arrivals.push({ ms: ms2, channel: ci, incident: i >= base2, test: false });
        }
      }
      if (ch.testContactEveryDays > 0 && dayIndex % ch.testContactEveryDays === 1) {
        arrivals.push({ ms: hourStarts[8] + (50 * 60 + rng.int(0, 599)) * 1e3, channel: ci, incident: false, test: true });
      }
      plans.push({
        channel: ch.channel,
        expectedArrivals: dayVolume,
        expectedIncidentArrivals: dayVolume * extraFactor,
        agentsPerSlot: slots,
        agentIds: ids
      });
    });
    arrivals.sort((a, b) => a.ms - b.ms || a.channel - b.channel);
    const contacts = [];
    const surveys = [];
    const daySeq = sc.channels.map(() => 0);
    for (const arrival of arrivals) {
      const ch = sc.channels[arrival.channel];
      daySeq[arrival.channel] = daySeq[arrival.channel] + 1;
      const id = this.nextContactId(ch, date2, daySeq[arrival.channel]);
      const localHour2 = Math.min(23, Math.max(0, hourStarts.findIndex((s, i) => i < 24 && arrival.ms >= s && arrival.ms < hourStarts[i + 1])));
      if (arrival.test) {
        contacts.push(this.testContact(ch, id, date2, dayIndex, localHour2, arrival.ms, agentIdsByChannel[arrival.channel]));
        continue;
      }
      const contact = this.serve(ch, arrival, id, date2, dayIndex, localHour2, kind, agentIdsByChannel[arrival.channel]);
      contacts.push(contact);
      const survey = this.survey(ch, contact);
      if (survey) surveys.push(survey);
    }
    return { date: date2, dayIndex, kind, isIncidentDay, contacts, surveys, plans, endMs: hourStarts[24] };
  }
  testContact(ch, id, date2, dayIndex, localHour2, ms2, agents) {
    const talk = this.rng.int(15, 60);
    return {
      id,
      channel: ch.channel,
      sourceId: ch.sourceId,
      localDate: date2,
      dayIndex,
      localHour: localHour2,
      arrivedMs: ms2,
      ivrSeconds: 5,
      enqueuedMs: ms2 + 5e3,
      dequeuedMs: ms2 + 7e3,
      answeredMs: ms2 + 7e3,
      endedMs: ms2 + 7e3 + talk * 1e3,
      waitSeconds: 2,
      talkSeconds: talk,
      holdSeconds: 0,
      holds: 0,
      acwSeconds: 0,
      outcome: "excluded",
      isTransferred: false,
      isResolved: null,
      category: this.scenario.categories[this.scenario.categories.length - 1].name,
      subcategory: this.scenario.country === "KR" ? "\uD14C\uC2A4\uD2B8\uCF5C" : "Test",
      queue: this.scenario.categories[0].queue,
      agentId: agents[0] ?? null,
      customerId: null,
      customerRaw: ch.channel === "phone" ? this.scenario.country === "KR" ? "0215880000" : "+12065550100" : "qa-tester",
      afterHours: false,
      isFollowUp: false,
      isIncident: false,
      isTest: true
    };
  }
  serve(ch, arrival, id, date2, dayIndex, localHour2, kind, agents) {
    const rng = this.rng;
    const sc = this.scenario;
    const t = arrival.ms;
    let customerId;
    let categoryIndex;
    let subcategory;
    let isFollowUp = false;
    while (this.followUps.size > 0 && this.followUps.peek().desiredMs + FOLLOW_UP_EXPIRY_MS < t) this.followUps.pop();
    const due = this.followUps.peek();
    if (!arrival.incident && due && due.desiredMs <= t) {
      this.followUps.pop();
      customerId = due.customerId;
      categoryIndex = due.category;
      subcategory = due.subcategory;
      isFollowUp = true;
    } else {
      customerId = this.pool.drawId(rng);
      categoryIndex = arrival.incident ? this.incidentCategory : rng.weightedIndex(this.categoryWeights);
      const cat2 = sc.categories[categoryIndex];
      subcategory = arrival.incident ? cat2.subcategories[1] : rng.pick(cat2.subcategories);
    }
    const cat = sc.categories[categoryIndex];
    const customerRaw = this.customerRaw(ch, customerId);
    const open3 = isOpen(ch.openHours, kind, localHour2);
    const ivr = Math.max(3, Math.round(rng.lognormal(ch.ivrMedianSeconds, 0.5)));
    const base2 = {
      id,
      channel: ch.channel,
      sourceId: ch.sourceId,
      localDate: date2,
      dayIndex,
      localHour: localHour2,
      arrivedMs: t,
      category: cat.name,
      subcategory,
      customerId,
      customerRaw,
      isFollowUp,
      isIncident: arrival.incident,
      isTest: false
    };
    const selfServed = !open3 || rng.chance(ch.selfServiceRate);
    if (selfServed) {
      const ended2 = t + ivr * 1e3;
      if (!open3 ? rng.chance(0.55) : rng.chance(0.08)) {
        this.followUps.push({ desiredMs: ended2 + Math.round(rng.lognormal(open3 ? 6 * 3600 : 13 * 3600, 0.35)) * 1e3, customerId, category: categoryIndex, subcategory });
      }
      return {
        ...base2,
        ivrSeconds: ivr,
        enqueuedMs: null,
        dequeuedMs: null,
        answeredMs: null,
        endedMs: ended2,
        waitSeconds: null,
        talkSeconds: 0,
        holdSeconds: 0,
        holds: 0,
        acwSeconds: 0,
        outcome: "self_service",
        isTransferred: false,
        isResolved: null,
        queue: null,
        agentId: null,
        afterHours: !open3
      };
    }
    const queueIndex = sc.channels.indexOf(ch);
    const queue = this.queues[queueIndex];
    const enqueued = Math.round(t / 1e3) + ivr;
    const patience = rng.chance(0.04) ? rng.int(1, 8) : Math.max(2, rng.lognormal(ch.patienceMedianSeconds, ch.patienceSigma));
    const offer = queue.earliest(enqueued);
    const wouldWait = offer.at - enqueued;
    const common = { ...base2, ivrSeconds: ivr, enqueuedMs: enqueued * 1e3, queue: cat.queue, afterHours: false };
    if (ch.callbackOfferSeconds !== null && wouldWait > ch.callbackOfferSeconds && patience > ch.callbackOfferSeconds && rng.chance(ch.callbackAcceptRate)) {
      const wait2 = ch.callbackOfferSeconds + rng.int(5, 20);
      const left = enqueued + wait2;
      if (rng.chance(0.1)) this.followUps.push({ desiredMs: left * 1e3 + Math.round(rng.lognormal(2 * 3600, 0.6)) * 1e3, customerId, category: categoryIndex, subcategory });
      return {
        ...common,
        dequeuedMs: left * 1e3,
        answeredMs: null,
        endedMs: left * 1e3,
        waitSeconds: wait2,
        talkSeconds: 0,
        holdSeconds: 0,
        holds: 0,
        acwSeconds: 0,
        outcome: "callback_requested",
        isTransferred: false,
        isResolved: null,
        agentId: null
      };
    }
    if (wouldWait > patience) {
      const wait2 = Math.round(patience);
      const left = enqueued + wait2;
      if (rng.chance(0.6)) this.followUps.push({ desiredMs: left * 1e3 + Math.round(rng.lognormal(8 * 60, 0.8)) * 1e3, customerId, category: categoryIndex, subcategory });
      return {
        ...common,
        dequeuedMs: left * 1e3,
        answeredMs: null,
        endedMs: left * 1e3,
        waitSeconds: wait2,
        talkSeconds: 0,
        holdSeconds: 0,
        holds: 0,
        acwSeconds: 0,
        outcome: "abandoned",
        isTransferred: false,
        isResolved: null,
        agentId: null
      };
    }
    const answered = offer.at;
    const wait = answered - enqueued + (ch.waitIncludesIvr ? ivr : 0);
    const talk = Math.max(10, Math.round(rng.lognormal(cat.talkMedianSeconds * ch.talkFactor, ch.talkSigma)));
    let holds = 0;
    let hold = 0;
    if (ch.holdShare > 0 && rng.chance(ch.holdShare)) {
      holds = rng.chance(0.25) ? 2 : 1;
      for (let i = 0; i < holds; i++) hold += Math.max(5, Math.round(rng.lognormal(ch.holdMedianSeconds, 0.6)));
    }
    const acw = Math.max(3, Math.round(rng.lognormal(ch.acwMedianSeconds, 0.5)));
    const ended = answered + talk + hold;
    const notReady = rng.chance(ch.notReadyRate) ? Math.round(rng.lognormal(ch.notReadyMedianSeconds, 0.6)) : 0;
    queue.occupy(offer, ended + acw + notReady);
    const isTransferred = rng.chance(ch.transferRate);
    const unresolved = rng.chance(cat.unresolvedRate * (isTransferred ? 1.5 : 1) * (wait > 120 ? 1.3 : 1));
    if (unresolved ? rng.chance(0.85) : rng.chance(0.03)) {
      const next = unresolved ? { category: categoryIndex, subcategory } : (() => {
        const c = rng.weightedIndex(this.categoryWeights);
        return { category: c, subcategory: rng.pick(sc.categories[c].subcategories) };
      })();
      this.followUps.push({ desiredMs: ended * 1e3 + Math.round(rng.lognormal(unresolved ? 18 * 3600 : 30 * 3600, 0.8)) * 1e3, customerId, ...next });
    }
    return {
      ...common,
      dequeuedMs: answered * 1e3,
      answeredMs: answered * 1e3,
      endedMs: ended * 1e3,
      waitSeconds: wait,
      talkSeconds: talk,
      holdSeconds: hold,
      holds,
      acwSeconds: acw,
      outcome: "answered",
      isTransferred,
      isResolved: !unresolved,
      agentId: agents[offer.agent] ?? null
    };
  }
  /** About one answered contact in five answers the survey; long waits and unresolved issues score lower. */
  survey(ch, c) {
    const s = this.scenario.surveys;
    if (!s || c.outcome !== "answered") return null;
    const rng = this.rng;
    if (!rng.chance(s.responseRate)) return null;
    const type = ["csat", "nps", "ces"][rng.weightedIndex([s.typeWeights.csat, s.typeWeights.nps, s.typeWeights.ces])];
    const waitPenalty = Math.min((c.waitSeconds ?? 0) / 180, 1.5);
    const unresolved = c.isResolved === false ? 1 : 0;
    let score;
    let quality;
    if (type === "csat") {
      score = clampRound(4.55 - 0.8 * waitPenalty - 1.2 * unresolved + 0.6 * rng.normal(), 1, 5);
      quality = (score - 1) / 4;
    } else if (type === "nps") {
      score = clampRound(8.7 - 2.2 * waitPenalty - 2.8 * unresolved + 1.5 * rng.normal(), 0, 10);
      quality = score / 10;
    } else {
      score = clampRound(5.9 - 1.4 * waitPenalty - 1.6 * unresolved + 0.9 * rng.normal(), 1, 7);
      quality = (score - 1) / 6;
    }
    let comment = null;
    if (rng.chance(s.commentRate)) {
      comment = rng.pick(quality >= 0.7 ? s.positiveComments : quality <= 0.4 ? s.negativeComments : s.neutralComments);
    }
    this.surveySeq += 1;
    const id = this.scenario.country === "KR" ? `R${String(this.surveySeq).padStart(8, "0")}` : `sv-${String(this.surveySeq).padStart(7, "0")}`;
    const respondedMs = c.endedMs + Math.max(30, Math.round(rng.lognormal(20 * 60, 1))) * 1e3;
    return { id, contactId: c.id, channel: ch.channel, agentId: c.agentId, type, score, comment, respondedMs, sourceId: s.sourceId };
  }
};
function clampRound(x, min, max) {
  return Math.min(max, Math.max(min, Math.round(x)));
}

// functions/simulator/errors.ts
var SimulatorConfigError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "SimulatorConfigError";
  }
};

// functions/simulator/scenarios/example.ts
var phoneHours = [0.1, 0.05, 0.03, 0.03, 0.03, 0.05, 0.2, 0.6, 1.6, 6.5, 10, 9.2, 5.6, 7.4, 9.4, 9.6, 8.2, 6.4, 1.8, 0.9, 0.7, 0.5, 0.3, 0.2];
var chatHours = [1.4, 0.8, 0.4, 0.25, 0.2, 0.25, 0.5, 1.2, 2.6, 5.2, 7.4, 7.6, 6, 6.6, 7.2, 7, 6.6, 6, 4.8, 4.6, 5.2, 5.6, 4.8, 2.8];
var phone = {
  channel: "phone",
  sourceId: "cti",
  dailyVolume: 420,
  weekdayMultipliers: [1.3, 1.08, 1, 0.95, 0.9, 0.3, 0.22],
  holidayMultiplier: 0.3,
  hourlyWeights: phoneHours,
  openHours: { weekday: [9, 18], saturday: null, sunday: null, holiday: null },
  selfServiceRate: 0.1,
  ivrMedianSeconds: 35,
  waitIncludesIvr: false,
  patienceMedianSeconds: 95,
  patienceSigma: 0.9,
  callbackOfferSeconds: 60,
  callbackAcceptRate: 0.3,
  concurrency: 1,
  talkSigma: 0.55,
  talkFactor: 1,
  holdShare: 0.22,
  holdMedianSeconds: 40,
  acwMedianSeconds: 30,
  transferRate: 0.05,
  notReadyRate: 0.12,
  notReadyMedianSeconds: 150,
  planningServiceLevel: 0.8,
  planningThresholdSeconds: 20,
  lunchStaffingFactor: 0.6,
  lunchHours: [12, 13],
  agentPrefix: "A1",
  testContactEveryDays: 3
};
var chat = {
  channel: "chat",
  sourceId: "chat",
  dailyVolume: 190,
  weekdayMultipliers: [1.15, 1.05, 1, 1, 0.95, 0.85, 0.9],
  holidayMultiplier: 0.85,
  hourlyWeights: chatHours,
  openHours: { weekday: [9, 21], saturday: [10, 18], sunday: [10, 18], holiday: [10, 18] },
  selfServiceRate: 0.22,
  ivrMedianSeconds: 15,
  waitIncludesIvr: true,
  patienceMedianSeconds: 240,
  patienceSigma: 1,
  callbackOfferSeconds: null,
  callbackAcceptRate: 0,
  concurrency: 2,
  talkSigma: 0.6,
  talkFactor: 2.6,
  holdShare: 0,
  holdMedianSeconds: 0,
  acwMedianSeconds: 20,
  transferRate: 0.03,
  notReadyRate: 0.12,
  notReadyMedianSeconds: 150,
  planningServiceLevel: 0.8,
  planningThresholdSeconds: 60,
  lunchStaffingFactor: 0.7,
  lunchHours: [12, 13],
  agentPrefix: "A2",
  testContactEveryDays: 7
};
var exampleScenario = {
  clientId: "example",
  country: "KR",
  customerPool: 4e4,
  phoneStyle: "kr-mobile",
  emailDomains: ["naver.com", "gmail.com", "daum.net", "kakao.com", "hanmail.net"],
  categories: [
    { name: "\uBC30\uC1A1", weight: 30, subcategories: ["\uBC30\uC1A1\uC870\uD68C", "\uBC30\uC1A1\uC9C0\uC5F0", "\uBC30\uC1A1\uC9C0\uBCC0\uACBD", "\uC624\uBC30\uC1A1"], queue: "\uC8FC\uBB38\uBC30\uC1A1", talkMedianSeconds: 140, unresolvedRate: 0.14 },
    { name: "\uAD50\uD658/\uBC18\uD488", weight: 24, subcategories: ["\uAD50\uD658\uC2E0\uCCAD", "\uBC18\uD488\uC2E0\uCCAD", "\uBC18\uD488\uBE44\uC6A9", "\uD68C\uC218\uC9C0\uC5F0"], queue: "\uAD50\uD658\uBC18\uD488", talkMedianSeconds: 230, unresolvedRate: 0.22 },
    { name: "\uACB0\uC81C", weight: 14, subcategories: ["\uACB0\uC81C\uC624\uB958", "\uD658\uBD88\uBB38\uC758", "\uBB34\uD1B5\uC7A5\uC785\uAE08", "\uCE74\uB4DC\uCDE8\uC18C"], queue: "\uACB0\uC81C", talkMedianSeconds: 200, unresolvedRate: 0.16 },
    { name: "\uD68C\uC6D0\uC815\uBCF4", weight: 10, subcategories: ["\uBE44\uBC00\uBC88\uD638", "\uC8FC\uC18C\uBCC0\uACBD", "\uC801\uB9BD\uAE08", "\uD68C\uC6D0\uD0C8\uD1F4"], queue: "\uC77C\uBC18\uC0C1\uB2F4", talkMedianSeconds: 110, unresolvedRate: 0.08 },
    { name: "\uC0C1\uD488\uBB38\uC758", weight: 16, subcategories: ["\uC7AC\uACE0", "\uC0AC\uC774\uC988", "\uC7AC\uC785\uACE0", "\uC0AC\uC6A9\uBC95"], queue: "\uC77C\uBC18\uC0C1\uB2F4", talkMedianSeconds: 160, unresolvedRate: 0.1 },
    { name: "\uAE30\uD0C0", weight: 6, subcategories: ["\uBD88\uB9CC", "\uC81C\uD734\uBB38\uC758", "\uAE30\uD0C0"], queue: "\uC77C\uBC18\uC0C1\uB2F4", talkMedianSeconds: 180, unresolvedRate: 0.2 }
  ],
  channels: [phone, chat],
  surveys: {
    sourceId: "surveys",
    responseRate: 0.2,
    typeWeights: { csat: 0.75, nps: 0.15, ces: 0.1 },
    commentRate: 0.3,
    positiveComments: ["\uCE5C\uC808\uD558\uAC8C \uC548\uB0B4\uD574 \uC8FC\uC154\uC11C \uAC10\uC0AC\uD569\uB2C8\uB2E4", "\uBE60\uB978 \uB2F5\uBCC0 \uAC10\uC0AC\uD569\uB2C8\uB2E4!", "\uC124\uBA85\uC774 \uC790\uC138\uD574\uC11C \uC88B\uC558\uC5B4\uC694", "\uBB38\uC81C\uAC00 \uBC14\uB85C \uD574\uACB0\uB410\uC5B4\uC694"],
    negativeComments: ["\uC5F0\uACB0\uC774 \uB108\uBB34 \uC624\uB798 \uAC78\uB824\uC694", "\uB300\uAE30 \uC2DC\uAC04\uC774 \uAE38\uC5B4\uC11C \uBD88\uD3B8\uD588\uC2B5\uB2C8\uB2E4", "\uAC19\uC740 \uB0B4\uC6A9\uC744 \uC5EC\uB7EC \uBC88 \uC124\uBA85\uD574\uC57C \uD588\uC5B4\uC694", "\uBC30\uC1A1\uC774 \uC5B8\uC81C \uC624\uB294\uC9C0 \uC544\uC9C1\uB3C4 \uBAA8\uB974\uACA0\uB124\uC694"],
    neutralComments: ["\uBCF4\uD1B5\uC774\uC5C8\uC5B4\uC694", "\uB2F5\uBCC0\uC740 \uBC1B\uC558\uC2B5\uB2C8\uB2E4", "\uADF8\uB0E5 \uADF8\uB798\uC694, \uB2E4\uC74C\uC5D4 \uB354 \uBE68\uB9AC \uBD80\uD0C1\uB4DC\uB824\uC694"]
  },
  incident: {
    category: "\uBC30\uC1A1",
    multiplier: 3,
    days: 3,
    atFraction: 0.65,
    description: "\uD0DD\uBC30\uC0AC \uD5C8\uBE0C \uC7A5\uC560\uB85C \uBC30\uC1A1 \uC9C0\uC5F0 \uBB38\uC758 \uAE09\uC99D (\uBC30\uC1A1 \uBB38\uC758 \uD3C9\uC18C\uC758 3\uBC30)"
  },
  dataQuality: { malformedPerKind: 2, duplicateRows: 5, redeliveredFile: true, unknownOutcomeValue: "\uBCF4\uB958" }
};

// functions/simulator/scenarios/northwind.ts
var voiceHours = [0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 2.2, 5, 8.4, 9.6, 9.8, 8.8, 7, 7.8, 8.2, 7.6, 6.4, 4.4, 1, 0.5, 0.3, 0.2, 0.15, 0.1];
var chatHours2 = [0.8, 0.5, 0.3, 0.2, 0.2, 0.4, 1.6, 3.4, 5.6, 6.8, 7.2, 7, 6.2, 6.6, 6.8, 6.4, 6, 5.4, 4.6, 4.4, 4.2, 3.6, 2.4, 1.4];
var voice = {
  channel: "phone",
  sourceId: "connect",
  dailyVolume: 300,
  weekdayMultipliers: [1.25, 1.1, 1, 0.97, 0.9, 0.35, 0.15],
  holidayMultiplier: 0.25,
  hourlyWeights: voiceHours,
  openHours: { weekday: [6, 18], saturday: [8, 14], sunday: null, holiday: null },
  selfServiceRate: 0.14,
  ivrMedianSeconds: 45,
  waitIncludesIvr: false,
  patienceMedianSeconds: 110,
  patienceSigma: 0.9,
  callbackOfferSeconds: 90,
  callbackAcceptRate: 0.35,
  concurrency: 1,
  talkSigma: 0.5,
  talkFactor: 1,
  holdShare: 0.25,
  holdMedianSeconds: 55,
  acwMedianSeconds: 40,
  transferRate: 0.06,
  notReadyRate: 0.12,
  notReadyMedianSeconds: 150,
  planningServiceLevel: 0.8,
  planningThresholdSeconds: 20,
  lunchStaffingFactor: 0.75,
  lunchHours: [12, 13],
  agentPrefix: "voice",
  testContactEveryDays: 0
};
var chat2 = {
  channel: "chat",
  sourceId: "connect",
  dailyVolume: 130,
  weekdayMultipliers: [1.12, 1.05, 1, 1, 0.95, 0.8, 0.75],
  holidayMultiplier: 0.8,
  hourlyWeights: chatHours2,
  openHours: { weekday: [6, 20], saturday: [8, 16], sunday: [8, 16], holiday: [8, 16] },
  selfServiceRate: 0.2,
  ivrMedianSeconds: 15,
  waitIncludesIvr: false,
  patienceMedianSeconds: 200,
  patienceSigma: 1,
  callbackOfferSeconds: null,
  callbackAcceptRate: 0,
  concurrency: 3,
  talkSigma: 0.6,
  talkFactor: 2.8,
  holdShare: 0,
  holdMedianSeconds: 0,
  acwMedianSeconds: 25,
  transferRate: 0.03,
  notReadyRate: 0.12,
  notReadyMedianSeconds: 150,
  planningServiceLevel: 0.8,
  planningThresholdSeconds: 60,
  lunchStaffingFactor: 0.8,
  lunchHours: [12, 13],
  agentPrefix: "chat",
  testContactEveryDays: 0
};
var northwindScenario = {
  clientId: "northwind",
  country: "US",
  customerPool: 6e4,
  phoneStyle: "us",
  emailDomains: ["gmail.com", "yahoo.com", "outlook.com", "icloud.com"],
  categories: [
    { name: "Shipping", weight: 28, subcategories: ["Where is my order", "Delayed", "Change address", "Damaged"], queue: "Orders", talkMedianSeconds: 190, unresolvedRate: 0.12 },
    { name: "Returns", weight: 22, subcategories: ["Start a return", "Refund status", "Exchange", "Return label"], queue: "Returns", talkMedianSeconds: 260, unresolvedRate: 0.2 },
    { name: "Billing", weight: 15, subcategories: ["Card declined", "Double charge", "Gift card", "Promo code"], queue: "Billing", talkMedianSeconds: 240, unresolvedRate: 0.15 },
    { name: "Account", weight: 10, subcategories: ["Password reset", "Update email", "Loyalty points"], queue: "General", talkMedianSeconds: 140, unresolvedRate: 0.07 },
    { name: "Product", weight: 19, subcategories: ["Sizing", "Availability", "Warranty", "Product care"], queue: "General", talkMedianSeconds: 200, unresolvedRate: 0.1 },
    { name: "Other", weight: 6, subcategories: ["Feedback", "Partnership", "Other"], queue: "General", talkMedianSeconds: 210, unresolvedRate: 0.18 }
  ],
  channels: [voice, chat2],
  surveys: {
    sourceId: "surveys",
    responseRate: 0.18,
    typeWeights: { csat: 0.7, nps: 0.3, ces: 0 },
    commentRate: 0.25,
    positiveComments: ["Super helpful, thanks!", "Quick and friendly", "Resolved on the first try", 'Great service, "above and beyond"'],
    negativeComments: ["Waited way too long", "Had to repeat myself, twice", "Still no refund", "Transferred around too much"],
    neutralComments: ["It was fine", "Got an answer eventually", "OK"]
  },
  incident: null,
  dataQuality: { malformedPerKind: 0, duplicateRows: 6, redeliveredFile: false, unknownOutcomeValue: "" }
};

// functions/simulator/truth.ts
var emptyChannel = () => ({
  contacts: 0,
  expected_arrivals: 0,
  incident_arrivals: 0,
  inbound: 0,
  offered: 0,
  answered: 0,
  abandoned: 0,
  short_abandoned: 0,
  callbacks: 0,
  self_service: 0,
  excluded: 0,
  transferred: 0,
  answered_within_threshold: 0,
  service_level_seconds: 0,
  short_abandon_seconds: 0,
  sum_wait_answered_seconds: 0,
  max_wait_seconds: 0,
  sum_handle_answered_seconds: 0,
  follow_ups: 0,
  hidden_customer: 0,
  scheduled_agent_hours: 0,
  peak_agents: 0
});
var emptySurveys = () => ({
  responses: 0,
  csat_count: 0,
  csat_sum: 0,
  csat_satisfied: 0,
  nps_count: 0,
  nps_promoters: 0,
  nps_detractors: 0,
  ces_count: 0,
  ces_sum: 0
});
var TruthBuilder = class {
  constructor(config) {
    this.config = config;
    this.clock = new ZoneClock(config.timezone);
  }
  config;
  byDate = /* @__PURE__ */ new Map();
  clock;
  day(date2) {
    let d = this.byDate.get(date2);
    if (!d) {
      d = { date: date2, kind: "", is_incident_day: false, channels: {}, categories: {}, surveys: emptySurveys() };
      this.byDate.set(date2, d);
    }
    return d;
  }
  addDay(day) {
    const d = this.day(day.date);
    d.kind = day.kind;
    d.is_incident_day = day.isIncidentDay;
    const version = contractInForce(this.config, day.date) ?? this.config.contract[0];
    for (const plan of day.plans) this.addPlan(d, plan, version);
    for (const c of day.contacts) this.addContact(d, c);
    for (const s of day.surveys) this.addSurvey(s);
  }
  channel(d, ch) {
    return d.channels[ch] ??= emptyChannel();
  }
  addPlan(d, plan, version) {
    const t = this.channel(d, plan.channel);
    const params = channelParameters(version, plan.channel);
    t.service_level_seconds = params.serviceLevelSeconds;
    t.short_abandon_seconds = params.shortAbandonSeconds;
    t.expected_arrivals = Math.round(plan.expectedArrivals * 1e3) / 1e3;
    t.scheduled_agent_hours = plan.agentsPerSlot.reduce((a, b) => a + b, 0) / 2;
    t.peak_agents = Math.max(0, ...plan.agentsPerSlot);
  }
  addContact(d, c) {
    const t = this.channel(d, c.channel);
    t.contacts += 1;
    if (c.isIncident) t.incident_arrivals += 1;
    if (c.outcome === "excluded") {
      t.excluded += 1;
      return;
    }
    t.inbound += 1;
    d.categories[c.category] = (d.categories[c.category] ?? 0) + 1;
    if (c.isFollowUp) t.follow_ups += 1;
    if (isHiddenCallerId(c.customerRaw)) t.hidden_customer += 1;
    const wait = c.waitSeconds ?? 0;
    switch (c.outcome) {
      case "answered":
        t.offered += 1;
        t.answered += 1;
        if (c.isTransferred) t.transferred += 1;
        if (wait <= t.service_level_seconds) t.answered_within_threshold += 1;
        t.sum_wait_answered_seconds += wait;
        t.sum_handle_answered_seconds += c.talkSeconds + c.holdSeconds + c.acwSeconds;
        t.max_wait_seconds = Math.max(t.max_wait_seconds, wait);
        break;
      case "abandoned":
        t.offered += 1;
        t.abandoned += 1;
        if (wait < t.short_abandon_seconds) t.short_abandoned += 1;
        t.max_wait_seconds = Math.max(t.max_wait_seconds, wait);
        break;
      case "callback_requested":
        t.offered += 1;
        t.callbacks += 1;
        break;
      case "self_service":
        t.self_service += 1;
        break;
    }
  }
  /** A survey counts on the local date it was answered, as the spec's periods do. */
  addSurvey(s) {
    const t = this.day(this.clock.localDate(s.respondedMs)).surveys;
    t.responses += 1;
    const version = contractInForce(this.config, this.clock.localDate(s.respondedMs)) ?? this.config.contract[0];
    if (s.type === "csat") {
      t.csat_count += 1;
      t.csat_sum += s.score;
      if (s.score >= version.csat_satisfied_min) t.csat_satisfied += 1;
    } else if (s.type === "nps") {
      t.nps_count += 1;
      if (s.score >= 9) t.nps_promoters += 1;
      if (s.score <= 6) t.nps_detractors += 1;
    } else {
      t.ces_count += 1;
      t.ces_sum += s.score;
    }
  }
  days() {
    return [...this.byDate.values()].filter((d) => d.kind !== "").sort((a, b) => a.date < b.date ? -1 : 1);
  }
};

// functions/simulator/writers/output.ts
import { mkdir as mkdir8, utimes, writeFile as writeFile4 } from "node:fs/promises";
import { join as join9 } from "node:path";
var BucketSet = class {
  buckets = /* @__PURE__ */ new Map();
  get(name, closesAtMs) {
    let b = this.buckets.get(name);
    if (!b) {
      b = { name, closesAtMs, lines: [] };
      this.buckets.set(name, b);
    }
    return b;
  }
  /** Closed buckets, removed from the set, in name order so writes are reproducible. */
  take(watermarkMs, final) {
    const out = [];
    for (const b of this.buckets.values()) if (final || b.closesAtMs <= watermarkMs) out.push(b);
    for (const b of out) this.buckets.delete(b.name);
    return out.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }
};
async function writeOutput(dir, name, bytes, deliveredAtMs) {
  await mkdir8(dir, { recursive: true });
  const path6 = join9(dir, name);
  await writeFile4(path6, bytes);
  const at = new Date(deliveredAtMs);
  await utimes(path6, at, at);
}
function csvCell(value, delimiter) {
  if (value.includes(delimiter) || value.includes('"') || value.includes("\n") || value.includes("\r")) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

// functions/simulator/writers/connect-ctr.ts
var ACCOUNT = "123456789012";
var REGION = "us-west-2";
var WINDOW_MS = 12 * 36e5;
var ConnectCtrWriter = class {
  constructor(sourceId, opts) {
    this.sourceId = sourceId;
    this.opts = opts;
    this.rng = new Random(opts.seed, `connect:${opts.streamName}`);
    this.instanceArn = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${this.rng.uuid()}`;
    this.pendingDuplicates = new Set(opts.duplicateDays);
  }
  sourceId;
  opts;
  buckets = new BucketSet();
  rng;
  instanceArn;
  queueArns = /* @__PURE__ */ new Map();
  files = [];
  duplicates = [];
  pendingDuplicates;
  transferLegs = 0;
  callbackLegs = 0;
  queueArn(name) {
    let arn = this.queueArns.get(name);
    if (!arn) {
      arn = `${this.instanceArn}/queue/${new Random(this.opts.seed, `queue:${name}`).uuid()}`;
      this.queueArns.set(name, arn);
    }
    return arn;
  }
  agentArns = /* @__PURE__ */ new Map();
  agentArn(username) {
    let arn = this.agentArns.get(username);
    if (!arn) {
      arn = `${this.instanceArn}/agent/${new Random(this.opts.seed, `agent:${username}`).uuid()}`;
      this.agentArns.set(username, arn);
    }
    return arn;
  }
  objectNames = /* @__PURE__ */ new Map();
  /** Firehose object name: stream, version, the buffer's UTC start and a random suffix. */
  objectName(windowStart) {
    let name = this.objectNames.get(windowStart);
    if (!name) {
      const stamp = new Date(windowStart).toISOString().slice(0, 19).replace(/[-T:]/g, "-");
      name = `${this.opts.streamName}-1-${stamp}-${new Random(this.opts.seed, `object:${windowStart}`).uuid()}`;
      this.objectNames.set(windowStart, name);
    }
    return name;
  }
  agent(username, connectedMs, talk, hold, holds, acw, endedMs) {
    return {
      ARN: this.agentArn(username),
      AfterContactWorkDuration: acw,
      AfterContactWorkEndTimestamp: isoSeconds(endedMs + acw * 1e3),
      AfterContactWorkStartTimestamp: isoSeconds(endedMs),
      AgentInteractionDuration: talk,
      ConnectedToAgentTimestamp: isoSeconds(connectedMs),
      CustomerHoldDuration: hold,
      HierarchyGroups: null,
      LongestHoldDuration: holds > 1 ? Math.ceil(hold * 0.6) : hold,
      NumberOfHolds: holds,
      Username: username
    };
  }
  record(fields) {
    return {
      AWSAccountId: ACCOUNT,
      AWSContactTraceRecordFormatVersion: "2017-03-10",
      Agent: fields.agent,
      AgentConnectionAttempts: fields.agentAttempts,
      Attributes: fields.attributes,
      Channel: fields.channel,
      ConnectedToSystemTimestamp: isoSeconds(fields.initiatedMs),
      ContactId: fields.contactId,
      CustomerEndpoint: fields.customer === null ? null : { Address: fields.customer, Type: "TELEPHONE_NUMBER" },
      DisconnectReason: fields.disconnectReason,
      DisconnectTimestamp: isoSeconds(fields.disconnectedMs),
      InitialContactId: fields.initial,
      InitiationMethod: fields.method,
      InitiationTimestamp: isoSeconds(fields.initiatedMs),
      InstanceARN: this.instanceArn,
      LastUpdateTimestamp: isoSeconds(fields.lastUpdateMs),
      NextContactId: fields.next,
      PreviousContactId: fields.previous,
      Queue: fields.queue,
      Recording: null,
      Recordings: null,
      SystemEndpoint: fields.channel === "VOICE" ? { Address: this.opts.systemNumber, Type: "TELEPHONE_NUMBER" } : null,
      TransferCompletedTimestamp: fields.transferCompletedMs === null ? null : isoSeconds(fields.transferCompletedMs),
      TransferredToEndpoint: fields.transferredTo === null ? null : { Address: fields.transferredTo, Type: "TELEPHONE_NUMBER" }
    };
  }
  queueInfo(name, enqueuedMs, dequeuedMs) {
    return {
      ARN: this.queueArn(name),
      DequeueTimestamp: isoSeconds(dequeuedMs),
      Duration: Math.round((dequeuedMs - enqueuedMs) / 1e3),
      EnqueueTimestamp: isoSeconds(enqueuedMs),
      Name: name
    };
  }
  /** The record of an inbound contact, plus the transfer or callback leg it spawns. */
  recordsOf(c, agentsOnShift) {
    const rng = this.rng;
    const voice2 = c.channel === "phone";
    const attributes = { category: c.category, subcategory: c.subcategory };
    if (!voice2 && c.customerRaw) attributes.customer_email = c.customerRaw;
    const customer = voice2 ? c.customerRaw : null;
    const queue = c.queue !== null && c.enqueuedMs !== null && c.dequeuedMs !== null ? this.queueInfo(c.queue, c.enqueuedMs, c.dequeuedMs) : null;
    const agent = c.outcome === "answered" && c.agentId !== null && c.answeredMs !== null ? this.agent(c.agentId, c.answeredMs, c.talkSeconds, c.holdSeconds, c.holds, c.acwSeconds, c.endedMs) : null;
    const workEndMs = c.endedMs + c.acwSeconds * 1e3;
    const base2 = {
      contactId: c.id,
      channel: voice2 ? "VOICE" : "CHAT",
      method: "INBOUND",
      initiatedMs: c.arrivedMs,
      disconnectedMs: c.endedMs,
      lastUpdateMs: workEndMs + rng.int(20, 120) * 1e3,
      customer,
      queue,
      agent,
      attributes,
      disconnectReason: "CUSTOMER_DISCONNECT",
      previous: null,
      next: null,
      initial: null,
      transferCompletedMs: null,
      transferredTo: null,
      agentAttempts: agent ? 1 : 0
    };
    if (c.outcome === "self_service") {
      return [this.record({ ...base2, disconnectReason: c.afterHours ? "CONTACT_FLOW_DISCONNECT" : "CUSTOMER_DISCONNECT" })];
    }
    if (c.outcome === "callback_requested") {
      const legId = rng.uuid();
      const startMs = c.endedMs;
      const answeredMs = startMs + Math.round(rng.lognormal(15 * 60, 0.6)) * 1e3;
      const talk = Math.max(30, Math.round(rng.lognormal(200, 0.5)));
      const acw = Math.max(5, Math.round(rng.lognormal(40, 0.5)));
      const endMs = answeredMs + 8e3 + talk * 1e3;
      const username = agentsOnShift.length > 0 ? rng.pick(agentsOnShift) : "voice.agent01";
      this.callbackLegs += 1;
      return [
        this.record({ ...base2, next: legId, disconnectReason: "CONTACT_FLOW_DISCONNECT" }),
        this.record({
          ...base2,
          contactId: legId,
          method: "CALLBACK",
          initiatedMs: startMs,
          disconnectedMs: endMs,
          lastUpdateMs: endMs + acw * 1e3 + rng.int(20, 120) * 1e3,
          queue: this.queueInfo(c.queue ?? "General", startMs, answeredMs),
          agent: this.agent(username, answeredMs + 8e3, talk, 0, 0, acw, endMs),
          disconnectReason: "AGENT_DISCONNECT",
          previous: c.id,
          initial: c.id,
          agentAttempts: 1
        })
      ];
    }
    if (c.outcome === "answered" && c.isTransferred) {
      const transferMs = c.endedMs - 5e3;
      if (rng.chance(0.5)) {
        return [this.record({ ...base2, transferCompletedMs: transferMs, transferredTo: "+18005550142", disconnectReason: "THIRD_PARTY_DISCONNECT" })];
      }
      const legId = rng.uuid();
      const dequeuedMs = transferMs + rng.int(8, 90) * 1e3;
      const talk = Math.max(30, Math.round(rng.lognormal(240, 0.5)));
      const acw = Math.max(5, Math.round(rng.lognormal(45, 0.5)));
      const endMs = dequeuedMs + talk * 1e3;
      const others = agentsOnShift.filter((a) => a !== c.agentId);
      const username = others.length > 0 ? rng.pick(others) : "voice.agent01";
      this.transferLegs += 1;
      return [
        this.record({ ...base2, transferCompletedMs: transferMs, next: legId, disconnectReason: "AGENT_DISCONNECT" }),
        this.record({
          ...base2,
          contactId: legId,
          method: "TRANSFER",
          initiatedMs: transferMs,
          disconnectedMs: endMs,
          lastUpdateMs: endMs + acw * 1e3 + rng.int(20, 120) * 1e3,
          queue: this.queueInfo("Tier 2", transferMs, dequeuedMs),
          agent: this.agent(username, dequeuedMs, talk, 0, 0, acw, endMs),
          previous: c.id,
          initial: c.id,
          agentAttempts: 1
        })
      ];
    }
    const reason2 = c.outcome === "answered" && rng.chance(0.3) ? "AGENT_DISCONNECT" : "CUSTOMER_DISCONNECT";
    return [this.record({ ...base2, disconnectReason: reason2 })];
  }
  addDay(day) {
    const shifts = new Map(day.plans.map((p) => [p.channel, p.agentIds]));
    let duplicateDue = this.pendingDuplicates.delete(day.dayIndex);
    for (const c of day.contacts) {
      if (c.sourceId !== this.sourceId) continue;
      for (const rec of this.recordsOf(c, shifts.get(c.channel) ?? [])) {
        const updated = Date.parse(rec.LastUpdateTimestamp);
        const windowStart = Math.floor(updated / WINDOW_MS) * WINDOW_MS;
        const name = this.objectName(windowStart);
        const bucket = this.buckets.get(name, windowStart + WINDOW_MS);
        const json = JSON.stringify(rec);
        bucket.lines.push(json);
        if (duplicateDue && c.outcome === "answered" && c.localHour >= 13) {
          bucket.lines.push(json);
          this.duplicates.push({ file: name, line: bucket.lines.length, kind: "duplicate_record", contact_id: c.id });
          duplicateDue = false;
        }
      }
    }
  }
  async flush(watermarkMs, final) {
    const dir = `${this.opts.outDir}/${this.sourceId}`;
    for (const bucket of this.buckets.take(watermarkMs, final)) {
      const windowIndex = Math.floor(bucket.closesAtMs / WINDOW_MS);
      const text3 = windowIndex % 2 === 0 ? bucket.lines.join("") : `${bucket.lines.join("\n")}
`;
      const bytes = Buffer.from(text3, "utf8");
      await writeOutput(dir, bucket.name, bytes, bucket.closesAtMs + 5 * 6e4);
      this.files.push({ name: bucket.name, rows: bucket.lines.length, bytes: bytes.length });
    }
  }
  truth() {
    return {
      source_id: this.sourceId,
      format: "amazon-connect-ctr",
      files: [...this.files].sort((a, b) => a.name < b.name ? -1 : 1),
      malformed: [],
      duplicates: this.duplicates,
      redelivered: [],
      extra_records: [
        { kind: "TRANSFER", count: this.transferLegs },
        { kind: "CALLBACK", count: this.callbackLegs }
      ]
    };
  }
};

// functions/simulator/writers/mapped-csv.ts
import iconv2 from "iconv-lite";
var EXPORT_DELAY_MS = 3 * 36e5;
var TIMESTAMP_FIELDS2 = /* @__PURE__ */ new Set(["arrived_at", "answered_at", "ended_at", "responded_at"]);
var DURATION_FIELDS2 = /* @__PURE__ */ new Set(["ivr_seconds", "wait_seconds", "talk_seconds", "hold_seconds", "acw_seconds", "handle_seconds"]);
function formatWallClock(wall, format) {
  const p2 = (n) => String(n).padStart(2, "0");
  return format.replace(/YYYY|YY|MM|DD|HH|H|mm|ss|SSS/g, (token) => {
    switch (token) {
      case "YYYY":
        return String(wall.getUTCFullYear());
      case "YY":
        return p2(wall.getUTCFullYear() % 100);
      case "MM":
        return p2(wall.getUTCMonth() + 1);
      case "DD":
        return p2(wall.getUTCDate());
      case "HH":
        return p2(wall.getUTCHours());
      case "H":
        return String(wall.getUTCHours());
      case "mm":
        return p2(wall.getUTCMinutes());
      case "ss":
        return p2(wall.getUTCSeconds());
      default:
        return String(wall.getUTCMilliseconds()).padStart(3, "0");
    }
  });
}
function formatHms(seconds) {
  const s = Math.round(seconds);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s % 3600 / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}
function layoutOf(source, fieldOrder) {
  const columns = [];
  const fields = source.fields;
  const ordered = [...fieldOrder.filter((f) => f in fields), ...Object.keys(fields).filter((f) => !fieldOrder.includes(f))];
  for (const field of ordered) {
    const full = fields[field];
    if (!full) continue;
    const mapping = full;
    if (mapping.date || mapping.time) {
      for (const part of ["date", "time"]) {
        const ref = mapping[part];
        if (!ref) continue;
        if (typeof ref.column !== "string") throw new SimulatorConfigError(`${source.id}.${field}: positional columns are not simulated`);
        columns.push({ name: ref.column, field, part, mapping });
      }
      continue;
    }
    if (mapping.column === void 0) continue;
    if (typeof mapping.column !== "string") throw new SimulatorConfigError(`${source.id}.${field}: positional columns are not simulated`);
    columns.push({ name: mapping.column, field, part: "whole", mapping });
  }
  return columns;
}
var MappedCsvWriter = class {
  /**
   * @param bucketOf file name and closing time for a row: CTI exports are per local day, chat and survey
   *   platforms export per UTC day.
   * @param plan per local day index, the data-quality defects to plant that day
   */
  constructor(source, opts) {
    this.source = source;
    this.opts = opts;
    this.sourceId = source.id;
    this.columns = layoutOf(source, opts.fieldOrder);
    this.clock = new ZoneClock(source.timezone ?? opts.timezone);
  }
  source;
  opts;
  sourceId;
  columns;
  clock;
  buckets = new BucketSet();
  files = [];
  malformed = [];
  duplicates = [];
  redelivered = [];
  bucketFor(ms2, localDate2, dayEndMs) {
    if (this.opts.bucket === "local-day") return { name: `${this.opts.filePrefix}_${compactDate(localDate2)}.csv`, closesAt: dayEndMs };
    const utc = new Date(ms2).toISOString().slice(0, 10);
    return { name: `${this.opts.filePrefix}_${compactDate(utc)}.csv`, closesAt: Date.parse(`${utc}T00:00:00Z`) + 864e5 };
  }
  cell(col2, value) {
    const m = col2.mapping;
    if (value === null || value === void 0) {
      if (m.null_values && m.null_values.length > 0) return m.null_values[0];
      if (m.map) {
        const key = Object.keys(m.map).find((k) => m.map[k] === null);
        if (key !== void 0) return key;
      }
      return DURATION_FIELDS2.has(col2.field) ? this.formatDuration(m, 0) : "";
    }
    if (m.map) {
      const key = Object.keys(m.map).find((k) => m.map[k] === value);
      if (key === void 0) throw new SimulatorConfigError(`${this.source.id}.${col2.field}: no raw value maps to ${String(value)}`);
      return key;
    }
    if (TIMESTAMP_FIELDS2.has(col2.field)) {
      const ms2 = value;
      const format = col2.part === "whole" ? m.format ?? "iso" : m[col2.part].format;
      if (format === "iso") return isoSeconds(ms2);
      if (format === "epoch_s") return String(Math.floor(ms2 / 1e3));
      if (format === "epoch_ms") return String(ms2);
      return formatWallClock(this.clock.wallClock(ms2), format);
    }
    if (DURATION_FIELDS2.has(col2.field)) return this.formatDuration(m, value);
    return String(value);
  }
  formatDuration(m, seconds) {
    switch (m.unit) {
      case "hms":
        return formatHms(seconds);
      case "milliseconds":
        return String(Math.round(seconds * 1e3));
      case "minutes":
        return String(Math.round(seconds / 60 * 100) / 100);
      default:
        return String(Math.round(seconds));
    }
  }
  row(values) {
    return this.columns.map((col2) => this.cell(col2, values[col2.field] ?? null));
  }
  line(cells) {
    const d = this.source.delimiter;
    return cells.map((c) => csvCell(c, d)).join(d);
  }
  addDay(day) {
    const pending = [...this.opts.plan.get(day.dayIndex) ?? []];
    const isSurvey = this.source.format === "mapped-survey-csv";
    const items = isSurvey ? day.surveys.filter((s) => s.sourceId === this.sourceId).map((s) => ({ ms: s.respondedMs, values: surveyValues(s, this.source), contact: null })) : day.contacts.filter((c) => c.sourceId === this.sourceId).map((c) => ({ ms: c.arrivedMs, values: contactValues(c), contact: c }));
    for (const item of items) {
      const { name, closesAt } = this.bucketFor(item.ms, day.date, day.endMs);
      const bucket = this.buckets.get(name, closesAt);
      const cells = this.row(item.values);
      bucket.lines.push(this.line(cells));
      const id = String(item.values[isSurvey ? "survey_id" : "contact_id"]);
      const eligible = item.contact ? item.contact.outcome === "answered" && item.contact.localHour >= 13 : true;
      while (pending.length > 0 && eligible) {
        const kind = pending.shift();
        if (kind === "duplicate_row") {
          bucket.lines.push(this.line(cells));
          this.duplicates.push({ file: name, line: bucket.lines.length + 1, kind, contact_id: id });
        } else {
          bucket.lines.push(this.defect(kind, cells, id));
          this.malformed.push({ file: name, line: bucket.lines.length + 1, kind, contact_id: id });
        }
      }
    }
  }
  /** A broken twin of a real row; it carries a fresh id so dedupe cannot hide it. */
  defect(kind, cells, id) {
    const out = [...cells];
    const idCol = this.columns.findIndex((c) => c.field === "contact_id" || c.field === "survey_id");
    if (idCol >= 0) out[idCol] = `${id}9${this.malformed.length}`;
    switch (kind) {
      case "bad_date": {
        const col2 = this.columns.findIndex((c2) => c2.field === "arrived_at" || c2.field === "responded_at");
        const c = this.columns[col2];
        const format = c.part === "whole" ? c.mapping.format ?? "iso" : c.mapping[c.part].format;
        out[col2] = format === "iso" ? `${out[col2].slice(0, 4)}-02-30T25:61:00Z` : format.replace("YYYY", out[col2].slice(0, 4)).replace("MM", "13").replace("DD", "45");
        break;
      }
      case "unknown_outcome": {
        const col2 = this.columns.findIndex((c) => c.field === "outcome" || c.field === "survey_type");
        out[col2] = this.opts.dataQuality.unknownOutcomeValue || "UNKNOWN";
        break;
      }
      case "missing_contact_id":
        if (idCol >= 0) out[idCol] = "";
        break;
      case "too_few_columns":
        return this.line(out.slice(0, Math.max(1, Math.floor(out.length / 2))));
    }
    return this.line(out);
  }
  async flush(watermarkMs, final) {
    const dir = `${this.opts.outDir}/${this.sourceId}`;
    const header = this.line(this.columns.map((c) => c.name));
    const eol = this.opts.lineEnding;
    for (const bucket of this.buckets.take(watermarkMs, final)) {
      const text3 = (this.opts.bom ? "\uFEFF" : "") + [header, ...bucket.lines].join(eol) + eol;
      const bytes = this.source.encoding === "cp949" || this.source.encoding === "euc-kr" ? iconv2.encode(text3, "cp949") : this.source.encoding === "utf-16le" ? iconv2.encode(text3, "utf-16le") : Buffer.from(text3, "utf8");
      await writeOutput(dir, bucket.name, bytes, bucket.closesAtMs + EXPORT_DELAY_MS);
      this.files.push({ name: bucket.name, rows: bucket.lines.length, bytes: bytes.length });
      if (bucket.name === this.opts.redeliverFile) {
        const copy = bucket.name.replace(/\.csv$/, "_resend.csv");
        await writeOutput(dir, copy, bytes, bucket.closesAtMs + EXPORT_DELAY_MS + 24 * 36e5);
        this.files.push({ name: copy, rows: bucket.lines.length, bytes: bytes.length });
        this.redelivered.push({ file: copy, copy_of: bucket.name });
      }
    }
  }
  truth() {
    return {
      source_id: this.sourceId,
      format: this.source.format,
      files: [...this.files].sort((a, b) => a.name < b.name ? -1 : 1),
      malformed: this.malformed,
      duplicates: this.duplicates,
      redelivered: this.redelivered,
      extra_records: []
    };
  }
};
function contactValues(c) {
  const handled = c.outcome === "answered" || c.outcome === "excluded";
  return {
    contact_id: c.id,
    channel: c.channel,
    direction: "inbound",
    queue: c.queue,
    category: c.category,
    subcategory: c.subcategory,
    customer: c.customerRaw,
    agent_id: c.agentId,
    arrived_at: c.arrivedMs,
    answered_at: c.answeredMs,
    ended_at: c.endedMs,
    ivr_seconds: c.ivrSeconds,
    wait_seconds: handled || c.channel === "phone" ? c.waitSeconds : null,
    talk_seconds: handled ? c.talkSeconds : null,
    hold_seconds: handled ? c.holdSeconds : null,
    acw_seconds: handled ? c.acwSeconds : null,
    handle_seconds: handled ? c.talkSeconds + c.holdSeconds + c.acwSeconds : null,
    outcome: c.outcome,
    is_transferred: c.isTransferred,
    is_resolved: c.channel === "chat" ? c.isResolved : null
  };
}
function surveyValues(s, source) {
  const scale = source.format === "mapped-survey-csv" ? source.scales[s.type] : void 0;
  return {
    survey_id: s.id,
    contact_id: s.contactId,
    channel: s.channel,
    agent_id: s.agentId,
    survey_type: s.type,
    score: s.score,
    scale_min: scale?.min ?? null,
    scale_max: scale?.max ?? null,
    comment: s.comment,
    responded_at: s.respondedMs
  };
}

// functions/simulator/simulate.ts
var SCENARIOS = {
  example: exampleScenario,
  northwind: northwindScenario
};
var DEFAULT_CONFIG_DIR = resolve2(dirname(fileURLToPath2(import.meta.url)), "../../clients");
function spreadDays(eligible, count2) {
  if (eligible.length === 0 || count2 <= 0) return [];
  return Array.from({ length: count2 }, (_, j) => eligible[Math.floor((j + 0.5) * eligible.length / count2)]);
}
function requireSource(config, id) {
  const source = config.sources.find((s) => s.id === id);
  if (!source) throw new SimulatorConfigError(`client "${config.id}" has no source "${id}" the simulator writes`);
  return source;
}
function sourceFieldOrder(configText) {
  const raw = parseYaml2(configText);
  const order = /* @__PURE__ */ new Map();
  for (const s of raw.sources ?? []) {
    if (typeof s.id === "string" && s.fields && typeof s.fields === "object") order.set(s.id, Object.keys(s.fields));
  }
  return order;
}
function writersFor(scenario, config, fieldOrder, sim, options, clientDir) {
  const incident = new Set(sim.incidentDates());
  const weekdays = [];
  for (let i = 0; i < options.days; i++) {
    const date2 = addDays2(options.startDate, i);
    if (dayKind(date2, scenario.country) === "weekday" && !incident.has(date2)) weekdays.push(i);
  }
  const dq = scenario.dataQuality;
  const writers = [];
  const seen = /* @__PURE__ */ new Set();
  const plan = (kinds) => {
    const map = /* @__PURE__ */ new Map();
    kinds.forEach(([kind, count2], k) => {
      const days = spreadDays(weekdays.slice(k * 3), count2);
      for (const d of days) map.set(d, [...map.get(d) ?? [], kind]);
    });
    return map;
  };
  for (const ch of scenario.channels) {
    if (seen.has(ch.sourceId)) continue;
    seen.add(ch.sourceId);
    const source = requireSource(config, ch.sourceId);
    if (source.format === "mapped-csv") {
      const phone2 = ch.channel === "phone";
      const redeliverDay = phone2 && dq.redeliveredFile ? spreadDays(weekdays, 1)[0] : void 0;
      writers.push(
        new MappedCsvWriter(source, {
          outDir: clientDir,
          timezone: config.timezone,
          filePrefix: source.id,
          // The CTI exports one file per local business day; the chat platform per UTC day.
          bucket: phone2 ? "local-day" : "utc-day",
          bom: !phone2,
          lineEnding: phone2 ? "\r\n" : "\n",
          plan: phone2 ? plan([
            ["bad_date", dq.malformedPerKind],
            ["unknown_outcome", dq.malformedPerKind],
            ["missing_contact_id", dq.malformedPerKind],
            ["too_few_columns", dq.malformedPerKind],
            ["duplicate_row", dq.duplicateRows]
          ]) : plan([
            ["bad_date", dq.malformedPerKind > 0 ? 1 : 0],
            ["duplicate_row", dq.duplicateRows > 0 ? 1 : 0]
          ]),
          redeliverFile: redeliverDay === void 0 ? null : `${source.id}_${compactDate(addDays2(options.startDate, redeliverDay))}.csv`,
          dataQuality: dq,
          fieldOrder: fieldOrder.get(source.id) ?? []
        })
      );
    } else if (source.format === "amazon-connect-ctr") {
      writers.push(
        new ConnectCtrWriter(source.id, {
          outDir: clientDir,
          seed: options.seed,
          streamName: `${config.id}-ctr`,
          systemNumber: "+18005550199",
          duplicateDays: new Set(spreadDays(weekdays, dq.duplicateRows))
        })
      );
    } else {
      throw new SimulatorConfigError(`source "${source.id}" of "${config.id}" has format ${source.format}, which the simulator does not write for contacts`);
    }
  }
  if (scenario.surveys) {
    const source = requireSource(config, scenario.surveys.sourceId);
    if (source.format !== "mapped-survey-csv") throw new SimulatorConfigError(`survey source "${source.id}" must be mapped-survey-csv`);
    writers.push(
      new MappedCsvWriter(source, {
        outDir: clientDir,
        timezone: config.timezone,
        filePrefix: source.id,
        // Survey tools export per local day, overnight, in time for the morning report.
        bucket: "local-day",
        bom: false,
        lineEnding: "\n",
        plan: /* @__PURE__ */ new Map(),
        redeliverFile: null,
        dataQuality: dq,
        fieldOrder: fieldOrder.get(source.id) ?? []
      })
    );
  }
  return writers;
}
async function simulateClient(clientId, options) {
  const scenario = SCENARIOS[clientId];
  if (!scenario) throw new SimulatorConfigError(`no simulation scenario for client "${clientId}" (have: ${Object.keys(SCENARIOS).join(", ")})`);
  const file = join10(options.configDir ?? DEFAULT_CONFIG_DIR, `${clientId}.yaml`);
  const configText = await readFile6(file, "utf8");
  const config = parseClientConfig(configText, file);
  const clientDir = join10(options.outDir, clientId);
  await mkdir9(clientDir, { recursive: true });
  const sim = new ClientSimulator(scenario, config.timezone, options.seed, options.startDate, options.days);
  const writers = writersFor(scenario, config, sourceFieldOrder(configText), sim, options, clientDir);
  const truth = new TruthBuilder(config);
  let contacts = 0;
  let surveys = 0;
  let incidentExtra = 0;
  let rangeEndMs = 0;
  for (let i = 0; i < options.days; i++) {
    const simulated = sim.simulateDay(i);
    rangeEndMs = simulated.endMs;
    const lastDay = i === options.days - 1;
    const day = lastDay ? { ...simulated, surveys: simulated.surveys.filter((s) => s.respondedMs < rangeEndMs) } : simulated;
    truth.addDay(day);
    for (const w of writers) w.addDay(day);
    for (const w of writers) await w.flush(day.endMs, false);
    contacts += day.contacts.length;
    surveys += day.surveys.length;
    incidentExtra += day.contacts.filter((c) => c.isIncident).length;
  }
  for (const w of writers) await w.flush(rangeEndMs, true);
  const sources = writers.map((w) => w.truth());
  const result = {
    client_id: clientId,
    timezone: config.timezone,
    seed: options.seed,
    start_date: options.startDate,
    end_date: addDays2(options.startDate, options.days - 1),
    days: truth.days(),
    incident: scenario.incident && sim.incidentDates().length > 0 ? {
      category: scenario.incident.category,
      dates: sim.incidentDates(),
      multiplier: scenario.incident.multiplier,
      description: scenario.incident.description,
      extra_contacts: incidentExtra
    } : null,
    sources,
    notes: [
      "days[].channels counts every contact by its local arrival date; surveys by their local answer date.",
      'malformed rows carry a fresh contact id (the original id + "9" + a number) and must be quarantined; duplicates and redelivered files must be dropped by dedupe.',
      "extra_records are Connect contact records that are not inbound contacts (TRANSFER and CALLBACK legs)."
    ]
  };
  const truthFile = join10(clientDir, "truth.json");
  await writeFile5(truthFile, `${JSON.stringify(result, null, 2)}
`);
  return {
    clientId,
    truthFile,
    files: sources.reduce((n, s) => n + s.files.length, 0),
    contacts,
    surveys
  };
}
async function simulate(options) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.startDate)) throw new SimulatorConfigError(`startDate must be YYYY-MM-DD, got "${options.startDate}"`);
  if (!Number.isInteger(options.days) || options.days < 1) throw new SimulatorConfigError(`days must be a positive integer, got ${options.days}`);
  const ids = options.clients ?? Object.keys(SCENARIOS);
  const clients = [];
  for (const id of ids) clients.push(await simulateClient(id, options));
  return { outDir: options.outDir, startDate: options.startDate, endDate: addDays2(options.startDate, options.days - 1), clients };
}

// functions/simulator/index.ts
var DEMO_END_DATE = "2026-03-31";
var DEMO_DAYS = 90;
function demoOptions(outDir) {
  return { seed: 42, startDate: addDays2(DEMO_END_DATE, -(DEMO_DAYS - 1)), days: DEMO_DAYS, outDir };
}

// functions/cli/commands/demo.ts
var pct = (v) => v === null || v === void 0 ? "\u2014" : `${(v * 100).toFixed(1)}%`;
var secs = (v) => v === null || v === void 0 ? "\u2014" : `${v.toFixed(0)} s`;
function reportMorning(config, lastDay) {
  const [y, m, d] = addDays(lastDay, 1).split("-").map(Number);
  const [hh, mm] = config.reports.send_at.split(":").map(Number);
  const at = localTimeConverter(config.timezone)(y, m, d, hh, mm, 0, 0);
  return { now: () => at };
}
async function filesUnder(dir) {
  const entries = await readdir6(dir, { withFileTypes: true }).catch(() => []);
  const out = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path6 = join11(dir, e.name);
    if (e.isDirectory()) out.push(...await filesUnder(path6));
    else if (e.isFile() && e.name !== "truth.json") out.push(path6);
  }
  return out;
}
function registerDemoCommand(program, context) {
  program.command("demo").description(
    "Run the whole pipeline locally: simulate 90 days of realistic exports for the sample clients, ingest them, compute KPIs and write the daily, weekly and monthly e-mail reports to out/."
  ).option("--config-dir <dir>", "folder of client configs", "clients").option("--lake <dir>", "local lake folder (default .cspulse/lake)").option("--out <dir>", "where the reports go", "out").option("--exports <dir>", "where the simulated exports go", ".cspulse/demo-exports").option("--days <n>", `days to simulate, ending ${DEMO_END_DATE}`, (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 7 || n > 366) throw new InvalidArgumentError("a whole number of days from 7 to 366");
    return n;
  }, DEMO_DAYS).action(async (opts) => {
    const started = performance.now();
    const elapsed = () => `${((performance.now() - started) / 1e3).toFixed(1)} s`;
    const configs = await loadClientConfigs(opts.configDir);
    const paths = localPaths({ lake: opts.lake });
    const exportsDir = resolve3(opts.exports);
    const outDir = resolve3(opts.out);
    await rm4(exportsDir, { recursive: true, force: true });
    const simulation = await simulate({
      ...demoOptions(exportsDir),
      startDate: addDays(DEMO_END_DATE, 1 - opts.days),
      days: opts.days,
      configDir: opts.configDir
    });
    context.out(
      `simulated ${simulation.startDate} \u2026 ${simulation.endDate} for ${simulation.clients.map((c) => c.clientId).join(", ")}: ${simulation.clients.reduce((n, c) => n + c.files, 0)} export files (${elapsed()})`
    );
    const summaries = [];
    for (const simulated of simulation.clients) {
      const config = configs.find((c) => c.id === simulated.clientId);
      if (!config) throw new Error(`simulated client ${simulated.clientId} has no config in ${opts.configDir}`);
      await clearClient(paths.lake, paths.quarantine, config.id);
      await rm4(join11(outDir, config.id), { recursive: true, force: true });
      const clock = reportMorning(config, simulation.endDate);
      const ingestDeps = await localIngestDeps(paths, config);
      const totals = { files: 0, read: 0, written: 0, quarantined: 0, duplicates: 0, rejected: 0 };
      for (const source of config.sources) {
        const files = await filesUnder(join11(exportsDir, config.id, source.id));
        const deliveries = await Promise.all(
          files.map(async (file) => {
            const deliveredAt = (await stat3(file)).mtime;
            return { file, open: () => createReadStream5(file), deliveredAt, recordedAt: deliveredAt };
          })
        );
        for (const m of await ingestFiles(ingestDeps, { config, sourceId: source.id, files: deliveries })) {
          totals.files++;
          totals.read += m.rows_read;
          totals.written += m.rows_written;
          totals.quarantined += m.rows_quarantined;
          totals.duplicates += m.duplicates_dropped;
          if (m.status === "rejected") totals.rejected++;
        }
        context.err(`  ${config.id}/${source.id}: ${files.length} files ingested (${elapsed()})`);
      }
      context.out(
        `${config.id}: ingested ${totals.files} files, ${totals.read} rows read = ${totals.written} written + ${totals.quarantined} quarantined + ${totals.duplicates} duplicates dropped` + (totals.rejected > 0 ? `; ${totals.rejected} files rejected` : "")
      );
      const engine = await createDuckDbEngine({ lakeRoot: paths.lake });
      try {
        summaries.push(...await reportClient(engine, config, simulated.truthFile, simulation.endDate, clock, paths.lake, outDir));
      } finally {
        await engine.close();
      }
    }
    for (const line of summaries) context.out(line);
    context.out(`done in ${elapsed()}. Ad hoc: npx cspulse query "select channel, count(*) from contacts group by 1"`);
  });
}
async function clearClient(lakeDir, quarantineDir, clientId) {
  for (const prefix of [
    lakeKeys.partitionPrefix("contacts", clientId, "").replace(/dt=\/$/, ""),
    lakeKeys.partitionPrefix("surveys", clientId, "").replace(/dt=\/$/, ""),
    `versions/${lakeKeys.partitionPrefix("contacts", clientId, "").replace(/dt=\/$/, "")}`,
    `versions/${lakeKeys.partitionPrefix("surveys", clientId, "").replace(/dt=\/$/, "")}`,
    coverageKeys.datePrefix(clientId, "").replace(/dt=\/$/, ""),
    lakeKeys.manifestPrefix(clientId),
    lakeKeys.deliveriesPrefix(clientId),
    coverageKeys.datePrefix(clientId, "").replace(/dt=\/$/, "")
  ]) {
    await rm4(join11(lakeDir, prefix), { recursive: true, force: true });
  }
  await rm4(join11(quarantineDir, lakeKeys.rawPrefix(clientId)), { recursive: true, force: true });
}
async function reportClient(engine, config, truthFile, lastDay, clock, lakeDir, outDir) {
  const documents = /* @__PURE__ */ new Map();
  const loadKpis = (c, kind, date2) => {
    const key = `${kind} ${periodFor(kind, date2).start}`;
    let doc = documents.get(key);
    if (!doc) documents.set(key, doc = computeKpiDocument(engine, c, kind, date2, { now: clock.now() }));
    return doc;
  };
  const deps = { loadKpis, lake: createFolderStore(lakeDir), mailer: createOutboxMailer(join11(outDir, config.id)), clock };
  const lastSunday = addDays(lastDay, -(((/* @__PURE__ */ new Date(`${lastDay}T00:00:00Z`)).getUTCDay() + 7) % 7));
  const runs = [
    ["daily", lastDay],
    ["weekly", lastSunday],
    ["monthly", lastDay]
  ];
  const lines = [`${config.name} (${config.id}) \u2014 reports in ${join11(outDir, config.id)}/`];
  for (const [kind, date2] of runs) {
    const result = await runReport(deps, config, kind, date2, { ignoreDeadline: true });
    lines.push(`  ${kind.padEnd(7)} ${result.period.start} \u2026 ${result.period.end}: ${result.status}`);
  }
  const monthly = await loadKpis(config, "monthly", lastDay);
  const t = monthly.current.total;
  lines.push(
    `  ${monthly.period.start.slice(0, 7)}: offered ${t.offered}, answer rate ${pct(t.answer_rate)}, service level ${pct(t.service_level)}, ASA ${secs(t.asa_seconds)}, AHT ${secs(t.aht_seconds)}, FCR ${pct(t.fcr)}, CSAT ${t.csat_avg?.toFixed(2) ?? "\u2014"}`
  );
  lines.push(...await incidentCheck(loadKpis, config, truthFile));
  return lines;
}
async function incidentCheck(loadKpis, config, truthFile) {
  const truth = JSON.parse(await readFile7(truthFile, "utf8"));
  if (!truth.incident) return [];
  const { category, dates } = truth.incident;
  const flagged = [];
  for (const date2 of dates) {
    const doc = await loadKpis(config, "daily", date2);
    const row2 = doc.categories.find((c) => c.category === category);
    if (row2?.is_spike) flagged.push(`${date2} (${row2.count} vs baseline ${row2.baseline_mean?.toFixed(1) ?? "\u2014"})`);
  }
  return [
    `  planted incident: ${category} spike on ${dates.join(", ")} \u2014 ` + (flagged.length > 0 ? `detected as a spike on ${flagged.join(", ")}` : "NOT detected")
  ];
}

// functions/cli/commands/ingest.ts
import { createReadStream as createReadStream6 } from "node:fs";
import { readdir as readdir7, stat as stat4 } from "node:fs/promises";
import { join as join12 } from "node:path";
function registerIngestCommand(program, context) {
  program.command("ingest").description(
    "Ingest export files (or every file in the given folders) of one client source into the local lake, in the order given, in one pass. Prints one JSON line per file with rows_read, rows_written, rows_quarantined, duplicates_dropped and rows_excluded, and status ok, partial (more of its rows quarantined than the source allows, completeness.max_quarantined_share, default half) or rejected; exits 1 if any file was not ok."
  ).requiredOption("--client <id>", "client id (clients/<id>.yaml)").requiredOption("--source <id>", "source id from the client config").option("--config-dir <dir>", "folder of client configs", "clients").option("--lake <dir>", "local lake folder", ".cspulse/lake").option("--quarantine <dir>", "local quarantine folder (default: beside the lake)").argument("<files...>", "export files or folders of them (CSV, TSV, JSON; gzip is detected)").action(async (files, opts) => {
    const config = await context.loadConfig(opts.configDir, opts.client);
    const paths = localPaths({ lake: opts.lake, quarantine: opts.quarantine });
    const deps = await localIngestDeps(paths, config);
    const source = config.sources.find((s) => s.id === opts.source);
    let failed = 0;
    let partial = 0;
    const inputs = await expandFolders(files);
    const exists = await Promise.all(inputs.map(async (file) => (await stat4(file).catch(() => void 0))?.isFile() === true));
    const manifests = await ingestFiles(deps, {
      config,
      sourceId: opts.source,
      files: inputs.filter((_, i) => exists[i]).map((file) => ({ file, open: () => createReadStream6(file, { highWaterMark: 1 << 20 }) }))
    });
    let next = 0;
    for (const [i, file] of inputs.entries()) {
      if (!exists[i]) {
        context.out(JSON.stringify({ file, status: "rejected", error: "no such file" }));
        failed++;
        continue;
      }
      const manifest = manifests[next++];
      const verdict = deliveryStatus(manifest, source);
      if (verdict.status === "rejected") failed++;
      if (verdict.status === "partial") partial++;
      context.out(
        JSON.stringify({
          file,
          status: verdict.status,
          rows_read: manifest.rows_read,
          rows_written: manifest.rows_written,
          rows_quarantined: manifest.rows_quarantined,
          duplicates_dropped: manifest.duplicates_dropped,
          ...manifest.legs_grouped === void 0 ? {} : { legs_grouped: manifest.legs_grouped },
          rows_excluded: manifest.partitions.reduce((n, p) => n + p.excluded, 0),
          partitions: manifest.partitions.map((p) => p.dt),
          quarantine: manifest.quarantine_key ? `${paths.quarantine}/${manifest.quarantine_key}` : null,
          ...verdict.reason === null ? {} : { error: verdict.reason }
        })
      );
    }
    const problems = [failed > 0 ? `${failed} rejected` : null, partial > 0 ? `${partial} partly quarantined (status partial)` : null].filter(Boolean);
    if (problems.length > 0) context.fail(`${problems.join(", ")} of ${inputs.length} file(s)`);
  });
}
async function expandFolders(paths) {
  const out = [];
  for (const path6 of paths) {
    const info = await stat4(path6).catch(() => void 0);
    if (!info?.isDirectory()) {
      out.push(path6);
      continue;
    }
    const entries = await readdir7(path6, { withFileTypes: true });
    for (const e of entries.filter((e2) => e2.isFile() && !e2.name.startsWith(".")).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push(join12(path6, e.name));
    }
  }
  return out;
}

// functions/cli/commands/kpis.ts
import { InvalidArgumentError as InvalidArgumentError2 } from "commander";
var DEFAULT_LAKE = ".cspulse/lake";
function failClearly(context, error) {
  if (error instanceof QueryError || error instanceof InvalidPeriodError || error instanceof NoContractError) {
    const message = error instanceof QueryError ? `query failed: ${error.message}` : error.message;
    context.fail?.(message);
    throw new Error(message, { cause: error });
  }
  throw error;
}
var resolveLakeOption = (context, opts) => context.resolveLake?.(opts) ?? opts.lake ?? DEFAULT_LAKE;
var writeOut = (context, line) => {
  if (context.out) context.out(line);
  else process.stdout.write(`${line}
`);
};
var parseKind = (value) => {
  if (value === "daily" || value === "weekly" || value === "monthly") return value;
  throw new InvalidArgumentError2("must be daily, weekly or monthly");
};
var parseDate = (value) => {
  try {
    periodFor("daily", value);
    return value;
  } catch {
    throw new InvalidArgumentError2("must be an existing date YYYY-MM-DD");
  }
};
var pct2 = (v) => v === null ? "\u2014" : `${(v * 100).toFixed(1)}%`;
var sec = (v) => v === null ? "\u2014" : `${v.toFixed(1)}s`;
function summaryLines(doc) {
  const line = (name, k) => `${name.padEnd(8)} offered ${String(k.offered).padStart(7)}  answered ${String(k.answered).padStart(7)}  answer ${pct2(k.answer_rate).padStart(6)}  SL ${pct2(k.service_level).padStart(6)}  ASA ${sec(k.asa_seconds).padStart(7)}  AHT ${sec(k.aht_seconds).padStart(7)}  FCR ${pct2(k.fcr).padStart(6)}${k.fcr_provisional ? "*" : ""}`;
  return [
    `${doc.client_id} ${doc.period.kind} ${doc.period.start}\u2026${doc.period.end} (${doc.timezone}); prior ${doc.prior_period.start}\u2026${doc.prior_period.end}`,
    line("total", doc.current.total),
    ...Object.entries(doc.current.by_channel).map(([ch, k]) => line(ch, k)),
    `prior    ${line("", doc.prior.total).trim()}`,
    ...doc.sla.map(
      (s) => `SLA ${s.kpi}${s.channel ? `/${s.channel}` : ""} ${s.op} ${s.target}: actual ${s.actual ?? "\u2014"} \u2192 ${s.met === null ? "no data" : s.met ? "met" : "missed"}`
    ),
    ...doc.current.total.fcr_provisional ? ["* FCR provisional: its window reaches past the newest data"] : []
  ];
}
function registerKpisCommand(program, context) {
  program.command("kpis").description(
    "Compute the KPI document (current and prior period, SLA, categories, hourly profile) of one client on the local lake. With --json prints one JSON document; KPI keys as in docs/metrics.md."
  ).requiredOption("--client <id>", "client id (clients/<id>.yaml)").requiredOption("--period <kind>", "daily | weekly | monthly", parseKind).requiredOption("--date <YYYY-MM-DD>", "a local date inside the period (client's time zone)", parseDate).option("--json", "print the KPI document as JSON").option("--config-dir <dir>", "folder of client configs", "clients").option("--lake <dir>", "local lake folder", DEFAULT_LAKE).action(async (opts) => {
    const config = await context.loadConfig(opts.configDir, opts.client);
    const engine = await createDuckDbEngine({ lakeRoot: resolveLakeOption(context, opts) });
    try {
      const doc = await computeKpiDocument(engine, config, opts.period, opts.date);
      if (opts.json) writeOut(context, JSON.stringify(doc, null, 2));
      else for (const l of summaryLines(doc)) writeOut(context, l);
    } catch (error) {
      failClearly(context, error);
    } finally {
      await engine.close();
    }
  });
}

// functions/cli/commands/query.ts
import { InvalidArgumentError as InvalidArgumentError3 } from "commander";

// functions/core/sql/views.ts
async function createViewsSql(dir = SQL_DIR) {
  return Promise.all(VIEW_SQL_NAMES.map((name) => readSqlFile(name, dir)));
}

// functions/cli/commands/query.ts
var parseFormat = (value) => {
  if (value === "json" || value === "csv" || value === "table") return value;
  throw new InvalidArgumentError3("must be json, csv or table");
};
var text2 = (v) => v === null ? "" : String(v);
var csvField2 = (v) => {
  const s = text2(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
function formatResult(result, format) {
  const names = result.columns.map((c) => c.name);
  if (format === "json") return [JSON.stringify(result.rows, null, 2)];
  if (format === "csv") return [names.map(csvField2).join(","), ...result.rows.map((r) => names.map((n) => csvField2(r[n] ?? null)).join(","))];
  const cells = result.rows.map((r) => names.map((n) => r[n] === null ? "NULL" : text2(r[n] ?? null)));
  const width = (s) => [...s].reduce((w, ch) => w + (/[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/.test(ch) ? 2 : 1), 0);
  const widths = names.map((n, i) => Math.max(width(n), ...cells.map((c) => width(c[i]))));
  const line = (values) => values.map((v, i) => v + " ".repeat(widths[i] - width(v))).join(" | ");
  return [line(names), widths.map((w) => "-".repeat(w)).join("-+-"), ...cells.map(line), `(${result.rows.length} rows)`];
}
function registerQueryCommand(program, context) {
  program.command("query").description(
    "Run SQL (Trino syntax, as on Athena) on the local lake: tables contacts and surveys (partition keys client_id and dt), views contacts_local and surveys_local."
  ).argument("<sql>", "the query").option("--format <format>", "json | csv | table", parseFormat, "table").option("--config-dir <dir>", "folder of client configs (unused; accepted like every command)", "clients").option("--lake <dir>", "local lake folder", DEFAULT_LAKE).action(async (sql, opts) => {
    const engine = await createDuckDbEngine({ lakeRoot: resolveLakeOption(context, opts) });
    try {
      for (const view of await createViewsSql()) await engine.query(view);
      const result = await engine.query(sql);
      for (const l of formatResult(result, opts.format)) writeOut(context, l);
    } catch (error) {
      failClearly(context, error);
    } finally {
      await engine.close();
    }
  });
}

// functions/cli/commands/report.ts
import path5 from "node:path";
import { InvalidArgumentError as InvalidArgumentError4 } from "commander";

// functions/adapters/local/smtp-mailer.ts
import { Readable as Readable3 } from "node:stream";
import { parseConnectionUrl } from "nodemailer/lib/shared";
import SMTPConnection from "nodemailer/lib/smtp-connection";
var TRANSIENT_CODES = /* @__PURE__ */ new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "ECONNREFUSED", "ECONNRESET", "EDNS"]);
function isRetryableSmtpError(error) {
  const e = error;
  if (typeof e.responseCode === "number") return e.responseCode >= 400 && e.responseCode < 500;
  return e.code !== void 0 && TRANSIENT_CODES.has(e.code);
}
var step = (connection, fn) => new Promise((resolve5, reject) => {
  const onError = (err) => reject(err);
  connection.once("error", onError);
  fn((err, value) => {
    connection.removeListener("error", onError);
    if (err) reject(err);
    else resolve5(value);
  });
});
function createSmtpMailer(url, options = {}) {
  const parsed = parseConnectionUrl(url);
  return {
    async send(email2) {
      const socketTimeout = options.socketTimeoutMs ?? (parsed.socketTimeout === void 0 ? 6e4 : Number(parsed.socketTimeout));
      const connection = new SMTPConnection({ ...parsed, socketTimeout });
      let handedOver = false;
      const body = new Readable3({
        read() {
          handedOver = true;
          this.push(Buffer.from(email2.raw));
          this.push(null);
        }
      });
      connection.on("error", () => void 0);
      try {
        await step(connection, (cb) => connection.connect((err) => cb(err)));
        if (parsed.auth !== void 0 && "user" in parsed.auth) {
          const auth = parsed.auth;
          await step(connection, (cb) => connection.login(auth, (err) => cb(err)));
        }
        await step(connection, (cb) => connection.send({ from: email2.from, to: [...email2.to, ...email2.cc ?? []] }, body, (err, info) => cb(err, info)));
        connection.quit();
        return { messageId: rawHeader(email2.raw, "Message-ID") ?? "" };
      } catch (error) {
        connection.close();
        const answered = typeof error.responseCode === "number";
        const unknownFate = handedOver && !answered;
        throw new MailerError(`SMTP send failed: ${error.message}`, !unknownFate && isRetryableSmtpError(error), {
          cause: error,
          handedOver: unknownFate
        });
      }
    }
  };
}

// functions/cli/context.ts
var CliFailure = class extends Error {
  constructor(message) {
    super(message);
    this.name = "CliFailure";
  }
};
var processContext = {
  loadConfig: loadClientConfig,
  out: (line) => process.stdout.write(`${line}
`),
  err: (line) => process.stderr.write(`${line}
`),
  fail: (message) => {
    throw new CliFailure(message);
  }
};

// functions/cli/commands/report.ts
function registerReportCommand(program, context) {
  program.command("report").description(
    "Build the e-mail report of one client and period (HTML with charts, text, XLSX and CSV attachments) and deliver it to an outbox folder (default out/) or an SMTP server. The period must be over. Data still missing is named and the report marked incomplete; a period without any data notifies the operator (reports.when_no_data); a report already sent goes out again only as a correction when late data changed it."
  ).requiredOption("--client <id>", "client id (clients/<id>.yaml)").requiredOption("--period <kind>", "daily | weekly | monthly", parseKind).requiredOption("--date <YYYY-MM-DD>", "a local date inside the period (client's time zone)", parseDate).option("--out <dir>", "outbox folder for <name>.eml and <name>.html (default out/)").option("--smtp <url>", "send over SMTP instead, e.g. smtp://localhost:1025").option("--force", "send again even if the delivery log says it was sent").option("--config-dir <dir>", "folder of client configs", "clients").option("--lake <dir>", "local lake folder (default .cspulse/lake)").action(async (opts) => {
    if (opts.out !== void 0 && opts.smtp !== void 0) throw new InvalidArgumentError4("use either --out or --smtp");
    const config = await context.loadConfig(opts.configDir, opts.client);
    const lakeDir = context.resolveLake(opts);
    const outDir = path5.resolve(opts.out ?? "out");
    const mailer = opts.smtp !== void 0 ? createSmtpMailer(opts.smtp) : createOutboxMailer(outDir);
    let result;
    try {
      result = await runReport(
        {
          loadKpis: (cfg, kind, date2) => context.loadKpis(lakeDir, cfg, kind, date2),
          lake: createFolderStore(lakeDir),
          mailer,
          clock: context.clock ?? systemClock
        },
        config,
        opts.period,
        opts.date,
        { ignoreDeadline: true, force: opts.force === true }
      );
    } catch (error) {
      if (error instanceof PeriodNotEndedError || error instanceof DeliveryLogError) throw new CliFailure(error.message);
      throw error;
    }
    const deliveredTo = (providerId) => opts.smtp !== void 0 ? opts.smtp : path5.join(outDir, providerId);
    const summary = { status: result.status, period: result.period };
    switch (result.status) {
      case "sent":
      case "sent-incomplete":
      case "sent-correction":
        summary.message_id = result.messageId;
        summary.subject = result.subject;
        summary.delivered_to = deliveredTo(result.providerMessageId);
        if (result.messages.length > 1) summary.also = result.messages.slice(1).map((m) => ({ message_id: m.messageId, subject: m.subject, delivered_to: deliveredTo(m.providerMessageId) }));
        if (result.missing.length > 0) summary.missing = result.missing;
        break;
      case "no-data":
        summary.notified = result.notified;
        summary.missing = result.missing;
        summary.hint = result.notified === "operator" ? "no data for the period: the operator was notified instead of the client (reports.when_no_data)" : "no data for the period (reports.when_no_data)";
        break;
      case "skipped-already-sent":
        summary.message_id = result.sent.message_id;
        summary.sent_at = result.sent.sent_at;
        summary.hint = result.rechecked ? "already sent; data arrived since, but no figure it showed changed" : "already sent and no data arrived since; use --force to send again";
        break;
      case "skipped-in-doubt":
        summary.hint = "an earlier send was interrupted after the message may have left; check the mailbox, then --force";
        break;
      default:
        break;
    }
    const line = JSON.stringify(summary);
    if (context.out) context.out(line);
    else process.stdout.write(`${line}
`);
    if (result.status === "skipped-in-doubt") throw new CliFailure(`${config.id} ${opts.period} ${result.period.start}: ${String(summary.hint)}`);
  });
}

// functions/cli/main.ts
import { resolve as resolve4 } from "node:path";
var USER_ERRORS = /* @__PURE__ */ new Set(["MappingConfigError", "UnknownSourceError", "FileRejectedError", "InvalidTimeZoneError"]);
function buildProgram(context) {
  const program = new Command("cspulse").description("Contact-center reporting: ingest exports, compute KPIs, send reports").exitOverride();
  registerIngestCommand(program, context);
  registerKpisCommand(program, context);
  registerReportCommand(program, {
    ...context,
    resolveLake: (opts) => resolve4(opts.lake ?? DEFAULT_LAKE),
    loadKpis: localLoadKpis,
    clock: systemClock
  });
  registerQueryCommand(program, context);
  registerConfigCommand(program, context);
  registerDemoCommand(program, context);
  return program;
}
async function runCli(argv, context = processContext) {
  try {
    await buildProgram(context).parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliFailure || error instanceof ConfigError || error instanceof Error && USER_ERRORS.has(error.name)) {
      context.err(`cspulse: ${error.message}`);
      return 1;
    }
    context.err(`cspulse: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return 1;
  }
}

// functions/cli/cspulse.ts
process.exitCode = await runCli(process.argv.slice(2));

/**
 * The workbook's structure: which part holds which sheet (tab name → worksheet part, through the workbook's
 * relationships), the date system, and the shared-string table. Read before any sheet, by part name, so the
 * order the writer put the parts in the archive never matters.
 */
import { FileRejectedError } from '../../types.ts';
import { relsPartOf, resolveTarget, type WorkbookPackage } from './package.ts';
import { SharedStrings } from './shared-strings.ts';
import { parseXml } from './xml-stream.ts';

const OFFICE_DOCUMENT = /\/officeDocument$/;
const WORKSHEET = /\/worksheet$/;
const SHARED_STRINGS = /\/sharedStrings$/;

interface Relationship {
  id: string;
  type: string;
  /** the part it points at, resolved (no leading "/") */
  part: string;
  external: boolean;
}

export interface WorkbookSheet {
  name: string;
  /** the worksheet part, or undefined when the tab is not a worksheet (a chart sheet) or its part is missing */
  part: string | undefined;
}

export interface WorkbookInfo {
  sheets: WorkbookSheet[];
  date1904: boolean;
  sharedStringsPart: string | undefined;
}

/** Consumes a part's events to the end (the handlers collect what they need). */
async function drain(events: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of events) void _;
}

async function relationships(pkg: WorkbookPackage, file: string, part: string): Promise<Relationship[]> {
  const relsPart = relsPartOf(part);
  const found: Relationship[] = [];
  await drain(
    parseXml(
      pkg.read(relsPart),
      file,
      relsPart,
      {
        open(name, a) {
          if (name !== 'Relationship' || a.Target === undefined) return;
          const external = a.TargetMode === 'External';
          found.push({ id: a.Id ?? '', type: a.Type ?? '', part: external ? a.Target : resolveTarget(part, a.Target), external });
        },
        text() {},
        close() {},
      },
      [],
    ),
  );
  return found;
}

export async function readWorkbookInfo(pkg: WorkbookPackage, file: string): Promise<WorkbookInfo> {
  const root = await relationships(pkg, file, '');
  const workbookPart = root.find((r) => OFFICE_DOCUMENT.test(r.type) && !r.external)?.part ?? 'xl/workbook.xml';
  if (!pkg.has(workbookPart)) throw new FileRejectedError(file, 'not a readable XLSX workbook: it has no workbook part (is it a spreadsheet?)');
  const tabs: { name: string; id: string }[] = [];
  let date1904 = false;
  await drain(
    parseXml(
      pkg.read(workbookPart),
      file,
      workbookPart,
      {
        open(name, a) {
          if (name === 'sheet') {
            // the relationship id attribute is r:id in the relationships namespace; its prefix is the writer's choice
            const id = Object.entries(a).find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1] ?? '';
            tabs.push({ name: a.name ?? '', id });
          } else if (name === 'workbookPr') {
            date1904 = a.date1904 === '1' || a.date1904 === 'true';
          }
        },
        text() {},
        close() {},
      },
      [],
    ),
  );
  const rels = await relationships(pkg, file, workbookPart);
  const byId = new Map(rels.map((r) => [r.id, r]));
  const sheets = tabs.map((t) => {
    const rel = byId.get(t.id);
    const part = rel !== undefined && WORKSHEET.test(rel.type) && !rel.external && pkg.has(rel.part) ? rel.part : undefined;
    return { name: t.name, part };
  });
  const shared = rels.find((r) => SHARED_STRINGS.test(r.type) && !r.external && pkg.has(r.part));
  return { sheets, date1904, sharedStringsPart: shared?.part };
}

/** The shared-string table (`sst` > `si`, each a `t` or rich-text runs `r` > `t`; phonetic runs left out). */
export async function readSharedStrings(pkg: WorkbookPackage, file: string, part: string | undefined, strings: SharedStrings): Promise<void> {
  if (part === undefined) return;
  let inItem = false;
  let inPhonetic = false;
  let capture = false;
  let text = '';
  // SharedStrings keeps at most maxChars + 1 characters of a string: more is never held here either
  const room = strings.maxChars + 1;
  await drain(
    parseXml(
      pkg.read(part),
      file,
      part,
      {
        open(name) {
          if (name === 'si') {
            inItem = true;
            text = '';
          } else if (name === 'rPh') inPhonetic = true;
          else if (name === 't') capture = inItem && !inPhonetic;
        },
        text(t) {
          if (capture && text.length < room) text += t.length > room - text.length ? t.slice(0, room - text.length) : t;
        },
        close(name) {
          if (name === 't') capture = false;
          else if (name === 'rPh') inPhonetic = false;
          else if (name === 'si') {
            inItem = false;
            strings.add(text);
            text = '';
          }
        },
      },
      [],
    ),
  );
  strings.seal();
}

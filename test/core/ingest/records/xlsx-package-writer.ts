/**
 * Writes XLSX packages part by part, for tests that need what a workbook library will not write: parts in a
 * chosen archive order, relative or absolute relationship targets, a shared-string table or inline strings,
 * the 1904 date system, malformed XML. The parts are those of ECMA-376 (Part 1 §18, Part 2 for the package).
 */
import JSZip from 'jszip';

export type Cell = string | number | boolean | null | { xml: string };

export interface SheetSpec {
  name: string;
  rows: Cell[][];
}

export interface PackageSpec {
  sheets: SheetSpec[];
  /** strings in a shared-string table (Excel) or inline (openpyxl); default shared */
  strings?: 'shared' | 'inline';
  /** relationship targets relative to xl/ (Excel) or absolute (/xl/…, openpyxl); default relative */
  targets?: 'relative' | 'absolute';
  date1904?: boolean;
  /** archive order of the parts: worksheets and shared strings before the workbook when true */
  partsFirst?: boolean;
  /** replaces a part's XML after it is written (to break it) */
  override?: Record<string, string>;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const column = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : column(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

export async function xlsxPackage(spec: PackageSpec): Promise<Buffer> {
  const shared: string[] = [];
  const sharedIndex = new Map<string, number>();
  const sheetXml = spec.sheets.map((sheet) => {
    const rows = sheet.rows.map((cells, r) => {
      const xml = cells
        .map((cell, c) => {
          const ref = `${column(c)}${r + 1}`;
          if (cell === null) return '';
          if (typeof cell === 'object') return `<c r="${ref}"${cell.xml}</c>`;
          if (typeof cell === 'number') return `<c r="${ref}"><v>${cell}</v></c>`;
          if (typeof cell === 'boolean') return `<c r="${ref}" t="b"><v>${cell ? 1 : 0}</v></c>`;
          if (spec.strings === 'inline') return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escape(cell)}</t></is></c>`;
          if (!sharedIndex.has(cell)) {
            sharedIndex.set(cell, shared.length);
            shared.push(cell);
          }
          return `<c r="${ref}" t="s"><v>${sharedIndex.get(cell)}</v></c>`;
        })
        .join('');
      return `<row r="${r + 1}">${xml}</row>`;
    });
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData></worksheet>`;
  });
  const target = (p: string) => (spec.targets === 'absolute' ? `/xl/${p}` : p);
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const parts: [string, string][] = [];
  const sheetsParts: [string, string][] = sheetXml.map((xml, i) => [`xl/worksheets/sheet${i + 1}.xml`, xml]);
  const sst: [string, string] = [
    'xl/sharedStrings.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.length}" uniqueCount="${shared.length}">${shared.map((s) => `<si><t xml:space="preserve">${escape(s)}</t></si>`).join('')}</sst>`,
  ];
  const workbook: [string, string][] = [
    [
      '[Content_Types].xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheetXml.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`,
    ],
    ['_rels/.rels', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    [
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${rel}">${spec.date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>'}<sheets>${spec.sheets.map((s, i) => `<sheet name="${escape(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${spec.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${rel}/worksheet" Target="${target(`worksheets/sheet${i + 1}.xml`)}"/>`).join('')}<Relationship Id="rIdS" Type="${rel}/sharedStrings" Target="${target('sharedStrings.xml')}"/></Relationships>`,
    ],
  ];
  const data = [...sheetsParts, ...(spec.strings === 'inline' ? [] : [sst])];
  parts.push(...(spec.partsFirst ? [...data, ...workbook] : [...workbook, ...data]));
  const zip = new JSZip();
  for (const [name, xml] of parts) zip.file(name, spec.override?.[name] ?? xml);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

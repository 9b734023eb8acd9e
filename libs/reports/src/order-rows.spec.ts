import { Readable } from 'node:stream';
import { csvField, CSV_HEADER, OrderRowFormatter } from './order-rows';

describe('CSV and NDJSON formatting', () => {
  it('quotes fields per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(42)).toBe('42');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
  });

  const raw = { id: 'o1', user_id: 'u1', status: 'placed', item_count: '3', total_cents: '1500', currency: 'EUR', created_at: new Date('2030-01-01T00:00:00Z') };

  async function format(kind: 'csv' | 'ndjson', rows: object[]): Promise<string> {
    const chunks: string[] = [];
    for await (const chunk of Readable.from(rows).pipe(new OrderRowFormatter(kind))) {
      chunks.push(String(chunk));
    }
    return chunks.join('');
  }

  it('writes a header and one line per row, or only the header for no rows', async () => {
    expect(await format('csv', [raw])).toBe(`${CSV_HEADER}o1,u1,placed,3,1500,EUR,2030-01-01T00:00:00.000Z\n`);
    expect(await format('csv', [])).toBe(CSV_HEADER);
  });

  it('writes NDJSON with typed numbers', async () => {
    expect(JSON.parse(await format('ndjson', [raw]))).toEqual({
      id: 'o1',
      userId: 'u1',
      status: 'placed',
      itemCount: 3,
      totalCents: 1500,
      currency: 'EUR',
      createdAt: '2030-01-01T00:00:00.000Z',
    });
  });
});

import { Readable } from 'node:stream';
import { NdjsonFormatter } from './order-rows';

// The CSV export is written by PostgreSQL (COPY); its format is pinned end to end in
// test/e2e/reports/reports.e2e-spec.ts.
describe('NDJSON formatting', () => {
  const raw = {
    id: 'o1',
    user_id: 'u1',
    status: 'placed',
    item_count: '3',
    total_cents: '1500',
    currency: 'EUR',
    created_at: new Date('2030-01-01T00:00:00Z'),
  };

  async function format(rows: object[]): Promise<{ text: string; formatter: NdjsonFormatter }> {
    const chunks: string[] = [];
    const formatter = new NdjsonFormatter();
    for await (const chunk of Readable.from(rows).pipe(formatter)) {
      chunks.push(String(chunk));
    }
    return { text: chunks.join(''), formatter };
  }

  it('writes one object per line with typed numbers, counting rows and bytes', async () => {
    const { text, formatter } = await format([raw, raw]);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toEqual({
      id: 'o1',
      userId: 'u1',
      status: 'placed',
      itemCount: 3,
      totalCents: 1500,
      currency: 'EUR',
      createdAt: '2030-01-01T00:00:00.000Z',
    });
    expect(formatter.rows).toBe(2);
    expect(formatter.bytes).toBe(Buffer.byteLength(text));
  });

  it('writes nothing for no rows', async () => {
    expect((await format([])).text).toBe('');
  });
});

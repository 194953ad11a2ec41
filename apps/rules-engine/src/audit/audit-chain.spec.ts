import { GENESIS_HASH, canonicalJson, chainHash, lineText, verifyLog } from './audit-chain';

/** A chain of `n` maintenance-like entries, as the export writes it. */
function chain(n: number): string[] {
  let prev = GENESIS_HASH;
  const out: string[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const entry = { kind: 'maintenance', elevatorId: 'EL-1', site: 's', at: 1000 * seq, by: 'tech', action: 'work_done', note: `step ${seq}` };
    const hash = chainHash(seq, prev, entry);
    out.push(lineText({ seq, prevHash: prev, hash, entryJson: canonicalJson(entry) }));
    prev = hash;
  }
  return out;
}
const text = (lines: string[]) => `${lines.join('\n')}\n`;

describe('canonical JSON', () => {
  it('sorts keys at every level (integer-like keys too), drops undefined members, keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: 'x' }, '10': true, '2': null })).toBe('{"10":true,"2":null,"a":{"c":"x","d":[3,{"z":1}]},"b":1}');
    expect(canonicalJson(1.5)).toBe('1.5');
    expect(canonicalJson('é"\n')).toBe('"é\\"\\n"');
  });

  it('hashes {seq, prevHash, entry} whatever the member order of the entry', () => {
    expect(chainHash(1, GENESIS_HASH, { a: 1, b: 2 })).toBe(chainHash(1, GENESIS_HASH, { b: 2, a: 1 }));
    expect(chainHash(1, GENESIS_HASH, { a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifyLog', () => {
  const lines = chain(6);

  it('passes an intact log and reports its head', () => {
    const r = verifyLog(text(lines));
    expect(r).toMatchObject({ ok: true, entries: 6, head: { seq: 6 } });
  });

  it('names an edited entry (content changed, hash left alone)', () => {
    const edited = [...lines];
    edited[2] = (edited[2] ?? '').replace('step 3', 'step three');
    expect(verifyLog(text(edited))).toMatchObject({ ok: false, problem: 'edited', line: 3, seq: 3 });
  });

  it('names an edited entry whose own hash was recomputed (the next line no longer chains to it)', () => {
    const edited = [...lines];
    const parsed = JSON.parse(edited[3] ?? '') as { seq: number; prevHash: string; entry: Record<string, unknown> };
    const entry = { ...parsed.entry, by: 'someone-else' };
    edited[3] = lineText({ seq: 4, prevHash: parsed.prevHash, hash: chainHash(4, parsed.prevHash, entry), entryJson: canonicalJson(entry) });
    expect(verifyLog(text(edited))).toMatchObject({ ok: false, problem: 'edited', line: 4, seq: 4 });
  });

  it('names a removed entry by its seq and where it was', () => {
    const removed = lines.filter((_, i) => i !== 2);
    expect(verifyLog(text(removed))).toMatchObject({ ok: false, problem: 'removed', line: 3, seq: 3 });
  });

  it('names a moved entry and where it was found', () => {
    const moved = [...lines];
    const [third] = moved.splice(2, 1);
    moved.push(third ?? '');
    expect(verifyLog(text(moved))).toMatchObject({ ok: false, problem: 'moved', line: 6, seq: 3 });
    const swapped = [lines[0], lines[2], lines[1], ...lines.slice(3)].map(String);
    expect(verifyLog(text(swapped))).toMatchObject({ ok: false, problem: 'moved', line: 3, seq: 2 });
  });

  it('names an entry whose seq was changed, a duplicate, and a line that is not JSON', () => {
    const reseq = [...lines];
    reseq[1] = (reseq[1] ?? '').replace('"seq":2', '"seq":9');
    expect(verifyLog(text(reseq))).toMatchObject({ ok: false, problem: 'edited', line: 2 });
    expect(verifyLog(text([...lines.slice(0, 3), lines[2] ?? '', ...lines.slice(3)]))).toMatchObject({ ok: false, problem: 'duplicate', line: 4, seq: 3 });
    expect(verifyLog(text([lines[0] ?? '', '{"seq":2,', ...lines.slice(2)]))).toMatchObject({ ok: false, problem: 'not_json', line: 2 });
  });

  it('with an anchored head, catches a log rewritten consistently or cut short', () => {
    const head = (JSON.parse(lines[5] ?? '') as { hash: string }).hash;
    expect(verifyLog(text(lines), { head })).toMatchObject({ ok: true });
    // Anchored earlier: the log may have grown since.
    const earlier = (JSON.parse(lines[2] ?? '') as { hash: string }).hash;
    expect(verifyLog(text(lines), { head: earlier })).toMatchObject({ ok: true });
    expect(verifyLog(text(lines.slice(0, 4)), { head })).toMatchObject({ ok: false, problem: 'head_not_found', seq: 4 });
    expect(verifyLog(text(chain(6).map((l) => l.replace('"tech"', '"tech"'))), { head: 'f'.repeat(64) })).toMatchObject({ ok: false, problem: 'head_not_found' });
    expect(verifyLog('')).toMatchObject({ ok: false, problem: 'empty' });
  });
});

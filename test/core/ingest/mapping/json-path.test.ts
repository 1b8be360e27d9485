import { describe, expect, it } from 'vitest';
import { MappingConfigError } from '../../../../functions/core/ingest/mapping/errors.ts';
import {
  compileJsonPath,
  compileJsonPaths,
  JsonPathSyntaxError,
  JsonPathValueError,
} from '../../../../functions/core/ingest/mapping/json-path.ts';

/** A conversation shaped as Genesys Cloud's analytics conversation details (participants → sessions → metrics). */
const conversation = {
  conversationId: 'c1',
  'meta.source': 'web',
  participants: [
    { purpose: 'customer', sessions: [{ ani: 'tel:+821012345678', mediaType: 'voice' }] },
    { purpose: 'ivr', sessions: [{ metrics: [{ name: 'tIvr', value: 64488 }] }] },
    { purpose: 'acd', participantName: '일반상담', sessions: [{ metrics: [{ name: 'nOffered', value: 1 }, { name: 'tAcd', value: 12411 }] }] },
    { purpose: 'agent', userId: 'u-first', sessions: [{ metrics: [{ name: 'tAlert', value: 7421 }, { name: 'tAcw', value: 57000 }] }] },
    {
      purpose: 'agent',
      userId: 'u-second',
      sessions: [{ metrics: [{ name: 'tAnswered', value: 12411, emitDate: '2024-04-29T17:32:00.080Z' }, { name: 'tTalk', value: 374894 }, { name: 'tAcw', value: 3000 }] }],
    },
  ],
};
const read = (path: string) => compileJsonPath(path)(conversation);

describe('compileJsonPath: selecting by what an element holds', () => {
  it('reads plain paths as before: keys, indexes and a key that holds a dot', () => {
    expect(read('conversationId')).toBe('c1');
    expect(read('participants[2].participantName')).toBe('일반상담');
    expect(read('meta.source')).toBe('web');
    expect(read('participants[9].userId')).toBeUndefined();
  });

  it('selects elements by a key\'s value, and the n-th of the selection', () => {
    expect(read('participants[purpose=customer].sessions[0].ani')).toBe('tel:+821012345678');
    expect(read('participants[purpose=agent].userId')).toBe('u-first'); // the first of the selection
    expect(read('participants[purpose=agent][-1].userId')).toBe('u-second');
    expect(read('participants[purpose=agent][0].userId')).toBe('u-first');
    expect(read('participants[purpose=agent][2].userId')).toBeUndefined();
    expect(read('participants[purpose!=customer][0].purpose')).toBe('ivr');
    // a key path through arrays looks in every element: the agent with a tAnswered metric in any session
    expect(read('participants[sessions.metrics.name=tAnswered].userId')).toBe('u-second');
    expect(read('participants[sessions.metrics.name!=tAnswered][-1].userId')).toBe('u-first');
  });

  it('looks inside every selected element: the agent who answered, and when', () => {
    expect(read('participants[purpose=agent].sessions[0].metrics[name=tAnswered].value')).toBe(12411);
    expect(read('participants[purpose=agent].sessions[*].metrics[name=tAnswered].emitDate')).toBe('2024-04-29T17:32:00.080Z');
    expect(read('participants[purpose=agent].sessions[0].metrics[name=tHold].value')).toBeUndefined();
  });

  it('combines every selected value with sum, min, max and count, exactly for whole numbers', () => {
    expect(read('sum(participants[purpose=agent].sessions[*].metrics[name=tAcw].value)')).toBe('60000'); // 57000 + 3000
    expect(read('max(participants[*].sessions[*].metrics[name=tAcw].value)')).toBe('57000');
    expect(read('min(participants[*].sessions[*].metrics[name=tAcw].value)')).toBe('3000');
    expect(read('count(participants[purpose=agent])')).toBe(2);
    expect(read('sum(participants[purpose=agent].sessions[*].metrics[name=tHold].value)')).toBeUndefined();
    expect(compileJsonPath('sum(v[*])')({ v: ['9007199254740993', 1] })).toBe('9007199254740994'); // past 2^53, no digit lost
    expect(compileJsonPath('sum(v[*])')({ v: [1.5, '2.25'] })).toBe(3.75);
  });

  it('matches quoted values and dotted keys inside a predicate', () => {
    expect(compileJsonPath('items[meta.kind="a]b"].id')({ items: [{ id: 1, meta: { kind: 'x' } }, { id: 2, meta: { kind: 'a]b' } }] })).toBe(2);
  });

  it('rejects a record whose values an aggregate cannot add', () => {
    expect(() => compileJsonPath('sum(v[*])')({ v: [1, 'ten'] })).toThrow(JsonPathValueError);
    expect(() => compileJsonPath('sum(v[*])')({ v: [1, { n: 2 }] })).toThrow(/sum needs numbers, and a value is an object/);
  });

  it('refuses what is not a path when the source is compiled, naming the field', () => {
    for (const bad of ['participants[purpose=agent', 'a[*]..b', 'avg(a[*])', 'a[x y]', 'a[k=v"]', 'a[*]]', 'a[*]b', 'sum(a[*]']) {
      expect(() => compileJsonPath(bad), bad).toThrow(JsonPathSyntaxError);
    }
    expect(() => compileJsonPaths('genesys', ['participants[purpose=agent'], { agent_id: { column: 'participants[purpose=agent' } })).toThrow(
      new MappingConfigError('genesys', 'agent_id', 'field path "participants[purpose=agent": the "[" at 13 is never closed'),
    );
  });
});

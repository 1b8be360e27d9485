import { describe, expect, it } from 'vitest';
import { SqlTemplateError } from '../../../functions/core/sql/errors.ts';
import { inlineParameters, parameterOffsets } from '../../../functions/core/sql/inline-parameters.ts';

describe('inlineParameters', () => {
  it('replaces the parameter marks in order, not a ? in a string, a quoted name or a comment', () => {
    const sql = `-- what? a comment\nselect 'why?' as "odd?", 'it''s ?' from t /* or? */ where a = ? and b between ? and ?`;
    expect(parameterOffsets(sql).length).toBe(3);
    expect(inlineParameters(sql, ["'shop'", "'2026-03-01'", "'2026-03-07'"])).toBe(
      `-- what? a comment\nselect 'why?' as "odd?", 'it''s ?' from t /* or? */ where a = 'shop' and b between '2026-03-01' and '2026-03-07'`,
    );
  });

  it('refuses values that do not match the marks', () => {
    expect(() => inlineParameters('select ? from t where a = ?', ["'x'"])).toThrow(SqlTemplateError);
    expect(() => inlineParameters('select 1', ["'x'"])).toThrow('the query has 0 parameter marks but 1 values were given');
  });
});

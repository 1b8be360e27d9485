import { describe, expect, it } from 'vitest';

import { AgentQueue } from '../../functions/simulator/queue.ts';

describe('AgentQueue (FCFS with shifts)', () => {
  it('answers at once when an agent is free, else when the first seat frees up', () => {
    const q = new AgentQueue(1);
    q.setShifts([[{ start: 0, end: 1000 }]]);
    const a = q.earliest(10);
    expect(a.at).toBe(10);
    q.occupy(a, 70); // busy 10..70
    const b = q.earliest(30);
    expect(b.at).toBe(70); // waits 40 s
  });

  it('picks the agent who frees up first', () => {
    const q = new AgentQueue(1);
    q.setShifts([[{ start: 0, end: 1000 }], [{ start: 0, end: 1000 }]]);
    q.occupy(q.earliest(0), 100); // agent 0 busy until 100
    q.occupy(q.earliest(0), 50); // agent 1 busy until 50
    const next = q.earliest(20);
    expect(next).toMatchObject({ at: 50, agent: 1 });
  });

  it('waits for the next shift and gives Infinity after the last one', () => {
    const q = new AgentQueue(1);
    q.setShifts([[{ start: 0, end: 100 }, { start: 200, end: 300 }]]);
    q.occupy(q.earliest(0), 120); // runs past the end of the first shift
    expect(q.earliest(110).at).toBe(200);
    expect(q.earliest(300).at).toBe(Infinity);
  });

  it('gives a chat agent as many seats as contacts they work at once', () => {
    const q = new AgentQueue(2);
    q.setShifts([[{ start: 0, end: 1000 }]]);
    q.occupy(q.earliest(0), 500);
    expect(q.earliest(0).at).toBe(0); // second seat of the same agent
    q.occupy(q.earliest(0), 400);
    expect(q.earliest(0)).toMatchObject({ at: 400, agent: 0 });
  });
});

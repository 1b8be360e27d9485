/**
 * A first-come-first-served multi-agent queue with reneging, simulated contact by contact in arrival order.
 * Each contact takes the agent seat that frees up first (an agent who is on shift and done with the previous
 * contact); whoever abandons never occupies a seat, so handling contacts strictly in arrival order gives the
 * exact FCFS schedule (Kiefer–Wolfowitz workload recursion) without an event calendar.
 */

export interface DutyInterval {
  /** epoch seconds, [start, end) */
  readonly start: number;
  readonly end: number;
}

interface Seat {
  readonly agent: number;
  busyUntil: number;
}

export interface SeatOffer {
  /** when the contact would be answered (epoch seconds), Infinity when no agent is on shift again today */
  readonly at: number;
  readonly agent: number;
  readonly seatIndex: number;
}

export class AgentQueue {
  private readonly seats: Seat[] = [];
  private duty: DutyInterval[][] = [];

  constructor(private readonly concurrency: number) {}

  /** Install today's shifts: duty[k] are agent k's on-shift intervals, in time order. */
  setShifts(duty: DutyInterval[][]): void {
    this.duty = duty;
    while (this.seats.length < duty.length * this.concurrency) {
      this.seats.push({ agent: Math.floor(this.seats.length / this.concurrency), busyUntil: 0 });
    }
  }

  private nextOnDuty(agent: number, t: number): number {
    for (const interval of this.duty[agent] ?? []) {
      if (t < interval.start) return interval.start;
      if (t < interval.end) return t;
    }
    return Infinity;
  }

  /** The earliest any seat could take a contact that enters the queue at `enqueuedAt`. */
  earliest(enqueuedAt: number): SeatOffer {
    let best: SeatOffer = { at: Infinity, agent: -1, seatIndex: -1 };
    const limit = this.duty.length * this.concurrency;
    for (let i = 0; i < limit; i++) {
      const seat = this.seats[i]!;
      const at = this.nextOnDuty(seat.agent, Math.max(enqueuedAt, seat.busyUntil));
      if (at < best.at) best = { at, agent: seat.agent, seatIndex: i };
    }
    return best;
  }

  occupy(offer: SeatOffer, until: number): void {
    this.seats[offer.seatIndex]!.busyUntil = until;
  }
}

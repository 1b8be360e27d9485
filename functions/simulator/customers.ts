/**
 * The simulated customers. A fixed pool per client, so the same person calls again after an abandon, chats
 * after an unresolved call, or comes back the next day: that is what makes repeat rate, retry-after-abandon
 * and FCR measurable. Each customer's identifiers are derived from the seed and the customer number alone, so
 * they are stable however the rest of the simulation draws.
 */
import { Random, streamSeed } from './random.ts';
import type { ClientScenario } from './scenario.ts';

const KR_GIVEN = ['minji', 'jiwoo', 'seoyeon', 'hyunwoo', 'jihoon', 'sujin', 'yuna', 'dohyun', 'eunji', 'taeyang', 'haeun', 'junho'];
const KR_FAMILY = ['kim', 'lee', 'park', 'choi', 'jung', 'kang', 'cho', 'yoon', 'jang', 'lim'];
const US_GIVEN = ['emma', 'liam', 'olivia', 'noah', 'ava', 'mason', 'sophia', 'lucas', 'mia', 'ethan', 'harper', 'logan'];
const US_FAMILY = ['smith', 'johnson', 'garcia', 'miller', 'davis', 'lopez', 'wilson', 'nguyen', 'lee', 'walker'];
const US_AREAS = ['206', '213', '253', '310', '415', '503', '510', '619', '650', '702', '714', '818', '916', '971'];

export interface Customer {
  readonly id: number;
  /** national digits: 01012345678 (KR) or 4155550123 (US) */
  readonly phoneDigits: string;
  readonly email: string;
  readonly memberId: string;
  /** how the chat platform knows this person */
  readonly chatIdentity: 'member' | 'email' | 'phone';
}

export class CustomerPool {
  private readonly cache = new Map<number, Customer>();

  constructor(
    private readonly seed: number,
    private readonly scenario: ClientScenario,
  ) {}

  /** A new contact's customer: a mild heavy tail, so some people contact far more often than others. */
  drawId(rng: Random): number {
    return Math.floor(this.scenario.customerPool * Math.pow(rng.next(), 1.25));
  }

  get(id: number): Customer {
    let c = this.cache.get(id);
    if (c) return c;
    const rng = new Random(streamSeed(this.seed, this.scenario.clientId), `customer:${id}`);
    const kr = this.scenario.phoneStyle === 'kr-mobile';
    const given = rng.pick(kr ? KR_GIVEN : US_GIVEN);
    const family = rng.pick(kr ? KR_FAMILY : US_FAMILY);
    const phoneDigits = kr
      ? `010${rng.int(2, 9)}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`
      : `${rng.pick(US_AREAS)}${rng.int(2, 9)}${String(rng.int(0, 999_999)).padStart(6, '0')}`;
    const suffix = rng.int(1, 999);
    const email = `${given}.${family}${suffix}@${rng.pick(this.scenario.emailDomains)}`;
    const memberId = kr ? `${given}_${family}${suffix}` : `${given}${family}${suffix}`;
    const roll = rng.next();
    const chatIdentity = roll < 0.5 ? 'member' : roll < 0.85 ? 'email' : 'phone';
    c = { id, phoneDigits, email, memberId, chatIdentity };
    this.cache.set(id, c);
    return c;
  }
}

/** Caller number as a Korean CTI writes it: three formats in the wild, or hidden. */
export function krCallerId(c: Customer, rng: Random): string {
  const roll = rng.next();
  if (roll < 0.03) return '발신번호표시제한';
  if (roll < 0.04) return '';
  const d = c.phoneDigits;
  if (roll < 0.55) return `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
  if (roll < 0.85) return d;
  return `+82 ${d.slice(1, 3)}-${d.slice(3, 7)}-${d.slice(7)}`;
}

/** Whether a caller id hides the customer (the simulator's own view, for the ground truth). */
export function isHiddenCallerId(raw: string | null): boolean {
  return raw === null || raw === '' || raw === '발신번호표시제한' || raw === 'anonymous';
}

/** Chat user id: the platform's member id, e-mail or phone (카카오 linked), sometimes anonymous. */
export function chatUserId(c: Customer, rng: Random): string {
  const roll = rng.next();
  if (roll < 0.06) return 'anonymous';
  if (roll < 0.09) return '';
  if (c.chatIdentity === 'member') return c.memberId;
  if (c.chatIdentity === 'email') return c.email;
  return c.phoneDigits;
}

export function e164Us(c: Customer): string {
  return `+1${c.phoneDigits}`;
}

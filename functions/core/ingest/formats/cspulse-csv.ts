/**
 * The cspulse CSV format: the canonical columns of `contacts` or `surveys`, under their English names or the
 * Korean headers Korean contact centers use. Rather than a second parser, it is a mapping generated from the
 * header, run by the same engine as any vendor mapping: one set of value rules for every CSV.
 */
import { maskedHeader } from '../file-messages.ts';
import type { SourceConfig } from '../../config/client-config.ts';
import { FileRejectedError } from '../types.ts';

type MappedContacts = Extract<SourceConfig, { format: 'mapped-csv' }>;
type MappedSurveys = Extract<SourceConfig, { format: 'mapped-survey-csv' }>;
type CspulseSource = Extract<SourceConfig, { format: 'cspulse-csv' }>;
type Fields = Record<string, unknown>;

/** Accepted header names per canonical column; documented in docs/sources.md ("cspulse CSV headers"). */
export const CONTACT_HEADERS: Record<string, readonly string[]> = {
  contact_id: ['contact_id', '상담ID', '콜ID', '문의ID'],
  channel: ['channel', '채널'],
  direction: ['direction', '방향'],
  queue: ['queue', '큐', '대기열'],
  category: ['category', '상담유형'],
  subcategory: ['subcategory', '상세유형'],
  customer: ['customer', '고객식별자', '전화번호', '발신번호'],
  agent_id: ['agent_id', '상담원ID'],
  arrived_at: ['arrived_at', '인입일시'],
  answered_at: ['answered_at', '응답일시'],
  ended_at: ['ended_at', '종료일시'],
  ivr_seconds: ['ivr_seconds', 'IVR시간'],
  wait_seconds: ['wait_seconds', '대기시간'],
  talk_seconds: ['talk_seconds', '통화시간'],
  hold_seconds: ['hold_seconds', '보류시간'],
  acw_seconds: ['acw_seconds', '후처리시간'],
  handle_seconds: ['handle_seconds', '처리시간'],
  outcome: ['outcome', '처리결과'],
  is_transferred: ['is_transferred', '호전환'],
  is_resolved: ['is_resolved', '해결여부'],
  updated_at: ['updated_at', '수정일시'],
};

export const SURVEY_HEADERS: Record<string, readonly string[]> = {
  survey_id: ['survey_id', '설문ID'],
  contact_id: ['contact_id', '상담ID'],
  channel: ['channel', '채널'],
  agent_id: ['agent_id', '상담원ID'],
  survey_type: ['survey_type', '설문유형'],
  score: ['score', '점수'],
  scale_min: ['scale_min', '최저점'],
  scale_max: ['scale_max', '최고점'],
  comment: ['comment', '의견'],
  responded_at: ['responded_at', '응답일시'],
};

const REQUIRED_CONTACT = ['contact_id', 'arrived_at', 'outcome'] as const;
const REQUIRED_SURVEY = ['survey_id', 'survey_type', 'score', 'responded_at'] as const;

const CHANNEL_VALUES = {
  phone: 'phone', chat: 'chat', board: 'board', email: 'email',
  전화: 'phone', 채팅: 'chat', 게시판: 'board', 이메일: 'email',
};
const DIRECTION_VALUES = { inbound: 'inbound', outbound: 'outbound', 인바운드: 'inbound', 아웃바운드: 'outbound' };
const OUTCOME_VALUES = {
  answered: 'answered', abandoned: 'abandoned', callback_requested: 'callback_requested',
  ivr_abandoned: 'ivr_abandoned', self_service: 'self_service', excluded: 'excluded',
  응대: 'answered', 포기: 'abandoned', 콜백: 'callback_requested', IVR이탈: 'ivr_abandoned', ARS이탈: 'ivr_abandoned',
  셀프서비스: 'self_service', ARS종료: 'self_service', 제외: 'excluded',
};
const BOOLEAN_VALUES = { Y: true, N: false, true: true, false: false, '1': true, '0': false, 예: true, 아니오: false };
const SURVEY_TYPE_VALUES = { csat: 'csat', nps: 'nps', ces: 'ces', CSAT: 'csat', NPS: 'nps', CES: 'ces' };

const findColumn = (header: readonly string[], names: readonly string[]): string | undefined =>
  names.find((name) => header.includes(name));

function fieldsFromHeader(
  header: readonly string[],
  aliases: Record<string, readonly string[]>,
  required: readonly string[],
  file: string,
): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [field, names] of Object.entries(aliases)) {
    const column = findColumn(header, names);
    if (column !== undefined) found[field] = column;
  }
  const missing = required.filter((f) => found[f] === undefined);
  if (missing.length > 0) {
    throw new FileRejectedError(
      file,
      `not a cspulse CSV: missing ${missing.map((f) => `${f} (${aliases[f]!.join(' / ')})`).join(', ')}; ` +
        `the header has ${header.length} columns: ${maskedHeader(header.slice(0, 30))}`,
    );
  }
  return found;
}

const optional = (column: string): Fields => ({ column, null_values: [''] });

/** The mapped-csv source equivalent to a cspulse CSV contacts file with this header. */
export function cspulseContactMapping(source: CspulseSource, header: readonly string[], file: string): MappedContacts {
  const columns = fieldsFromHeader(header, CONTACT_HEADERS, REQUIRED_CONTACT, file);
  const fields: Fields = {};
  for (const [field, column] of Object.entries(columns)) {
    switch (field) {
      case 'contact_id':
        fields[field] = { column };
        break;
      case 'arrived_at':
        fields[field] = { column, format: 'iso' };
        break;
      case 'answered_at':
      case 'ended_at':
      case 'updated_at':
        fields[field] = { column, format: 'iso', null_values: [''] };
        break;
      case 'channel':
        fields[field] = { column, map: CHANNEL_VALUES };
        break;
      case 'direction':
        fields[field] = { column, map: DIRECTION_VALUES, null_values: [''], default: 'inbound' };
        break;
      case 'outcome':
        fields[field] = { column, map: OUTCOME_VALUES };
        break;
      case 'is_transferred':
        fields[field] = { column, map: BOOLEAN_VALUES, null_values: [''], default: false };
        break;
      case 'is_resolved':
        fields[field] = { column, map: BOOLEAN_VALUES, null_values: [''], default: null };
        break;
      default:
        fields[field] = optional(column);
    }
  }
  if (fields.channel === undefined) {
    if (source.channel === undefined) {
      throw new FileRejectedError(file, 'the file has no channel column and the source sets no channel');
    }
  }
  return {
    id: source.id,
    format: 'mapped-csv',
    table: 'contacts',
    delimiter: source.delimiter,
    encoding: source.encoding,
    invalid_bytes: source.invalid_bytes,
    header: true,
    timezone: source.timezone,
    channel: source.channel,
    fields: fields as MappedContacts['fields'],
    outcome_rules: [],
  };
}

/** The mapped-survey-csv source equivalent to a cspulse CSV surveys file with this header. */
export function cspulseSurveyMapping(source: CspulseSource, header: readonly string[], file: string): MappedSurveys {
  const columns = fieldsFromHeader(header, SURVEY_HEADERS, REQUIRED_SURVEY, file);
  const fields: Fields = {};
  for (const [field, column] of Object.entries(columns)) {
    switch (field) {
      case 'survey_id':
      case 'score':
        fields[field] = { column };
        break;
      case 'responded_at':
        fields[field] = { column, format: 'iso' };
        break;
      case 'survey_type':
        fields[field] = { column, map: SURVEY_TYPE_VALUES };
        break;
      case 'channel':
        fields[field] = { column, map: CHANNEL_VALUES, null_values: [''], default: null };
        break;
      default:
        fields[field] = optional(column);
    }
  }
  return {
    id: source.id,
    format: 'mapped-survey-csv',
    table: 'surveys',
    delimiter: source.delimiter,
    encoding: source.encoding,
    invalid_bytes: source.invalid_bytes,
    header: true,
    timezone: source.timezone,
    fields: fields as MappedSurveys['fields'],
    scales: { csat: { min: 1, max: 5 }, nps: { min: 0, max: 10 }, ces: { min: 1, max: 7 } },
  };
}

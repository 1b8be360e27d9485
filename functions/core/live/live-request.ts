/**
 * One HTTP request to the live page, as both runtimes serve it: `cspulse serve` (node:http) and the Lambda
 * function URL (handlers/live.ts) turn their request into a LiveRequest and write back the LiveResponse.
 *
 * `GET /live/<client>?e=…&s=…[&lang=ko|en]`: the page when the link is good (signed-link.ts). Every refusal —
 * tampered, expired, another client's link, a client this server does not serve — is the same 403 with a
 * one-line body and nothing of the page, not even whether the client exists. Headers: no caching (the page
 * and its link are private), no Referer (it would carry the link to any site the page linked to), no framing, no
 * script at all.
 */
import type { ClientConfig } from '../config/client-config.ts';
import { LOCALES } from '../config/client-config.ts';
import type { Clock } from '../ports.ts';
import type { Locale } from '../report/messages.ts';
import { LinkRefusedError } from './errors.ts';
import { refusedPage, renderLivePage } from './html.ts';
import type { LiveView } from './live-view.ts';
import { buildLivePageModel } from './model.ts';
import { verifyLink } from './signed-link.ts';

export interface LiveRequest {
  method: string;
  /** the path without the query, e.g. `/live/example` */
  path: string;
  query: URLSearchParams;
}

export interface LiveResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** why a request was refused, for the log (never in the body) */
  refused?: LinkRefusedError['reason'] | 'unknown-client';
}

export interface LiveRequestDeps {
  /** the config of a client this server serves, else undefined */
  config(clientId: string): ClientConfig | undefined;
  /** the client's link key. @throws when it cannot be read */
  linkKey(clientId: string): Promise<string>;
  view(config: ClientConfig, now: Date): Promise<LiveView>;
  clock: Clock;
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

const REFUSED_TEXT = '403 — 이 링크로는 열 수 없습니다. This link does not open the page.';

const html = (status: number, body: string, extra: Partial<LiveResponse> = {}): LiveResponse => ({
  status,
  headers: { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' },
  body,
  ...extra,
});

const PAGE = /^\/live\/([^/]+)\/?$/;

export async function handleLiveRequest(deps: LiveRequestDeps, request: LiveRequest): Promise<LiveResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return { ...html(405, refusedPage('405')), headers: { ...html(405, '').headers, allow: 'GET, HEAD' } };
  const match = PAGE.exec(request.path);
  if (match === null) return html(404, refusedPage('404'));
  let clientId: string;
  try {
    clientId = decodeURIComponent(match[1]!);
  } catch {
    return html(404, refusedPage('404'));
  }
  const config = deps.config(clientId);
  const now = deps.clock.now();
  if (config === undefined) return html(403, refusedPage(REFUSED_TEXT), { refused: 'unknown-client' });
  let expiresAt: Date;
  try {
    ({ expiresAt } = verifyLink(await deps.linkKey(clientId), clientId, request.query.get('e'), request.query.get('s'), now));
  } catch (error) {
    if (error instanceof LinkRefusedError) return html(403, refusedPage(REFUSED_TEXT), { refused: error.reason });
    throw error;
  }
  const lang = request.query.get('lang');
  const locale = (LOCALES as readonly string[]).includes(lang ?? '') ? (lang as Locale) : config.locale;
  const view = await deps.view(config, now);
  const body = renderLivePage(buildLivePageModel(view, { locale, linkExpiresAt: expiresAt }));
  return html(200, request.method === 'HEAD' ? '' : body);
}

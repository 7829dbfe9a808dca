// Makes the plan's DNS exchanges from real clients: dig (bind9-dnsutils, required by the recorder);
// TCP connections with several messages in one segment or one message across segments come from the
// raw client, as do the queries dig cannot send as planned. Every answer is checked against the plan, so a recording never silently
// holds refusals or timeouts.
import { runCommand } from './child-processes.js';
import { questionName } from './dns-wire.js';
import { tcpExchange, udpQuery } from './dns-raw-client.js';
import type { Endpoint } from './dns-raw-client.js';
import { DNS_CLIENT_V4, DNS_PORT, DNS_SERVER_V4, LOOPBACK_V6 } from './plan.js';
import type { DnsExchange, DnsOutcome, DnsQuestion } from './plan.js';

const QUERY_TIMEOUT_MS = 2000;
const DIG_TIMEOUT_S = 2;
const SPLIT_PAUSE_MS = 120;
const FIRST_RAW_ID = 0x5000;

export type DnsClientName = 'dig';

export interface DnsExchangeOptions {
  readonly client: DnsClientName;
}

function endpointFor(family: 4 | 6): Endpoint {
  return family === 4
    ? { server: DNS_SERVER_V4, port: DNS_PORT, family, localAddress: DNS_CLIENT_V4, timeoutMs: QUERY_TIMEOUT_MS }
    : { server: LOOPBACK_V6, port: DNS_PORT, family, localAddress: LOOPBACK_V6, timeoutMs: QUERY_TIMEOUT_MS };
}

async function digQuery(endpoint: Endpoint, question: DnsQuestion, tcp: boolean): Promise<DnsOutcome | null> {
  const what = question.type === 'PTR' ? ['-x', question.name] : [question.name, question.type === 'HTTPS' ? 'TYPE65' : question.type];
  const args = [`@${endpoint.server}`, '-p', String(endpoint.port), '-b', endpoint.localAddress, '+tries=1', `+time=${DIG_TIMEOUT_S}`];
  if (tcp) args.push('+tcp');
  const result = await runCommand('dig', [...args, ...what], QUERY_TIMEOUT_MS * 2);
  const status = /status: (\w+)/.exec(result.stdout)?.[1];
  const answers = Number(/ANSWER: (\d+)/.exec(result.stdout)?.[1] ?? Number.NaN);
  if (result.status !== '0' || status === undefined) {
    throw new Error(`dig ${args.join(' ')} ${what.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  }
  if (status === 'NXDOMAIN') return 'nxdomain';
  if (status !== 'NOERROR') return null;
  return answers > 0 ? 'answer' : 'nodata';
}

/** Runs every exchange in order; throws one error listing every answer that differs from the plan. */
export async function runDnsExchanges(exchanges: readonly DnsExchange[], options: DnsExchangeOptions): Promise<void> {
  const problems: string[] = [];
  let nextId = FIRST_RAW_ID;
  const check = (question: DnsQuestion, how: string, outcome: DnsOutcome | null): void => {
    if (outcome !== question.outcome) {
      problems.push(`${how} ${questionName(question)} ${question.type}: expected ${question.outcome}, got ${outcome ?? 'an error rcode'}`);
    }
  };
  for (const exchange of exchanges) {
    const endpoint = endpointFor(exchange.family);
    const how = `${exchange.transport}/IPv${exchange.family}`;
    if (exchange.transport === 'udp') {
      check(exchange.question, how, await digQuery(endpoint, exchange.question, false));
    } else if (exchange.framing === 'one_per_write' && options.client === 'dig') {
      for (const question of exchange.questions) check(question, how, await digQuery(endpoint, question, true));
    } else {
      const outcomes = await tcpExchange(endpoint, nextId, exchange.questions, exchange.framing, SPLIT_PAUSE_MS);
      nextId += exchange.questions.length;
      exchange.questions.forEach((question, index) => check(question, `${how} ${exchange.framing}`, outcomes[index] ?? null));
    }
  }
  if (problems.length > 0) throw new Error(`DNS answers differ from the plan:\n  ${problems.join('\n  ')}`);
}

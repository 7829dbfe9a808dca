// A minimal DNS client over UDP and TCP for what dig and node:dns cannot do on purpose: several
// length-prefixed messages in one TCP write, one message written in two halves with a pause, and
// (without dig) the HTTPS type, which node:dns does not know.
import dgram from 'node:dgram';
import net from 'node:net';
import { decodeResponseHeader, encodeQuery, outcomeOf, withLengthPrefix } from './dns-wire.js';
import type { DnsOutcome, DnsQuestion, TcpFraming } from './plan.js';
import { sleep } from './child-processes.js';

const TCP_LENGTH_PREFIX_BYTES = 2;
/** Where split_body cuts the first write: the length prefix plus the DNS message ID and flags. */
const SPLIT_BODY_FIRST_BYTES = TCP_LENGTH_PREFIX_BYTES + 4;
/** Where split_length cuts: inside the 2-byte length prefix. */
const SPLIT_LENGTH_FIRST_BYTES = 1;

export interface Endpoint {
  readonly server: string;
  readonly port: number;
  readonly family: 4 | 6;
  readonly localAddress: string;
  readonly timeoutMs: number;
}

/** Sends one query over UDP and resolves with what the response says. */
export function udpQuery(endpoint: Endpoint, id: number, question: DnsQuestion): Promise<DnsOutcome | null> {
  const socket = dgram.createSocket(endpoint.family === 4 ? 'udp4' : 'udp6');
  return new Promise<DnsOutcome | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP answer from ${endpoint.server} to ${question.name} ${question.type}`));
    }, endpoint.timeoutMs);
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.on('message', (message) => {
      const header = decodeResponseHeader(message);
      if (header.id !== id) return;
      clearTimeout(timer);
      socket.close();
      resolve(outcomeOf(header));
    });
    socket.bind(0, endpoint.localAddress, () => socket.send(encodeQuery(id, question), endpoint.port, endpoint.server));
  });
}

/**
 * Sends `questions` over one TCP connection, written as `framing` says, and resolves with the outcome of
 * each (in question order) once every response has arrived.
 */
export async function tcpExchange(
  endpoint: Endpoint,
  firstId: number,
  questions: readonly DnsQuestion[],
  framing: TcpFraming,
  pauseMs: number,
): Promise<(DnsOutcome | null)[]> {
  const messages = questions.map((question, index) => withLengthPrefix(encodeQuery(firstId + index, question)));
  const socket = net.connect({ host: endpoint.server, port: endpoint.port, localAddress: endpoint.localAddress, noDelay: true });
  const outcomes = new Map<number, DnsOutcome | null>();
  let pending = Buffer.alloc(0);
  let onResponse: (() => void) | null = null;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`TCP DNS to ${endpoint.server}: ${outcomes.size} of ${questions.length} answers in ${endpoint.timeoutMs} ms`));
    }, endpoint.timeoutMs);
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= TCP_LENGTH_PREFIX_BYTES) {
        const length = pending.readUInt16BE(0);
        if (pending.length < TCP_LENGTH_PREFIX_BYTES + length) break;
        const header = decodeResponseHeader(pending.subarray(TCP_LENGTH_PREFIX_BYTES, TCP_LENGTH_PREFIX_BYTES + length));
        outcomes.set(header.id, outcomeOf(header));
        pending = pending.subarray(TCP_LENGTH_PREFIX_BYTES + length);
        onResponse?.();
      }
      if (outcomes.size === questions.length) {
        clearTimeout(timer);
        socket.end();
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const nextResponse = (): Promise<void> => new Promise((resolve) => (onResponse = resolve));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  switch (framing) {
    case 'one_per_write':
      for (const message of messages) {
        const answered = nextResponse();
        socket.write(message);
        await answered;
      }
      break;
    case 'coalesced':
      socket.write(Buffer.concat(messages));
      break;
    case 'split_body':
    case 'split_length': {
      const cut = framing === 'split_body' ? SPLIT_BODY_FIRST_BYTES : SPLIT_LENGTH_FIRST_BYTES;
      for (const message of messages) {
        socket.write(message.subarray(0, cut));
        await sleep(pauseMs);
        socket.write(message.subarray(cut));
      }
      break;
    }
    default: {
      const unknown: never = framing;
      throw new Error(`unknown framing ${String(unknown)}`);
    }
  }
  await done;
  return questions.map((_, index) => outcomes.get(firstId + index) ?? null);
}

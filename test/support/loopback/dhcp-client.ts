// A DHCP client for the DHCP recording, run inside a device's network namespace by dhcp-netns.ts:
//
//   ip netns exec NS node --import tsx test/support/loopback/dhcp-client.ts '<DhcpDevice as JSON>'
//
// It gets a lease the way a device does after boot (DISCOVER, OFFER, REQUEST, ACK; broadcast flag set,
// messages padded to BOOTP's 300 bytes) with the device's MAC, host name, vendor class and parameter
// list, and prints the address leased as JSON. Exits 1 (with the reason on stderr) when no server
// answers in time. The messages are built and read by peephole's own DHCP codec.
import dgram from 'node:dgram';
import { parseMac } from '../../../src/core/bytes.js';
import { CollectingContext } from '../../../src/decode/context.js';
import { DHCP_FLAG_BROADCAST, DHCP_MESSAGE_TYPE } from '../../../src/decode/app/dhcp-constants.js';
import { dhcpCodec, type DhcpLayer } from '../../../src/decode/app/dhcp.js';
import { encodeDhcpMessage, type DhcpInit } from '../../../src/decode/app/dhcp-message.js';
import type { DhcpDevice } from './plan.js';

const SERVER_PORT = 67;
const CLIENT_PORT = 68;
const BROADCAST = '255.255.255.255';
/** RFC 951: a BOOTP message is at least 300 bytes; clients pad the options to reach it. */
const BOOTP_MIN_BYTES = 300;
const ANSWER_TIMEOUT_MS = 2000;
const HARDWARE_TYPE_ETHERNET = '01';

function message(device: DhcpDevice, fields: Partial<DhcpInit>): Buffer {
  const init: DhcpInit = {
    chaddr: parseMac(device.mac),
    xid: device.xid,
    flags: DHCP_FLAG_BROADCAST,
    clientId: HARDWARE_TYPE_ETHERNET + device.mac.replace(/:/g, ''),
    hostName: device.hostName,
    vendorClass: device.vendorClass ?? undefined,
    parameterList: device.parameterList,
    ...fields,
  };
  const bare = encodeDhcpMessage(init);
  return Buffer.from(encodeDhcpMessage({ ...init, paddingLength: Math.max(0, BOOTP_MIN_BYTES - bare.length) }));
}

/** Sends `out` and resolves with the first reply of type `want` to this device's transaction. */
function exchange(socket: dgram.Socket, device: DhcpDevice, out: Buffer, want: number): Promise<DhcpLayer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      reject(new Error(`no DHCP message type ${want} for ${device.mac} within ${ANSWER_TIMEOUT_MS} ms`));
    }, ANSWER_TIMEOUT_MS);
    const onMessage = (bytes: Buffer): void => {
      const reply = dhcpCodec.decode(bytes, 0, bytes.length, new CollectingContext());
      if (reply === null || reply.xid !== device.xid || reply.messageType !== want) return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(reply);
    };
    socket.on('message', onMessage);
    socket.send(out, SERVER_PORT, BROADCAST);
  });
}

async function lease(device: DhcpDevice): Promise<DhcpLayer> {
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((resolve) => socket.bind(CLIENT_PORT, '0.0.0.0', resolve));
  socket.setBroadcast(true);
  try {
    const offer = await exchange(socket, device, message(device, { messageType: DHCP_MESSAGE_TYPE.DISCOVER }), DHCP_MESSAGE_TYPE.OFFER);
    if (offer.serverId === null) throw new Error(`the offer to ${device.mac} names no server`);
    const request = message(device, { messageType: DHCP_MESSAGE_TYPE.REQUEST, requestedIp: offer.yiaddr, serverId: offer.serverId });
    return await exchange(socket, device, request, DHCP_MESSAGE_TYPE.ACK);
  } finally {
    socket.close();
  }
}

const device = JSON.parse(process.argv[2] ?? 'null') as DhcpDevice | null;
if (device === null) {
  process.stderr.write('usage: dhcp-client.ts <device as JSON>\n');
  process.exit(2);
}
lease(device).then(
  (ack) => process.stdout.write(`${JSON.stringify({ mac: device.mac, yiaddr: ack.yiaddr })}\n`),
  (error: unknown) => {
    process.stderr.write(`dhcp-client: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

/**
 * The text a person reads from `peephole inspect`: the capture at a glance, then its hosts, DNS
 * names, TLS server names and anomalies as aligned tables (the first `top` rows of each). Names came
 * off the wire and the file name from elsewhere: `table()` and {@link visibleControls} make their
 * control characters visible, {@link visibleLines} is the backstop over the whole text.
 */
import { linkTypeName } from '../core/link-type.js';
import type { InspectReport } from '../observe/inspect.js';
import { damageMessage } from './damage-text.js';
import { byteSize, duration, table, thousands, utcTime } from './text.js';
import { visibleControls, visibleLines } from '../core/table-format.js';

export function renderInspectText(report: InspectReport, top = 15): string {
  const { capture: c, traffic: t } = report;
  const out: string[] = [];
  const field = (label: string, value: string): void => void out.push(`${label.padEnd(11)}${value}`);
  out.push(`peephole inspect: ${visibleControls(c.file)}`, '');
  const variant =
    c.format === 'pcap' && c.pcap
      ? `pcap ${c.sections[0]?.version ?? ''}, ${c.pcap.byteOrder === 'le' ? 'little' : 'big'}-endian, ${c.pcap.precision === 'ns' ? 'nanosecond' : 'microsecond'} timestamps${c.pcap.modified ? ' (modified pcap)' : ''}, snaplen ${c.pcap.snaplen}`
      : `pcapng, ${c.sections.length} section(s), ${c.interfaces.length} interface(s)`;
  field('Format', variant + (c.compression ? ' (gzip)' : ''));
  const links = t.linkTypes.map((l) => `${linkTypeName(l.linkType)} (${l.linkType}): ${thousands(l.packets)}`).join(', ');
  field('Link types', links || 'none');
  field('Packets', `${thousands(t.packets)}`);
  field('Bytes', `${byteSize(t.wireBytes)} on the wire, ${byteSize(t.capturedBytes)} captured (${thousands(c.bytesRead)} bytes of file)`);
  if (t.firstTime && t.lastTime) field('Time span', `${utcTime(t.firstTime)} to ${utcTime(t.lastTime)} (${duration(t.durationSeconds)})`);
  const protocols = Object.entries(t.protocols).map(([k, v]) => `${k} ${thousands(v)}`);
  field('Protocols', protocols.join(', ') || 'none');
  if (report.vantage !== undefined) field('Vantage', `${report.vantage.vantage === 'wifi' ? 'Wi-Fi' : report.vantage.vantage.toUpperCase()}: ${report.vantage.why}`);
  if (c.skippedBlocks.length) field('Skipped', c.skippedBlocks.map((b) => `${visibleControls(b.name)} ×${b.count}`).join(', '));
  const damage = damageMessage(c);
  if (damage) field('Damage', visibleControls(damage));

  out.push('', `Hosts (${thousands(t.hosts.length)}${t.hostsNotShown ? `, table full: ${thousands(t.hostsNotShown)} sighting(s) of further hosts not counted` : ''}), by bytes`);
  out.push(
    table(
      ['address', 'MAC', 'pkts sent', 'bytes sent', 'pkts recv', 'bytes recv'],
      t.hosts.slice(0, top).map((h) => [h.address, h.mac ?? '', thousands(h.packetsSent), byteSize(h.bytesSent), thousands(h.packetsReceived), byteSize(h.bytesReceived)]),
      [false, false, true, true, true, true],
    ) + more(t.hosts.length, top),
  );

  out.push(`DNS names (${thousands(t.dnsNames.length)}${t.dnsNamesNotShown ? `, table full: ${thousands(t.dnsNamesNotShown)} sighting(s) of further names not counted` : ''})`);
  out.push(
    t.dnsNames.length === 0
      ? '  none\n'
      : table(
          ['name', 'queries', 'responses', 'answers'],
          t.dnsNames.slice(0, top).map((n) => [n.name, thousands(n.queries), thousands(n.responses), n.answers.join(', ')]),
          [false, true, true, false],
        ) + more(t.dnsNames.length, top),
  );

  out.push(`TLS server names (${thousands(t.tlsServerNames.length)}${t.tlsServerNamesNotShown ? `, table full: ${thousands(t.tlsServerNamesNotShown)} sighting(s) of further names not counted` : ''})`);
  out.push(
    t.tlsServerNames.length === 0
      ? '  none\n'
      : table(
          ['server name', 'client hellos', 'ALPN'],
          t.tlsServerNames.slice(0, top).map((s) => [s.name, thousands(s.clientHellos), s.alpn.join(', ')]),
          [false, true, false],
        ) + more(t.tlsServerNames.length, top),
  );

  const total = t.anomalies.reduce((sum, a) => sum + a.count, 0);
  out.push(`Anomalies (${thousands(total)} in ${t.anomalies.length} kind(s))`);
  out.push(
    t.anomalies.length === 0
      ? '  none\n'
      : table(
          ['kind', 'count', 'first seen'],
          t.anomalies.map((a) => {
            const e = a.examples[0];
            return [a.kind, thousands(a.count), e ? `frame ${e.frame}, offset ${e.offset}: ${e.message}` : ''];
          }),
          [false, true, false],
        ),
  );
  return visibleLines(out.join('\n'));
}

function more(total: number, shown: number): string {
  return total > shown ? `  ... and ${thousands(total - shown)} more (--top N or --json for all)\n` : '';
}

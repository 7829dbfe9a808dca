/**
 * `peephole packets FILE|-`: one row per packet, TSV (default), CSV or NDJSON, with the columns of
 * {@link PACKET_COLUMNS}.
 */
import { readCapture } from '../capture/reader.js';
import { PacketDecoder } from '../decode/packet.js';
import { PACKET_COLUMNS, packetRow, writePacketRow } from '../report/packet-fields.js';
import { TsvBytes } from '../report/cell-writer.js';
import { DecodeError } from '../core/decode-error.js';
import { RowFormatter, type RowFormat } from '../core/table-format.js';
import { TextSink } from './output.js';
import { byteProgress } from './progress.js';
import { reportReaderDamage } from './source.js';

export interface PacketsCommandOptions {
  format: RowFormat;
  strict: boolean;
}

export async function packetsCommand(file: string, options: PacketsCommandOptions): Promise<void> {
  const sink = new TextSink();
  const formatter = new RowFormatter(options.format, PACKET_COLUMNS);
  // Each row is written before the next packet is decoded: the decoder may refill one packet object.
  const decoder = new PacketDecoder({ reuse: true });
  const progress = byteProgress(file, 'packets');
  // TSV, the default, is encoded straight to bytes; CSV and NDJSON go through strings. A chunk the
  // stream took in at once (a file, /dev/null, a pipe with room: nothing left queued) is no longer
  // referenced, so its buffer is filled again.
  const tsvBytes =
    options.format === 'tsv'
      ? new TsvBytes((chunk) => {
          void sink.writeBytes(chunk);
          return process.stdout.writableLength === 0;
        })
      : null;
  sink.write(formatter.header());
  try {
    const summary = await readCapture(
      file,
      (rec) => {
        const packet = decoder.decode(rec);
        if (options.strict && packet.anomalies.length > 0) {
          const a = packet.anomalies[0];
          throw new DecodeError({ layer: a.kind, offset: rec.fileOffset + a.offset, file, message: `frame ${a.frame}: ${a.kind}: ${a.message}` });
        }
        if (tsvBytes) writePacketRow(packet, tsvBytes);
        else sink.write(formatter.row(packetRow(packet)));
      },
      { onProgress: progress.update, afterChunk: () => (tsvBytes?.drain(), sink.flush()) },
    );
    tsvBytes?.drain();
    progress.stop();
    await sink.end();
    reportReaderDamage(summary);
  } finally {
    progress.stop();
  }
}

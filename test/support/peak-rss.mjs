// Preloaded (`node --import`) into a command the fuzz test spawns: at exit, the process's peak resident
// memory (KiB, from getrusage) is written to the file named by PEEPHOLE_PEAK_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.PEEPHOLE_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));

// The fuzz test's worker thread: TypeScript is loaded through tsx's loader, registered here because a
// worker does not run the parent's `--import tsx` for its own entry module (Node 20).
import { register } from 'tsx/esm/api';

register();
await import('./fuzz-worker.ts');

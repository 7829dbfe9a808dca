/**
 * peephole's public API: `import { … } from 'peephole'`. Each stage names its own surface in its
 * index.ts (docs/architecture.md lists the stages in the order data flows); this module gathers them.
 *
 * ```ts
 * import { simulateHome, loadHomeSpec, observeDevices, defaultVendorRules } from 'peephole';
 * ```
 */
export * from './core/index.js';
export * from './capture/index.js';
export * from './decode/index.js';
export * from './observe/index.js';
export * from './home/index.js';
export * from './uses/index.js';
export * from './features/index.js';
export * from './model/index.js';
export * from './evaluate/index.js';
export * from './attack/index.js';
export * from './report/index.js';
export * from './study/index.js';

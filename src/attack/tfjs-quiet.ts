/**
 * TensorFlow.js in production mode: no "install tfjs-node" banner on stderr at the first tensor (it
 * cannot be installed here, and peephole's fast path does not need it), and no debug-mode checks.
 * Imported for its side effect by every module of the attack that builds tfjs tensors.
 */
import { env } from '@tensorflow/tfjs-core';

env().set('PROD', true);

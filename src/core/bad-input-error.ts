/**
 * The base of every error that means "this input cannot be used" (a home spec, a model folder, an
 * events CSV, …): the CLI maps it to exit code 1 with its one-line message. It lives alone, with no
 * imports, so the CLI can recognise these errors without loading the modules that throw them.
 */
export class BadInputError extends Error {
  override readonly name: string = 'BadInputError';
}

import type { SuiteActionName } from '../github/action-permissions.js';
import type { RunContext } from '../run-context.js';
import type { BaseRequest, UseCase } from '../use-cases/use-case.js';
import type { CommonInputs, InputReader } from './action-inputs.js';

/** A value an action sets as an output (undefined sets the empty string). */
export type OutputValue = string | number | boolean | undefined;

/** What an action tells the workflow once its use-case ran. */
export interface ActionReport {
  outputs: Record<string, OutputValue>;
  /** Markdown appended to the job summary. */
  summary: string;
  /** Set when the step must fail after its outputs and summary were written (e.g. a deploy command failed). */
  failure?: string | undefined;
}

/**
 * An action, declared: its name, whether it needs `environment`, how its own inputs become its request (each
 * read once, validated before anything is read from GitHub), its use-case, and how the result is reported.
 * `runAction` runs any definition the same way.
 */
export interface ActionDefinition<Request extends BaseRequest, Result> {
  name: SuiteActionName;
  environmentRequired: boolean;
  parse(input: InputReader, common: CommonInputs, context: RunContext): Request;
  // The use-case's facts and plan are its own business; the runner only passes them along.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useCase: UseCase<Request, any, any, Result>;
  report(result: Result, context: RunContext): ActionReport;
}

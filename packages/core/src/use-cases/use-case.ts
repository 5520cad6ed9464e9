import type { PromotionConfig } from '../chain/promotion-config.js';
import { systemClock } from '../clock.js';
import { UserError } from '../errors.js';
import type { RunContext } from '../run-context.js';
import type { RepositorySnapshot, SnapshotRequest } from '../state/repository-snapshot.js';
import { readState, type UseCaseDependencies } from './use-case-dependencies.js';
import { isRefusal, type Decided, type Refusal } from '../rules/decision.js';

/** What every request carries: the target environment ('' for status) and whether to write nothing. */
export interface BaseRequest {
  environment: string;
  dryRun: boolean;
}

/** What the rules see: nothing but their arguments, the instant included. */
export interface DecisionInput<Request, Facts> {
  request: Request;
  facts: Facts;
  config: PromotionConfig;
  context: RunContext;
  now: Date;
}

/**
 * An action's use-case as steps: `admit` (rules that need no state, checked before anything is read), `plan`
 * (the state to read, in one request), `gather` (the few reads that depend on that state), `decide` (the rules:
 * pure, no I/O, no clock but `now`), `apply` (the writes, in an order that leaves GitHub consistent at every
 * step). {@link runUseCase} runs them; the action's runner adds reading the inputs and reporting.
 */
export interface UseCase<Request extends BaseRequest, Facts, Plan, Result> {
  admit?(config: PromotionConfig, request: Request, now: Date): Refusal | undefined;
  plan(config: PromotionConfig, request: Request, context: RunContext): SnapshotRequest;
  gather(dependencies: UseCaseDependencies, request: Request, snapshot: RepositorySnapshot): Promise<Facts>;
  decide(input: DecisionInput<Request, Facts>): Decided<Plan> | Refusal;
  apply(dependencies: UseCaseDependencies, plan: Plan): Promise<Result>;
}

/** The user error a refusal is reported as. */
export function refusalError(refusal: Refusal): UserError {
  return new UserError(refusal.refused, refusal.hint === undefined ? {} : { hint: refusal.hint });
}

/**
 * Runs a use-case: admits the request, reads the state in one request (or takes the one the set-up read
 * together with the configuration), gathers the rest, decides, logs the decision's warnings and applies it.
 * A refusal throws its user error before any write.
 */
export async function runUseCase<Request extends BaseRequest, Facts, Plan, Result>(
  useCase: UseCase<Request, Facts, Plan, Result>,
  dependencies: UseCaseDependencies,
  asked: Request,
): Promise<Result> {
  const { config, context, logger } = dependencies;
  const request = withChainSpelling(config, asked);
  const now = new Date((dependencies.clock ?? systemClock).now());
  const admission = useCase.admit?.(config, request, now);
  if (admission) throw refusalError(admission);
  const snapshot = await readState(dependencies, useCase.plan(config, request, context));
  const facts = await useCase.gather(dependencies, request, snapshot);
  const decision = useCase.decide({ request, facts, config, context, now });
  if (isRefusal(decision)) throw refusalError(decision);
  for (const warning of decision.warnings) logger.warning(warning);
  return useCase.apply(dependencies, decision.plan);
}

/** The request with the chain's spelling of its environment (GitHub environment names ignore case; tags don't). */
function withChainSpelling<Request extends BaseRequest>(config: PromotionConfig, request: Request): Request {
  if (!request.environment) return request;
  return { ...request, environment: config.chain.get(request.environment).name };
}

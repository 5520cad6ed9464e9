/**
 * `POST /graphql`: documents are parsed and validated against GitHub's real GraphQL schema, then executed with
 * the resolvers of `graphql-resolvers.ts`. Invalid requests are answered like GitHub (HTTP 200 and an `errors`
 * array) and recorded as `graphql` problems; so are valid documents asking for fields the emulator does not serve.
 * Mutations run one at a time per repository.
 */
import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
} from 'graphql';
import { describeGraphqlError, graphqlErrorJson, GraphqlFieldError } from './graphql-errors.js';
import { createGraphqlContext, notServed, resolveField, unservedFields } from './graphql-resolvers.js';
import { githubGraphqlSchema } from './graphql-schema.js';
import {
  json,
  type EmulatorRoute,
  type EmulatorState,
  type HandlerProblem,
  type HandlerReply,
  type HandlerRequest,
} from './route-handler.js';
import { serialQueueOf } from './serial-queue.js';

/** What checking a document against the schema found: its syntax tree, or why GitHub would refuse it. */
type CheckedDocument =
  | { document: DocumentNode; invalid: readonly GraphQLError[]; unserved: ReturnType<typeof unservedFields> }
  | { syntaxError: GraphQLError };

/** How many checked documents are kept; the suite sends a few dozen distinct ones. */
const CHECKED_DOCUMENTS_KEPT = 500;
const checkedDocuments = new Map<string, CheckedDocument>();

/**
 * Parses a document and checks it against GitHub's schema, once per document text (the answer depends on the text
 * alone, and the same queries come again and again).
 */
function checkedDocument(query: string): CheckedDocument {
  const known = checkedDocuments.get(query);
  if (known) return known;
  const schema = githubGraphqlSchema();
  let checked: CheckedDocument;
  try {
    const document = parse(query);
    const invalid = validate(schema, document);
    checked = { document, invalid, unserved: invalid.length > 0 ? [] : unservedFields(schema, document) };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    checked = { syntaxError: error };
  }
  if (checkedDocuments.size >= CHECKED_DOCUMENTS_KEPT) {
    checkedDocuments.delete(checkedDocuments.keys().next().value as string);
  }
  checkedDocuments.set(query, checked);
  return checked;
}

/** The type and name of a GraphQL operation, e.g. `{type: 'mutation', name: 'MoveTag'}`. */
export interface GraphqlOperation {
  type: 'query' | 'mutation' | 'subscription';
  name?: string;
}

/** The route of this module. */
export const graphqlRoutes: EmulatorRoute[] = [
  { method: 'POST', template: '/graphql', handler: answerGraphql },
];

/**
 * Reads the operation type and name from a GraphQL request body (`{query, operationName?}`): the operation
 * `operationName` selects (or the only one), read by parsing the document; a rough reading when it does not parse.
 */
export function graphqlOperationOf(body: unknown): GraphqlOperation | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { query, operationName } = body as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return undefined;
  const wanted = typeof operationName === 'string' ? operationName : undefined;
  const checked = checkedDocument(query);
  const document = 'document' in checked ? checked.document : undefined;
  const definition = document && getOperationAST(document, wanted);
  if (definition) {
    const name = definition.name?.value;
    return name ? { type: definition.operation, name } : { type: definition.operation };
  }
  const source = query.replace(/#[^\n]*/g, '').trim();
  const match = /^(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/.exec(source);
  const type = (match?.[1] as GraphqlOperation['type'] | undefined) ?? 'query';
  const name = wanted ?? match?.[2];
  return name ? { type, name } : { type };
}

/** Describes an operation for the request log: `mutation MoveTag`, `query`. */
export function describeGraphqlOperation(operation: GraphqlOperation): string {
  return operation.name ? `${operation.type} ${operation.name}` : operation.type;
}

async function answerGraphql(request: HandlerRequest, state: EmulatorState): Promise<HandlerReply> {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const { query, variables, operationName } = body;
  if (typeof body !== 'object' || Array.isArray(body) || typeof query !== 'string') {
    return requestErrors([new GraphQLError('A query attribute must be specified and must be a string.')]);
  }
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return requestErrors([new GraphQLError('Variables must be a JSON object (or null).')]);
  }
  if (operationName != null && typeof operationName !== 'string') {
    return requestErrors([new GraphQLError('operationName must be a string (or null).')]);
  }

  const schema = githubGraphqlSchema();
  const checked = checkedDocument(query);
  if ('syntaxError' in checked) return requestErrors([checked.syntaxError]);
  const { document, invalid, unserved } = checked;
  if (invalid.length > 0) return requestErrors(invalid);

  if (unserved.length > 0) {
    const errors = unserved.map(({ coordinate, locations }) => ({
      type: notServed(coordinate).type,
      ...(locations.length > 0 ? { locations } : {}),
      message: notServed(coordinate).message,
    }));
    const problems: HandlerProblem[] = [{ kind: 'graphql', messages: errors.map((error) => error.message) }];
    return { ...json(200, { errors }), problems };
  }

  const run = () =>
    execute({
      schema,
      document,
      rootValue: {},
      contextValue: createGraphqlContext(state),
      variableValues: (variables as Record<string, unknown> | null | undefined) ?? undefined,
      operationName: (operationName as string | null | undefined) ?? undefined,
      fieldResolver: resolveField,
    });
  const operation = getOperationAST(document, (operationName as string | null | undefined) ?? undefined);
  const result: ExecutionResult =
    operation?.operation === 'mutation' ? await serialQueueOf(state.git).run(run) : await run();

  // No `data`: the request itself was wrong (variables, operation name), nothing was executed.
  if (result.data === undefined) return requestErrors(result.errors ?? []);
  const errors = result.errors ?? [];
  const unexpected = errors.filter((error) => !(error.originalError instanceof GraphqlFieldError));
  const reply = json(
    200,
    errors.length > 0 ? { data: result.data, errors: errors.map(graphqlErrorJson) } : { data: result.data },
  );
  if (unexpected.length === 0) return reply;
  return {
    ...reply,
    problems: [
      {
        kind: 'route',
        messages: unexpected.map((error) => `resolver failed: ${describeGraphqlError(error)}`),
      },
    ],
  };
}

/** The answer to a request GitHub would refuse before executing anything; the suite must never send one. */
function requestErrors(errors: readonly GraphQLError[]): HandlerReply {
  const problems: HandlerProblem[] = [{ kind: 'graphql', messages: errors.map(describeGraphqlError) }];
  return { ...json(200, { errors: errors.map(graphqlErrorJson) }), problems };
}

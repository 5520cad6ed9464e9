/**
 * `POST /graphql`. The emulator does not execute GraphQL yet: every operation is answered with a GraphQL error
 * naming the operation, so a client that needs it fails loudly. This module is where operations such as the
 * `updateRefs` compare-and-swap will be served.
 */
import { json, type EmulatorRoute, type HandlerReply, type HandlerRequest } from './route-handler.js';

/** The type and name of a GraphQL operation, e.g. `{type: 'mutation', name: 'MoveTag'}`. */
export interface GraphqlOperation {
  type: 'query' | 'mutation' | 'subscription';
  name?: string;
}

/** The route of this module. */
export const graphqlRoutes: EmulatorRoute[] = [
  { method: 'POST', template: '/graphql', handler: answerGraphql },
];

/** Reads the operation type and name from a GraphQL request body (`{query, operationName?}`). */
export function graphqlOperationOf(body: unknown): GraphqlOperation | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { query, operationName } = body as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return undefined;
  const source = query.replace(/#[^\n]*/g, '').trim();
  const match = /^(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?/.exec(source);
  const type = (match?.[1] as GraphqlOperation['type'] | undefined) ?? 'query';
  const name = typeof operationName === 'string' ? operationName : match?.[2];
  return name ? { type, name } : { type };
}

/** Describes an operation for the request log: `mutation MoveTag`, `query`. */
export function describeGraphqlOperation(operation: GraphqlOperation): string {
  return operation.name ? `${operation.type} ${operation.name}` : operation.type;
}

function answerGraphql(request: HandlerRequest): HandlerReply {
  const operation = graphqlOperationOf(request.body);
  if (!operation) {
    return json(400, {
      message: 'Problems parsing JSON',
      documentation_url: 'https://docs.github.com/graphql',
    });
  }
  return json(200, {
    data: null,
    errors: [
      {
        type: 'NOT_SUPPORTED',
        message: `The GitHub emulator does not support GraphQL yet (${describeGraphqlOperation(operation)}).`,
      },
    ],
  });
}

/** GraphQL errors as GitHub sends them: `{type, path, locations, message}` entries of the `errors` array. */
import type { GraphQLError, GraphQLFormattedError } from 'graphql';

/** GitHub's `type` of an error raised while executing a field. */
export type GraphqlErrorType =
  | 'NOT_FOUND'
  | 'UNPROCESSABLE'
  | 'FORBIDDEN'
  | 'MISSING_PAGINATION_BOUNDARIES'
  | 'EXCESSIVE_PAGINATION'
  | 'INVALID_CURSOR_ARGUMENTS'
  | 'NOT_SERVED_BY_EMULATOR';

/** Thrown by a resolver to fail its field with a GitHub-typed error (the field becomes `null`). */
export class GraphqlFieldError extends Error {
  constructor(
    readonly type: GraphqlErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'GraphqlFieldError';
  }
}

/** One entry of a GraphQL answer's `errors` array. */
export interface GraphqlErrorJson extends GraphQLFormattedError {
  /** GitHub's error type (`NOT_FOUND`, `UNPROCESSABLE`, ...), for errors raised while executing a field. */
  type?: GraphqlErrorType;
}

/** The JSON of an error, with GitHub's `type` first when a resolver raised it. */
export function graphqlErrorJson(error: GraphQLError): GraphqlErrorJson {
  const original = error.originalError;
  if (!(original instanceof GraphqlFieldError)) return error.toJSON();
  return {
    type: original.type,
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: original.message,
  };
}

/** `message (line 2, column 5)`, for problem reports. */
export function describeGraphqlError(error: GraphQLError): string {
  const location = error.locations?.[0];
  return location ? `${error.message} (line ${location.line}, column ${location.column})` : error.message;
}

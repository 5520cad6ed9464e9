/** Reading fields of a JSON request body that has already been checked against the OpenAPI description. */
import type { HandlerRequest } from '../route-handler.js';

/** The request body as an object (`{}` when absent or not an object). */
export function bodyOf(request: HandlerRequest): Record<string, unknown> {
  const { body } = request;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** A string field, `undefined` when absent or not a string. */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean field, `undefined` when absent or not a boolean. */
export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** A number field, `undefined` when absent or not a number. */
export function optionalNumber(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  return typeof value === 'number' ? value : undefined;
}

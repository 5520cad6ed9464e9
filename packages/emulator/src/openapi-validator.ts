/**
 * Checks requests and responses against GitHub's OpenAPI description with Ajv. The paths the emulator serves are
 * added to Ajv once; the schema of each operation's request body, query and responses is compiled on first use.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import {
  escapePointerToken,
  loadOpenApiDocumentWithTiming,
  resolvePointer,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiParameter,
} from './openapi-document.js';
import { restRoutes } from './routes/index.js';

const DOCUMENT_ID = 'api.github.com';
/** The schema of GitHub's error bodies, for error answers the description does not document. */
const BASIC_ERROR = '#/components/schemas/basic-error';
const JSON_CONTENT = 'application/json';

// ajv-formats is CommonJS; depending on the loader its function is the default export or under `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** Time spent making the shared validator, in milliseconds. */
export interface ValidatorStartupCost {
  readDocument: number;
  normalizeDocument: number;
  addToAjv: number;
  total: number;
}

let shared: OpenApiValidator | undefined;

/** Validation of request bodies, query parameters and JSON responses, per OpenAPI operation. */
export class OpenApiValidator {
  private readonly compiled = new Map<string, ValidateFunction | null>();

  private constructor(
    private readonly document: OpenApiDocument,
    private readonly ajv: Ajv,
    private readonly queryAjv: Ajv,
    /** What creating this validator cost. */
    readonly startupCost: ValidatorStartupCost,
  ) {}

  /**
   * The validator shared by every emulator in this process: the 13 MB document is read once, and only the paths
   * the emulator serves (with the components they reach) are kept and handed to Ajv.
   */
  static shared(): OpenApiValidator {
    if (shared) return shared;
    const started = performance.now();
    // Only the paths the emulator serves are ever checked (other requests are answered 404 unchecked).
    const served = [...new Set(restRoutes.map((route) => route.template))];
    const { document, timing } = loadOpenApiDocumentWithTiming(served, [BASIC_ERROR]);
    const beforeAjv = performance.now();
    const logger = { log: () => undefined, warn: () => undefined, error: console.error };
    const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true, verbose: true, logger });
    addFormats(ajv);
    ajv.addSchema(document as object, DOCUMENT_ID);
    const queryAjv = new Ajv({
      strict: false,
      validateSchema: false,
      allErrors: true,
      verbose: true,
      coerceTypes: true,
      logger,
    });
    addFormats(queryAjv);
    const done = performance.now();
    shared = new OpenApiValidator(document, ajv, queryAjv, {
      readDocument: timing.readMilliseconds,
      normalizeDocument: timing.normalizeMilliseconds,
      addToAjv: done - beforeAjv,
      total: done - started,
    });
    return shared;
  }

  /** The operation at `paths[template][method]`, if GitHub documents it. */
  operation(method: string, template: string): OpenApiOperation | undefined {
    const operation = this.document.paths[template]?.[method.toLowerCase()];
    return operation && typeof operation === 'object' ? (operation as OpenApiOperation) : undefined;
  }

  /** The documentation page of an operation (`externalDocs.url`), used in error bodies. */
  documentationUrl(method: string, template: string): string | undefined {
    return this.operation(method, template)?.externalDocs?.url;
  }

  /** The named examples of an operation's JSON response for a status. */
  responseExamples(method: string, template: string, status: number): Record<string, unknown> {
    const response = this.responseObject(method, template, status);
    const examples = response?.object.content?.[JSON_CONTENT]?.examples ?? {};
    const values: Record<string, unknown> = {};
    for (const [name, example] of Object.entries(examples)) {
      const resolved = resolveRef(this.document, example) as { value?: unknown } | undefined;
      values[name] = resolved?.value;
    }
    return values;
  }

  /** Mismatches of a JSON request body (an absent body counts as `{}` when the operation takes one). */
  validateRequestBody(method: string, template: string, body: unknown): string[] {
    const operation = this.operation(method, template);
    if (!operation?.requestBody?.content?.[JSON_CONTENT]?.schema) return [];
    const pointer = `${operationPointer(method, template)}/requestBody/content/${escapePointerToken(JSON_CONTENT)}/schema`;
    const validate = this.compileRef(pointer);
    if (!validate || validate(body ?? {})) return [];
    return describeRequestErrors(validate.errors ?? []);
  }

  /** Mismatches of the query parameters GitHub documents for the operation (unknown parameters are ignored). */
  validateQuery(method: string, template: string, query: Record<string, string>): string[] {
    const names = Object.keys(query);
    if (names.length === 0) return [];
    const key = `query ${method} ${template}`;
    if (!this.compiled.has(key)) this.compiled.set(key, this.compileQuerySchema(method, template));
    const validate = this.compiled.get(key);
    if (!validate || validate({ ...query })) return [];
    return describeRequestErrors(validate.errors ?? []);
  }

  /**
   * Mismatches of a response. An undocumented error status is checked against `basic-error`; an undocumented
   * success status is itself a mismatch.
   */
  validateResponse(method: string, template: string, status: number, body: unknown): string[] {
    if (!this.operation(method, template))
      return [`${method} ${template} is not in GitHub's OpenAPI description`];
    const response = this.responseObject(method, template, status);
    if (!response) {
      if (status < 400) return [`status ${status} is not documented for ${method} ${template}`];
      return this.validateAgainst(BASIC_ERROR, body);
    }
    const media = response.object.content?.[JSON_CONTENT];
    if (!media?.schema) {
      if (body === undefined) return [];
      // Error answers documented without content still carry GitHub's usual error body.
      if (status >= 400) return this.validateAgainst(BASIC_ERROR, body);
      return [`status ${status} of ${method} ${template} is documented without a JSON body`];
    }
    if (body === undefined) return [`status ${status} of ${method} ${template} must have a JSON body`];
    return this.validateAgainst(
      `${response.pointer}/content/${escapePointerToken(JSON_CONTENT)}/schema`,
      body,
    );
  }

  private validateAgainst(pointer: string, data: unknown): string[] {
    const validate = this.compileRef(pointer);
    if (!validate || validate(data)) return [];
    return (validate.errors ?? []).map(describeResponseError);
  }

  /** The response object (and the pointer to it) documented for a status, falling back to `default`. */
  private responseObject(
    method: string,
    template: string,
    status: number,
  ): { pointer: string; object: NonNullable<ReturnType<typeof asResponse>> } | undefined {
    const responses = this.operation(method, template)?.responses ?? {};
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find(
      (candidate) => candidate in responses,
    );
    if (!key) return undefined;
    const entry = responses[key];
    if (entry && '$ref' in entry && typeof entry.$ref === 'string') {
      const object = asResponse(resolvePointer(this.document, entry.$ref));
      return object ? { pointer: entry.$ref, object } : undefined;
    }
    const object = asResponse(entry);
    return object ? { pointer: `${operationPointer(method, template)}/responses/${key}`, object } : undefined;
  }

  private compileRef(pointer: string): ValidateFunction | undefined {
    if (!this.compiled.has(pointer)) {
      this.compiled.set(
        pointer,
        (this.ajv.getSchema(`${DOCUMENT_ID}${pointer}`) as ValidateFunction) ?? null,
      );
    }
    return this.compiled.get(pointer) ?? undefined;
  }

  private compileQuerySchema(method: string, template: string): ValidateFunction | null {
    const parameters = (this.operation(method, template)?.parameters ?? [])
      .map((parameter) => resolveRef(this.document, parameter) as OpenApiParameter | undefined)
      .filter((parameter): parameter is OpenApiParameter => parameter?.in === 'query' && !!parameter.schema)
      .filter((parameter) => !JSON.stringify(parameter.schema).includes('$ref'));
    if (parameters.length === 0) return null;
    const properties = Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema]));
    return this.queryAjv.compile({ type: 'object', properties });
  }
}

function operationPointer(method: string, template: string): string {
  return `#/paths/${escapePointerToken(template)}/${method.toLowerCase()}`;
}

function resolveRef(document: OpenApiDocument, node: unknown): unknown {
  if (node && typeof node === 'object' && '$ref' in node && typeof node.$ref === 'string') {
    return resolvePointer(document, node.$ref);
  }
  return node;
}

function asResponse(
  node: unknown,
): { content?: Record<string, { schema?: unknown; examples?: object }> } | undefined {
  return node && typeof node === 'object'
    ? (node as { content?: Record<string, { schema?: unknown }> })
    : undefined;
}

/** Describes request errors the way GitHub words them in a 422 ("\"ref\" wasn't supplied."). */
function describeRequestErrors(errors: ErrorObject[]): string[] {
  const messages = errors.map((error) => {
    const where = error.instancePath ? `properties${error.instancePath}` : 'root';
    switch (error.keyword) {
      case 'required':
        return `"${(error.params as { missingProperty: string }).missingProperty}" wasn't supplied.`;
      case 'type':
        return `For '${where}', ${JSON.stringify(error.data)} is not ${withArticle(String((error.params as { type: unknown }).type))}.`;
      case 'enum':
        return `For '${where}', ${JSON.stringify(error.data)} is not a member of ${JSON.stringify((error.params as { allowedValues: unknown }).allowedValues)}.`;
      case 'additionalProperties':
        return `"${(error.params as { additionalProperty: string }).additionalProperty}" is not a permitted key.`;
      default:
        return `For '${where}', ${JSON.stringify(error.data)} ${error.message ?? 'is invalid'}.`;
    }
  });
  return [...new Set(messages)];
}

function describeResponseError(error: ErrorObject): string {
  return `${error.instancePath || '/'} ${error.message ?? 'is invalid'} (${error.schemaPath})`;
}

function withArticle(type: string): string {
  const name = type.replace(/,/g, ' or ');
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

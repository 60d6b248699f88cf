/** A JSON schema as `z.toJSONSchema` writes it into the OpenAPI document (only what the tests read). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  format?: string;
  [key: string]: unknown;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  public: boolean;
  hasBody: boolean;
  body?: JsonSchema;
  pathParams: string[];
  queryParams: Array<{ name: string; schema: JsonSchema }>;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

interface OpenApiOperation {
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Every operation of the served OpenAPI document, with what a request generator needs. */
export function openApiOperations(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => {
        const body = op.requestBody?.content?.['application/json']?.schema;
        const params = op.parameters ?? [];
        return {
          method: method as Operation['method'],
          path,
          public: Array.isArray(op.security) && op.security.length === 0,
          hasBody: body !== undefined,
          ...(body ? { body } : {}),
          pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: params
            .filter((p) => p.in === 'query')
            .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        };
      }),
  );
}

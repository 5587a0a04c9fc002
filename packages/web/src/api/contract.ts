// The API's shapes, generated from the server's OpenAPI document (`npm run build` writes
// src/api/generated/openapi.ts from packages/server/dist/openapi.json): never written by hand here.
import type { components } from './generated/openapi';

/** A shape the server names in a module contract (components.schemas of the OpenAPI document). */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

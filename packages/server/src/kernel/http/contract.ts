// Route schemas are written once, with TypeBox: the same object validates requests, serializes
// responses, types the handlers (Fastify's type provider) and becomes the OpenAPI document from
// which the web client's types are generated (`npm run build`). Helpers for the shapes we use often.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type SchemaOptions, type Static, type TProperties, type TSchema } from '@sinclair/typebox';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import { municipalityCodeSchema, uuidSchema } from './schemas.js';

export { Type, type Static, type TSchema };

/** The Fastify instance a module's routes are registered on: its schemas type the handlers. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/** `T` or null. */
export const Nullable = <T extends TSchema>(t: T, opts: SchemaOptions = {}) => Type.Union([t, Type.Null()], opts);

/** One of a list of strings, as `{ type: 'string', enum: [...] }` (plain in the OpenAPI document and the generated types). */
export const StringEnum = <const T extends readonly string[]>(values: T, opts: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });

/** A request object: unknown fields are errors (the field is named), not silently dropped. */
export const Strict = <T extends TProperties>(properties: T, opts: SchemaOptions = {}) => Type.Object(properties, { additionalProperties: false, ...opts });

/** Japanese and English text. */
export const Localized = Type.Object({ ja: Type.String(), en: Type.String() });
export type Localized = Static<typeof Localized>;

/** An ISO 8601 time as text (in answers; a request's times are validated with `format: 'date-time'`). */
export const Timestamp = (opts: SchemaOptions = {}) => Type.String({ description: 'ISO 8601 time', ...opts });

/** A municipality code (its check digit is part of the schema: `format: municipality-code`). */
export const MunicipalityCode = Type.Unsafe<string>(municipalityCodeSchema);
export const Uuid = Type.Unsafe<string>(uuidSchema);
/** `:code` alone. */
export const CodeParams = Strict({ code: MunicipalityCode });

// The JSON shapes of the resident API, written once: route schemas (validation, serialization, the
// OpenAPI document the web client's types are generated from) and the server's own types.
import { Nullable, Timestamp, Type, type Static } from '../kernel/http/contract.js';

const str = Type.String();

/** A resident as the platform knows them: pseudonymous id, resident ID and the names of the categories held in the vault. */
export const ResidentView = Type.Object({
  id: str,
  municipalityCode: str,
  residentNumber: Nullable(Type.String(), { description: '住民ID (6 digits, Damm check digit); null only for residents older than the column' }),
  globalId: Nullable(Type.String(), { description: '<municipality code>-<resident ID>' }),
  categories: Type.Array(str, { description: 'Data categories held in the vault' }),
  status: str,
  createdAt: Timestamp(),
});
export type ResidentView = Static<typeof ResidentView>;

/** One category of a resident's personal data, read from the vault (audited). */
export const PersonalDataView = Type.Object({ residentId: str, category: str, data: Type.Record(Type.String(), Type.String()) });
export type PersonalDataView = Static<typeof PersonalDataView>;

/** The answer to a write of one category of personal data. */
export const PersonalDataWritten = Type.Object({ residentId: str, category: str });
export type PersonalDataWritten = Static<typeof PersonalDataWritten>;

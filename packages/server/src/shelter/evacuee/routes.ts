// Evacuee routes: the resident's pre-registration and safety search (portal), staff evacuee details.
import { principal } from '../../kernel/http/auth.js';
import { MunicipalityCode, Strict, Uuid, type App } from '../../kernel/http/contract.js';
import { staffSecurity } from '../../kernel/http/schemas.js';
import { residentOf } from '../../kernel/residentCaller.js';
import { EvacueeDetailView, EvacueePatch, PreRegistration, PreRegistrationInput, SafetySearchRequest, SafetySearchResult } from '../contract.js';
import type { ShelterRouteDeps } from '../index.js';

const problems = (...codes: number[]) => Object.fromEntries(codes.map((s) => [s, { $ref: 'Problem#' }]));
const tags = ['shelter'];
const residentSecurity = [{ residentSession: [] }];
const evacueeParams = Strict({ code: MunicipalityCode, evacueeId: Uuid });

export function evacueeRoutes(app: App, deps: ShelterRouteDeps) {
  const { evacuees: svc, guard, residentGuard } = deps;

  app.get('/api/resident/me/shelter-registration', {
    preHandler: residentGuard,
    schema: { tags, security: residentSecurity, summary: 'My shelter pre-registration (事前登録) and household', response: { 200: PreRegistration, ...problems(401, 404) } },
  }, async (req) => svc.preRegistration(residentOf(req), req.id));

  app.put('/api/resident/me/shelter-registration', {
    preHandler: residentGuard,
    schema: {
      tags, security: residentSecurity, summary: 'Replace my shelter pre-registration (household, needs, consents)',
      body: PreRegistrationInput, response: { 200: PreRegistration, ...problems(400, 401, 403) },
    },
  }, async (req) => svc.savePreRegistration(residentOf(req), req.body, req.id));

  app.post('/api/resident/me/safety-search', {
    preHandler: residentGuard,
    schema: {
      tags, security: residentSecurity, summary: 'Safety search (安否確認): where a consenting relative stays, by name and birth date',
      body: SafetySearchRequest,
      response: { 200: SafetySearchResult, ...problems(400, 401, 403, 429) },
    },
  }, async (req) => svc.safetySearch(residentOf(req), req.body, req.id));

  app.get('/api/municipalities/:code/evacuees/:evacueeId', {
    preHandler: guard,
    schema: { tags, security: staffSecurity, summary: 'One evacuee with vault details (audited)', params: evacueeParams, response: { 200: EvacueeDetailView, ...problems(401, 403, 404) } },
  }, async (req) => svc.detail(principal(req), req.params.code, req.params.evacueeId, req.id));

  app.patch('/api/municipalities/:code/evacuees/:evacueeId', {
    preHandler: guard,
    schema: {
      tags, security: staffSecurity, summary: 'Correct an evacuee: needs, language, consent, notes; DV protection (shelter:command)', params: evacueeParams,
      body: EvacueePatch,
      response: { 200: EvacueeDetailView, ...problems(400, 401, 403, 404) },
    },
  }, async (req) => svc.patch(principal(req), req.params.code, req.params.evacueeId, req.body, req.id));
}

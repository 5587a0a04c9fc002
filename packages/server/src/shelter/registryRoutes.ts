// SKELETON: replaced by the owner of this file (see /tmp/kz/CONTRACT.md).
import type { FastifyInstance } from 'fastify';
import type { ShelterRouteDeps } from './index.js';

export function registryRoutes(_app: FastifyInstance, _deps: ShelterRouteDeps) {}

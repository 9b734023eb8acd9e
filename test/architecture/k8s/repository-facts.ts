import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RequestMethod, VERSION_NEUTRAL } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, VERSION_METADATA } from '@nestjs/common/constants';
import { IS_PUBLIC_KEY } from '../../../libs/platform/src/auth/public.decorator';
import { HealthController } from '../../../libs/platform/src/health/health.controller';
import { REPO_ROOT } from '../dependency-cruise';
import type { RepositoryFacts } from './manifest-checks';

/**
 * The health controller's public GET routes as Nest serves them: from its decorators'
 * metadata (the app's URI versioning puts /v1 before a versioned controller's routes).
 */
export function publicHealthRoutes(): string[] {
  const prefix = Reflect.getMetadata(VERSION_METADATA, HealthController) === VERSION_NEUTRAL ? '' : '/v1';
  const base = Reflect.getMetadata(PATH_METADATA, HealthController) as string;
  const controllerPublic = Reflect.getMetadata(IS_PUBLIC_KEY, HealthController) === true;
  const prototype = HealthController.prototype as unknown as Record<string, object>;
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== 'constructor')
    .map((name) => prototype[name])
    .filter((handler) => Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.GET)
    .filter((handler) => controllerPublic || Reflect.getMetadata(IS_PUBLIC_KEY, handler) === true)
    .map((handler) => `${prefix}/${base}/${Reflect.getMetadata(PATH_METADATA, handler) as string}`);
}

/** The official node images' `node` user is uid 1000; a numeric USER is its own uid. */
const KNOWN_USERS: Record<string, number> = { node: 1000, root: 0 };

export function imageUid(dockerfile = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8')): number {
  const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
  const user = users.at(-1) ?? 'root';
  return /^\d+$/.test(user) ? Number(user) : KNOWN_USERS[user];
}

export function repositoryFacts(): RepositoryFacts {
  return { healthRoutes: publicHealthRoutes(), imageUid: imageUid() };
}

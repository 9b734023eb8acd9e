import type { INestApplication, Type } from '@nestjs/common';
import { METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// class-transformer publishes its @Type() registry without typings for the CommonJS path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: MetadataStorage;
};

export type DtoSource = 'body' | 'query' | 'path';

/** One DTO a route validates: where it comes from, and the OpenAPI operation it belongs to. */
export interface RouteDto {
  operationId: string;
  source: DtoSource;
  dto: Type<unknown>;
}

/** A property the global ValidationPipe checks, as class-validator's metadata says. */
export interface ValidatedProperty {
  name: string;
  optional: boolean;
  /** The class of a @ValidateNested() property (from its class-transformer @Type()). */
  nested?: Type<unknown>;
}

/** @nestjs/swagger's metadata keys for @ApiExcludeController() / @ApiExcludeEndpoint() (its constants are not exported). */
const EXCLUDE_CONTROLLER = 'swagger/apiExcludeController';
const EXCLUDE_ENDPOINT = 'swagger/apiExcludeEndpoint';

const SOURCES: Partial<Record<RouteParamtypes, DtoSource>> = {
  [RouteParamtypes.BODY]: 'body',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.PARAM]: 'path',
};

/**
 * Every whole-DTO @Body(), @Query() and @Param() of every route the app serves, read from
 * Nest's own route metadata (not a list): a route added anywhere is found. The operation
 * id is the one swagger.ts's operationIdFactory gives (`<Controller minus suffix>_<method>`).
 */
export function routeDtos(app: INestApplication): RouteDto[] {
  const found: RouteDto[] = [];
  const controllers = new Set<Type<unknown>>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      controllers.add(wrapper.metatype as Type<unknown>);
    }
  }
  for (const controller of controllers) {
    if (Reflect.getMetadata(EXCLUDE_CONTROLLER, controller)?.[0]) {
      continue;
    }
    const prototype = controller.prototype as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[key];
      if (
        typeof handler !== 'function' ||
        Reflect.getMetadata(METHOD_METADATA, handler) === undefined ||
        Reflect.getMetadata(EXCLUDE_ENDPOINT, handler)?.disable
      ) {
        continue;
      }
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) ?? {}) as Record<
        string,
        { index: number; data?: unknown }
      >;
      const types = (Reflect.getMetadata('design:paramtypes', prototype, key) ?? []) as unknown[];
      for (const [argKey, arg] of Object.entries(args)) {
        const source = SOURCES[Number(argKey.split(':')[0]) as RouteParamtypes];
        const type = types[arg.index];
        if (
          source &&
          arg.data === undefined &&
          typeof type === 'function' &&
          validatedProperties(type as Type<unknown>).length > 0
        ) {
          found.push({
            operationId: `${controller.name.replace(/Controller$/, '')}_${key}`,
            source,
            dto: type as Type<unknown>,
          });
        }
      }
    }
  }
  return found;
}

/** The properties class-validator checks on a DTO (inherited ones included). */
export function validatedProperties(dto: Type<unknown>): ValidatedProperty[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byName = new Map<string, ValidatedProperty>();
  for (const metadata of metadatas) {
    const property = byName.get(metadata.propertyName) ?? { name: metadata.propertyName, optional: false };
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      property.optional = true;
    }
    if (metadata.type === ValidationTypes.NESTED_VALIDATION) {
      const typeMetadata = defaultMetadataStorage.findTypeMetadata(dto, metadata.propertyName);
      property.nested = typeMetadata?.typeFunction() as Type<unknown> | undefined;
    }
    byName.set(metadata.propertyName, property);
  }
  return [...byName.values()];
}

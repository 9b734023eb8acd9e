import { getMetadataStorage, isUUID } from 'class-validator';
import { ID_PROPERTIES } from './ids';

/** Per DTO class: its @IsId() properties when they are all it validates, else null. */
const idOnlyShapes = new WeakMap<object, readonly string[] | null>();

function idOnlyShape(metatype: object): readonly string[] | null {
  let shape = idOnlyShapes.get(metatype);
  if (shape === undefined) {
    const ids = ID_PROPERTIES.get(metatype) ?? [];
    const validated = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(metatype as new () => unknown, '', true, false)
        .map((rule) => rule.propertyName),
    );
    shape = ids.length > 0 && validated.size === ids.length && ids.every((id) => validated.has(id)) ? ids : null;
    idOnlyShapes.set(metatype, shape);
  }
  return shape;
}

/**
 * The precompiled check for path parameter DTOs made only of @IsId() fields
 * (`/products/:id` and the like, on hot routes): the same rules as class-validator
 * (exactly these keys, each a UUID) and the same result (an instance with the ids
 * lower-cased), without class-transformer and class-validator on every request.
 * Undefined when the value does not pass or the DTO is not of that shape: the pipe
 * then runs the full validation, which also words the 400.
 */
export function readIdPathParams(metatype: unknown, value: unknown): object | undefined {
  if (typeof metatype !== 'function' || typeof value !== 'object' || value === null) {
    return undefined;
  }
  const shape = idOnlyShape(metatype);
  if (!shape) {
    return undefined;
  }
  const params = value as Record<string, unknown>;
  if (Object.keys(params).length !== shape.length) {
    return undefined;
  }
  const instance = new (metatype as new () => Record<string, string>)();
  for (const key of shape) {
    const id = params[key];
    if (typeof id !== 'string' || !isUUID(id)) {
      return undefined;
    }
    instance[key] = id.toLowerCase();
  }
  return instance;
}

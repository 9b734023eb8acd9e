import { Get, Param } from '@nestjs/common';
import {
  METHOD_METADATA,
  PATH_METADATA,
  PROPERTY_DEPS_METADATA,
  RESPONSE_PASSTHROUGH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { CacheLoadOptions } from '../../cache/cache-aside.service';
import { CachedResponse } from './cached-response.decorator';
import { ResponseCache } from './response-cache';

const OPTIONS = { key: (request: { params: Readonly<Record<string, string>> }) => `thing:${request.params.id}` };

class ThingsController {
  calls: string[] = [];

  @Get(':id')
  @CachedResponse(OPTIONS)
  below(@Param('id') id: string): Promise<{ id: string }> {
    this.calls.push(id);
    return Promise.resolve({ id });
  }

  @CachedResponse(OPTIONS)
  @Get('other/:id')
  above(@Param('id') id: string): { id: string } {
    return { id };
  }
}

/** Metadata and wiring only; what a hit, a miss and a 304 answer is tested end to end (catalog e2e). */
describe('@CachedResponse', () => {
  const prototype = ThingsController.prototype;

  it('keeps the route metadata whichever side of @Get it is written on', () => {
    expect(Reflect.getMetadata(PATH_METADATA, prototype.below)).toBe(':id');
    expect(Reflect.getMetadata(PATH_METADATA, prototype.above)).toBe('other/:id');
    expect(Reflect.getMetadata(METHOD_METADATA, prototype.above)).toBeDefined();
    expect(prototype.below.name).toBe('below');
  });

  it('appends the request and the reply after the declared parameters', () => {
    const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, ThingsController, 'below') as Record<
      string,
      { index: number }
    >;
    expect(args[`${RouteParamtypes.REQUEST}:1`]?.index).toBe(1);
    expect(args[`${RouteParamtypes.RESPONSE}:2`]?.index).toBe(2);
    // Not pass-through: the wrapper sends the reply itself.
    expect(Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, ThingsController, 'below')).toBeUndefined();
  });

  it('injects ResponseCache into the controller once, however many routes it caches', () => {
    const deps = Reflect.getMetadata(PROPERTY_DEPS_METADATA, ThingsController) as { type: unknown }[];
    expect(deps.filter(({ type }) => type === ResponseCache)).toHaveLength(1);
  });

  it('hands ResponseCache the key, the load options and a loader that calls the handler with its own arguments, and sends its body', async () => {
    const controller = new ThingsController();
    let loaded: unknown;
    const serve = jest.fn(
      async (
        _request: unknown,
        _reply: unknown,
        _key: string,
        _options: CacheLoadOptions,
        load: () => Promise<unknown>,
      ) => {
        loaded = await load();
        return 'body';
      },
    );
    const [injection] = Reflect.getMetadata(PROPERTY_DEPS_METADATA, ThingsController) as { key: symbol }[];
    Object.assign(controller, { [injection.key]: { serve } });
    const request = { params: { id: '42' }, query: {} };
    const reply = { send: jest.fn() };

    await (prototype.below as (...args: unknown[]) => unknown).call(controller, '42', request, reply);

    expect(serve).toHaveBeenCalledWith(request, reply, 'thing:42', {}, expect.any(Function));
    expect(reply.send).toHaveBeenCalledWith('body');
    expect(loaded).toEqual({ id: '42' });
    expect(controller.calls).toEqual(['42']);
  });
});

import { Idempotent, Public } from '@app/platform';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsInt, IsString } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { ApiModule } from '../../../apps/api/src/api.module';
import { createTestApp } from '../../support/test-app';

class ChargeDto {
  @IsString()
  item: string;

  @IsInt()
  amount: number;
}

let executions = 0;

/** A route using the platform's @Idempotent, mounted beside the real API. */
@Public()
@Controller('idempotency-probe')
class IdempotencyProbeController {
  @Post()
  @HttpCode(201)
  @Idempotent({ required: true })
  async charge(@Body() body: ChargeDto): Promise<{ id: string; item: string; amount: number }> {
    executions++;
    await new Promise((resolve) => setTimeout(resolve, body.item === 'slow' ? 300 : 0));
    if (body.item === 'fail') {
      throw new Error('boom');
    }
    return { id: randomUUID(), ...body };
  }
}

@Module({ imports: [ApiModule], controllers: [IdempotencyProbeController] })
class IdempotencyProbeModule {}

describe('Idempotency-Key (e2e)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({}, IdempotencyProbeModule);
  });

  afterAll(async () => {
    await app.close();
  });

  const post = (key: string | undefined, payload: object) =>
    app.inject({
      method: 'POST',
      url: '/v1/idempotency-probe',
      headers: key === undefined ? {} : { 'idempotency-key': key },
      payload,
    });

  it('requires the header where the route says so', async () => {
    const response = await post(undefined, { item: 'a', amount: 1 });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('rejects a key longer than 255 characters', async () => {
    const response = await post('k'.repeat(256), { item: 'a', amount: 1 });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('IDEMPOTENCY_KEY_INVALID');
  });

  it('replays the first response for the same key and body, running the handler once', async () => {
    const key = randomUUID();
    const before = executions;
    const first = await post(key, { item: 'book', amount: 5 });
    const second = await post(key, { amount: 5, item: 'book' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(executions - before).toBe(1);
  });

  it('answers 422 for the same key with another body', async () => {
    const key = randomUUID();
    await post(key, { item: 'book', amount: 5 });
    const response = await post(key, { item: 'book', amount: 6 });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers 409 while the first request is still running, never running it twice', async () => {
    const key = randomUUID();
    const before = executions;
    const [a, b] = await Promise.all([post(key, { item: 'slow', amount: 1 }), post(key, { item: 'slow', amount: 1 })]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([201, 409]);
    expect([a, b].find((r) => r.statusCode === 409)!.json().code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(executions - before).toBe(1);
  });

  it('scopes keys per caller and forgets a failed request so it can be retried', async () => {
    const key = randomUUID();
    const failed = await post(key, { item: 'fail', amount: 1 });
    expect(failed.statusCode).toBe(500);
    const retried = await post(key, { item: 'fail', amount: 1 });
    expect(retried.statusCode).toBe(500);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });
});

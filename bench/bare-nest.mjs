// Framework floor, NestJS side: a bare NestJS + @nestjs/platform-fastify app with one
// controller answering GET /health/live with {status:'ok'}, nothing else, logger off.
// Plain JS: the decorators are applied with Reflect.decorate, as compiled TypeScript does.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

class HealthController {
  live() {
    return { status: 'ok' };
  }
}
Reflect.decorate([Get('live')], HealthController.prototype, 'live', Object.getOwnPropertyDescriptor(HealthController.prototype, 'live'));
Reflect.decorate([Controller('health')], HealthController);

class AppModule {}
Reflect.decorate([Module({ controllers: [HealthController] })], AppModule);

const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');

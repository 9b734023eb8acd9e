import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserAccounts } from './user-accounts.port';
import { UserEntity } from './user.entity';
import { usersConfig } from './users.config';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), ConfigModule.forFeature(usersConfig)],
  controllers: [UsersController],
  // Other features get the port, never the repository: the service behind it keeps the caches true.
  providers: [UsersRepository, UsersService, { provide: UserAccounts, useExisting: UsersService }],
  exports: [UserAccounts],
})
export class UsersModule {}

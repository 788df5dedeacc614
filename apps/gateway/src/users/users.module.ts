import { Module } from '@nestjs/common';
import { DbModule, SessionRepository, UserRepository } from '@app/db';
import { PasswordHasher } from './password.hasher';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [DbModule.forFeature([SessionRepository, UserRepository])],
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher],
  exports: [UsersService],
})
export class UsersModule {}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { Roles } from '../credentials/auth.decorators';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto, UserDto } from './user.dto';
import { UsersService } from './users.service';

/** Admin management of accounts (seed 001 "User Management (Admin only)"). */
@ApiTags('users')
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List users (admin)' })
  @ApiOkResponse({ type: UserDto, isArray: true })
  async list(@Query() query: ListUsersQueryDto): Promise<UserDto[]> {
    return (await this.users.list(query)).map(UserDto.from);
  }

  @Post()
  @ApiOperation({ summary: 'Create a user with any role (admin)' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiConflictResponse({ description: 'CONFLICT: the email is taken', type: ErrorEnvelopeDto })
  async create(@Body() body: CreateUserDto): Promise<UserDto> {
    return UserDto.from(await this.users.create(body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (admin)' })
  @ApiOkResponse({ type: UserDto })
  async get(@Param('id') id: string): Promise<UserDto> {
    return UserDto.from(await this.users.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, role or password; disable or re-enable (admin)' })
  @ApiOkResponse({ type: UserDto })
  @ApiConflictResponse({ description: 'CONFLICT: the change would leave no active admin', type: ErrorEnvelopeDto })
  async update(@Param('id') id: string, @Body() body: UpdateUserDto): Promise<UserDto> {
    return UserDto.from(await this.users.update(id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user without sessions, and their API keys (admin)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiConflictResponse({ description: 'CONFLICT: the user still has sessions, or is the last active admin', type: ErrorEnvelopeDto })
  async delete(@Param('id') id: string): Promise<void> {
    await this.users.delete(id);
  }
}

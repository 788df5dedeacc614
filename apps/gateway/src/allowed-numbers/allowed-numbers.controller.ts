import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../credentials/auth.decorators';
import type { Principal } from '../credentials/principal';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { AllowedNumberDeletedDto, AllowedNumberDto, CreateAllowedNumberDto, ListAllowedNumbersQueryDto, UpdateAllowedNumberDto } from './allowed-number.dto';
import { AllowedNumbersService } from './allowed-numbers.service';

/**
 * Seed 002's history gate: a session's messages are stored while its own number is listed here as
 * active (fail-safe: nothing is stored when the list cannot be read). Users manage the numbers of
 * their linked sessions; admins any number.
 */
@ApiTags('history')
@Controller('allowed-numbers')
export class AllowedNumbersController {
  constructor(private readonly numbers: AllowedNumbersService) {}

  @Get()
  @ApiOperation({ summary: 'Allowed numbers: the numbers of your sessions (admins: all)' })
  @ApiOkResponse({ type: AllowedNumberDto, isArray: true })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListAllowedNumbersQueryDto): Promise<AllowedNumberDto[]> {
    return this.numbers.list(principal, query.whatsappNumber);
  }

  @Post()
  @ApiOperation({ summary: "Start storing the chat history of a device number (one of your sessions' numbers; admins: any)" })
  @ApiCreatedResponse({ type: AllowedNumberDto })
  @ApiForbiddenResponse({ type: ErrorEnvelopeDto, description: 'The number is not one of your sessions' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateAllowedNumberDto): Promise<AllowedNumberDto> {
    return this.numbers.create(principal, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Switch an allowed number active or inactive (seed 002 PUT /allowed-numbers/:id/status)' })
  @ApiOkResponse({ type: AllowedNumberDto })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'NOT_FOUND (also for numbers that are not yours)' })
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateAllowedNumberDto): Promise<AllowedNumberDto> {
    return this.numbers.update(principal, id, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Stop storing history for a number (stored messages stay)' })
  @ApiOkResponse({ type: AllowedNumberDeletedDto })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'NOT_FOUND (also for numbers that are not yours)' })
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AllowedNumberDeletedDto> {
    return { deleted: await this.numbers.delete(principal, id) };
  }
}

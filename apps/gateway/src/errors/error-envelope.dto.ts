import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_HTTP_STATUS, type ErrorCode } from '@app/contracts';

export class ErrorBodyDto {
  @ApiProperty({ enum: Object.keys(ERROR_HTTP_STATUS), example: 'SESSION_NOT_FOUND' })
  code!: ErrorCode;

  @ApiProperty({ example: 'Session agent-1 does not exist' })
  message!: string;

  @ApiProperty({ example: '6f1c2a4e-2b7d-4d35-9a53-0c7d1e1f9b7a', description: 'Also sent as the x-request-id header' })
  traceId!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Machine-readable specifics, e.g. invalid fields' })
  details?: Record<string, unknown>;
}

/** The one error shape of the API. */
export class ErrorEnvelopeDto {
  @ApiProperty({ type: ErrorBodyDto })
  error!: ErrorBodyDto;
}

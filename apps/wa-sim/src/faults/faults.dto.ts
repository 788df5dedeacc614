import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { StreamErrorKind } from './faults.service';

const KINDS: StreamErrorKind[] = ['conflict', 'replaced', 'device_removed', 'restart_required', 'code'];

export class DropConnectionDto {
  @ApiProperty({ example: '6281234567890' })
  @Matches(/^\d{6,15}$/)
  phoneNumber!: string;

  @ApiPropertyOptional({ description: 'Only this companion; all of the account when absent' })
  @IsOptional()
  @IsInt()
  @Min(1)
  deviceId?: number;
}

export class StreamErrorDto extends DropConnectionDto {
  @ApiProperty({
    enum: KINDS,
    description: 'conflict / replaced → Baileys 440; device_removed → 401 (without unlinking); restart_required → 515; code → `code`',
  })
  @IsIn(KINDS)
  kind!: StreamErrorKind;

  @ApiPropertyOptional({ example: 503, description: 'Status code for kind=code' })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(999)
  code?: number;
}

export class AffectedView {
  @ApiProperty({ description: 'Connections affected' }) connections!: number;
}

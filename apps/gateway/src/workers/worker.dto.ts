import { ApiProperty } from '@nestjs/swagger';

export class WorkerDto {
  @ApiProperty({ example: 'worker-1' })
  id!: string;

  @ApiProperty({ example: 'gw-host-a' })
  host!: string;

  @ApiProperty({ example: 4242 })
  pid!: number;

  @ApiProperty({ example: 12, description: 'Sessions this worker holds the lease of now' })
  sessionsHeld!: number;

  @ApiProperty({ example: 500 })
  capacity!: number;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  startedAt!: string;

  @ApiProperty({ example: '2026-11-21T08:05:02.000Z', description: 'Last heartbeat written to the registry' })
  heartbeatAt!: string;

  @ApiProperty({ description: 'Whether the worker answered a command over the transport just now' })
  reachable!: boolean;
}

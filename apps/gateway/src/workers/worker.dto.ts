import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { WORKER_ID_PATTERN, WORKER_STATES, type WorkerState } from '@app/contracts';

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

  @ApiProperty({
    enum: WORKER_STATES,
    example: 'active',
    description:
      '`active` takes and receives sessions; `draining` (POST /workers/{id}/drain) takes none and hands its own to the others; `leaving` does the same before it exits (SIGTERM)',
  })
  state!: WorkerState;

  @ApiProperty({ example: 0, description: 'Planned hand-overs of its sessions to other workers under way now' })
  movesInFlight!: number;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  startedAt!: string;

  @ApiProperty({ example: '2026-11-21T08:05:02.000Z', description: 'Last heartbeat written to the registry' })
  heartbeatAt!: string;

  @ApiProperty({ description: 'Whether the worker answered a command over the transport just now' })
  reachable!: boolean;
}

export class WorkerIdParams {
  @ApiProperty({ example: 'worker-1', description: "A live worker's id, as GET /workers lists it" })
  @Matches(WORKER_ID_PATTERN, { message: 'id must be 1-64 letters, digits, _ . or -' })
  id!: string;
}

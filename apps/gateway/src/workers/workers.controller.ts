import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../credentials/auth.decorators';
import { TraceId } from '../http/trace-id.decorator';
import { WorkerDto, WorkerIdParams } from './worker.dto';
import { WorkersService } from './workers.service';

@ApiTags('workers')
@Roles('admin')
@Controller('workers')
export class WorkersController {
  constructor(private readonly workers: WorkersService) {}

  @Get()
  @ApiOperation({ summary: 'Live session workers', description: 'Workers with a current heartbeat, each asked for its state over the Redis transport.' })
  @ApiOkResponse({ type: WorkerDto, isArray: true })
  list(@TraceId() traceId: string): Promise<WorkerDto[]> {
    return this.workers.list(traceId);
  }

  @Post(':id/drain')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Drain a worker before maintenance',
    description:
      'The worker takes no new sessions and hands every session it holds to the other workers as planned hand-overs ' +
      "(at the cluster's REBALANCE_MOVES_PER_SECOND, no QR, nothing lost); it stays up holding none. Sessions the other " +
      'workers have no room for stay until they do. Watch `sessionsHeld` in GET /workers go to 0.',
  })
  @ApiOkResponse({ type: WorkerDto, description: 'The worker, now `draining`' })
  @ApiNotFoundResponse({ description: 'No live worker has this id' })
  @ApiConflictResponse({ description: 'The worker is leaving (shutting down) already' })
  drain(@Param() params: WorkerIdParams, @TraceId() traceId: string): Promise<WorkerDto> {
    return this.workers.drain(params.id, traceId);
  }

  @Post(':id/uncordon')
  @HttpCode(200)
  @ApiOperation({ summary: 'Undo a drain', description: 'The worker takes sessions again; rebalancing brings it its fair share.' })
  @ApiOkResponse({ type: WorkerDto, description: 'The worker, `active` again' })
  @ApiNotFoundResponse({ description: 'No live worker has this id' })
  @ApiConflictResponse({ description: 'The worker is leaving (shutting down)' })
  uncordon(@Param() params: WorkerIdParams, @TraceId() traceId: string): Promise<WorkerDto> {
    return this.workers.uncordon(params.id, traceId);
  }
}

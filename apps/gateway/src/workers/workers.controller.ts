import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { TraceId } from '../http/trace-id.decorator';
import { WorkerDto } from './worker.dto';
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
}
